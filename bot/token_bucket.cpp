#include "bot/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace relais {

TokenBucket::TokenBucket(double rate_per_second, int burst)
    : rate_(rate_per_second / 1000.0), capacity_(std::max(1, burst)), tokens_(capacity_) {}

void TokenBucket::refill(Utc now) {
  if (!started_ || now < last_) {  // first use, or a clock set back: start from here
    started_ = true;
    last_ = now;
    return;
  }
  tokens_ = std::min(capacity_, tokens_ + static_cast<double>((now - last_).count()) * rate_);
  last_ = now;
}

bool TokenBucket::try_take(Utc now) {
  refill(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

Utc TokenBucket::next_token_at(Utc now) {
  refill(now);
  if (tokens_ >= 1.0) return now;
  return now + Millis(static_cast<Millis::rep>(std::ceil((1.0 - tokens_) / rate_)));
}

}  // namespace relais
