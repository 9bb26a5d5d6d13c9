// The dispatcher on a simulated clock, with an adapter that records what it is given.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "bot/dispatcher.hpp"
#include "bot/engine.hpp"
#include "bot/outbox.hpp"
#include "support/configs.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

struct RecordingAdapter final : ChannelAdapter {
  explicit RecordingAdapter(std::string id = "console") : id_(std::move(id)) {}
  std::string id_;
  std::mutex mutex;
  std::vector<OutgoingMessage> seen;
  std::vector<SendOutcome> answers;  // in order; success when empty
  std::chrono::milliseconds delay{0};
  std::atomic<int> in_flight{0}, most_in_flight{0};
  const std::string& id() const override { return id_; }
  Verdict verify(const WebhookRequest&) const override { return Verdict::accepted; }
  Result<std::vector<InboundEvent>> parse(const WebhookRequest&) const override {
    return std::vector<InboundEvent>{};
  }
  SendOutcome send(const OutgoingMessage& m) override {
    const int now_in_flight = ++in_flight;
    for (int seen_most = most_in_flight; now_in_flight > seen_most && !most_in_flight.compare_exchange_weak(seen_most, now_in_flight);) {}
    if (delay.count()) std::this_thread::sleep_for(delay);
    std::lock_guard lock(mutex);
    --in_flight;
    seen.push_back(m);
    if (answers.empty()) return SendOutcome::success("P" + std::to_string(m.id));
    auto a = answers.front();
    answers.erase(answers.begin());
    return a;
  }
};

// Monday 7 December 2026, 10:00 in Paris: inside the sending window.
const Utc kMonday10h = from_epoch_ms(1'796'634'000'000);

Config fixture_config() {
  Config c = test::small_config();
  c.dispatcher.concurrency = 1;  // answers in order; concurrency has its own test
  c.sending_window = {};         // the programme's default: Monday–Saturday, 9:00–19:30
  return c;
}

struct Fixture {
  Config config = fixture_config();
  SimulatedClock clock{kMonday10h};
  TimeZone zone{"Europe/Paris"};
  std::unique_ptr<Store> store = open_sqlite_store(":memory:");
  Engine engine{*store};
  RecordingAdapter adapter;
  std::unique_ptr<Dispatcher> dispatcher = std::make_unique<Dispatcher>(
      engine, config, clock, zone, std::map<std::string, ChannelAdapter*>{{"console", &adapter}});

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
  // A participant's message of `kind`, started by the service.
  Draft to(std::int64_t participant, const std::string& kind) {
    Draft d = draft();
    d.participant_id = participant;
    d.kind = kind;
    return d;
  }
  std::int64_t enrol(const std::string& name, const std::string& phone) {
    std::int64_t id = 0;
    engine.run([&](Store& s) {
      s.upsert_participants({test::participant(name, phone)}, clock.now());
      id = s.find_participant_by_phone(phone)->id;
    });
    return id;
  }
  OutboxRow row(std::int64_t id) {
    OutboxRow r;
    engine.run([&](Store& s) { r = *s.outbox_row(id); });
    return r;
  }
  int dispatch() { return dispatcher->dispatch_due(); }
};

}  // namespace

TEST_CASE("the dispatcher hands the adapter the template, its variables and when she last wrote", "[dispatcher]") {
  Fixture f;
  f.config.channels[0].type = "whatsapp";  // when she last wrote: WhatsApp's 24-hour window
  InboundMessage m;
  m.channel = "console";
  m.from = "+33612345001";
  m.text = "oui";
  m.provider_id = "in1";
  f.engine.run([&](Store& s) { (void)s.insert_inbound(m, std::nullopt, f.clock.now() - 2h); });
  auto d = f.draft();
  d.template_id = "reminder.before";
  d.variables = {{"first_name", "Amina"}, {"time", "14h"}};
  const auto id = f.queue(d);
  CHECK(f.dispatch() == 1);
  REQUIRE(f.adapter.seen.size() == 1);
  const auto& sent = f.adapter.seen[0];
  CHECK(sent.id == id);
  CHECK(sent.template_id == "reminder.before");
  CHECK(sent.variables.at("time") == "14h");
  CHECK(sent.last_inbound_at == f.clock.now() - 2h);
  CHECK(f.row(id).status == MessageStatus::sent);
  CHECK(f.row(id).provider_id == "P" + std::to_string(id));
  // Another channel has no such window: the dispatcher does not look it up.
  f.config.channels[0].type = "console";
  f.queue(f.draft());
  f.dispatch();
  REQUIRE(f.adapter.seen.size() == 2);
  CHECK_FALSE(f.adapter.seen[1].last_inbound_at.has_value());
}

TEST_CASE("a retryable failure waits with backoff, or longer when the gateway asks", "[dispatcher]") {
  Fixture f;
  f.adapter.answers = {SendOutcome::failure(SendError::unavailable, "503", "busy"),
                       SendOutcome::failure(SendError::rate_limited, "429", "slow down", 5min)};
  const auto id = f.queue(f.draft());
  f.dispatch();
  auto r = f.row(id);
  CHECK(r.status == MessageStatus::deferred);
  CHECK(r.reason == "retrying (unavailable): 503: busy");
  CHECK(r.not_before >= f.clock.now() + 8s);  // 10 s, spread by ±20 %
  CHECK(r.not_before <= f.clock.now() + 12s);
  CHECK(f.dispatch() == 0);  // not yet due
  f.clock.advance(12s);
  f.dispatch();
  r = f.row(id);
  CHECK(r.status == MessageStatus::deferred);
  CHECK(r.not_before == f.clock.now() + 5min);  // Retry-After beats the 20 s backoff
  f.clock.advance(5min);
  f.dispatch();
  CHECK(f.row(id).status == MessageStatus::sent);
  CHECK(f.row(id).attempts == 3);
}

TEST_CASE("every transient error is retried later, every permanent one fails at once", "[dispatcher]") {
  struct Case { SendError error; MessageStatus status; };
  const auto c = GENERATE(values<Case>({{SendError::rate_limited, MessageStatus::deferred},
                                        {SendError::timeout, MessageStatus::deferred},
                                        {SendError::unavailable, MessageStatus::deferred},
                                        {SendError::network, MessageStatus::deferred},
                                        {SendError::invalid_recipient, MessageStatus::failed},
                                        {SendError::blocked, MessageStatus::failed},
                                        {SendError::outside_window, MessageStatus::failed},
                                        {SendError::bad_credentials, MessageStatus::failed},
                                        {SendError::rejected, MessageStatus::failed}}));
  CAPTURE(to_string(c.error));
  Fixture f;
  f.adapter.answers = {SendOutcome::failure(c.error, "E1", "what the gateway said")};
  const auto id = f.queue(f.draft());
  f.dispatch();
  CHECK(f.row(id).status == c.status);
  CHECK(f.adapter.seen.size() == 1);
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
  f.dispatch();
  CHECK(f.row(bad).status == MessageStatus::failed);
  CHECK(f.row(bad).reason == "invalid_recipient: 21211: not a valid number");
  CHECK(f.row(too_late).status == MessageStatus::dropped);
  CHECK(f.row(orphan).status == MessageStatus::failed);
  CHECK(f.row(orphan).reason.find("not configured or not enabled") != std::string::npos);
  CHECK(f.adapter.seen.size() == 1);
}

TEST_CASE("retries stop after the last attempt", "[dispatcher]") {
  Fixture f;
  const int attempts = f.config.dispatcher.max_attempts;
  for (int i = 0; i < attempts; ++i)
    f.adapter.answers.push_back(SendOutcome::failure(SendError::network, "", "refused"));
  const auto id = f.queue(f.draft());
  for (int i = 0; i < attempts; ++i) {
    f.dispatch();
    f.clock.advance(1h);
  }
  CHECK(f.row(id).status == MessageStatus::failed);
  CHECK(f.row(id).attempts == attempts);
  CHECK(f.row(id).reason == "gave up after 5 attempt(s): network: refused");
  CHECK(f.adapter.seen.size() == 5u);
}

TEST_CASE("retry delays double from 10 s up to an hour, each spread by at most 20 %", "[dispatcher]") {
  std::set<long long> first_delays;
  for (std::int64_t id = 1; id <= 50; ++id)
    for (int attempts = 1; attempts <= 12; ++attempts) {
      const long long base = std::min(10'000LL << (attempts - 1), 3'600'000LL);
      const auto d = Dispatcher::retry_delay(attempts, id).count();
      CAPTURE(id, attempts, d);
      CHECK(d >= base * 8 / 10);
      CHECK(d <= base * 12 / 10);
      if (attempts == 1) first_delays.insert(d);
    }
  CHECK(first_delays.size() > 10);  // rows that failed together do not retry together
}

TEST_CASE("a message to a participant who sent STOP is dropped; the STOP confirmation still leaves",
          "[dispatcher][stop]") {
  Fixture f;
  const auto amina = f.enrol("Amina", "+33612345001");
  const auto queued = f.queue(f.to(amina, "checkin"));
  const auto reminder = f.queue(f.to(amina, "reminder"));
  f.engine.run([&](Store& s) { s.set_opted_out(amina, true, f.clock.now()); });  // STOP, mid-queue
  auto confirmation = f.to(amina, "stop_confirmation");
  confirmation.origin = Origin::system;
  const auto confirm = f.queue(confirmation);
  f.dispatch();
  CHECK(f.row(queued).status == MessageStatus::dropped);
  CHECK(f.row(queued).reason == "opted out: she sent STOP");
  CHECK(f.row(reminder).status == MessageStatus::dropped);
  CHECK(f.row(confirm).status == MessageStatus::sent);
  REQUIRE(f.adapter.seen.size() == 1);
  CHECK(f.adapter.seen[0].id == confirm);
}

TEST_CASE("what the service starts waits for the sending window; a reply to her goes at once", "[dispatcher][window]") {
  Fixture f;
  f.clock.set(kMonday10h + 11h);  // Monday 21:00 in Paris
  const auto amina = f.enrol("Amina", "+33612345001");
  const auto nudge = f.queue(f.to(amina, "checkin"));
  auto answer = f.to(amina, "reply");
  answer.origin = Origin::reply;
  const auto reply = f.queue(answer);
  auto late = f.to(amina, "reminder");
  late.deadline = kMonday10h + 12h;  // a session at 22:00: the window opens after it
  const auto too_late = f.queue(late);
  f.dispatch();
  CHECK(f.row(reply).status == MessageStatus::sent);
  CHECK(f.row(nudge).status == MessageStatus::deferred);
  CHECK(f.row(nudge).reason == "waiting for the sending window");
  CHECK(f.row(nudge).not_before == kMonday10h + 23h);  // Tuesday 09:00 in Paris
  CHECK(f.row(too_late).status == MessageStatus::dropped);
  CHECK(f.row(too_late).reason == "too late: the sending window opens after its deadline");
  f.clock.set(kMonday10h + 23h);
  f.dispatch();
  CHECK(f.row(nudge).status == MessageStatus::sent);
  CHECK(f.adapter.seen.size() == 2);
}

TEST_CASE("over the daily cap the lowest-priority messages wait for the next day; notices and reminders never do",
          "[dispatcher][cap]") {
  Fixture f;
  REQUIRE(f.config.dispatcher.daily_cap == 4);
  const auto amina = f.enrol("Amina", "+33612345001");
  std::map<std::string, std::int64_t> ids;
  for (const char* kind : {"tip", "peer", "meteo", "checkin", "reminder", "notice"}) ids[kind] = f.queue(f.to(amina, kind));
  auto coach = f.to(amina, "broadcast");
  coach.origin = Origin::coach;  // a coach's own words are not capped
  ids["broadcast"] = f.queue(coach);
  f.dispatch();
  for (const char* kind : {"notice", "reminder", "checkin", "meteo", "broadcast"}) {
    CAPTURE(kind);
    CHECK(f.row(ids[kind]).status == MessageStatus::sent);
  }
  for (const char* kind : {"peer", "tip"}) {
    CAPTURE(kind);
    CHECK(f.row(ids[kind]).status == MessageStatus::deferred);
    CHECK(f.row(ids[kind]).reason == "daily limit of messages reached: waits for the next day");
    CHECK(f.row(ids[kind]).not_before == kMonday10h + 23h);  // Tuesday's opening
  }
  // Another participant's day is her own.
  const auto sylvie = f.enrol("Sylvie", "+33612345002");
  const auto hers = f.queue(f.to(sylvie, "tip"));
  // A reminder over the cap still leaves the same day.
  const auto reminder = f.queue(f.to(amina, "reminder"));
  f.dispatch();
  CHECK(f.row(hers).status == MessageStatus::sent);
  CHECK(f.row(reminder).status == MessageStatus::sent);
  f.clock.set(kMonday10h + 23h);
  f.dispatch();
  CHECK(f.row(ids["peer"]).status == MessageStatus::sent);
  CHECK(f.row(ids["tip"]).status == MessageStatus::sent);
}

TEST_CASE("a tip leaves room under the cap for a check-in due later the same day", "[dispatcher][cap]") {
  Fixture f;
  const auto amina = f.enrol("Amina", "+33612345001");
  auto checkin = f.to(amina, "checkin");
  checkin.not_before = kMonday10h + 7h;  // 17:00
  const auto later = f.queue(checkin);
  std::vector<std::int64_t> tips;
  for (int i = 0; i < 4; ++i) tips.push_back(f.queue(f.to(amina, "tip")));
  f.dispatch();
  int sent = 0;
  for (auto id : tips) sent += f.row(id).status == MessageStatus::sent;
  CHECK(sent == 3);
  f.clock.set(kMonday10h + 7h);
  f.dispatch();
  CHECK(f.row(later).status == MessageStatus::sent);
}

TEST_CASE("a channel's rate limit holds on a simulated clock: never more than rate + burst in a second",
          "[dispatcher][rate]") {
  Fixture f;
  f.config.channels[0].rate_per_second = 10;
  f.config.channels[0].burst = 2;
  f.dispatcher = std::make_unique<Dispatcher>(f.engine, f.config, f.clock, f.zone,
                                              std::map<std::string, ChannelAdapter*>{{"console", &f.adapter}});
  for (int i = 0; i < 100; ++i) f.queue(f.draft());
  const Utc start = f.clock.now();
  while (f.adapter.seen.size() < 100 && f.clock.now() - start < 60s) {
    f.dispatch();
    f.clock.advance(10ms);
  }
  REQUIRE(f.adapter.seen.size() == 100);
  std::vector<Utc> at;
  for (const auto& m : f.adapter.seen) at.push_back(m.now);
  auto most_within = [&](Millis span) {
    std::size_t most = 0;
    for (std::size_t i = 0, j = 0; i < at.size(); ++i) {
      while (at[i] - at[j] >= span) ++j;
      most = std::max(most, i - j + 1);
    }
    return most;
  };
  CHECK(most_within(1s) <= 12);    // rate + burst
  CHECK(most_within(10s) <= 102);  // the rate within 10 % over ten seconds
  // And it is not slower than the rate allows: 98 messages after the burst, at 10 a second.
  CHECK(at.back() - at.front() <= 9'900ms);
  CHECK(at.back() - at.front() >= 9'700ms);
}

TEST_CASE("sends run in parallel up to the concurrency limit, never beyond", "[dispatcher]") {
  Fixture f;
  f.config.dispatcher.concurrency = 4;
  f.dispatcher = std::make_unique<Dispatcher>(f.engine, f.config, f.clock, f.zone,
                                              std::map<std::string, ChannelAdapter*>{{"console", &f.adapter}});
  f.adapter.delay = 20ms;
  for (int i = 0; i < 24; ++i) f.queue(f.draft());
  CHECK(f.dispatch() == 24);
  CHECK(f.adapter.seen.size() == 24);
  CHECK(f.adapter.most_in_flight <= 4);
  CHECK(f.adapter.most_in_flight > 1);
}

TEST_CASE("a permanent failure falls back on the channel the config names, where she can be reached",
          "[dispatcher][fallback]") {
  Fixture f;
  ChannelConfig whatsapp = f.config.channels[0];
  whatsapp.id = "whatsapp";
  whatsapp.type = "whatsapp";
  whatsapp.fallback = "console";
  whatsapp.price_per_segment_eur = 0;
  f.config.channels.push_back(whatsapp);
  RecordingAdapter wa("whatsapp");
  wa.answers = {SendOutcome::failure(SendError::outside_window, "131047", "re-engagement message")};
  f.dispatcher = std::make_unique<Dispatcher>(
      f.engine, f.config, f.clock, f.zone,
      std::map<std::string, ChannelAdapter*>{{"console", &f.adapter}, {"whatsapp", &wa}});
  const auto amina = f.enrol("Amina", "+33612345001");
  Draft to_whatsapp = f.to(amina, "reminder");
  to_whatsapp.channel = "whatsapp";
  const auto id = f.queue(to_whatsapp);
  f.dispatch();
  const auto r = f.row(id);
  CHECK(r.status == MessageStatus::sent);
  CHECK(r.channel == "console");
  CHECK(r.recipient == "+33612345001");
  CHECK(r.cost_eur == Approx(0.05));
  CHECK(wa.seen.size() == 1);
  CHECK(f.adapter.seen.size() == 1);
  // Without an address on the fallback channel (a Telegram chat she never linked), it fails.
  f.config.channels[0].type = "telegram";
  wa.answers = {SendOutcome::failure(SendError::outside_window, "131047", "re-engagement message")};
  Draft d = f.to(amina, "reminder");
  d.channel = "whatsapp";
  const auto no_address = f.queue(d);
  f.dispatch();
  CHECK(f.row(no_address).status == MessageStatus::failed);
  CHECK(f.row(no_address).reason == "outside_window: 131047: re-engagement message");
}

TEST_CASE("a wrong number is failed, marked, shown to coaches once, and not tried again", "[dispatcher]") {
  Fixture f;
  const auto amina = f.enrol("Amina", "+33612345001");
  f.adapter.answers = {SendOutcome::failure(SendError::invalid_recipient, "21211", "not a valid number"),
                       SendOutcome::failure(SendError::invalid_recipient, "21211", "not a valid number")};
  const auto first = f.queue(f.to(amina, "reminder"));
  const auto second = f.queue(f.to(amina, "reminder"));
  f.dispatch();
  CHECK(f.row(first).status == MessageStatus::failed);
  CHECK(f.row(second).status == MessageStatus::failed);
  std::int64_t alerts = 0;
  f.engine.run([&](Store& s) { alerts = s.count_alerts("failing_number"); });
  CHECK(alerts == 1);
  const auto later = f.queue(f.to(amina, "checkin"));
  const auto sent_before = f.adapter.seen.size();
  f.dispatch();
  CHECK(f.row(later).status == MessageStatus::failed);
  CHECK(f.row(later).reason == "her number was reported wrong by a gateway: a coach must correct it");
  CHECK(f.adapter.seen.size() == sent_before);
}

TEST_CASE("a message still failing a day after it was written is failed, whatever its attempts", "[dispatcher]") {
  Fixture f;
  f.adapter.answers = {SendOutcome::failure(SendError::unavailable, "503", "busy")};
  auto d = f.draft();
  d.kind = "notice";
  const auto id = f.queue(d);
  f.engine.run([&](Store& s) { s.defer_outbox(id, f.clock.now() + 25h); });
  f.clock.advance(25h);
  f.dispatch();
  CHECK(f.row(id).status == MessageStatus::failed);
  CHECK(f.row(id).reason == "gave up after 1 attempt(s) and 24 hours: unavailable: 503: busy");
}
