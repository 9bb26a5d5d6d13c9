#include "scheduler/sending_window.hpp"

#include <date/date.h>

#include <algorithm>
#include <stdexcept>

#include "scheduler/holidays.hpp"

namespace relais {
namespace {

// A window with no day would make every search below endless; a year without an allowed
// day (every allowed weekday a holiday) cannot happen, but the search is bounded anyway.
constexpr int kMaxDaysSearched = 400;

bool allowed_day(date::sys_days day, const SendingWindow& window) {
  if (!window.days.at(date::weekday(day).c_encoding())) return false;
  if (!window.skip_french_holidays) return true;
  const date::year_month_day ymd(day);
  return !is_french_public_holiday({static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                                    static_cast<unsigned>(ymd.day())});
}

date::sys_days local_day(const TimeZone::Local& local) {
  return date::sys_days{date::year{local.year} / date::month{local.month} / date::day{local.day}};
}

Utc at_minute(date::sys_days day, int minute, const TimeZone& zone) {
  const date::year_month_day ymd(day);
  return zone.from_local(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                         static_cast<unsigned>(ymd.day()), minute);
}

// The first allowed day at or after `day` (step +1) or at or before it (step -1).
date::sys_days find_allowed(date::sys_days day, int step, const SendingWindow& window) {
  if (std::none_of(window.days.begin(), window.days.end(), [](bool d) { return d; }))
    throw std::invalid_argument("a sending window needs at least one day");
  for (int i = 0; i < kMaxDaysSearched; ++i, day += date::days{step})
    if (allowed_day(day, window)) return day;
  throw std::invalid_argument("no allowed day in the sending window for a year");
}

bool inside(const TimeZone::Local& local, const SendingWindow& window) {
  return allowed_day(local_day(local), window) && local.minute_of_day >= window.start_minute &&
         local.minute_of_day <= window.end_minute;
}

}  // namespace

Utc next_allowed_time(Utc t, const TimeZone& zone, const SendingWindow& window) {
  const auto local = zone.to_local(t);
  if (inside(local, window)) return t;
  // Today's opening if it is still ahead on an allowed day, else the next allowed day's.
  date::sys_days day = local_day(local);
  if (!(allowed_day(day, window) && local.minute_of_day < window.start_minute)) day += date::days{1};
  return at_minute(find_allowed(day, +1, window), window.start_minute, zone);
}

Utc previous_allowed_time(Utc t, const TimeZone& zone, const SendingWindow& window) {
  const auto local = zone.to_local(t);
  if (inside(local, window)) return t;
  // Today's closing if it is already past on an allowed day, else the previous allowed day's.
  date::sys_days day = local_day(local);
  if (!(allowed_day(day, window) && local.minute_of_day > window.end_minute)) day -= date::days{1};
  const Utc closing = at_minute(find_allowed(day, -1, window), window.end_minute, zone);
  // The closing minute itself is allowed: its last second, but never after `t`.
  return std::min(t, closing);
}

Utc next_day_opening(Utc t, const TimeZone& zone, const SendingWindow& window) {
  return at_minute(find_allowed(local_day(zone.to_local(t)) + date::days{1}, +1, window), window.start_minute, zone);
}

}  // namespace relais
