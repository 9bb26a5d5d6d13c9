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

TimeZone::Local TimeZone::to_local(Utc t) const {
  const auto local = zone_->to_local(t);
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd(day);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  return Local{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
               static_cast<unsigned>(ymd.day()), date::weekday(day).c_encoding(),
               static_cast<int>(minutes)};
}

Utc TimeZone::from_local(int year, unsigned month, unsigned day, int minute_of_day) const {
  const date::local_days d{date::year{year} / date::month{month} / date::day{day}};
  const auto local = d + std::chrono::minutes(minute_of_day);
  const auto info = zone_->get_info(local);
  // In the spring gap, the offset before the change moves the time past it: 02:30 → 03:30.
  if (info.result == date::local_info::nonexistent)
    return std::chrono::time_point_cast<Millis>(date::sys_seconds{local.time_since_epoch()} - info.first.offset);
  return std::chrono::time_point_cast<Millis>(zone_->to_sys(local, date::choose::earliest));
}

int TimeZone::utc_offset_minutes(Utc t) const {
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(zone_->get_info(t).offset).count());
}

}  // namespace relais
