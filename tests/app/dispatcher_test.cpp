// The dispatcher on a simulated clock, with an adapter that records what it is given.
#include <catch2/catch.hpp>

#include "bot/dispatcher.hpp"
#include "bot/engine.hpp"
#include "bot/outbox.hpp"
#include "support/configs.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

struct RecordingAdapter final : ChannelAdapter {
  std::string id_ = "console";
  std::vector<OutgoingMessage> seen;
  std::vector<SendOutcome> answers;  // in order; success when empty
  const std::string& id() const override { return id_; }
  Verdict verify(const WebhookRequest&) const override { return Verdict::accepted; }
  Result<std::vector<InboundEvent>> parse(const WebhookRequest&) const override {
    return std::vector<InboundEvent>{};
  }
  SendOutcome send(const OutgoingMessage& m) override {
    seen.push_back(m);
    if (answers.empty()) return SendOutcome::success("P" + std::to_string(m.id));
    auto a = answers.front();
    answers.erase(answers.begin());
    return a;
  }
};

struct Fixture {
  Config config = test::small_config();
  SimulatedClock clock{from_epoch_ms(1'790'000'000'000)};
  std::unique_ptr<Store> store = open_sqlite_store(":memory:");
  Engine engine{*store};
  RecordingAdapter adapter;
  Dispatcher dispatcher{engine, config, clock, {{"console", &adapter}}};

  std::int64_t queue(Draft d) {
    std::int64_t id = 0;
    engine.run([&](Store& s) { id = enqueue(s, config, d, clock.now()); });
    return id;
  }
  Draft draft(std::string channel = "console") {
    Draft d;
    d.channel = std::move(channel);
    d.recipient = "+33612345001";
    d.text = "Bonjour";
    d.kind = "reminder";
    d.not_before = clock.now();
    return d;
  }
  OutboxRow row(std::int64_t id) {
    OutboxRow r;
    engine.run([&](Store& s) { r = *s.outbox_row(id); });
    return r;
  }
};

}  // namespace

TEST_CASE("the dispatcher hands the adapter the template, its variables and when she last wrote", "[dispatcher]") {
  Fixture f;
  InboundMessage m;
  m.channel = "console";
  m.from = "+33612345001";
  m.text = "oui";
  m.provider_id = "in1";
  f.engine.run([&](Store& s) { (void)s.insert_inbound(m, std::nullopt, f.clock.now() - 2h); });
  auto d = f.draft();
  d.template_id = "reminder.day_before";
  d.variables = {{"first_name", "Amina"}, {"time", "14h"}};
  const auto id = f.queue(d);
  CHECK(f.dispatcher.dispatch_due() == 1);
  REQUIRE(f.adapter.seen.size() == 1);
  const auto& sent = f.adapter.seen[0];
  CHECK(sent.id == id);
  CHECK(sent.template_id == "reminder.day_before");
  CHECK(sent.variables.at("time") == "14h");
  CHECK(sent.last_inbound_at == f.clock.now() - 2h);
  CHECK(f.row(id).status == MessageStatus::sent);
  CHECK(f.row(id).provider_id == "P" + std::to_string(id));
}

TEST_CASE("a retryable failure waits with backoff, or longer when the gateway asks", "[dispatcher]") {
  Fixture f;
  f.adapter.answers = {SendOutcome::failure(SendError::unavailable, "503", "busy"),
                       SendOutcome::failure(SendError::rate_limited, "429", "slow down", 5min)};
  const auto id = f.queue(f.draft());
  f.dispatcher.dispatch_due();
  auto r = f.row(id);
  CHECK(r.status == MessageStatus::deferred);
  CHECK(r.reason == "retrying (unavailable): 503: busy");
  CHECK(r.not_before == f.clock.now() + 10s);
  CHECK(f.dispatcher.dispatch_due() == 0);  // not yet due
  f.clock.advance(10s);
  f.dispatcher.dispatch_due();
  r = f.row(id);
  CHECK(r.status == MessageStatus::deferred);
  CHECK(r.not_before == f.clock.now() + 5min);  // Retry-After beats the 20 s backoff
  f.clock.advance(5min);
  f.dispatcher.dispatch_due();
  CHECK(f.row(id).status == MessageStatus::sent);
  CHECK(f.row(id).attempts == 3);
}

TEST_CASE("a permanent failure, a late message and an unknown channel end without sending", "[dispatcher]") {
  Fixture f;
  f.adapter.answers = {SendOutcome::failure(SendError::invalid_recipient, "21211", "not a valid number")};
  const auto bad = f.queue(f.draft());
  auto late = f.draft();
  late.deadline = f.clock.now() - 1min;
  const auto too_late = f.queue(late);
  f.config.channels.push_back(f.config.channels[0]);
  f.config.channels.back().id = "whatsapp";  // configured, but no adapter runs for it
  const auto orphan = f.queue(f.draft("whatsapp"));
  f.dispatcher.dispatch_due();
  CHECK(f.row(bad).status == MessageStatus::failed);
  CHECK(f.row(bad).reason == "invalid_recipient: 21211: not a valid number");
  CHECK(f.row(too_late).status == MessageStatus::dropped);
  CHECK(f.row(orphan).status == MessageStatus::failed);
  CHECK(f.row(orphan).reason.find("not configured or not enabled") != std::string::npos);
  CHECK(f.adapter.seen.size() == 1);
}

TEST_CASE("retries stop after the last attempt", "[dispatcher]") {
  Fixture f;
  for (int i = 0; i < Dispatcher::kMaxAttempts; ++i)
    f.adapter.answers.push_back(SendOutcome::failure(SendError::network, "", "refused"));
  const auto id = f.queue(f.draft());
  for (int i = 0; i < Dispatcher::kMaxAttempts; ++i) {
    f.dispatcher.dispatch_due();
    f.clock.advance(2h);
  }
  CHECK(f.row(id).status == MessageStatus::failed);
  CHECK(f.row(id).attempts == Dispatcher::kMaxAttempts);
  CHECK(f.row(id).reason == "network: refused");
}
