// A SIGKILL of `relais serve` in the middle of 1,000 sends, then a restart: no message is
// lost, and only the rows that were in flight at the kill can reach the gateway twice.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "bot/config/config.hpp"
#include "bot/outbox.hpp"
#include "bot/storage/store.hpp"
#include "crash/crash_support.hpp"
#include "support/fake_gateway.hpp"
#include "support/gateway_cases.hpp"
#include "support/raw_http.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kSends = 1000;
const std::string kText = "Rappel : atelier demain à 9 h, salle B. Répondez OUI ou NON.";

std::string form_value(const std::string& body, const std::string& name) {
  for (const auto& [k, v] : test::form_decode(body))
    if (k == name) return v;
  return "";
}

// The sid Twilio gives the n-th send: it names the recipient, so that a recorded
// provider id can be traced to an answer the gateway gave for that very row.
std::string sid_for(const std::string& to, int n) { return "SM" + to.substr(1) + "n" + std::to_string(n); }

// 1,000 participants on the Twilio channel, each with one notice queued now.
void queue_sends(const std::string& config_file) {
  const Config config = load_config(config_file);
  auto store = open_sqlite_store(config.database_path().string());
  const Utc now = SystemClock().now();
  std::vector<ParticipantRecord> people;
  for (int i = 0; i < static_cast<int>(kSends); ++i) {
    ParticipantRecord p;
    p.first_name = "P" + std::to_string(i);
    p.phone = crash::phone(4, i);
    p.cohort = "g1";
    p.consent = true;
    p.channel = "twilio";
    people.push_back(p);
  }
  StoreTransaction tx(*store);
  store->upsert_participants(people, now);
  for (const auto& p : people) {
    Draft d;
    d.participant_id = store->find_participant_by_phone(p.phone)->id;
    d.channel = "twilio";
    d.recipient = p.phone;
    d.text = kText;
    d.kind = "notice";
    d.not_before = now;
    enqueue(*store, config, d, now);
  }
  tx.commit();
}

std::map<std::string, int> requests_by_recipient(const test::FakeGateway& gateway) {
  std::map<std::string, int> out;
  for (const auto& r : gateway.received()) ++out[form_value(r.body, "To")];
  return out;
}

std::int64_t unsettled(Store& store) {
  auto counts = store.outbox_counts();
  return counts[MessageStatus::queued] + counts[MessageStatus::deferred] + counts[MessageStatus::sending];
}

}  // namespace

TEST_CASE("a SIGKILL during a burst of 1,000 sends loses none, and resends only rows in flight at the kill",
          "[crash]") {
  // Early in the burst and late in it.
  const std::size_t kill_after = GENERATE(as<std::size_t>{}, 300, 800);
  CAPTURE(kill_after);
  test::TempDir dir;
  test::FakeGateway gateway;
  gateway.on("POST", "/2010-04-01/Accounts/{sid}/Messages.json", [](const test::FakeGateway::Received& r, int n) {
    const std::string to = form_value(r.body, "To");
    nlohmann::json answer = {{"sid", sid_for(to, n)}, {"account_sid", crash::kAccountSid}, {"to", to},
                             {"from", crash::kFrom}, {"status", "queued"}, {"num_segments", "1"},
                             {"direction", "outbound-api"}, {"api_version", "2010-04-01"}};
    return http::json_response(201, answer.dump());
  });
  gateway.start();
  const auto config = crash::write_config(dir, test::free_port(), gateway.base_url());
  queue_sends(config);

  // First run: killed once `kill_after` messages have reached the gateway.
  auto first = crash::start_serve(config, dir, "serve1");
  if (!first) FAIL("relais serve did not start: " << test::read_text(dir / "serve1.err"));
  REQUIRE(gateway.wait_for(kill_after, 60s));
  first->signal(SIGKILL);
  REQUIRE(first->wait().exit_code == 128 + SIGKILL);
  // A request already written to the socket may still be read by the gateway.
  std::this_thread::sleep_for(200ms);
  const std::size_t received_at_kill = gateway.received().size();
  CAPTURE(received_at_kill);
  REQUIRE(received_at_kill < kSends);  // the kill landed mid-burst

  // What the database says was in flight: rows claimed, maybe handed over, not recorded.
  std::set<std::string> in_flight;
  std::int64_t sent_at_kill = 0;
  {
    auto store = open_sqlite_store((dir / "relais.db").string());
    for (std::int64_t id = 1; id <= static_cast<std::int64_t>(kSends); ++id) {
      const auto row = store->outbox_row(id);
      REQUIRE(row);
      if (row->status == MessageStatus::sending) in_flight.insert(row->recipient);
      if (row->status == MessageStatus::sent) ++sent_at_kill;
    }
  }
  CAPTURE(in_flight.size(), sent_at_kill);
  CHECK(sent_at_kill < static_cast<std::int64_t>(kSends));

  // Second run: everything left is sent; rows left `sending` go again.
  auto second = crash::start_serve(config, dir, "serve2");
  if (!second) FAIL("relais serve did not restart: " << test::read_text(dir / "serve2.err"));
  auto reader = open_sqlite_store((dir / "relais.db").string());
  if (!crash::wait_until([&] { return unsettled(*reader) == 0; }, 60s))
    FAIL(unsettled(*reader) << " row(s) still unsettled; stderr: " << test::read_text(dir / "serve2.err"));
  second->signal(SIGTERM);
  const auto stopped = second->wait();
  CHECK(stopped.exit_code == 0);
  if (!in_flight.empty())
    CHECK(stopped.err.find("event=outbox.requeued_after_crash rows=" + std::to_string(in_flight.size())) !=
          std::string::npos);

  // Every row ends sent (with the sid the gateway gave for her) or failed with its reason.
  const auto requests = requests_by_recipient(gateway);
  for (std::int64_t id = 1; id <= static_cast<std::int64_t>(kSends); ++id) {
    const auto row = *reader->outbox_row(id);
    const std::string status(to_string(row.status));
    CAPTURE(id, row.recipient, status, row.reason);
    const bool settled = row.status == MessageStatus::sent ||
                         (row.status == MessageStatus::failed && !row.reason.empty());
    CHECK(settled);
    if (row.status == MessageStatus::sent)
      CHECK(row.provider_id.rfind("SM" + row.recipient.substr(1) + "n", 0) == 0);
    // Rows in flight were claimed once more after the restart; the others once in all.
    CHECK(row.attempts == (in_flight.count(row.recipient) ? 2 : 1));
    // The gateway received each at least once.
    CHECK(requests.count(row.recipient) == 1);
  }
  CHECK(requests.size() == kSends);  // and nobody else

  // A second copy only of rows in flight at the kill, never more than the concurrency.
  std::set<std::string> twice;
  for (const auto& [to, n] : requests) {
    CAPTURE(to, n);
    CHECK(n <= 2);
    if (n > 1) twice.insert(to);
  }
  CAPTURE(twice.size());
  CHECK(twice.size() <= static_cast<std::size_t>(crash::kConcurrency));
  for (const auto& to : twice) {
    CAPTURE(to);
    CHECK(in_flight.count(to) == 1);
  }
  CHECK(gateway.received().size() == kSends + twice.size());
}
