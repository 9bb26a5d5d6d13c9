#pragma once
// Time points are UTC, in milliseconds. Logic never reads the system clock directly:
// it is given a Clock (or `now` as an argument), so tests move a simulated clock instead
// of waiting.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace relais {

using Millis = std::chrono::milliseconds;
using Utc = std::chrono::time_point<std::chrono::system_clock, Millis>;

inline std::int64_t to_epoch_ms(Utc t) { return t.time_since_epoch().count(); }
inline Utc from_epoch_ms(std::int64_t ms) { return Utc(Millis(ms)); }

// RFC 3339 in UTC with milliseconds: 2026-11-25T21:12:44.123Z
std::string format_utc(Utc t);

// Thread-safe: every implementation may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Utc now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Utc now() const override;
};

// A clock that moves only when told to: for tests and `relais simulate`.
class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(Utc start) : ms_(to_epoch_ms(start)) {}
  Utc now() const override { return from_epoch_ms(ms_.load()); }
  void set(Utc t) { ms_.store(to_epoch_ms(t)); }
  void advance(Millis d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> ms_;
};

// Another clock moved forward by an offset that only grows: the phone simulator's demo
// clock, which jumps to the next scheduled message while time keeps running.
class DemoClock final : public Clock {
 public:
  explicit DemoClock(const Clock& base) : base_(base) {}
  Utc now() const override { return base_.now() + Millis(offset_ms_.load()); }
  // Moves to `t` when it is ahead; never back.
  void advance_to(Utc t) {
    const auto ahead = (t - now()).count();
    if (ahead > 0) offset_ms_.fetch_add(ahead);
  }

 private:
  const Clock& base_;
  std::atomic<std::int64_t> offset_ms_{0};
};

}  // namespace relais
