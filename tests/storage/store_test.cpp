#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "bot/storage/coach_store.hpp"
#include "bot/storage/inbound_sql.hpp"
#include "bot/storage/sqlite.hpp"
#include "bot/storage/store.hpp"
#include "support/temp_dir.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

ParticipantRecord person(const std::string& name, const std::string& phone) {
  ParticipantRecord p;
  p.first_name = name;
  p.phone = phone;
  p.cohort = "g1";
  p.consent = true;
  p.consent_tips = false;
  p.channel = "console";
  p.barriers = {"childcare", "mobility"};
  return p;
}

OutboxRow row(const std::string& to, Utc not_before) {
  OutboxRow r;
  r.channel = "console";
  r.recipient = to;
  r.text = "Bonjour";
  r.kind = "reply";
  r.encoding = "GSM-7";
  r.not_before = not_before;
  r.created_at = not_before;
  return r;
}

const Utc t0 = from_epoch_ms(1'790'000'000'000);

}  // namespace

TEST_CASE("participants are created, updated or left unchanged by phone", "[store]") {
  auto s = open_sqlite_store(":memory:");
  auto first = s->upsert_participants({person("Amina", "+33612345001"), person("Sylvie", "+33612345002")}, t0);
  CHECK(first.created == 2);

  auto changed = person("Amina", "+33612345001");
  changed.cohort = "g2";
  changed.buddy_phone = "+33612345002";
  auto second = s->upsert_participants({changed, person("Sylvie", "+33612345002")}, t0 + 1s);
  CHECK(second.created == 0);
  CHECK(second.updated == 1);
  CHECK(second.unchanged == 1);

  auto amina = s->find_participant_by_phone("+33612345001");
  REQUIRE(amina);
  CHECK(amina->cohort == "g2");
  CHECK(amina->buddy_phone == std::optional<std::string>("+33612345002"));
  CHECK(amina->barriers == std::vector<std::string>{"childcare", "mobility"});
  CHECK_FALSE(amina->consent_tips);
  CHECK(s->count_participants() == 2);
  CHECK_FALSE(s->find_participant_by_phone("+33612345009"));
}

TEST_CASE("due rows come oldest first, and a row marked sending counts its attempt and leaves the queue",
          "[store]") {
  auto s = open_sqlite_store(":memory:");
  auto later = s->insert_outbox(row("+33612345001", t0 + 1h));
  auto second = s->insert_outbox(row("+33612345001", t0 - 1min));
  auto first = s->insert_outbox(row("+33612345002", t0 - 2min));
  auto due = s->due_rows(t0, 10);
  REQUIRE(due.size() == 2);
  CHECK(due[0].row.id == first);
  CHECK(due[1].row.id == second);
  CHECK_FALSE(due[0].opted_out);
  for (const auto& d : due) s->mark_sending(d.row.id, t0);
  CHECK(s->outbox_row(first)->status == MessageStatus::sending);
  CHECK(s->outbox_row(first)->attempts == 1);
  CHECK(s->outbox_row(first)->first_sent_at == t0);
  CHECK(s->outbox_row(later)->status == MessageStatus::queued);
  CHECK(s->due_rows(t0, 10).empty());  // nothing is handed over twice

  // A crash leaves them in flight: on restart they go back to the queue.
  CHECK(s->requeue_in_flight(t0 + 1s) == 2);
  CHECK(s->due_rows(t0 + 2s, 10).size() == 2);
  s->mark_sending(first, t0 + 3s);
  CHECK(s->outbox_row(first)->attempts == 2);
  CHECK(s->outbox_row(first)->first_sent_at == t0);  // the first time stays
}

TEST_CASE("statuses, provider ids and counts by status are recorded", "[store]") {
  auto s = open_sqlite_store(":memory:");
  auto id = s->insert_outbox(row("+33612345001", t0));
  s->set_outbox_status(id, MessageStatus::sent, "", "SM123", t0);
  s->set_outbox_status(id, MessageStatus::delivered, "", "", t0 + 1s);  // keeps the provider id
  auto r = s->outbox_row(id);
  CHECK(r->status == MessageStatus::delivered);
  CHECK(r->provider_id == "SM123");
  auto counts = s->outbox_counts();
  CHECK(counts[MessageStatus::delivered] == 1);
  CHECK(counts[MessageStatus::queued] == 0);
  CHECK(counts.size() == std::size(kAllStatuses));
}

TEST_CASE("an inbound message is stored once per channel and provider id", "[store]") {
  auto s = open_sqlite_store(":memory:");
  InboundMessage m;
  m.channel = "console";
  m.from = "+33612345001";
  m.text = "Oui";
  m.provider_id = "p1";
  CHECK(s->insert_inbound(m, std::nullopt, t0));
  CHECK_FALSE(s->insert_inbound(m, std::nullopt, t0));
  m.channel = "other";
  CHECK(s->insert_inbound(m, std::nullopt, t0));  // another channel's id space
  CHECK(s->recent_inbound(10).size() == 2);
}

TEST_CASE("a write by another connection is noticed through data_version", "[store]") {
  test::TempDir dir;
  const auto path = (dir / "s.db").string();
  auto server = open_sqlite_store(path);
  auto cli = open_sqlite_store(path);
  CHECK_FALSE(server->changed_elsewhere());
  cli->upsert_participants({person("Amina", "+33612345001")}, t0);
  CHECK(server->changed_elsewhere());
  CHECK_FALSE(server->changed_elsewhere());
}

TEST_CASE("a store transaction rolls back unless committed", "[store]") {
  auto s = open_sqlite_store(":memory:");
  {
    StoreTransaction tx(*s);
    s->upsert_participants({person("Amina", "+33612345001")}, t0);
  }
  CHECK(s->count_participants() == 0);
  {
    StoreTransaction tx(*s);
    s->upsert_participants({person("Amina", "+33612345001")}, t0);
    {
      StoreSavepoint sp(*s, "inner");
      s->upsert_participants({person("Sylvie", "+33612345002")}, t0);
    }
    tx.commit();
  }
  CHECK(s->count_participants() == 1);
}

TEST_CASE("receipts only move a message forward, whatever their order", "[store][receipts]") {
  auto s = open_sqlite_store(":memory:");
  auto id = s->insert_outbox(row("+33612345001", t0));
  s->set_outbox_status(id, MessageStatus::sent, "", "SM1", t0);
  auto receipt = [](MessageStatus st, std::string code = "") {
    DeliveryReceipt r;
    r.channel = "console";
    r.provider_id = "SM1";
    r.status = st;
    r.error_code = std::move(code);
    return r;
  };
  CHECK(s->apply_receipt(receipt(MessageStatus::delivered), t0 + 1s));
  CHECK(s->apply_receipt(receipt(MessageStatus::sent), t0 + 2s));  // late: ignored
  CHECK(s->outbox_row(id)->status == MessageStatus::delivered);
  CHECK(s->apply_receipt(receipt(MessageStatus::delivered), t0 + 3s));  // twice: harmless
  CHECK(s->apply_receipt(receipt(MessageStatus::read), t0 + 4s));
  CHECK(s->outbox_row(id)->status == MessageStatus::read);

  auto failed = s->insert_outbox(row("+33612345002", t0));
  s->set_outbox_status(failed, MessageStatus::sent, "", "SM2", t0);
  auto r = receipt(MessageStatus::undelivered, "30003");
  r.provider_id = "SM2";
  r.error_text = "Unreachable destination handset";
  s->apply_receipt(r, t0 + 1s);
  CHECK(s->outbox_row(failed)->status == MessageStatus::undelivered);
  CHECK(s->outbox_row(failed)->reason == "30003: Unreachable destination handset");
}

TEST_CASE("a receipt that comes before the send's answer is applied when the id is known", "[store][receipts]") {
  auto s = open_sqlite_store(":memory:");
  auto id = s->insert_outbox(row("+33612345001", t0));
  s->mark_sending(id, t0);
  DeliveryReceipt early;
  early.channel = "console";
  early.provider_id = "SM9";
  early.status = MessageStatus::delivered;
  CHECK_FALSE(s->apply_receipt(early, t0 + 1s));  // kept, not lost
  s->set_outbox_status(id, MessageStatus::sent, "", "SM9", t0 + 2s);
  CHECK(s->outbox_row(id)->status == MessageStatus::delivered);
  // A receipt for an id nobody sent is kept and harms nothing.
  early.provider_id = "unknown";
  CHECK_FALSE(s->apply_receipt(early, t0 + 3s));
}

TEST_CASE("a link code links once and expires", "[store][link]") {
  auto s = open_sqlite_store(":memory:");
  s->upsert_participants({person("Amina", "+33612345001")}, t0);
  const auto amina = s->find_participant_by_phone("+33612345001")->id;
  s->add_link_code("abc123", amina, "telegram", t0, t0 + 24h);
  s->add_link_code("old", amina, "telegram", t0, t0 + 1h);
  CHECK_FALSE(s->use_link_code("abc123", "whatsapp", t0 + 1min));  // another channel's code
  CHECK(s->use_link_code("abc123", "telegram", t0 + 1min) == amina);
  CHECK_FALSE(s->use_link_code("abc123", "telegram", t0 + 2min));  // used
  CHECK_FALSE(s->use_link_code("old", "telegram", t0 + 2h));       // expired

  s->link_address(amina, "telegram", "777", t0);
  CHECK(s->find_participant_by_address("telegram", "777")->first_name == "Amina");
  s->link_address(amina, "telegram", "888", t0);  // a new chat replaces the old one
  CHECK_FALSE(s->find_participant_by_address("telegram", "777"));
  CHECK(s->address_of(amina, "telegram") == std::optional<std::string>("888"));
}

TEST_CASE("the parts of a long SMS become one message when the last arrives", "[store][concat]") {
  auto s = open_sqlite_store(":memory:");
  auto part = [](int n, std::string text) {
    InboundMessage m;
    m.channel = "vonage";
    m.from = "+33612345001";
    m.text = std::move(text);
    m.provider_id = "id" + std::to_string(n);
    m.concat_ref = "42";
    m.concat_total = 3;
    m.concat_part = n;
    return m;
  };
  CHECK_FALSE(s->add_inbound_part(part(2, "deux "), t0));
  CHECK_FALSE(s->add_inbound_part(part(1, "un "), t0));
  CHECK_FALSE(s->add_inbound_part(part(1, "un "), t0));  // a retried part counts once
  auto whole = s->add_inbound_part(part(3, "trois"), t0);
  REQUIRE(whole);
  CHECK(whole->text == "un deux trois");
  CHECK(whole->provider_id == "concat:id1");
  CHECK(whole->concat_total == 1);
}

TEST_CASE("each database has its own install id", "[store]") {
  auto a = open_sqlite_store(":memory:");
  auto b = open_sqlite_store(":memory:");
  CHECK(a->install_id().size() == 8);
  CHECK(a->install_id() == a->install_id());
  CHECK(a->install_id() != b->install_id());  // 1 chance in 4 billion of a false failure
}

namespace {

InboundMessage note_from(const std::string& phone, const std::string& provider_id) {
  InboundMessage m;
  m.channel = "console";
  m.from = phone;
  m.text = "Je serai en retard";
  m.provider_id = provider_id;
  return m;
}

}  // namespace

TEST_CASE("a participant's messages are found before and after they are indexed by participant",
          "[store][inbound]") {
  auto s = open_sqlite_store(":memory:");
  s->upsert_participants({person("Amina", "+33612345001"), person("Sylvie", "+33612345002")}, t0);
  const auto amina = s->find_participant_by_phone("+33612345001")->id;
  const auto sylvie = s->find_participant_by_phone("+33612345002")->id;
  REQUIRE(s->insert_inbound(note_from("+33612345001", "a1"), amina, t0));
  REQUIRE(s->insert_inbound(note_from("+33612345002", "s1"), sylvie, t0 + 1s));
  REQUIRE(s->insert_inbound(note_from("+33612345001", "a2"), amina, t0 + 2s));
  REQUIRE(s->insert_inbound(note_from("+33612345001", "a3"), amina, t0 + 3s));

  auto check = [&] {
    const auto lines = s->coach().conversation(amina, 10);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].at == t0);
    CHECK(lines[2].at == t0 + 3s);
    CHECK(s->coach().conversation(sylvie, 10).size() == 1);
    CHECK(s->coach().participant(amina)->last_reply_at == t0 + 3s);
    CHECK(s->last_inbound_at("console", "+33612345001", amina) == t0 + 3s);
    ParticipantFilter replied;
    replied.replied_since = t0 + 2s;
    const auto recent = s->coach().participants(CohortScope::everything(), replied);
    REQUIRE(recent.size() == 1);
    CHECK(recent[0].record.id == amina);
    ParticipantFilter silent;
    silent.silent_since = t0 + 2s;
    const auto quiet = s->coach().participants(CohortScope::everything(), silent);
    REQUIRE(quiet.size() == 1);
    CHECK(quiet[0].record.id == sylvie);
  };
  SECTION("none indexed yet") { check(); }
  SECTION("some indexed, oldest first") {
    CHECK(s->index_inbound(2) == 2);
    check();
  }
  SECTION("all indexed; nothing left to index") {
    CHECK(s->index_inbound(2) == 2);
    CHECK(s->index_inbound(10) == 2);
    CHECK(s->index_inbound(10) == 0);
    check();
  }
}

TEST_CASE("queries of a participant's messages read indexes, never the whole table", "[store][inbound]") {
  test::TempDir dir;
  const auto path = (dir / "s.db").string();
  open_sqlite_store(path);  // creates the schema
  sql::Database db(path);
  const std::vector<std::string> queries = {
      "SELECT " + inbound_sql::last_received_at("?1"),
      "SELECT " + inbound_sql::wrote_between("?1", "?2", "?3"),
      "SELECT * FROM (" + inbound_sql::rows_of("id, received_at", "?1") + ") ORDER BY 2 DESC LIMIT 10",
  };
  for (const auto& query : queries) {
    sql::Statement plan(db, "EXPLAIN QUERY PLAN " + query);
    std::vector<std::string> steps;
    while (plan.step()) steps.push_back(plan.get_text(3));
    INFO(query);
    CHECK(std::count(steps.begin(), steps.end(), "SEARCH inbound USING INDEX inbound_by_participant (participant_id=?)") +
              std::count(steps.begin(), steps.end(),
                         "SEARCH inbound USING INDEX inbound_by_participant (participant_id=? AND received_at>? AND received_at<?)") ==
          1);
    CHECK(std::count(steps.begin(), steps.end(), "SEARCH inbound USING INDEX inbound_unindexed (indexed=?)") == 1);
    for (const auto& step : steps) CHECK(step.rfind("SCAN inbound", 0) != 0);
  }
}
