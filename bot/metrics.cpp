#include "bot/metrics.hpp"

#include <set>
#include <sstream>

namespace relais {

void Metrics::observe_request(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  ++latency_count_;
  latency_sum_ += seconds;
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++bucket_counts_[i];
}

void Metrics::count(const std::string& name, const std::string& labels) {
  std::lock_guard lock(mutex_);
  ++counters_[{name, labels}];
}

std::string Metrics::render(const std::map<std::string, double>& gauges) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP relais_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE relais_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "relais_http_requests_total{route=\"" << key.first << "\",code=\"" << key.second
        << "\"} " << n << "\n";
  out << "# HELP relais_http_request_duration_seconds Time from a request's arrival to its answer.\n"
         "# TYPE relais_http_request_duration_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    out << "relais_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
        << bucket_counts_[i] << "\n";
  out << "relais_http_request_duration_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n"
      << "relais_http_request_duration_seconds_sum " << latency_sum_ << "\n"
      << "relais_http_request_duration_seconds_count " << latency_count_ << "\n";
  std::set<std::string> typed;
  for (const auto& [key, n] : counters_) {
    if (typed.insert(key.first).second) out << "# TYPE relais_" << key.first << " counter\n";
    out << "relais_" << key.first;
    if (!key.second.empty()) out << "{" << key.second << "}";
    out << " " << n << "\n";
  }
  for (const auto& [name, value] : gauges) {
    const std::string base = name.substr(0, name.find('{'));
    if (typed.insert(base).second) out << "# TYPE relais_" << base << " gauge\n";
    out << "relais_" << name << " " << value << "\n";
  }
  return out.str();
}

}  // namespace relais
