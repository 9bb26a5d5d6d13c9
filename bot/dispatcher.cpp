#include "bot/dispatcher.hpp"

#include <algorithm>
#include <functional>

#include "bot/config/channel_types.hpp"
#include "bot/log.hpp"

namespace relais {

struct Dispatcher::Outcome {
  MessageStatus status = MessageStatus::sent;
  std::string reason;
  std::string provider_id;
  std::optional<Utc> retry_at;
  SendError error = SendError::none;
};

namespace {

// Where she can be reached on `channel`: her linked address there, else her phone on a
// channel that addresses people by phone.
std::optional<std::string> address_on(Store& s, const ChannelConfig& channel, std::int64_t participant_id) {
  if (auto address = s.address_of(participant_id, channel.id)) return address;
  if (channel.type == "telegram") return std::nullopt;
  if (auto p = s.find_participant(participant_id)) return p->phone;
  return std::nullopt;
}

}  // namespace

Dispatcher::Dispatcher(Engine& engine, const Config& config, const Clock& clock, const TimeZone& zone,
                       std::map<std::string, ChannelAdapter*> adapters)
    : engine_(engine),
      config_(config),
      clock_(clock),
      policy_(zone, sending_window(config), config.dispatcher.daily_cap),
      adapters_(std::move(adapters)) {}

Dispatcher::~Dispatcher() {
  stop();
  stop_workers();
}

Millis Dispatcher::retry_delay(int attempts, std::int64_t row_id) {
  const int exponent = std::clamp(attempts - 1, 0, 20);
  const auto base = std::min<Millis>(Millis(10'000) * (1LL << exponent), Millis(3'600'000));
  // Jitter from the row and the attempt: rows that failed together do not retry together.
  const auto spread = std::hash<std::int64_t>{}(row_id * 131 + attempts) % 401;  // 0 … 400
  return Millis(base.count() * (800 + static_cast<long long>(spread)) / 1000);
}

TokenBucket& Dispatcher::bucket(const std::string& channel) {
  auto it = buckets_.find(channel);
  if (it == buckets_.end()) {
    const ChannelConfig* c = config_.find_channel(channel);
    it = buckets_.emplace(channel, TokenBucket(c ? c->rate_per_second : 1, c ? c->burst : 1)).first;
  }
  return it->second;
}

int Dispatcher::dispatch_due() {
  start_workers();
  const auto batch = static_cast<std::size_t>(config_.dispatcher.batch_size);
  int handled = 0;
  // Rounds of claims until one finds nothing: an outcome recorded during a round (a row
  // sent again on a fallback channel) may make a row due again.
  for (bool claimed = true; claimed;) {
    claimed = false;
    for (;;) {
      {
        // Claim ahead while the workers have less than a batch left: they never wait for a claim.
        std::unique_lock lock(queue_mutex_);
        work_done_.wait(lock, [&] { return queue_.size() < batch; });
      }
      Claim c = claim();
      handled += c.settled + static_cast<int>(c.rows.size());
      if (c.rows.empty() && c.settled == 0) break;
      claimed = true;
      {
        std::lock_guard lock(queue_mutex_);
        for (auto& row : c.rows) queue_.push_back(std::move(row));
      }
      work_ready_.notify_all();
    }
    std::unique_lock lock(queue_mutex_);
    work_done_.wait(lock, [&] { return queue_.empty() && busy_ == 0; });
  }
  return handled;
}

void Dispatcher::start_workers() {
  if (!workers_.empty()) return;
  for (int i = 0; i < config_.dispatcher.concurrency; ++i) workers_.emplace_back([this] { work(); });
}

void Dispatcher::stop_workers() {
  {
    std::lock_guard lock(queue_mutex_);
    workers_stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

void Dispatcher::work() {
  for (;;) {
    Claimed row;
    {
      std::unique_lock lock(queue_mutex_);
      work_ready_.wait(lock, [&] { return workers_stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left that was claimed
      row = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    const Outcome outcome = send_one(row);
    try {
      record(row, outcome);
    } catch (const std::exception& e) {
      // The row stays `sending`: it is sent again after a restart (at-least-once).
      log::error("outbox.record_failed", {{"id", std::to_string(row.row.id)}, {"error", e.what()}});
    }
    {
      std::lock_guard lock(queue_mutex_);
      --busy_;
    }
    work_done_.notify_all();
  }
}

Dispatcher::Claim Dispatcher::claim() {
  Claim out;
  const int batch = config_.dispatcher.batch_size;
  engine_.run([&](Store& s) {
    out = {};
    next_token_.reset();
    if (install_id_.empty()) install_id_ = s.install_id();
    const Utc now = clock_.now();
    // Read beyond one batch, so that rows held by one channel's rate do not hide the others.
    const auto due = s.due_rows(now, batch * 2);
    const auto [day_start, day_end] = policy_.local_day(now);
    const auto verdicts = policy_.judge(due, now, [&](std::int64_t participant) {
      ParticipantDay day;
      day.handed_over = s.count_service_handed_over(participant, day_start, day_end);
      for (const auto& kind : s.service_kinds_due(participant, now, day_end)) day.due_later.push_back(priority_of(kind));
      return day;
    });
    for (std::size_t i = 0; i < due.size(); ++i) {
      const OutboxRow& row = due[i].row;
      const DeliveryVerdict& v = verdicts[i];
      switch (v.action) {
        case DeliveryVerdict::Action::wait:
          s.set_outbox_status(row.id, MessageStatus::deferred, v.reason, "", now);
          s.defer_outbox(row.id, v.until);
          ++out.settled;
          continue;
        case DeliveryVerdict::Action::drop:
        case DeliveryVerdict::Action::fail:
          s.set_outbox_status(row.id, v.action == DeliveryVerdict::Action::drop ? MessageStatus::dropped : MessageStatus::failed,
                              v.reason, "", now);
          log::info("outbox.result", {{"id", std::to_string(row.id)}, {"channel", row.channel}, {"to", row.recipient},
                                      {"status", v.action == DeliveryVerdict::Action::drop ? "dropped" : "failed"},
                                      {"reason", v.reason}});
          ++out.settled;
          continue;
        case DeliveryVerdict::Action::send:
          break;
      }
      if (static_cast<int>(out.rows.size()) >= batch) continue;
      if (!adapters_.count(row.channel)) {
        s.set_outbox_status(row.id, MessageStatus::failed,
                            "channel \"" + row.channel + "\" is not configured or not enabled", "", now);
        ++out.settled;
        continue;
      }
      TokenBucket& b = bucket(row.channel);
      if (!b.try_take(now)) {
        const Utc at = b.next_token_at(now);
        next_token_ = next_token_ ? std::min(*next_token_, at) : at;
        continue;
      }
      s.mark_sending(row.id, now);
      // WhatsApp's 24-hour window needs when she last wrote; other channels do not.
      const ChannelConfig* channel = config_.find_channel(row.channel);
      Claimed c{row, channel && channel->type == "whatsapp" ? s.last_inbound_at(row.channel, row.recipient, row.participant_id)
                                                             : std::nullopt};
      c.row.status = MessageStatus::sending;
      ++c.row.attempts;
      out.rows.push_back(std::move(c));
    }
  });
  return out;
}

Dispatcher::Outcome Dispatcher::send_one(const Claimed& claimed) const {
  const OutboxRow& row = claimed.row;
  OutgoingMessage message;
  message.id = row.id;
  message.idempotency_key = install_id_ + "-" + std::to_string(row.id);
  message.channel = row.channel;
  message.to = row.recipient;
  message.text = row.text;
  message.template_id = row.template_id;
  message.variables = row.variables;
  message.now = clock_.now();
  message.last_inbound_at = claimed.last_inbound_at;
  const SendOutcome sent = adapters_.at(row.channel)->send(message);
  Outcome out;
  if (sent.ok) {
    out.provider_id = sent.provider_id;
    return out;
  }
  out.error = sent.error;
  const std::string why = sent.error_code.empty() ? sent.error_text : sent.error_code + ": " + sent.error_text;
  const Utc now = clock_.now();
  const bool too_old = now - row.created_at >= std::chrono::hours(config_.dispatcher.max_retry_hours);
  if (is_retryable(sent.error) && row.attempts < config_.dispatcher.max_attempts && !too_old) {
    out.status = MessageStatus::deferred;
    out.reason = std::string("retrying (") + std::string(to_string(sent.error)) + "): " + why;
    out.retry_at = now + std::max(retry_delay(row.attempts, row.id), sent.retry_after.value_or(Millis(0)));
  } else if (is_retryable(sent.error)) {
    out.status = MessageStatus::failed;
    out.reason = "gave up after " + std::to_string(row.attempts) + " attempt(s)" +
                 (too_old ? " and " + std::to_string(config_.dispatcher.max_retry_hours) + " hours" : "") + ": " +
                 std::string(to_string(sent.error)) + ": " + why;
  } else {
    out.status = MessageStatus::failed;
    out.reason = std::string(to_string(sent.error)) + ": " + why;
  }
  return out;
}

void Dispatcher::record(const Claimed& claimed, const Outcome& outcome) {
  const OutboxRow& row = claimed.row;
  std::string status(to_string(outcome.status));
  std::string reason = outcome.reason;
  engine_.run([&](Store& s) {
    const Utc now = clock_.now();
    s.set_outbox_status(row.id, outcome.status, outcome.reason, outcome.provider_id, now);
    if (outcome.retry_at) s.defer_outbox(row.id, *outcome.retry_at);
    if (outcome.status != MessageStatus::failed || !row.participant_id || is_retryable(outcome.error)) return;
    // A permanent failure: another channel where she can be reached, if the config says so.
    const ChannelConfig* channel = config_.find_channel(row.channel);
    const ChannelConfig* fallback = channel && !channel->fallback.empty() ? config_.find_channel(channel->fallback) : nullptr;
    if (fallback && outcome.error != SendError::blocked && adapters_.count(fallback->id))
      if (auto address = address_on(s, *fallback, *row.participant_id)) {
        reason = "sent again on " + fallback->id + " after " + outcome.reason;
        s.reroute_outbox(row.id, fallback->id, *address, row.segments * fallback->price_per_segment_eur, reason, now);
        status = "rerouted";
        return;
      }
    // A wrong number: not tried again, and her coach is told once.
    if (outcome.error == SendError::invalid_recipient && s.mark_number_failing(*row.participant_id, now)) {
      auto who = s.find_participant(*row.participant_id);
      s.add_alert({.kind = "failing_number", .participant_id = row.participant_id,
                   .cohort = who ? who->cohort : "", .detail = "channel " + row.channel + ": " + outcome.reason},
                  now);
    }
  });
  log::info("outbox.result", {{"id", std::to_string(row.id)}, {"channel", row.channel}, {"to", row.recipient},
                              {"status", status}, {"reason", reason}});
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
    auto wait = interval;
    try {
      dispatch_due();
      // A row held by a rate limit goes as soon as its channel has a token again.
      if (next_token_) wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*next_token_ - clock_.now()),
                                         std::chrono::milliseconds(1), interval);
    } catch (const std::exception& e) {
      // A busy database (a CLI import holding the lock) or a failing disk: try again later.
      log::warn("dispatcher.error", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait, [&] { return stopping_ || notified_; });
    notified_ = false;
    if (stopping_) return;
  }
}

}  // namespace relais
