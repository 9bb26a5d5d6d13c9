#include <catch2/catch.hpp>

#include <future>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bot/app.hpp"
#include "bot/log.hpp"
#include "bot/storage/sqlite.hpp"
#include "dialogs/keywords.hpp"
#include "support/configs.hpp"
#include "support/raw_http.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

// `relais serve` in-process on a free port, stopped and joined at the end of the test.
struct ServedApp {
  test::TempDir dir;
  std::ostringstream console;
  SystemClock clock;
  std::unique_ptr<App> app;
  std::thread thread;
  std::uint16_t port = 0;

  explicit ServedApp(Config config = test::small_config()) {
    config.database.path = dir / "relais.db";
    config.server.port = 0;
    app = std::make_unique<App>(std::move(config), clock, console);
    std::promise<std::uint16_t> listening;
    thread = std::thread([&] { app->serve([&](std::uint16_t p) { listening.set_value(p); }); });
    port = listening.get_future().get();
  }
  ~ServedApp() { shutdown(); }
  void shutdown() {
    if (!thread.joinable()) return;
    app->stop();
    thread.join();
  }
  std::string request(const std::string& method, const std::string& path,
                      const std::string& body = "", const std::string& headers = "") {
    test::RawConnection c(port);
    c.send_all(test::http_request(method, path, body, headers));
    return c.read_response();
  }
  std::unique_ptr<Store> reader() { return open_sqlite_store((dir / "relais.db").string()); }
};

using test::wait_until;

}  // namespace

TEST_CASE("/healthz answers 200 when the database answers", "[app]") {
  ServedApp s;
  auto r = s.request("GET", "/healthz");
  CHECK(test::status_of(r) == 200);
  CHECK(nlohmann::json::parse(test::body_of(r))["database"] == "ok");
}

TEST_CASE("console round trip: webhook → inbound row → reply in the outbox → printed and sent", "[app]") {
  ServedApp s;
  auto r = s.request("POST", "/webhooks/console", R"({"from": "06 12 34 50 99", "text": "Bonjour", "id": "c1"})");
  REQUIRE(test::status_of(r) == 200);
  auto body = nlohmann::json::parse(test::body_of(r));
  CHECK(body["received"] == 1);
  REQUIRE(body["replies"].size() == 1);
  CHECK(body["replies"][0]["text"] == std::string(dialogs::kUnknownSenderAnswer));

  auto reader = s.reader();
  auto inbound = reader->recent_inbound(10);
  REQUIRE(inbound.size() == 1);
  CHECK(inbound[0].sender == "+33612345099");
  CHECK(inbound[0].provider_id == "client:c1");
  const auto reply_id = body["replies"][0]["id"].get<std::int64_t>();
  CHECK(wait_until([&] { return reader->outbox_row(reply_id)->status == MessageStatus::sent; }));
  auto row = *reader->outbox_row(reply_id);
  CHECK(row.provider_id == "console-" + std::to_string(reply_id));
  CHECK(row.encoding == "GSM-7");
  CHECK(row.segments == 1);
  CHECK(row.cost_eur == Approx(0.05));

  s.shutdown();
  CHECK(s.console.str().find(std::string(dialogs::kUnknownSenderAnswer)) != std::string::npos);
  CHECK(s.console.str().find("+33 6 ** ** ** 99") != std::string::npos);
}

TEST_CASE("a webhook retried with the same id is stored once and answered 200 both times", "[app]") {
  ServedApp s;
  const std::string body = R"({"from": "+33612345099", "text": "Bonjour", "id": "same"})";
  CHECK(test::status_of(s.request("POST", "/webhooks/console", body)) == 200);
  auto second = s.request("POST", "/webhooks/console", body);
  CHECK(test::status_of(second) == 200);
  CHECK(nlohmann::json::parse(test::body_of(second))["duplicates"] == 1);
  CHECK(s.reader()->recent_inbound(10).size() == 1);
}

TEST_CASE("the server adds the messages it receives to the index by participant, tick by tick", "[app]") {
  ServedApp s;
  for (const char* id : {"i1", "i2", "i3"}) {
    const std::string body = std::string(R"({"from": "+33612345099", "text": "Bonjour", "id": ")") + id + "\"}";
    REQUIRE(test::status_of(s.request("POST", "/webhooks/console", body)) == 200);
  }
  sql::Database db((s.dir / "relais.db").string());
  auto count = [&](const char* where) {
    sql::Statement st(db, std::string("SELECT count(*) FROM inbound WHERE ") + where);
    st.step();
    return st.get_int(0);
  };
  CHECK(wait_until([&] { return count("indexed = 0") == 0; }));
  CHECK(count("indexed = 1") == 3);
}

TEST_CASE("a malformed webhook gets 400 naming the problem, and nothing is stored", "[app]") {
  ServedApp s;
  struct Case { std::string body, expected; };
  auto c = GENERATE(values<Case>({
      {R"({"from": "+33612345099"})", "$.text"},
      {R"({"from": "bonjour", "text": "x"})", "$.from"},
      {R"({"from": "+33612345099", "text": 3})", "$.text"},
      {R"({"from": "+33612345099", "text": "x", "extra": 1})", "$.extra"},
      {R"([1, 2])", "$"},
      {R"({"from": "+3363998)", "JSON"},
  }));
  CAPTURE(c.body);
  auto r = s.request("POST", "/webhooks/console", c.body);
  CHECK(test::status_of(r) == 400);
  CHECK(test::body_of(r).find(c.expected) != std::string::npos);
  CHECK(s.reader()->recent_inbound(10).empty());
}

TEST_CASE("an unknown channel id in the webhook path gets 404", "[app]") {
  ServedApp s;
  CHECK(test::status_of(s.request("POST", "/webhooks/twilio", "{}")) == 404);
}

TEST_CASE("the console webhook wants its password when one is configured", "[app]") {
  auto config = test::small_config();
  config.channels[0].basic_auth_password_env = "RELAIS_TEST_CONSOLE_PW";
  ::setenv("RELAIS_TEST_CONSOLE_PW", "s3cret-Pw", 1);
  std::ostringstream logs;
  log::init("debug", &logs);
  {
    ServedApp s(config);
    const std::string body = R"({"from": "+33612345099", "text": "Bonjour"})";
    CHECK(test::status_of(s.request("POST", "/webhooks/console", body)) == 401);
    CHECK(test::status_of(s.request("POST", "/webhooks/console", body,
                                    "Authorization: Basic cmVsYWlzOndyb25n\r\n")) == 401);  // relais:wrong
    // relais:s3cret-Pw
    CHECK(test::status_of(s.request("POST", "/webhooks/console", body,
                                    "Authorization: Basic cmVsYWlzOnMzY3JldC1Qdw==\r\n")) == 200);
    auto metrics = test::body_of(s.request("GET", "/metrics"));
    CHECK(metrics.find("relais_webhook_rejected_total{channel=\"console\",reason=\"unauthenticated\"} 2") !=
          std::string::npos);
  }
  ::unsetenv("RELAIS_TEST_CONSOLE_PW");
  log::init("info");
  // Neither the secret nor the phone number in clear ever reaches the log.
  CHECK(logs.str().find("s3cret-Pw") == std::string::npos);
  CHECK(logs.str().find("+33612345099") == std::string::npos);
  CHECK(logs.str().find("from=\"+33 6 ** ** ** 99\"") != std::string::npos);
}

TEST_CASE("/metrics shows requests, latencies, queue depth and messages by status", "[app]") {
  ServedApp s;
  s.request("GET", "/healthz");
  s.request("POST", "/webhooks/console", R"({"from": "+33612345099", "text": "Bonjour"})");
  auto r = s.request("GET", "/metrics");
  CHECK(test::status_of(r) == 200);
  const auto text = test::body_of(r);
  CHECK(text.find("relais_http_requests_total{route=\"healthz\",code=\"200\"} 1") != std::string::npos);
  CHECK(text.find("relais_http_requests_total{route=\"webhook\",code=\"200\"} 1") != std::string::npos);
  CHECK(text.find("relais_http_request_duration_seconds_count") != std::string::npos);
  CHECK(text.find("relais_engine_queue_depth") != std::string::npos);
  CHECK(text.find("relais_outbox_messages{status=\"failed\"} 0") != std::string::npos);
}
