#include "scheduler/calendar_time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include "scheduler/calendar.hpp"

namespace relais::calendar_detail {
namespace {

date::sys_days day_of(const icaltimetype& t) {
  return date::sys_days{date::year{t.year} / date::month{static_cast<unsigned>(t.month)} /
                        date::day{static_cast<unsigned>(t.day)}};
}

std::chrono::seconds time_of_day(const icaltimetype& t) {
  if (t.is_date) return std::chrono::seconds(0);
  return std::chrono::hours(t.hour) + std::chrono::minutes(t.minute) + std::chrono::seconds(t.second);
}

void check_valid(const icaltimetype& t) {
  const date::year_month_day ymd{date::year{t.year}, date::month{static_cast<unsigned>(t.month)},
                                 date::day{static_cast<unsigned>(t.day)}};
  const bool ok = t.year >= 1 && t.year <= 9999 && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
                  ymd.ok() && t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 &&
                  t.second >= 0 && t.second <= 60;
  if (!ok) throw TimeError(std::string("\"") + icaltime_as_ical_string(t) + "\" is not a valid date");
}

bool is_known_zone(const std::string& name) {
  try {
    date::locate_zone(name);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace

EventZone EventZone::iana(const TimeZone& zone) {
  EventZone z;
  z.iana_ = zone;
  return z;
}

EventZone EventZone::vtimezone(icaltimezone* zone) {
  EventZone z;
  z.vtimezone_ = zone;
  return z;
}

Utc EventZone::to_utc(const icaltimetype& wall) const {
  const auto day = day_of(wall);
  const auto seconds = time_of_day(wall);
  if (iana_) {
    const date::year_month_day ymd{day};
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(seconds);
    return iana_->from_local(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                             static_cast<unsigned>(ymd.day()), static_cast<int>(minutes.count())) +
           (seconds - minutes);
  }
  Utc as_if_utc = std::chrono::time_point_cast<Millis>(day + seconds);
  if (!vtimezone_) return as_if_utc;
  icaltimetype local = wall;
  local.zone = nullptr;
  int is_daylight = 0;
  return as_if_utc - std::chrono::seconds(icaltimezone_get_utc_offset(vtimezone_, &local, &is_daylight));
}

Utc end_of(const TimeValue& start, const Span& span) {
  if (span.days == 0) return start.utc() + span.exact;
  icaltimetype wall = start.wall;
  icaltime_adjust(&wall, span.days, 0, 0, 0);
  return start.zone.to_utc(wall) + span.exact;
}

Span span_between(const TimeValue& start, const TimeValue& end) {
  Span span;
  if (start.is_date() && end.is_date())
    span.days = static_cast<int>((day_of(end.wall) - day_of(start.wall)).count());
  else
    span.exact = end.utc() - start.utc();
  if (span.days < 0 || span.exact < Millis(0)) throw TimeError("ends before it starts");
  return span;
}

Span span_of(const icaldurationtype& d) {
  if (d.is_neg) throw TimeError("has a negative DURATION");
  Span span;
  span.days = static_cast<int>(d.weeks * 7 + d.days);
  span.exact = std::chrono::hours(d.hours) + std::chrono::minutes(d.minutes) + std::chrono::seconds(d.seconds);
  return span;
}

std::string occurrence_id(Utc t) {
  return date::format("%Y%m%dT%H%M%SZ", std::chrono::floor<std::chrono::seconds>(t));
}

std::string iana_for_tzid(const std::string& tzid) {
  if (tzid.empty()) return "";
  if (is_known_zone(tzid)) return tzid;
  if (auto windows = iana_from_windows(tzid); !windows.empty()) return windows;
  // Prefixed names: try every suffix that follows a '/', the longest first.
  for (auto slash = tzid.find('/'); slash != std::string::npos; slash = tzid.find('/', slash + 1)) {
    const auto rest = tzid.substr(slash + 1);
    if (!rest.empty() && is_known_zone(rest)) return rest;
  }
  return "";
}

ZoneResolver::ZoneResolver(icalcomponent* calendar, const TimeZone& programme_zone)
    : calendar_(calendar), programme_zone_(programme_zone) {}

TimeValue ZoneResolver::read(icalproperty* property, icaltimetype value) {
  try {
    return read_value(property, value);
  } catch (const TimeError& e) {
    throw TimeError(std::string(icalproperty_kind_to_string(icalproperty_isa(property))) + " " + e.what());
  }
}

TimeValue ZoneResolver::read_value(icalproperty* property, icaltimetype value) {
  if (icaltime_is_null_time(value)) throw TimeError("has no readable time");
  check_valid(value);
  TimeValue out;
  out.wall = value;
  out.wall.zone = nullptr;
  out.wall.is_daylight = 0;
  // All-day values and floating times are in the programme's zone; a TZID on a DATE value
  // is meaningless (RFC 5545) and ignored.
  if (icaltime_is_utc(value) && !value.is_date) return out;
  icalparameter* tzid = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
  if (value.is_date || !tzid || !icalparameter_get_tzid(tzid)) {
    out.zone = EventZone::iana(programme_zone_);
    return out;
  }
  out.zone = zone_for(icalparameter_get_tzid(tzid));
  return out;
}

EventZone ZoneResolver::zone_for(const std::string& tzid) {
  if (auto it = cache_.find(tzid); it != cache_.end()) return it->second;
  EventZone zone;
  icaltimezone* vtimezone = calendar_ ? icalcomponent_get_timezone(calendar_, tzid.c_str()) : nullptr;
  std::string iana = iana_for_tzid(tzid);
  if (iana.empty() && vtimezone) {
    // Thunderbird and others name the zone in X-LIC-LOCATION under a custom TZID.
    const char* location = icaltimezone_get_location(vtimezone);
    if (location) iana = iana_for_tzid(location);
  }
  if (!iana.empty())
    zone = EventZone::iana(TimeZone(iana));
  else if (vtimezone)
    zone = EventZone::vtimezone(vtimezone);
  else
    throw TimeError("has an unknown time zone \"" + tzid + "\" (no VTIMEZONE, not an IANA or Windows name)");
  cache_.emplace(tzid, zone);
  return zone;
}

}  // namespace relais::calendar_detail
