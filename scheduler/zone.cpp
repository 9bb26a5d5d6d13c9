#include "scheduler/zone.hpp"

#include <date/tz.h>

namespace relais {

TimeZone::TimeZone(const std::string& iana_name) : name_(iana_name) {
  try {
    zone_ = date::locate_zone(iana_name);
  } catch (const std::runtime_error&) {
    throw std::invalid_argument("unknown time zone \"" + iana_name + "\"");
  }
}

Utc TimeZone::start_of_local_day(Utc t) const {
  auto local = zone_->to_local(t);
  auto midnight = date::floor<date::days>(local);
  auto info = zone_->get_info(midnight);
  // Midnight skipped by a DST jump: the day starts at the end of the gap.
  if (info.result == date::local_info::nonexistent) return std::chrono::time_point_cast<Millis>(info.first.end);
  return std::chrono::time_point_cast<Millis>(zone_->to_sys(midnight, date::choose::earliest));
}

std::string TimeZone::format_local(Utc t) const {
  auto zoned = date::make_zoned(zone_, std::chrono::time_point_cast<std::chrono::seconds>(t));
  return date::format("%FT%T%Ez", zoned);
}

int TimeZone::utc_offset_minutes(Utc t) const {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(zone_->get_info(t).offset).count());
}

}  // namespace relais
