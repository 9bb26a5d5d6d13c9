#pragma once
// Figures from the times a fake gateway received requests: the rate between the first
// and the last, and the most that arrived within any one second (what a rate limit caps).
#include <chrono>
#include <cstddef>
#include <vector>

namespace relais::bench {

using Instant = std::chrono::steady_clock::time_point;

struct RateFigures {
  std::size_t count = 0;
  double seconds = 0;           // first to last arrival
  double per_second = 0;        // (count - 1) / seconds: the intervals between arrivals
  std::size_t max_in_one_second = 0;  // the most arrivals within any window of 1 s
};

// `arrivals` in any order.
RateFigures rate_of(std::vector<Instant> arrivals);

}  // namespace relais::bench
