#pragma once
// Internal to the calendar reader (scheduler/calendar.cpp): how the time values of an
// iCalendar file map to UTC instants. Zones are resolved to tzdata whenever the TZID (or
// the VTIMEZONE's X-LIC-LOCATION) names one, so that every reader of Relais computes local
// times the same way; a VTIMEZONE naming no known zone falls back to libical's reading of
// its rules. Not thread-safe: one resolver per read.
#include <libical/ical.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "bot/core/time.hpp"
#include "scheduler/zone.hpp"

namespace relais::calendar_detail {

// A time that cannot be read. The event reader adds the event's name and rethrows it as a
// CalendarError.
class TimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The clock a wall-clock value was written in: UTC, a tzdata zone, or a VTIMEZONE of the
// file (owned by the parsed calendar, which must outlive this object).
class EventZone {
 public:
  static EventZone utc() { return EventZone(); }
  static EventZone iana(const TimeZone& zone);
  static EventZone vtimezone(icaltimezone* zone);

  // The instant of a wall-clock value (its own `zone` field is ignored). A time skipped by
  // a spring change is moved past the gap; a time that happens twice in the autumn is the
  // first of the two (RFC 5545, 3.3.5).
  Utc to_utc(const icaltimetype& wall) const;

 private:
  std::optional<TimeZone> iana_;
  icaltimezone* vtimezone_ = nullptr;
};

// A DATE or DATE-TIME value as written, with the clock it was written in.
struct TimeValue {
  icaltimetype wall{};  // zone = nullptr: only the fields as written
  EventZone zone = EventZone::utc();

  bool is_date() const { return wall.is_date != 0; }
  Utc utc() const { return zone.to_utc(wall); }
};

// The length of an event: whole days of the local calendar (DURATION:P1D, all-day events)
// plus an exact part. Days are added to the wall clock, so a one-day event on the day of a
// daylight-saving change is 23 or 25 hours long, as RFC 5545 asks.
struct Span {
  int days = 0;
  Millis exact{0};
};

Utc end_of(const TimeValue& start, const Span& span);
// The span from start to end; throws TimeError when end is before start.
Span span_between(const TimeValue& start, const TimeValue& end);
// Throws TimeError for a negative duration.
Span span_of(const icaldurationtype& duration);

// "20261208T130000Z": the occurrence id of Session.
std::string occurrence_id(Utc t);

// Maps TZID parameters to zones, and floating or DATE values to the programme's zone.
class ZoneResolver {
 public:
  // `calendar` is the VCALENDAR whose VTIMEZONEs TZIDs refer to.
  ZoneResolver(icalcomponent* calendar, const TimeZone& programme_zone);

  // The value of a DTSTART, DTEND, RDATE, EXDATE or RECURRENCE-ID property. Throws
  // TimeError for an impossible date or a TZID no zone answers to.
  TimeValue read(icalproperty* property, icaltimetype value);

 private:
  TimeValue read_value(icalproperty* property, icaltimetype value);
  EventZone zone_for(const std::string& tzid);

  icalcomponent* calendar_;
  TimeZone programme_zone_;
  std::map<std::string, EventZone> cache_;
};

// The IANA name a TZID stands for: itself, a Windows name, or an IANA name behind a
// prefix ("/freeassociation.sourceforge.net/Europe/Paris", "/mozilla.org/20050126_1/…").
// "" when none.
std::string iana_for_tzid(const std::string& tzid);

}  // namespace relais::calendar_detail
