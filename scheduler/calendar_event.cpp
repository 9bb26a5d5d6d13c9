#include "scheduler/calendar_event.hpp"

#include <cstring>

#include "scheduler/calendar.hpp"
#include "scheduler/calendar_tags.hpp"

namespace relais::calendar_detail {
namespace {

std::string text_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

// libical drops a property whose value it cannot parse and leaves an X-LIC-ERROR in its
// place; for the properties that carry times, that would silently change the sessions.
void check_time_properties_parsed(icalcomponent* vevent, const RawEvent& event) {
  static constexpr const char* kTimeProperties[] = {"DTSTART", "DTEND", "DURATION", "RRULE",
                                                     "RDATE",   "EXDATE", "RECURRENCE-ID"};
  for (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(vevent, ICAL_XLICERROR_PROPERTY)) {
    const std::string error = text_or_empty(icalproperty_get_xlicerror(p));
    for (const char* name : kTimeProperties) {
      if (error.find(std::string(" ") + name + " property") != std::string::npos)
        throw CalendarError(describe(event) + ": " + name + " cannot be read (" + error + ")");
    }
  }
}

Utc read_stamp(icalcomponent* vevent, ZoneResolver& zones) {
  for (auto kind : {ICAL_LASTMODIFIED_PROPERTY, ICAL_DTSTAMP_PROPERTY}) {
    icalproperty* p = icalcomponent_get_first_property(vevent, kind);
    if (!p) continue;
    const auto value = kind == ICAL_LASTMODIFIED_PROPERTY ? icalproperty_get_lastmodified(p) : icalproperty_get_dtstamp(p);
    try {
      return zones.read(p, value).utc();
    } catch (const TimeError&) {
      // A stamp that cannot be read only weakens the tie-break: ignore it.
    }
  }
  return Utc{};
}

void read_texts(icalcomponent* vevent, RawEvent& event) {
  event.uid = text_or_empty(icalcomponent_get_uid(vevent));
  event.summary = text_or_empty(icalcomponent_get_summary(vevent));
  event.location = text_or_empty(icalcomponent_get_location(vevent));
  event.description = text_or_empty(icalcomponent_get_description(vevent));
  for (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_CATEGORIES_PROPERTY); p;
       p = icalcomponent_get_next_property(vevent, ICAL_CATEGORIES_PROPERTY))
    event.categories.push_back(text_or_empty(icalproperty_get_categories(p)));
  for (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_ATTENDEE_PROPERTY); p;
       p = icalcomponent_get_next_property(vevent, ICAL_ATTENDEE_PROPERTY))
    event.attendees.push_back(text_or_empty(icalproperty_get_attendee(p)));
  event.cancelled = icalcomponent_get_status(vevent) == ICAL_STATUS_CANCELLED;
  if (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_SEQUENCE_PROPERTY))
    event.sequence = icalproperty_get_sequence(p);
}

void read_start_and_span(icalcomponent* vevent, ZoneResolver& zones, RawEvent& event) {
  icalproperty* dtstart = icalcomponent_get_first_property(vevent, ICAL_DTSTART_PROPERTY);
  if (!dtstart) throw TimeError("has no DTSTART");
  event.start = zones.read(dtstart, icalproperty_get_dtstart(dtstart));
  if (icalproperty* dtend = icalcomponent_get_first_property(vevent, ICAL_DTEND_PROPERTY)) {
    const TimeValue end = zones.read(dtend, icalproperty_get_dtend(dtend));
    if (end.utc() < event.start.utc())
      throw TimeError("ends (" + format_utc(end.utc()) + ") before it starts (" + format_utc(event.start.utc()) + ")");
    event.span = span_between(event.start, end);
  } else if (icalproperty* duration = icalcomponent_get_first_property(vevent, ICAL_DURATION_PROPERTY)) {
    event.span = span_of(icalproperty_get_duration(duration));
  }
  // RFC 5545: an all-day event without an end lasts the day; some apps write DTEND equal to
  // DTSTART for the same meaning.
  if (event.start.is_date() && event.span.days == 0 && event.span.exact == Millis(0)) event.span.days = 1;
}

ExtraDate read_extra_date(icalproperty* p, ZoneResolver& zones) {
  const icaldatetimeperiodtype rdate = icalproperty_get_rdate(p);
  ExtraDate extra;
  if (!icaltime_is_null_time(rdate.time)) {
    extra.start = zones.read(p, rdate.time);
    return extra;
  }
  extra.start = zones.read(p, rdate.period.start);
  if (!icaltime_is_null_time(rdate.period.end))
    extra.end = zones.read(p, rdate.period.end).utc();
  else
    extra.end = end_of(extra.start, span_of(rdate.period.duration));
  if (*extra.end < extra.start.utc()) throw TimeError("has an RDATE period that ends before it starts");
  return extra;
}

// The local day of `value` in `zone`, from midnight to midnight.
ExcludedDate whole_day(const TimeValue& value, const EventZone& zone) {
  TimeValue midnight{value.wall, zone};
  midnight.wall.is_date = 0;
  midnight.wall.hour = midnight.wall.minute = midnight.wall.second = 0;
  return {midnight.utc(), end_of(midnight, Span{1, Millis(0)})};
}

ExcludedDate read_excluded_date(icalproperty* p, ZoneResolver& zones, const TimeValue& start) {
  const TimeValue value = zones.read(p, icalproperty_get_exdate(p));
  // A DATE excludes the whole day of an event with times.
  if (value.is_date() && !start.is_date()) return whole_day(value, start.zone);
  // Outlook excludes a day of an all-day series with a date-time at midnight in its own
  // zone: the date is what counts.
  if (!value.is_date() && start.is_date()) {
    TimeValue day{value.wall, start.zone};
    day.wall.is_date = 1;
    return {day.utc(), day.utc()};
  }
  return {value.utc(), value.utc()};
}

void read_recurrence(icalcomponent* vevent, ZoneResolver& zones, RawEvent& event) {
  if (icalproperty* rrule = icalcomponent_get_first_property(vevent, ICAL_RRULE_PROPERTY))
    event.rule = icalproperty_get_rrule(rrule);
  for (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_RDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(vevent, ICAL_RDATE_PROPERTY))
    event.extra_dates.push_back(read_extra_date(p, zones));
  for (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_EXDATE_PROPERTY); p;
       p = icalcomponent_get_next_property(vevent, ICAL_EXDATE_PROPERTY))
    event.excluded_dates.push_back(read_excluded_date(p, zones, event.start));
  if (icalproperty* p = icalcomponent_get_first_property(vevent, ICAL_RECURRENCEID_PROPERTY))
    event.recurrence_id = zones.read(p, icalproperty_get_recurrenceid(p)).utc();
}

}  // namespace

RawEvent read_event(icalcomponent* vevent, ZoneResolver& zones) {
  RawEvent event;
  read_texts(vevent, event);
  check_time_properties_parsed(vevent, event);
  try {
    read_start_and_span(vevent, zones, event);
    read_recurrence(vevent, zones, event);
  } catch (const TimeError& e) {
    throw CalendarError(describe(event) + ": " + e.what());
  }
  event.stamp = read_stamp(vevent, zones);
  return event;
}

std::string describe(const RawEvent& event) {
  std::string title = title_of(event.summary);
  if (title.empty()) title = event.summary;
  std::string out = "event";
  if (!title.empty()) out += " \"" + title + "\"";
  if (!event.uid.empty()) out += " (uid " + event.uid + ")";
  return out;
}

}  // namespace relais::calendar_detail
