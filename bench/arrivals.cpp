#include "bench/arrivals.hpp"

#include <algorithm>

namespace relais::bench {

RateFigures rate_of(std::vector<Instant> arrivals) {
  RateFigures f;
  f.count = arrivals.size();
  if (arrivals.empty()) return f;
  std::sort(arrivals.begin(), arrivals.end());
  f.seconds = std::chrono::duration<double>(arrivals.back() - arrivals.front()).count();
  if (f.count > 1 && f.seconds > 0) f.per_second = static_cast<double>(f.count - 1) / f.seconds;
  // Each window starts at an arrival; `end` runs ahead to the first one a second later.
  std::size_t end = 0;
  for (std::size_t start = 0; start < arrivals.size(); ++start) {
    while (end < arrivals.size() && arrivals[end] - arrivals[start] < std::chrono::seconds(1)) ++end;
    f.max_in_one_second = std::max(f.max_in_one_second, end - start);
  }
  return f;
}

}  // namespace relais::bench
