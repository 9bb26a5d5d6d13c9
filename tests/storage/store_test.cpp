#include <catch2/catch.hpp>

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

TEST_CASE("claiming due rows marks them sending, oldest first, and leaves future rows", "[store]") {
  auto s = open_sqlite_store(":memory:");
  auto later = s->insert_outbox(row("+33612345001", t0 + 1h));
  auto second = s->insert_outbox(row("+33612345001", t0 - 1min));
  auto first = s->insert_outbox(row("+33612345002", t0 - 2min));
  auto claimed = s->claim_due(t0, 10);
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].id == first);
  CHECK(claimed[1].id == second);
  CHECK(claimed[0].status == MessageStatus::sending);
  CHECK(claimed[0].attempts == 1);
  CHECK(s->outbox_row(later)->status == MessageStatus::queued);
  CHECK(s->claim_due(t0, 10).empty());  // nothing is claimed twice

  // A crash leaves them in flight: on restart they go back to the queue.
  CHECK(s->requeue_in_flight(t0 + 1s) == 2);
  CHECK(s->claim_due(t0 + 2s, 10).size() == 2);
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
