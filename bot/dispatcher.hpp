#pragma once
// The dispatcher hands due outbox rows to their channel's adapter and records the outcome.
//
// Claiming is one engine step (the single writer): each due row is judged by the
// DeliveryPolicy (opted out, failing number, deadline, sending window, daily cap), then
// taken only when its channel's token bucket allows (rate_per_second, burst), and marked
// `sending`. The claimed rows go to a queue that `dispatcher.concurrency` worker threads
// send from, outside any transaction, while the next batch is claimed; each worker records
// its outcome (an engine step, group-committed with the others) before it takes another
// row, so that at most `concurrency` rows are ever sent but not yet recorded — the copies a
// crash can cause (rows left `sending`, sent or still queued, go again at start, with the
// same idempotency key).
//
// Outcomes: `sent` with the provider id; a transient error is `deferred` with exponential
// backoff and jitter (or the gateway's Retry-After when longer) until max_attempts or
// max_retry_hours, then `failed`; a permanent error tries the channel's `fallback` when
// she has an address there, else is `failed` — a wrong number is marked on her record and
// shown to coaches (alert "failing_number").
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/channel.hpp"
#include "bot/config/config.hpp"
#include "bot/core/time.hpp"
#include "bot/delivery_policy.hpp"
#include "bot/engine.hpp"
#include "bot/token_bucket.hpp"
#include "scheduler/zone.hpp"

namespace relais {

class Dispatcher {
 public:
  Dispatcher(Engine& engine, const Config& config, const Clock& clock, const TimeZone& zone,
             std::map<std::string, ChannelAdapter*> adapters);
  ~Dispatcher();  // stop()

  // Sends everything that is due and allowed now, until nothing more can leave (rows held
  // by a rate limit wait for the next call); returns the rows settled (sent, retried,
  // failed, dropped or set to wait). Call from one thread at a time.
  int dispatch_due();
  // Runs dispatch_due() on a thread of its own: every poll interval, when a rate limit
  // frees a token, or at once on notify().
  void start();
  void notify();
  void stop();

  // Delay before attempt `attempts + 1` of row `row_id`: 10 s, 20 s, 40 s, … capped at one
  // hour, spread by ±20 % (fixed for a given row and attempt, so tests can bound it).
  static Millis retry_delay(int attempts, std::int64_t row_id);

 private:
  struct Claimed {
    OutboxRow row;
    std::optional<Utc> last_inbound_at;  // WhatsApp's 24-hour window
  };
  struct Claim {
    std::vector<Claimed> rows;  // to send now
    int settled = 0;            // rows set to wait, dropped or failed without a send
  };
  struct Outcome;

  Claim claim();
  void start_workers();
  void stop_workers();
  void work();
  Outcome send_one(const Claimed& claimed) const;
  void record(const Claimed& claimed, const Outcome& outcome);
  TokenBucket& bucket(const std::string& channel);
  void loop();

  Engine& engine_;
  const Config& config_;
  const Clock& clock_;
  DeliveryPolicy policy_;
  std::map<std::string, ChannelAdapter*> adapters_;
  std::map<std::string, TokenBucket> buckets_;  // by channel id; touched in claim() only
  std::optional<Utc> next_token_;               // when a rate-limited row may go
  std::string install_id_;                      // read from the database once
  // The workers' queue: claimed rows waiting to be sent.
  std::mutex queue_mutex_;
  std::condition_variable work_ready_;  // a row was queued, or the workers must stop
  std::condition_variable work_done_;   // a row was sent and recorded
  std::deque<Claimed> queue_;
  int busy_ = 0;                        // rows being sent or recorded
  bool workers_stopping_ = false;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool notified_ = false;
  std::thread thread_;
};

}  // namespace relais
