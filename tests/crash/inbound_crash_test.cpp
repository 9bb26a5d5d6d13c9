// A SIGKILL of `relais serve` in the middle of 1,000 inbound Twilio webhooks, then a
// restart: every webhook answered 200 was stored, once, and the gateway's retries of all
// of them store nothing twice (nor answer or alert twice).
#include <catch2/catch.hpp>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <thread>

#include "adapters/twilio.hpp"
#include "bot/storage/store.hpp"
#include "crash/crash_support.hpp"
#include "support/fake_gateway.hpp"
#include "support/gateway_cases.hpp"
#include "support/raw_http.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

constexpr int kWebhooks = 1000;
constexpr int kClients = 8;
// Every 10th webhook comes from an unknown number (each its own); the others from 90 of
// these participants, 10 messages each.
constexpr int kParticipants = 100;

struct Webhook {
  std::string sid;
  std::string signature;
  std::string body;
};

bool from_unknown(int i) { return i % 10 == 0; }

// The body of an .http fixture: what follows the headers, trailing blanks cut.
std::string fixture_body(const std::string& name) {
  std::string text = test::read_text(std::string(RELAIS_FIXTURES) + "/" + name);
  const auto crlf = text.find("\r\n\r\n"), lf = text.find("\n\n");
  text = crlf != std::string::npos && (lf == std::string::npos || crlf < lf) ? text.substr(crlf + 4) : text.substr(lf + 2);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

// Twilio's inbound SMS (tests/fixtures/twilio/inbound_sms.http) from sender `i`, with its
// own MessageSid, signed for relais's webhook URL as Twilio signs it.
std::vector<Webhook> make_webhooks(const std::string& url) {
  const auto base = test::form_decode(fixture_body("twilio/inbound_sms.http"));
  std::vector<Webhook> out;
  for (int i = 0; i < kWebhooks; ++i) {
    char sid[40];
    std::snprintf(sid, sizeof sid, "SM%032d", 7000000 + i);
    const std::string from = from_unknown(i) ? crash::phone(5, i) : crash::phone(4, i % kParticipants);
    auto params = base;
    for (auto& [k, v] : params) {
      if (k == "MessageSid" || k == "SmsSid" || k == "SmsMessageSid") v = sid;
      else if (k == "AccountSid") v = crash::kAccountSid;
      else if (k == "From") v = from;
      else if (k == "To") v = crash::kFrom;
      else if (k == "Body") v = "Merci, je serai là jeudi (" + std::to_string(i) + ")";
    }
    out.push_back({sid, twilio_signature(crash::kAuthToken, url, params), test::form_encode(params)});
  }
  return out;
}

// One webhook on a connection of its own; the HTTP status, 0 when the server was gone.
int post(std::uint16_t port, const Webhook& w) {
  try {
    test::RawConnection c(port);
    const std::string request = "POST /webhooks/twilio HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                                "\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: " +
                                w.signature + "\r\nContent-Length: " + std::to_string(w.body.size()) +
                                "\r\nConnection: close\r\n\r\n" + w.body;
    if (!c.send_all(request)) return 0;
    return test::status_of(c.read_response(15s));
  } catch (const std::exception&) {
    return 0;  // connection refused: relais is down
  }
}

// All webhooks posted by kClients threads at once; `acked` counts the 200s as they come.
std::vector<int> post_all(std::uint16_t port, const std::vector<Webhook>& webhooks, std::atomic<int>& acked) {
  std::vector<int> status(webhooks.size(), 0);
  std::atomic<std::size_t> next{0};
  {
    std::vector<std::jthread> clients;
    for (int t = 0; t < kClients; ++t)
      clients.emplace_back([&] {
        for (std::size_t i; (i = next.fetch_add(1)) < webhooks.size();) {
          status[i] = post(port, webhooks[i]);
          if (status[i] == 200) ++acked;
        }
      });
  }  // every client is done
  return status;
}

void add_participants(const std::string& db) {
  auto store = open_sqlite_store(db);
  std::vector<ParticipantRecord> people;
  for (int i = 0; i < kParticipants; ++i) {
    ParticipantRecord p;
    p.first_name = "P" + std::to_string(i);
    p.phone = crash::phone(4, i);
    p.cohort = "g1";
    p.consent = true;
    p.channel = "twilio";
    people.push_back(p);
  }
  store->upsert_participants(people, SystemClock().now());
}

// How often each MessageSid is stored.
std::map<std::string, int> stored_sids(Store& store) {
  std::map<std::string, int> out;
  for (const auto& row : store.recent_inbound(10 * kWebhooks)) ++out[row.provider_id];
  return out;
}

}  // namespace

TEST_CASE("a SIGKILL during a burst of 1,000 inbound webhooks keeps every acknowledged one exactly once",
          "[crash]") {
  test::TempDir dir;
  // Unknown numbers get an automatic answer: it leaves through this gateway.
  test::FakeGateway gateway;
  gateway.on("POST", "/2010-04-01/Accounts/{sid}/Messages.json", [](const test::FakeGateway::Received&, int n) {
    return http::json_response(201, R"({"sid": "SMreply)" + std::to_string(n) + R"(", "status": "queued"})");
  });
  gateway.start();
  const auto port = test::free_port();
  const auto config = crash::write_config(dir, port, gateway.base_url());
  add_participants((dir / "relais.db").string());
  const auto webhooks = make_webhooks("http://127.0.0.1:" + std::to_string(port) + "/webhooks/twilio");

  // First run: killed once 300 webhooks were answered 200.
  auto first = crash::start_serve(config, dir, "serve1");
  if (!first) FAIL("relais serve did not start: " << test::read_text(dir / "serve1.err"));
  std::atomic<int> acked{0};
  std::vector<int> status;
  {
    std::jthread burst([&] { status = post_all(port, webhooks, acked); });
    REQUIRE(crash::wait_until([&] { return acked >= 300; }, 60s));
    first->signal(SIGKILL);
  }
  REQUIRE(first->wait().exit_code == 128 + SIGKILL);
  std::set<std::string> acknowledged;
  for (int i = 0; i < kWebhooks; ++i)
    if (status[i] == 200) acknowledged.insert(webhooks[i].sid);
  CAPTURE(acknowledged.size());
  REQUIRE(acknowledged.size() < static_cast<std::size_t>(kWebhooks));  // the kill landed mid-burst

  // Restarted: each acknowledged webhook is stored exactly once.
  auto second = crash::start_serve(config, dir, "serve2");
  if (!second) FAIL("relais serve did not restart: " << test::read_text(dir / "serve2.err"));
  auto reader = open_sqlite_store((dir / "relais.db").string());
  auto stored = stored_sids(*reader);
  for (const auto& sid : acknowledged) {
    CAPTURE(sid);
    CHECK(stored[sid] == 1);
  }

  // Twilio retries every webhook it has no 200 for (here: all of them, answered or not).
  std::atomic<int> acked_again{0};
  const auto again = post_all(port, webhooks, acked_again);
  CHECK(acked_again == kWebhooks);
  stored = stored_sids(*reader);
  CHECK(stored.size() == static_cast<std::size_t>(kWebhooks));
  for (const auto& w : webhooks) {
    CAPTURE(w.sid);
    CHECK(stored[w.sid] == 1);
  }
  // What each message set off happened once too: one alert per message for the coaches,
  // one automatic answer per unknown number (committed with its message).
  const int unknown = kWebhooks / 10;
  CHECK(reader->count_alerts("participant_message") == kWebhooks - unknown);
  CHECK(reader->count_alerts("unknown_sender") == unknown);
  std::int64_t outbox = 0;
  for (const auto& [s, n] : reader->outbox_counts()) outbox += n;
  CHECK(outbox == unknown);

  second->signal(SIGTERM);
  CHECK(second->wait().exit_code == 0);
}
