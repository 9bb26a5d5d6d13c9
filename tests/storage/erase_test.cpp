// RGPD erasure: nothing of her identity or words is left anywhere, what the indicators count
// stays, and nobody else's data moves.
#include <catch2/catch.hpp>

#include "bot/storage/sqlite.hpp"
#include "bot/storage/store.hpp"
#include "support/configs.hpp"
#include "support/temp_dir.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

const Utc t0 = from_epoch_ms(1'790'000'000'000);
const std::string kAmina = "+33612345001", kSylvie = "+33612345002", kNadia = "+33612345003";

InboundMessage message(const std::string& channel, const std::string& from, const std::string& text,
                       const std::string& provider_id) {
  InboundMessage m;
  m.channel = channel;
  m.from = from;
  m.text = text;
  m.provider_id = provider_id;
  return m;
}

OutboxRow to(std::optional<std::int64_t> participant, const std::string& recipient, const std::string& text,
             MessageStatus status, std::map<std::string, std::string> variables = {}) {
  OutboxRow r;
  r.participant_id = participant;
  r.channel = "console";
  r.recipient = recipient;
  r.text = text;
  r.kind = "reply";
  r.status = status;
  r.encoding = "GSM-7";
  r.segments = 2;
  r.cost_eur = 0.10;
  r.not_before = t0;
  r.created_at = t0;
  r.template_id = "some.template";
  r.variables = std::move(variables);
  return r;
}

// Every "table.column" of the database whose text contains `needle` (tables added later
// are searched too).
std::vector<std::string> places_holding(sql::Database& db, const std::string& needle) {
  std::vector<std::string> tables, found;
  sql::Statement list(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
  while (list.step()) tables.push_back(list.get_text(0));
  for (const auto& table : tables) {
    sql::Statement columns(db, "SELECT name FROM pragma_table_info(?)");
    columns.bind(1, table);
    while (columns.step()) {
      const auto column = columns.get_text(0);
      sql::Statement holds(db, "SELECT count(*) FROM \"" + table + "\" WHERE instr(CAST(\"" + column + "\" AS TEXT), ?) > 0");
      holds.bind(1, needle);
      holds.step();
      if (holds.get_int(0) > 0) found.push_back(table + "." + column);
    }
  }
  return found;
}

std::int64_t number(sql::Database& db, const std::string& query) {
  sql::Statement st(db, query);
  st.step();
  return st.get_int(0);
}

int total(const ErasureCounts& c) {
  return c.participants + c.inbound + c.outbox + c.answers + c.alerts + c.conversations + c.jobs + c.other;
}

// Amina (erased in the tests) with everything a participant leaves behind; Sylvie, her
// binôme; Nadia, who has nothing to do with her.
struct Programme {
  test::TempDir dir;
  std::string path = (dir / "relais.db").string();
  std::unique_ptr<Store> store = open_sqlite_store(path);
  std::int64_t amina = 0, sylvie = 0, nadia = 0, session = 0;
  std::int64_t answer_to_unknown = 0, reply = 0, from_job = 0, waiting = 0;
  std::int64_t relay = 0, names_her = 0, sylvie_plain = 0, to_nadia = 0;

  Programme() {
    auto a = test::participant("Amina", kAmina);
    a.buddy_phone = kSylvie;
    a.external_id = "EXT-AMINA-77";
    auto b = test::participant("Sylvie", kSylvie);
    b.buddy_phone = kAmina;
    store->upsert_participants({a, b, test::participant("Nadia", kNadia)}, t0 - 30 * 24h);
    amina = store->find_participant_by_phone(kAmina)->id;
    sylvie = store->find_participant_by_phone(kSylvie)->id;
    nadia = store->find_participant_by_phone(kNadia)->id;

    // Before she was known: a message from her phone, answered.
    auto early = store->insert_inbound(message("console", kAmina, "c'est qui ?", "p0"), std::nullopt, t0 - 48h);
    auto neutral = to(std::nullopt, kAmina, "Bonjour, ce numero est celui de Relais", MessageStatus::delivered);
    neutral.in_reply_to = early;
    answer_to_unknown = store->insert_outbox(neutral);

    store->link_address(amina, "telegram", "chat-98765", t0);
    store->add_link_code("code-amina", amina, "telegram", t0, t0 + 24h);
    auto part = message("telegram", "chat-98765", "premier morceau secret", "part-1");
    part.concat_ref = "r1";
    part.concat_total = 2;
    store->add_inbound_part(part, t0);

    auto hers = store->insert_inbound(message("console", kAmina, "ma fille est malade", "p1"), amina, t0);
    auto answer = to(amina, kAmina, "Merci Amina, bon courage", MessageStatus::sent, {{"first_name", "Amina"}});
    answer.in_reply_to = hers;
    reply = store->insert_outbox(answer);

    PlannedJob job;
    job.key = "p/" + std::to_string(amina) + "/checkin/2026-09-01";
    job.participant_id = amina;
    job.rule = job.kind = job.dialog = "checkin";
    job.due = t0 + 1h;
    store->upsert_job(job, store->next_plan_run(), t0);
    auto planned = to(amina, kAmina, "Amina, comment ca va ?", MessageStatus::delivered);
    planned.job_id = store->job_by_key(job.key)->id;
    from_job = store->insert_outbox(planned);
    auto later = to(amina, kAmina, "Rappel Amina : atelier jeudi", MessageStatus::queued);
    later.not_before = t0 + 24h;
    waiting = store->insert_outbox(later);

    // Her words relayed to Sylvie, and Sylvie's own messages that name her binôme.
    relay = store->insert_outbox(to(sylvie, kSylvie, "Bonjour Sylvie, un message de votre binome Amina : tu vas y arriver",
                                    MessageStatus::delivered,
                                    {{"first_name", "Amina"}, {"buddy_first_name", "Sylvie"}, {"answer_message", "tu vas y arriver"}}));
    names_her = store->insert_outbox(to(sylvie, kSylvie, "Sylvie, votre binome Amina vous attend", MessageStatus::sent,
                                        {{"first_name", "Sylvie"}, {"buddy_first_name", "Amina"}}));
    sylvie_plain = store->insert_outbox(to(sylvie, kSylvie, "Bonjour Sylvie", MessageStatus::sent,
                                           {{"first_name", "Sylvie"}, {"buddy_first_name", "Amina"}}));

    store->add_answer(amina, "checkin", "checkin.rating", "4", t0);
    store->add_answer(amina, "checkin", "checkin.blocker", "pas de voiture le jeudi", t0);
    ConversationRow talk;
    talk.participant_id = amina;
    talk.dialog = "checkin";
    talk.node = "blocker";
    talk.answers = {{"blocker", "pas de voiture le jeudi"}};
    talk.started_at = t0;
    store->save_conversation(talk, t0);
    store->add_alert({"participant_message", amina, "g1", "dialog checkin"}, t0);
    store->record_tip(amina, "tip-bus", "mobility", t0);

    Session own;
    own.uid = "entretien-1";
    own.start = t0 - 2h;
    own.end = t0 - 1h;
    own.title = "Entretien Amina";
    own.kind = "individual-coaching";
    own.cohorts = {"g1"};
    own.participant = kAmina;
    session = store->upsert_session("cal", own, t0).id;
    store->set_attendance(session, amina, "present", "", "coach", t0);

    store->insert_inbound(message("console", kNadia, "je suis Nadia", "p2"), nadia, t0);
    to_nadia = store->insert_outbox(to(nadia, kNadia, "Merci Nadia", MessageStatus::delivered, {{"first_name", "Nadia"}}));
    store->add_answer(nadia, "checkin", "participant.next_step", "appeler France Travail", t0);
  }
};

}  // namespace

TEST_CASE("an erased participant leaves no identity and no words anywhere, only counts", "[erase]") {
  Programme p;
  sql::Database db(p.path);
  const auto outbox_rows = number(db, "SELECT count(*) FROM outbox");
  const auto her_segments = number(db, "SELECT sum(segments) FROM outbox WHERE participant_id = " + std::to_string(p.amina));
  const auto nadia_before = p.store->find_participant(p.nadia);

  const std::vector<std::string> hers{kAmina, "33612345001", "Amina", "EXT-AMINA", "chat-98765", "code-amina",
                                     "malade", "voiture", "tu vas y arriver", "secret", "c'est qui"};
  for (const auto& needle : hers) {
    INFO(needle);
    REQUIRE_FALSE(places_holding(db, needle).empty());  // the search finds it before
  }

  const auto n = p.store->coach().erase_participant(p.amina, t0 + 1h);

  CHECK(n.participants == 1);
  CHECK(n.inbound == 2);        // hers, and the one her phone sent before she was known
  CHECK(n.outbox == 7);         // four to her, three to Sylvie that carried her name or words
  CHECK(n.answers == 1);        // the free text; the rating stays
  CHECK(n.conversations == 1);
  CHECK(n.alerts == 1);
  CHECK(n.jobs == 1);
  CHECK(n.other == 3);          // the part of a long SMS, the address, the link code

  for (const auto& needle : hers) {
    INFO(needle);
    CHECK(places_holding(db, needle).empty());
  }

  SECTION("her row stays without identity, with what the indicators count") {
    auto her = p.store->find_participant(p.amina);
    REQUIRE(her);
    CHECK(her->phone == "erased:" + std::to_string(p.amina));
    CHECK(her->first_name.empty());
    CHECK_FALSE(her->buddy_phone);
    CHECK_FALSE(her->external_id);
    CHECK(her->cohort == "g1");
    CHECK(her->consent);
    CHECK(her->enrolled_at == t0 - 30 * 24h);
    CHECK(number(db, "SELECT erased_at FROM participants WHERE id = " + std::to_string(p.amina)) == to_epoch_ms(t0 + 1h));
    CHECK(p.store->answers_of(p.amina) == std::vector<std::pair<std::string, std::string>>{{"checkin.rating", "4"}});
    CHECK(p.store->tips_sent_to(p.amina).size() == 1);
    CHECK(p.store->attendance_of(p.session, p.amina) == std::optional<std::string>("present"));
    CHECK(p.store->session(p.session)->session.kind == "individual-coaching");
  }

  SECTION("messages to her are blanked, their counts kept; one still waiting is cancelled") {
    CHECK(number(db, "SELECT count(*) FROM outbox") == outbox_rows);
    CHECK(number(db, "SELECT sum(segments) FROM outbox WHERE participant_id = " + std::to_string(p.amina)) == her_segments);
    auto reply = p.store->outbox_row(p.reply);
    CHECK(reply->text.empty());
    CHECK(reply->recipient.empty());
    CHECK(reply->variables.empty());
    CHECK_FALSE(reply->in_reply_to);
    CHECK(reply->status == MessageStatus::sent);
    CHECK(reply->segments == 2);
    CHECK(reply->cost_eur == Approx(0.10));
    CHECK(reply->template_id == "some.template");
    CHECK(reply->participant_id == p.amina);
    CHECK_FALSE(p.store->outbox_row(p.from_job)->job_id);
    CHECK(p.store->outbox_row(p.waiting)->status == MessageStatus::cancelled);
    CHECK(p.store->outbox_row(p.answer_to_unknown)->recipient.empty());
    CHECK(p.store->jobs_of_participant(p.amina).empty());
  }

  SECTION("her binôme keeps her own messages, without her name or words") {
    auto sylvie = p.store->find_participant(p.sylvie);
    CHECK(sylvie->first_name == "Sylvie");
    CHECK_FALSE(sylvie->buddy_phone);
    auto relay = p.store->outbox_row(p.relay);
    CHECK(relay->text.empty());
    CHECK(relay->variables.empty());
    CHECK(relay->recipient == kSylvie);
    CHECK(p.store->outbox_row(p.names_her)->text.empty());
    auto plain = p.store->outbox_row(p.sylvie_plain);
    CHECK(plain->text == "Bonjour Sylvie");
    CHECK(plain->variables == std::map<std::string, std::string>{{"first_name", "Sylvie"}});
  }

  SECTION("someone else is untouched") {
    auto nadia = p.store->find_participant(p.nadia);
    CHECK(nadia->phone == nadia_before->phone);
    CHECK(nadia->first_name == "Nadia");
    CHECK(p.store->outbox_row(p.to_nadia)->text == "Merci Nadia");
    CHECK(p.store->answers_of(p.nadia).size() == 1);
    CHECK(number(db, "SELECT count(*) FROM inbound WHERE participant_id = " + std::to_string(p.nadia)) == 1);
  }

  SECTION("the foreign keys hold") {
    sql::Statement check(db, "PRAGMA foreign_key_check");
    CHECK_FALSE(check.step());
  }

  SECTION("a second erasure changes nothing") {
    CHECK(total(p.store->coach().erase_participant(p.amina, t0 + 2h)) == 0);
    CHECK(number(db, "SELECT erased_at FROM participants WHERE id = " + std::to_string(p.amina)) == to_epoch_ms(t0 + 1h));
  }
}

TEST_CASE("an erasure in a transaction rolled back leaves her as she was", "[erase]") {
  Programme p;
  {
    StoreTransaction tx(*p.store);
    CHECK(p.store->coach().erase_participant(p.amina, t0).participants == 1);
  }
  CHECK(p.store->find_participant(p.amina)->phone == kAmina);
  CHECK(p.store->outbox_row(p.reply)->text == "Merci Amina, bon courage");
}

TEST_CASE("retention looks at the last session that concerns her", "[erase][retention]") {
  auto s = open_sqlite_store(":memory:");
  using test::participant;
  s->upsert_participants({participant("Amina", kAmina, "ended"), participant("Sylvie", kSylvie, "ended"),
                          participant("Nadia", kNadia, "running"), participant("Leila", "+33612345004", "no-sessions"),
                          participant("Rose", "+33612345005", "no-sessions")},
                         t0 - 400 * 24h);
  auto session = [&](const std::string& uid, const std::string& cohort, Utc end, bool cancelled = false,
                     std::optional<std::string> participant = std::nullopt) {
    Session x;
    x.uid = uid;
    x.start = end - 2h;
    x.end = end;
    x.title = "Atelier";
    x.cohorts = {cohort};
    x.cancelled = cancelled;
    x.participant = participant;
    s->upsert_session("cal", x, t0);
  };
  session("ended-last", "ended", t0 - 10 * 24h);
  session("ended-after-cutoff-but-cancelled", "ended", t0 + 10 * 24h, true);
  session("sylvie-alone", "ended", t0 + 5 * 24h, false, kSylvie);  // her own session is still ahead
  session("running", "running", t0 + 10 * 24h);
  // Leila wrote lately; Rose never did (her enrolment counts).
  s->insert_inbound(message("console", "+33612345004", "bonjour", "l1"), s->find_participant_by_phone("+33612345004")->id,
                    t0 + 1h);

  const auto ids = s->coach().participants_past_retention(t0);
  std::vector<std::string> who;
  for (auto id : ids) who.push_back(s->find_participant(id)->first_name);
  CHECK(who == std::vector<std::string>{"Amina", "Rose"});

  s->coach().erase_participant(s->find_participant_by_phone(kAmina)->id, t0);
  CHECK(s->coach().participants_past_retention(t0).size() == 1);  // an erased participant is not found again
}

TEST_CASE("erasure counts add up", "[erase]") {
  ErasureCounts a{1, 2, 3, 4, 5, 6, 7, 8};
  a += ErasureCounts{1, 1, 1, 1, 1, 1, 1, 1};
  CHECK(a.participants == 2);
  CHECK(a.inbound == 3);
  CHECK(a.outbox == 4);
  CHECK(a.answers == 5);
  CHECK(a.alerts == 6);
  CHECK(a.conversations == 7);
  CHECK(a.jobs == 8);
  CHECK(a.other == 9);
}
