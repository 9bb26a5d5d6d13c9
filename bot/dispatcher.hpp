#pragma once
// The dispatcher claims due outbox rows, sends each through its channel's adapter and
// records the outcome. Claims and outcomes are engine steps (the single writer); the
// gateway calls happen outside any transaction. Transient failures are retried with
// exponential backoff; after `max_attempts` the row is failed with its reason.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "adapters/channel.hpp"
#include "bot/config/config.hpp"
#include "bot/core/time.hpp"
#include "bot/engine.hpp"

namespace relais {

class Dispatcher {
 public:
  Dispatcher(Engine& engine, const Config& config, const Clock& clock,
             std::map<std::string, ChannelAdapter*> adapters);
  ~Dispatcher();  // stop()

  // Sends what is due now, one batch at a time until none is left; returns rows handled.
  // Call from one thread at a time (the dispatcher's own, or a CLI verb).
  int dispatch_due();
  // Runs dispatch_due() on a thread of its own every poll interval, or sooner on notify().
  void start();
  void notify();
  void stop();

  static constexpr int kMaxAttempts = 5;
  // Delay before attempt `attempts + 1`: 10 s, 20 s, 40 s, … capped at one hour.
  static Millis retry_delay(int attempts);

 private:
  void loop();

  Engine& engine_;
  const Config& config_;
  const Clock& clock_;
  std::map<std::string, ChannelAdapter*> adapters_;
  std::string install_id_;  // read from the database once
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool notified_ = false;
  std::thread thread_;
};

}  // namespace relais
