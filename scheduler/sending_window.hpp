#pragma once
// When the service may send on its own. One set of functions serves the planner, the
// dialogs' nudges and timeouts, and the dispatcher. The default: Monday to Saturday,
// 09:00 to 19:30 local time, both ends allowed, never on a French public holiday.
#include <array>

#include "bot/core/time.hpp"
#include "scheduler/zone.hpp"

namespace relais {

struct SendingWindow {
  int start_minute = 9 * 60;          // 09:00
  int end_minute = 19 * 60 + 30;      // 19:30
  // Allowed weekdays, index 0 = Sunday … 6 = Saturday (date's c_encoding).
  std::array<bool, 7> days = {false, true, true, true, true, true, true};
  bool skip_french_holidays = true;
};

// `t` itself when it is inside the window, else the window's next opening.
Utc next_allowed_time(Utc t, const TimeZone& zone, const SendingWindow& window = {});
// `t` itself when it is inside the window, else the latest allowed minute before it (the
// previous allowed day's closing): a reminder moves earlier, never after its session.
Utc previous_allowed_time(Utc t, const TimeZone& zone, const SendingWindow& window = {});
// The window's first opening on a later local day than `t`'s (a message held back by the
// daily cap waits for it).
Utc next_day_opening(Utc t, const TimeZone& zone, const SendingWindow& window = {});

}  // namespace relais
