#pragma once
// A token bucket: `rate` tokens a second, holding at most `burst`. Over any span of T
// seconds at most burst + rate × T messages leave, so no single second exceeds
// rate + burst and a 10-second window stays within burst/10 of the rate.
// Time is passed in (the dispatcher's clock). Not thread-safe: one dispatcher owns it.
#include "bot/core/time.hpp"

namespace relais {

class TokenBucket {
 public:
  TokenBucket(double rate_per_second, int burst);

  // Takes a token if one is there at `now`.
  bool try_take(Utc now);
  // When the next token will be there (`now` when one is).
  Utc next_token_at(Utc now);

 private:
  void refill(Utc now);

  double rate_;      // tokens per millisecond
  double capacity_;
  double tokens_;
  Utc last_{};
  bool started_ = false;
};

}  // namespace relais
