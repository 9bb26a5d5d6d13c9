#include "bot/core/time.hpp"

#include <date/date.h>

namespace relais {

std::string format_utc(Utc t) { return date::format("%FT%TZ", t); }

Utc SystemClock::now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

}  // namespace relais
