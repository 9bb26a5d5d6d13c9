#include "bot/dispatcher.hpp"

#include <algorithm>

#include "bot/log.hpp"

namespace relais {

struct SendResult {
  std::int64_t id;
  MessageStatus status;
  std::string reason;
  std::string provider_id;
  std::optional<Utc> retry_at;
};

Dispatcher::Dispatcher(Engine& engine, const Config& config, const Clock& clock,
                       std::map<std::string, ChannelAdapter*> adapters)
    : engine_(engine), config_(config), clock_(clock), adapters_(std::move(adapters)) {}

Dispatcher::~Dispatcher() { stop(); }

Millis Dispatcher::retry_delay(int attempts) {
  const int exponent = std::clamp(attempts - 1, 0, 20);
  return std::min<Millis>(Millis(10'000) * (1LL << exponent), Millis(3'600'000));
}

int Dispatcher::dispatch_due() {
  int handled = 0;
  for (;;) {
    std::vector<OutboxRow> rows;
    std::map<std::int64_t, Utc> last_inbound;  // by row id: WhatsApp's 24-hour window
    const Utc now = clock_.now();
    engine_.run([&](Store& s) {
      if (install_id_.empty()) install_id_ = s.install_id();
      rows = s.claim_due(now, config_.dispatcher.batch_size);
      for (const auto& row : rows)
        if (auto at = s.last_inbound_at(row.channel, row.recipient)) last_inbound[row.id] = *at;
    });
    if (rows.empty()) return handled;

    std::vector<SendResult> results;
    for (const auto& row : rows) {
      SendResult r{row.id, MessageStatus::sent, "", "", std::nullopt};
      auto adapter = adapters_.find(row.channel);
      if (row.deadline && clock_.now() > *row.deadline) {
        r.status = MessageStatus::dropped;
        r.reason = "too late: its deadline has passed";
      } else if (adapter == adapters_.end()) {
        r.status = MessageStatus::failed;
        r.reason = "channel \"" + row.channel + "\" is not configured or not enabled";
      } else {
        OutgoingMessage message;
        message.id = row.id;
        message.idempotency_key = install_id_ + "-" + std::to_string(row.id);
        message.channel = row.channel;
        message.to = row.recipient;
        message.text = row.text;
        message.template_id = row.template_id;
        message.variables = row.variables;
        message.now = clock_.now();
        if (auto it = last_inbound.find(row.id); it != last_inbound.end()) message.last_inbound_at = it->second;
        const SendOutcome out = adapter->second->send(message);
        const std::string why = out.error_code.empty()
                                    ? out.error_text
                                    : out.error_code + ": " + out.error_text;
        if (out.ok) {
          r.provider_id = out.provider_id;
        } else if (is_retryable(out.error) && row.attempts < kMaxAttempts) {
          r.status = MessageStatus::deferred;
          r.reason = std::string("retrying (") + std::string(to_string(out.error)) + "): " + why;
          r.retry_at = clock_.now() + std::max(retry_delay(row.attempts), out.retry_after.value_or(Millis(0)));
        } else {
          r.status = MessageStatus::failed;
          r.reason = std::string(to_string(out.error)) + ": " + why;
        }
      }
      log::info("outbox.result", {{"id", std::to_string(row.id)},
                                  {"channel", row.channel},
                                  {"to", row.recipient},
                                  {"status", std::string(to_string(r.status))},
                                  {"reason", r.reason}});
      results.push_back(std::move(r));
    }
    const Utc done_at = clock_.now();
    engine_.run([&](Store& s) {
      for (const auto& r : results) {
        s.set_outbox_status(r.id, r.status, r.reason, r.provider_id, done_at);
        if (r.retry_at) s.defer_outbox(r.id, *r.retry_at);
      }
    });
    handled += static_cast<int>(rows.size());
  }
}

void Dispatcher::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Dispatcher::notify() {
  std::lock_guard lock(mutex_);
  notified_ = true;
  wake_.notify_one();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Dispatcher::loop() {
  const auto interval = std::chrono::milliseconds(config_.dispatcher.poll_interval_ms);
  for (;;) {
    try {
      dispatch_due();
    } catch (const std::exception& e) {
      // A busy database (a CLI import holding the lock) or a failing disk: try again later.
      log::warn("dispatcher.error", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, interval, [&] { return stopping_ || notified_; });
    notified_ = false;
    if (stopping_) return;
  }
}

}  // namespace relais
