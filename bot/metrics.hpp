#pragma once
// Counters and a latency histogram for /metrics (Prometheus text format 0.0.4).
// Thread-safe.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace relais {

class Metrics {
 public:
  void observe_request(const std::string& route, int status, double seconds);
  void count(const std::string& name, const std::string& labels = "");  // e.g. webhook_rejected_total, channel="x"

  // Renders what was counted, plus `gauges` (name{labels} → value) measured by the caller.
  std::string render(const std::map<std::string, double>& gauges) const;

  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0};

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> counters_;
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
};

}  // namespace relais
