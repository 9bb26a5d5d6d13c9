#include "scheduler/sending_window.hpp"

#include <date/date.h>

#include <algorithm>
#include <stdexcept>

namespace relais {
namespace {

// The window's opening on `day`, or on the first allowed day after it.
Utc opening_on_or_after(date::sys_days day, const TimeZone& zone, const SendingWindow& window) {
  if (std::none_of(window.days.begin(), window.days.end(), [](bool d) { return d; }))
    throw std::invalid_argument("a sending window needs at least one day");
  while (!window.days.at(date::weekday(day).c_encoding())) day += date::days{1};
  const date::year_month_day ymd(day);
  return zone.from_local(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                         static_cast<unsigned>(ymd.day()), window.start_minute);
}

}  // namespace

Utc next_allowed_time(Utc t, const TimeZone& zone, const SendingWindow& window) {
  auto local = zone.to_local(t);
  auto allowed_day = [&](unsigned weekday) { return window.days.at(weekday % 7); };
  if (allowed_day(local.weekday) && local.minute_of_day >= window.start_minute &&
      local.minute_of_day <= window.end_minute)
    return t;
  // Today's opening if it is still ahead, else the next allowed day's.
  date::sys_days day = date::sys_days{date::year{local.year} / date::month{local.month} / date::day{local.day}};
  if (local.minute_of_day > window.end_minute || !allowed_day(local.weekday) ||
      local.minute_of_day >= window.start_minute)
    day += date::days{1};
  return opening_on_or_after(day, zone, window);
}

Utc next_day_opening(Utc t, const TimeZone& zone, const SendingWindow& window) {
  auto local = zone.to_local(t);
  date::sys_days day = date::sys_days{date::year{local.year} / date::month{local.month} / date::day{local.day}};
  return opening_on_or_after(day + date::days{1}, zone, window);
}

}  // namespace relais
