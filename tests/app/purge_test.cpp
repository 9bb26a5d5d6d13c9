// The retention purge: what ended more than retention_months ago is erased, a dry run
// counts the same and changes nothing, and the audit log keeps counts only.
#include <catch2/catch.hpp>

#include <sstream>

#include "bot/purge.hpp"
#include "support/configs.hpp"
#include "support/temp_dir.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

constexpr auto kDay = std::chrono::hours(24);
const Utc kNow = from_epoch_ms(1'781'517'600'000);  // 2026-06-15 10:00 UTC, 12:00 in Paris
const std::string kAmina = "+33612345001", kSylvie = "+33612345002", kRose = "+33612345003", kLeila = "+33612345004";
const std::string kStranger = "+33699999999", kNewcomer = "+33699999998";

InboundMessage message(const std::string& from, const std::string& text, const std::string& provider_id) {
  InboundMessage m;
  m.channel = "console";
  m.from = from;
  m.text = text;
  m.provider_id = provider_id;
  return m;
}

void add_session(Store& store, const std::string& uid, const std::string& cohort, Utc end) {
  Session s;
  s.uid = uid;
  s.start = end - 2h;
  s.end = end;
  s.title = "Atelier";
  s.cohorts = {cohort};
  store.upsert_session("cal", s, end);
}

// Two cohorts, one ended 13 months ago (Amina), one 11 months ago (Sylvie); a cohort with
// no session, where Rose never wrote and Leila wrote last month; two unknown numbers,
// one that wrote 13 months ago (answered), one last week.
struct Programme {
  test::TempDir dir;
  Config config = test::small_config((dir / "relais.db").string());
  std::unique_ptr<Store> store = open_sqlite_store(config.database_path().string());
  std::int64_t amina = 0, stranger_answer = 0;

  Programme() {
    config.retention_months = 12;
    const Utc enrolled = kNow - 700 * kDay;
    store->upsert_participants({test::participant("Amina", kAmina, "g1"), test::participant("Sylvie", kSylvie, "g2"),
                                test::participant("Rose", kRose, "g3"), test::participant("Leila", kLeila, "g3")},
                               enrolled);
    add_session(*store, "g1-last", "g1", kNow - 395 * kDay);
    add_session(*store, "g2-last", "g2", kNow - 335 * kDay);

    amina = id(kAmina);
    store->insert_inbound(message(kAmina, "ma fille est malade", "a1"), amina, kNow - 400 * kDay);
    store->add_answer(amina, "checkin", "checkin.rating", "4", kNow - 400 * kDay);
    store->add_answer(amina, "checkin", "checkin.blocker", "pas de voiture", kNow - 400 * kDay);
    store->insert_inbound(message(kSylvie, "je viendrai", "s1"), id(kSylvie), kNow - 340 * kDay);
    store->insert_inbound(message(kLeila, "merci", "l1"), id(kLeila), kNow - 30 * kDay);

    auto old = store->insert_inbound(message(kStranger, "qui etes-vous ?", "u1"), std::nullopt, kNow - 400 * kDay);
    OutboxRow answer;
    answer.channel = "console";
    answer.recipient = kStranger;
    answer.text = "Bonjour, ce numero est celui de Relais";
    answer.kind = "reply";
    answer.status = MessageStatus::delivered;
    answer.encoding = "GSM-7";
    answer.in_reply_to = old;
    answer.not_before = answer.created_at = kNow - 400 * kDay;
    stranger_answer = store->insert_outbox(answer);
    store->insert_inbound(message(kNewcomer, "bonjour", "u2"), std::nullopt, kNow - 7 * kDay);
  }

  std::int64_t id(const std::string& phone) { return store->find_participant_by_phone(phone)->id; }
  bool erased(const std::string& phone) { return !store->find_participant_by_phone(phone); }

  PurgeReport purge(bool dry_run) {
    StoreTransaction tx(*store);
    auto report = relais::purge(*store, config, dry_run, kNow);
    tx.commit();  // even committed, a dry run has changed nothing
    return report;
  }
  std::vector<AuditEntry> audit() { return store->coach().audit_entries(CohortScope::everything(), 0, 100); }
};

void check_same_counts(const PurgeReport& a, const PurgeReport& b) {
  CHECK(a.cutoff == b.cutoff);
  CHECK(a.participants == b.participants);
  CHECK(a.unknown_messages == b.unknown_messages);
  CHECK(a.counts.participants == b.counts.participants);
  CHECK(a.counts.inbound == b.counts.inbound);
  CHECK(a.counts.outbox == b.counts.outbox);
  CHECK(a.counts.answers == b.counts.answers);
  CHECK(a.counts.alerts == b.counts.alerts);
  CHECK(a.counts.conversations == b.counts.conversations);
  CHECK(a.counts.jobs == b.counts.jobs);
  CHECK(a.counts.other == b.counts.other);
}

}  // namespace

TEST_CASE("the purge erases what ended more than retention_months ago, and nothing younger", "[purge]") {
  Programme p;
  const auto dry = p.purge(true);
  CHECK(dry.dry_run);
  CHECK(format_utc(dry.cutoff) == "2025-06-14T22:00:00.000Z");  // 15 June 2025, midnight in Paris
  CHECK(dry.participants == 2);
  CHECK(dry.counts.inbound == 1);
  CHECK(dry.counts.answers == 1);
  CHECK(dry.unknown_messages == 1);
  // The dry run changed nothing.
  CHECK_FALSE(p.erased(kAmina));
  CHECK_FALSE(p.erased(kRose));
  CHECK(p.store->recent_inbound(10).size() == 5);
  CHECK(p.store->outbox_row(p.stranger_answer)->recipient == kStranger);
  CHECK(p.audit().empty());

  const auto real = p.purge(false);
  CHECK_FALSE(real.dry_run);
  check_same_counts(dry, real);
  CHECK(p.erased(kAmina));   // her cohort's last session ended 13 months ago
  CHECK(p.erased(kRose));    // no session, never wrote: enrolled 23 months ago
  CHECK_FALSE(p.erased(kSylvie));  // 11 months ago
  CHECK_FALSE(p.erased(kLeila));   // no session, but wrote last month
  CHECK(p.store->answers_of(p.amina) == std::vector<std::pair<std::string, std::string>>{{"checkin.rating", "4"}});
  CHECK(p.store->recent_inbound(10).size() == 3);  // Sylvie's, Leila's and last week's unknown number…
  CHECK(p.store->last_inbound_at("console", kNewcomer));
  CHECK_FALSE(p.store->last_inbound_at("console", kStranger));  // …not the old one
  CHECK(p.store->outbox_row(p.stranger_answer)->recipient.empty());
  CHECK(p.store->outbox_row(p.stranger_answer)->text.empty());

  const auto entries = p.audit();
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].action == "purge");
  CHECK(entries[0].detail.find("participants 2") != std::string::npos);
  for (const std::string& identity : {kAmina, kRose, kStranger, std::string("Amina"), std::string("Rose"),
                                      std::string("malade"), std::string("33612")}) {
    INFO(identity);
    CHECK(entries[0].detail.find(identity) == std::string::npos);
  }

  // Nothing is left to erase, and a purge that erased nothing writes no audit entry.
  const auto again = p.purge(false);
  CHECK(again.participants == 0);
  CHECK(again.unknown_messages == 0);
  CHECK(p.audit().size() == 1);
}

TEST_CASE("retention_months 0 keeps everything", "[purge]") {
  Programme p;
  p.config.retention_months = 0;
  const auto report = p.purge(false);
  CHECK(report.participants == 0);
  CHECK(report.unknown_messages == 0);
  CHECK_FALSE(p.erased(kAmina));
  CHECK(p.store->recent_inbound(10).size() == 5);

  std::ostringstream out, err;
  CHECK(purge_command(p.config, false, out, err, kNow) == 0);
  CHECK(out.str().find("nothing to purge") != std::string::npos);
  CHECK_FALSE(p.erased(kAmina));
}

TEST_CASE("the cutoff counts calendar months in the programme's time zone", "[purge]") {
  test::TempDir dir;
  auto config = test::small_config((dir / "relais.db").string());
  config.retention_months = 1;
  auto store = open_sqlite_store(config.database_path().string());
  StoreTransaction tx(*store);
  // 31 March less one month: the last day of February, from its midnight in Paris.
  CHECK(format_utc(purge(*store, config, true, from_epoch_ms(1'774'951'200'000)).cutoff) == "2026-02-27T23:00:00.000Z");
}

TEST_CASE("relais purge says what it would erase, then what it erased", "[purge][cli]") {
  Programme p;
  std::ostringstream dry_out, out, err;
  CHECK(purge_command(p.config, true, dry_out, err, kNow) == 0);
  CHECK(dry_out.str().find("Dry run: nothing was changed") != std::string::npos);
  CHECK(dry_out.str().find("2025-06-15") != std::string::npos);
  CHECK(dry_out.str().find("participants erased (identity removed, counts kept): 2") != std::string::npos);
  CHECK_FALSE(p.erased(kAmina));

  CHECK(purge_command(p.config, false, out, err, kNow) == 0);
  CHECK(out.str().find("Erased what ended before 2025-06-15") != std::string::npos);
  CHECK(out.str().find("messages from unknown numbers deleted: 1") != std::string::npos);
  CHECK(p.erased(kAmina));
  CHECK(err.str().empty());

  std::ostringstream nothing;
  CHECK(purge_command(p.config, false, nothing, err, kNow) == 0);
  CHECK(nothing.str().find("Nothing is that old") != std::string::npos);
}
