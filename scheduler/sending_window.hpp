#pragma once
// When the service may send on its own. One function serves the dialogs' nudges and
// timeouts, and later the scheduler and the dispatcher. The default: Monday to Saturday,
// 09:00 to 19:30 local time, both ends allowed. (Public holidays come with the scheduler.)
#include "bot/core/time.hpp"
#include "scheduler/zone.hpp"

namespace relais {

struct SendingWindow {
  int start_minute = 9 * 60;          // 09:00
  int end_minute = 19 * 60 + 30;      // 19:30
  bool sunday_allowed = false;
};

// `t` itself when it is inside the window, else the window's next opening.
Utc next_allowed_time(Utc t, const TimeZone& zone, const SendingWindow& window = {});

}  // namespace relais
