#include "scheduler/sending_window.hpp"

#include <date/date.h>

namespace relais {

Utc next_allowed_time(Utc t, const TimeZone& zone, const SendingWindow& window) {
  auto local = zone.to_local(t);
  auto allowed_day = [&](unsigned weekday) { return weekday != 0 || window.sunday_allowed; };
  if (allowed_day(local.weekday) && local.minute_of_day >= window.start_minute &&
      local.minute_of_day <= window.end_minute)
    return t;
  // Today's opening if it is still ahead, else the next allowed day's.
  date::sys_days day = date::sys_days{date::year{local.year} / date::month{local.month} / date::day{local.day}};
  if (local.minute_of_day > window.end_minute || !allowed_day(local.weekday) ||
      local.minute_of_day >= window.start_minute)
    day += date::days{1};
  while (!allowed_day(date::weekday(day).c_encoding())) day += date::days{1};
  const date::year_month_day ymd(day);
  return zone.from_local(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                         static_cast<unsigned>(ymd.day()), window.start_minute);
}

}  // namespace relais
