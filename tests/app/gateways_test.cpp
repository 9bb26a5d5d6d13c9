// Every HTTP gateway end to end: relais served in-process on a real port, its real HTTP
// client, and a fake provider on loopback that answers sends with the provider's own
// payloads and posts back receipts and inbound messages signed as the provider signs them.
// What each provider looks like lives in tests/support/gateway_cases.cpp.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "adapters/android.hpp"
#include "bot/app.hpp"
#include "bot/dispatcher.hpp"
#include "bot/engine.hpp"
#include "bot/http_client.hpp"
#include "bot/log.hpp"
#include "bot/outbox.hpp"
#include "support/configs.hpp"
#include "support/gateway_cases.hpp"
#include "support/raw_http.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

using relais::test::free_port;

using namespace relais;
using namespace std::chrono_literals;

namespace {

const std::string kReminder = "Rappel : atelier demain à 9 h, salle B. Répondez OUI ou NON.";

using test::wait_until;

// Sends the log to `out` for its lifetime (declared before what logs, so it outlives it).
struct CapturedLog {
  explicit CapturedLog(std::ostream& out) { log::init("debug", &out); }
  ~CapturedLog() { log::init("info"); }
};

// One gateway type played end to end: the fake provider, then relais serving a config with
// one channel of that type pointing at it, and Amina in the database on that channel.
class GatewayRun {
  // First in, last out: the fake gateway's routes call into it until the gateway stops.
  std::unique_ptr<test::GatewayCase> case_;

 public:
  // `send_answer` replaces the provider's success answer to sends.
  // `rate`, `burst`: the channel's rate limit (high by default: rate limits have a test of their own).
  explicit GatewayRun(const std::string& type, test::FakeGateway::Responder send_answer = {},
                      double rate = 1000, int burst = 100)
      : case_(test::make_gateway_case(type, RELAIS_FIXTURES)) {
    if (!send_answer)
      send_answer = [c = case_.get()](const test::FakeGateway::Received& r, int n) { return c->send_ok(r, n); };
    gateway.on("POST", case_->send_route(), send_answer);
    gateway.start();
    Config config = test::small_config();
    config.database.path = dir_ / "relais.db";
    // Chosen before the App is built, so public_url() (what Twilio signs) is the real address.
    config.server.port = free_port();
    config.channels.push_back(case_->channel(gateway.base_url()));
    config.channels.back().rate_per_second = rate;
    config.channels.back().burst = burst;
    app_ = std::make_unique<App>(std::move(config), clock, console_);
    std::promise<std::uint16_t> listening;
    thread_ = std::thread([&] { app_->serve([&](std::uint16_t p) { listening.set_value(p); }); });
    listening.get_future().get();
    reader_ = open_sqlite_store((dir_ / "relais.db").string());
    add_amina();
  }
  ~GatewayRun() {
    app_->stop();
    thread_.join();
  }
  GatewayRun(const GatewayRun&) = delete;
  GatewayRun& operator=(const GatewayRun&) = delete;

  const test::GatewayCase& gateway_case() const { return *case_; }
  std::string webhook_url() const { return app_->config().public_url() + "/webhooks/" + case_->type(); }

  // Queues a message to Amina on the channel and wakes the dispatcher.
  std::int64_t send_to_amina(const std::string& text) {
    Draft draft;
    draft.participant_id = amina_id_;
    draft.channel = case_->type();
    draft.recipient = case_->address();
    draft.text = text;
    draft.kind = "notice";
    draft.not_before = clock.now();
    std::int64_t id = 0;
    app_->engine().run([&](Store& s) { id = enqueue(s, app_->config(), draft, clock.now()); });
    app_->dispatcher().notify();
    return id;
  }
  // She wrote an hour ago on this channel (WhatsApp's 24-hour window is open).
  void amina_wrote_recently() {
    InboundMessage m;
    m.channel = case_->type();
    m.from = case_->address();
    m.text = "Bonjour";
    m.provider_id = "earlier-message";
    app_->engine().run([&](Store& s) { s.insert_inbound(m, amina_id_, clock.now() - 1h); });
  }
  // The row's next attempt is due now (instead of waiting for the backoff).
  void make_due_now(std::int64_t id) {
    app_->engine().run([&](Store& s) { s.defer_outbox(id, clock.now()); });
    app_->dispatcher().notify();
  }

  std::optional<OutboxRow> row(std::int64_t id) { return reader_->outbox_row(id); }
  std::string install_id() { return reader_->install_id(); }
  bool wait_for_status(std::int64_t id, MessageStatus status) {
    return wait_until([&] {
      auto r = row(id);
      return r && r->status == status;
    });
  }
  std::vector<InboundRow> inbound_rows() { return reader_->recent_inbound(10); }
  std::int64_t outbox_size() {
    std::int64_t n = 0;
    for (const auto& [status, count] : reader_->outbox_counts()) n += count;
    return n;
  }

  // Posts a webhook to relais as the provider would.
  HttpResponse post(const test::Webhook& webhook) {
    HttpRequest request;
    request.method = webhook.method;
    request.url = webhook_url() + (webhook.query.empty() ? "" : "?" + webhook.query);
    request.headers = webhook.headers;
    request.body = webhook.body;
    request.timeout = 5s;
    auto response = make_http_client()->send(request);
    return response ? *response : HttpResponse{};
  }

  test::FakeGateway gateway;
  SystemClock clock;

 private:
  void add_amina() {
    auto amina = test::participant("Amina", test::kAminaPhone);
    amina.channel = case_->type();
    app_->engine().run([&](Store& s) {
      s.upsert_participants({amina}, clock.now());
      amina_id_ = s.find_participant_by_phone(test::kAminaPhone)->id;
      if (case_->address_is_linked()) s.link_address(amina_id_, case_->type(), case_->address(), clock.now());
    });
  }

  test::TempDir dir_;
  std::ostringstream console_;
  std::unique_ptr<App> app_;
  std::thread thread_;
  std::unique_ptr<Store> reader_;
  std::int64_t amina_id_ = 0;
};

}  // namespace

TEST_CASE("a message to Amina leaves through each gateway as its provider expects, and its receipt moves the row",
          "[gateways]") {
  const std::string type = GENERATE(from_range(test::gateway_types()));
  CAPTURE(type);
  GatewayRun run(type);
  const auto& gw = run.gateway_case();
  if (gw.needs_open_window()) run.amina_wrote_recently();

  const auto id = run.send_to_amina(kReminder);
  REQUIRE(run.gateway.wait_for(1));
  REQUIRE(run.wait_for_status(id, MessageStatus::sent));
  const auto row = *run.row(id);
  CHECK(row.text == kReminder);
  const auto requests = run.gateway.received();
  REQUIRE(requests.size() == 1);
  const auto& request = requests[0];
  CHECK(request.method == "POST");
  CHECK(request.path == gw.send_path());
  const auto sent = gw.sent_fields(request);
  for (auto [field, expected] : gw.expected_fields(id, row.text, run.webhook_url())) {
    CAPTURE(field);
    // The app remembers ids: ours carry the database's install id, unique across resets.
    if (gw.type() == "android" && field == "id")
      expected = "relais-" + run.install_id() + "-" + std::to_string(id);
    CHECK(sent.at(field) == expected);
  }
  CHECK(row.provider_id == gw.provider_id(request, 1));
  CHECK(row.attempts == 1);

  const auto receipt = gw.receipt(row.provider_id, run.webhook_url());
  if (!receipt) return;  // Telegram reports no delivery: the row stays sent
  CHECK(run.post(*receipt).status == 200);
  CHECK(run.wait_for_status(id, gw.receipt_status()));
  CHECK(run.gateway.received().size() == 1);
}

TEST_CASE("a signed inbound message on each gateway is stored once, however often the provider posts it",
          "[gateways]") {
  const std::string type = GENERATE(from_range(test::gateway_types()));
  CAPTURE(type);
  GatewayRun run(type);
  const auto& gw = run.gateway_case();
  const auto inbound = gw.inbound("Oui", 1, run.webhook_url());
  if (!inbound) {
    CHECK(type == "brevo");  // the only send-only gateway
    return;
  }
  const auto first = run.post(*inbound);
  CHECK(first.status == 200);
  if (type == "twilio") CHECK(first.body.find("<Response></Response>") != std::string::npos);
  auto rows = run.inbound_rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].channel == type);
  CHECK(rows[0].sender == gw.address());
  CHECK(rows[0].text == "Oui");
  CHECK(rows[0].participant_id.has_value());

  // The provider did not see the 200 and posts again: still one message.
  CHECK(run.post(*inbound).status == 200);
  CHECK(run.inbound_rows().size() == 1);
  // "Oui" outside a dialog goes to her coach: relais queues no answer of its own (replies
  // commit with the message, before the 200).
  CHECK(run.outbox_size() == 0);
  CHECK(run.gateway.received().empty());
}

TEST_CASE("a tampered or unsigned webhook on each gateway is refused and changes nothing", "[gateways]") {
  const std::string type = GENERATE(from_range(test::gateway_types()));
  CAPTURE(type);
  GatewayRun run(type);
  const auto& gw = run.gateway_case();
  // A send-only gateway posts only receipts: those are what a forger would try.
  std::int64_t sent_id = 0;
  std::optional<test::Webhook> good = gw.inbound("Oui", 1, run.webhook_url());
  if (!good) {
    sent_id = run.send_to_amina(kReminder);
    REQUIRE(run.wait_for_status(sent_id, MessageStatus::sent));
    good = gw.receipt(run.row(sent_id)->provider_id, run.webhook_url());
  }
  REQUIRE(good);

  std::vector<std::pair<std::string, test::Webhook>> forged{{"signature removed", gw.without_signature(*good)}};
  if (gw.signs_body()) {
    test::Webhook changed = *good;
    const auto at = changed.body.find("Oui");
    REQUIRE(at != std::string::npos);
    changed.body[at] = 'Q';  // "Qui": one character
    forged.emplace_back("one character of the body changed", changed);
  } else {
    test::Webhook wrong = *good;
    auto& secret = wrong.headers.at(gw.signature_header());
    secret.back() = secret.back() == 'x' ? 'y' : 'x';
    forged.emplace_back("secret header altered", wrong);
  }
  for (const auto& [how, webhook] : forged) {
    CAPTURE(how);
    CHECK(run.post(webhook).status == gw.refused_status());
  }
  CHECK(run.inbound_rows().empty());
  if (sent_id != 0) CHECK(run.row(sent_id)->status == MessageStatus::sent);
  // The genuine webhook still goes through.
  CHECK(run.post(*good).status == 200);
  if (sent_id != 0) CHECK(run.wait_for_status(sent_id, gw.receipt_status()));
  else CHECK(run.inbound_rows().size() == 1);
}

TEST_CASE("a 500 then a 429 with Retry-After from each gateway defer the row with its reason and a later try",
          "[gateways]") {
  const std::string type = GENERATE(from_range(test::gateway_types()));
  CAPTURE(type);
  GatewayRun run(type);
  if (run.gateway_case().needs_open_window()) run.amina_wrote_recently();
  run.gateway.fail_next(test::FakeGateway::Fault::error_500);
  run.gateway.fail_next(test::FakeGateway::Fault::rate_limited, 1, 2);

  const auto id = run.send_to_amina(kReminder);
  REQUIRE(run.wait_for_status(id, MessageStatus::deferred));
  auto row = *run.row(id);
  CHECK(row.attempts == 1);
  CHECK(row.reason.find("unavailable") != std::string::npos);
  CHECK(row.not_before > run.clock.now());
  CHECK(row.provider_id.empty());

  // Its retry is brought forward instead of waited for: the gateway now says 429.
  run.make_due_now(id);
  REQUIRE(run.gateway.wait_for(2));
  REQUIRE(wait_until([&] { return run.row(id)->attempts == 2 && run.row(id)->status == MessageStatus::deferred; }));
  row = *run.row(id);
  CHECK(row.reason.find("rate_limited") != std::string::npos);
  // Never sooner than the gateway asked (Retry-After: 2), and later than now.
  CHECK(row.not_before >= run.clock.now() + 1s);

  // A Retry-After longer than relais's own backoff (40 s at the third try) wins: the
  // header travels through the real client to the dispatcher.
  run.gateway.fail_next(test::FakeGateway::Fault::rate_limited, 1, 600);
  run.make_due_now(id);
  REQUIRE(wait_until([&] { return run.row(id)->attempts == 3 && run.row(id)->status == MessageStatus::deferred; }));
  CHECK(run.row(id)->not_before >= run.clock.now() + 590s);

  const auto requests = run.gateway.received();
  REQUIRE(requests.size() == 3);
  for (const auto& r : requests) CHECK(r.path == run.gateway_case().send_path());
}

TEST_CASE("a channel's rate limit holds at the gateway: no second above rate + burst, no faster than the rate",
          "[gateways][rate]") {
  GatewayRun run("twilio", {}, 20, 2);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(run.send_to_amina(kReminder));
  REQUIRE(run.gateway.wait_for(60, 20s));
  std::vector<std::chrono::steady_clock::time_point> at;
  for (const auto& r : run.gateway.received()) at.push_back(r.at);
  std::size_t most_in_a_second = 0;
  for (std::size_t i = 0, j = 0; i < at.size(); ++i) {
    while (at[i] - at[j] >= 1s) ++j;
    most_in_a_second = std::max(most_in_a_second, i - j + 1);
  }
  CAPTURE(most_in_a_second);
  CHECK(most_in_a_second <= 22);
  // 58 messages after the burst, at 20 a second: at least 2.9 s (measured at the gateway,
  // so only a bound that a slow machine cannot break).
  CHECK(at.back() - at.front() >= 2'800ms);
  for (auto id : ids) CHECK(run.wait_for_status(id, MessageStatus::sent));
}

TEST_CASE("WhatsApp outside the 24-hour window with no template fails without a call to Meta", "[gateways]") {
  GatewayRun run("whatsapp");
  const auto id = run.send_to_amina(kReminder);
  REQUIRE(run.wait_for_status(id, MessageStatus::failed));
  const auto row = *run.row(id);
  CHECK(row.reason.find("outside_window") != std::string::npos);
  CHECK(row.provider_id.empty());
  CHECK(run.gateway.received().empty());
}

TEST_CASE("no secret and no phone number in clear reach the log or a stored reason on any gateway", "[gateways]") {
  const std::string type = GENERATE(from_range(test::gateway_types()));
  CAPTURE(type);
  std::ostringstream logs;
  std::vector<std::string> secrets;
  std::string reasons;
  {
    CapturedLog capture(logs);
    GatewayRun run(type);
    const auto& gw = run.gateway_case();
    secrets = gw.secrets();
    if (gw.needs_open_window()) run.amina_wrote_recently();
    // A cut connection first (the client's error text names the URL it called), then a 500.
    run.gateway.fail_next(test::FakeGateway::Fault::drop);
    run.gateway.fail_next(test::FakeGateway::Fault::error_500);
    const auto id = run.send_to_amina(kReminder);
    REQUIRE(run.wait_for_status(id, MessageStatus::deferred));
    reasons += run.row(id)->reason + "\n";
    run.make_due_now(id);
    REQUIRE(wait_until([&] { return run.row(id)->attempts == 2 && run.row(id)->status == MessageStatus::deferred; }));
    reasons += run.row(id)->reason + "\n";
    run.make_due_now(id);
    REQUIRE(run.wait_for_status(id, MessageStatus::sent));
    if (auto receipt = gw.receipt(run.row(id)->provider_id, run.webhook_url())) {
      CHECK(run.post(gw.without_signature(*receipt)).status == gw.refused_status());
      CHECK(run.post(*receipt).status == 200);
    }
    if (auto inbound = gw.inbound("Oui", 1, run.webhook_url())) {
      CHECK(run.post(gw.without_signature(*inbound)).status == gw.refused_status());
      CHECK(run.post(*inbound).status == 200);
    }
  }
  const std::string text = logs.str();
  CHECK(text.find("event=outbox.result") != std::string::npos);  // the log was captured
  REQUIRE(secrets.size() >= 1);
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK(text.find(secret) == std::string::npos);
    CHECK(reasons.find(secret) == std::string::npos);
  }
  for (const std::string& number : {std::string(test::kAminaPhone), std::string("33612345001"), std::string("0612345001")}) {
    CAPTURE(number);
    CHECK(text.find(number) == std::string::npos);
  }
}

// Vonage and Twilio let an account choose GET for its webhooks: a GET that is no
// subscription handshake goes the same way as a POST.
TEST_CASE("a signed GET webhook from a provider that offers GET is stored like a POST", "[gateways]") {
  const std::string type = GENERATE(as<std::string>{}, "vonage", "twilio");
  CAPTURE(type);
  GatewayRun run(type);
  const auto get = run.gateway_case().inbound_get("Oui", 1, run.webhook_url());
  REQUIRE(get);
  const auto status = run.post(*get).status;
  CHECK(status != 403);  // the request itself is well signed: never refused as forged
  CHECK(status == 200);
  CHECK(run.inbound_rows().size() == 1);
}

// A retry of a send that did reach the phone (after a timeout or a crash) is answered 409:
// the message is out, under the id relais gave it, which its receipts carry.
TEST_CASE("an Android send that the phone already has is sent, and its receipts still find the row", "[gateways]") {
  std::string fixtures = RELAIS_FIXTURES;
  GatewayRun run("android", [fixtures](const test::FakeGateway::Received&, int) {
    std::ifstream in(fixtures + "/android/send_409_duplicate_cloud.json");
    std::ostringstream body;
    body << in.rdbuf();
    return http::json_response(409, body.str());
  });
  const auto id = run.send_to_amina(kReminder);
  REQUIRE(run.wait_for_status(id, MessageStatus::sent));
  const std::string sent_as = "relais-" + run.install_id() + "-" + std::to_string(id);
  const auto receipt = run.gateway_case().receipt(sent_as, run.webhook_url());
  // relais answers a webhook once what it brought is committed: no need to wait.
  CHECK(run.post(*receipt).status == 200);
  CHECK(run.row(id)->provider_id == sent_as);
  CHECK(run.row(id)->status == MessageStatus::delivered);
  CHECK(run.gateway.received().size() == 1);
}
