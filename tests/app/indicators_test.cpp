// The funders' indicators (docs/indicators.md) on a small programme whose figures are
// worked out by hand below, then the CSV and the HTML report made from them.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bot/core/csv_writer.hpp"
#include "bot/reports.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/zone.hpp"
#include "support/configs.hpp"
#include "support/temp_dir.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

const TimeZone kParis("Europe/Paris");

// Local time in Paris (UTC+1 in November).
Utc paris(unsigned month, unsigned day, int hour, int minute = 0) {
  return kParis.from_local(2026, month, day, hour * 60 + minute);
}

// The period the figures below are worked out for: two weeks, Sunday 15 to Sunday 29
// November 2026 (Monday 16 starts ISO week 47, Monday 23 week 48).
const Utc kFrom = paris(11, 15, 0);
const Utc kTo = paris(11, 29, 0);

struct Programme {
  std::int64_t amina, bea, chloe, dina, eve, fatou;
};

ParticipantRecord person(const std::string& name, const std::string& phone, const std::string& cohort, bool consent,
                         bool tips, std::vector<std::string> barriers) {
  auto p = test::participant(name, phone, cohort);
  p.consent = consent;
  p.consent_tips = tips;
  p.barriers = std::move(barriers);
  return p;
}

std::int64_t session(Store& s, const std::string& uid, const std::string& kind, std::vector<std::string> cohorts,
                     Utc start, bool cancelled = false) {
  Session session;
  session.uid = uid;
  session.start = start;
  session.end = start + 2h;
  session.title = "Atelier";
  session.kind = kind;
  session.cohorts = std::move(cohorts);
  session.cancelled = cancelled;
  return s.upsert_session("test", session, start - 30 * 24h).id;
}

std::int64_t message(Store& s, std::optional<std::int64_t> to, const std::string& channel, int segments, double cost,
                     Utc written) {
  OutboxRow r;
  r.participant_id = to;
  r.channel = channel;
  r.recipient = "+33612345999";
  r.text = "Comment s'est passé l'atelier ?";
  r.kind = "checkin";
  r.encoding = "GSM-7";
  r.segments = segments;
  r.cost_eur = cost;
  r.not_before = written;
  r.created_at = written;
  return s.insert_outbox(r);
}

// Handed to the gateway at `at`, then `status` from its answer or a receipt.
void hand_over(Store& s, std::int64_t id, Utc at, MessageStatus status) {
  s.mark_sending(id, at);
  s.set_outbox_status(id, status, "", "gw-" + std::to_string(id), at);
}

// A message that asks her a question, handed over at `at`.
std::int64_t question(Store& s, std::int64_t to, int segments, double cost, Utc at, MessageStatus status) {
  auto id = message(s, to, "console", segments, cost, at);
  s.coach().mark_outbox_asks(id);
  hand_over(s, id, at, status);
  return id;
}

void reply(Store& s, std::int64_t from, Utc at) {
  static int n = 0;
  InboundMessage m;
  m.channel = "console";
  m.from = "+33612345999";
  m.text = "oui";
  m.provider_id = "in-" + std::to_string(++n);
  s.insert_inbound(m, from, at);
}

void rating(Store& s, std::int64_t who, const std::string& mark, Utc at, std::optional<std::int64_t> session_id) {
  s.add_answer(who, "checkin", "checkin.rating", mark, at, session_id);
}

Programme build_programme(Store& s) {
  const Utc enrolled = paris(11, 2, 9);
  // g1: Amina, Bea (opted out), Chloé (erased at the end), Dina; g2: Eve, Fatou.
  s.upsert_participants(
      {person("Amina", "+33612345001", "g1", true, true, {"childcare", "mobility"}),
       person("Bea", "+33612345002", "g1", true, false, {"mobility"}),
       person("Chloé", "+33612345003", "g1", false, false, {}),
       person("=HYPERLINK(\"http://evil.example\")", "+33612345004", "g1", true, true, {"digital"}),
       person("Eve", "+33612345005", "g2", true, true, {"confidence", "childcare"}),
       person("Fatou", "+33612345006", "g2", true, false, {"isolation"})},
      enrolled);
  auto id = [&](const char* phone) { return s.find_participant_by_phone(phone)->id; };
  const Programme p{id("+33612345001"), id("+33612345002"), id("+33612345003"),
                    id("+33612345004"), id("+33612345005"), id("+33612345006")};
  s.set_opted_out(p.bea, true, enrolled + 24h);

  // Sessions: S0 before the period, S1 and S2 held in it, S3 cancelled, S4 after it.
  const auto s0 = session(s, "s0", "collective-coaching", {"g1"}, paris(11, 9, 14));
  const auto s1 = session(s, "s1", "collective-coaching", {"g1"}, paris(11, 16, 14));
  const auto s2 = session(s, "s2", "mobility", {"g1", "g2"}, paris(11, 18, 10));
  const auto s3 = session(s, "s3", "mobility", {"g2"}, paris(11, 19, 10), true);
  session(s, "s4", "digital", {"g1"}, paris(12, 2, 14));
  s.set_attendance(s0, p.amina, "present", "", "coach", paris(11, 9, 17));
  s.set_attendance(s1, p.amina, "present", "", "coach", paris(11, 16, 17));
  s.set_attendance(s1, p.bea, "absent", "", "coach", paris(11, 16, 17));
  s.set_attendance(s1, p.chloe, "present", "", "coach", paris(11, 16, 17));
  s.set_attendance(s1, p.dina, "excused", "malade", "declared", paris(11, 15, 10));
  s.set_attendance(s2, p.amina, "present", "", "coach", paris(11, 18, 13));
  s.set_attendance(s2, p.eve, "present", "", "coach", paris(11, 18, 13));
  s.set_attendance(s2, p.fatou, "absent", "", "coach", paris(11, 18, 13));
  s.set_attendance(s3, p.fatou, "present", "", "coach", paris(11, 19, 13));  // cancelled: not held

  // Check-in ratings. Fatou's, at 00:30 on Monday 23 in Paris, is still Sunday in UTC.
  rating(s, p.amina, "5", paris(11, 9, 18), s0);  // before the period
  rating(s, p.amina, "4", paris(11, 16, 18), s1);
  rating(s, p.chloe, "2", paris(11, 16, 20), s1);
  rating(s, p.dina, "5", paris(11, 17, 9), s1);
  rating(s, p.amina, "5", paris(11, 18, 12), s2);
  rating(s, p.eve, "3", paris(11, 22, 23, 30), s2);
  rating(s, p.fatou, "1", paris(11, 23, 0, 30), std::nullopt);
  s.add_answer(p.amina, "checkin", "checkin.helped", "5 étoiles", paris(11, 16, 18, 5), s1);  // not a rating
  s.add_answer(p.chloe, "checkin", "checkin.helped", "rien", paris(11, 16, 20, 5), s1);

  // Questions (console, 0.05 € a segment) and her replies.
  question(s, p.amina, 1, 0.05, paris(11, 16, 19), MessageStatus::delivered);  // Q1
  reply(s, p.amina, paris(11, 17, 10));                                         //   answered 15 h later
  reply(s, p.bea, paris(11, 16, 8));                                            // before Q2: no answer to it
  question(s, p.bea, 2, 0.10, paris(11, 17, 9), MessageStatus::read);           // Q2
  reply(s, p.bea, paris(11, 17, 9) + 48h + 1s);                                 //   one second too late
  question(s, p.chloe, 1, 0.05, paris(11, 16, 19), MessageStatus::sent);        // Q3, Chloé erased below
  reply(s, p.chloe, paris(11, 16, 20));
  question(s, p.eve, 1, 0.05, paris(11, 18, 12), MessageStatus::failed);        // Q4
  reply(s, p.eve, paris(11, 18, 12) + 48h);                                     //   just in time
  const auto q5 = message(s, p.fatou, "console", 1, 0.05, paris(11, 20, 9));    // Q5: still queued
  s.coach().mark_outbox_asks(q5);
  const auto q7 = message(s, p.dina, "console", 1, 0.05, paris(11, 10, 9));     // Q7: before the period
  s.coach().mark_outbox_asks(q7);
  hand_over(s, q7, paris(11, 10, 9), MessageStatus::delivered);
  reply(s, p.dina, paris(11, 10, 10));

  // Other messages.
  hand_over(s, message(s, p.amina, "console", 3, 0.15, paris(11, 19, 9)), paris(11, 19, 9),
            MessageStatus::undelivered);                                                       // M6
  s.set_outbox_status(message(s, p.bea, "console", 1, 0.05, paris(11, 19, 9)), MessageStatus::dropped,
                      "opted out", "", paris(11, 19, 9));                                      // M8
  hand_over(s, message(s, p.eve, "sms", 2, 0.16, paris(11, 20, 9)), paris(11, 20, 9),
            MessageStatus::delivered);                                                         // M9
  hand_over(s, message(s, std::nullopt, "sms", 1, 0.08, paris(11, 20, 10)), paris(11, 20, 10),
            MessageStatus::sent);                                                              // M10: an unknown number

  // Practical tips.
  s.record_tip(p.amina, "childcare-1", "childcare", paris(11, 17, 10));
  s.record_tip(p.amina, "mobility-1", "mobility", paris(11, 17, 10));
  s.record_tip(p.amina, "mobility-2", "mobility", paris(11, 24, 10));
  s.record_tip(p.eve, "confidence-1", "confidence", paris(11, 20, 10));
  s.record_tip(p.dina, "digital-1", "digital", paris(11, 10, 10));  // before the period

  s.coach().erase_participant(p.chloe, paris(11, 28, 9));
  return p;
}

IndicatorQuery query(CohortScope scope, std::optional<std::string> cohort = std::nullopt) {
  IndicatorQuery q;
  q.scope = std::move(scope);
  q.cohort = std::move(cohort);
  q.from = kFrom;
  q.to = kTo;
  q.budget_eur = 10;
  return q;
}

const CohortFigures& cohort_of(const Indicators& ind, const std::string& id) {
  for (const auto& c : ind.cohorts)
    if (c.cohort == id) return c;
  FAIL("no cohort " << id);
  throw std::logic_error("unreachable");
}

const SessionKindFigures& kind_of(const Indicators& ind, const std::string& kind) {
  for (const auto& k : ind.session_kinds)
    if (k.kind == kind) return k;
  FAIL("no session kind " << kind);
  throw std::logic_error("unreachable");
}

using Marks = std::array<std::int64_t, 5>;

}  // namespace

TEST_CASE("the indicators of a small programme are the figures worked out by hand", "[indicators]") {
  auto s = open_sqlite_store(":memory:");
  build_programme(*s);
  const auto ind = s->coach().indicators(query(CohortScope::everything()));
  const auto& g1 = cohort_of(ind, "g1");
  const auto& g2 = cohort_of(ind, "g2");
  REQUIRE(ind.cohorts.size() == 2);

  SECTION("participants: erased ones still counted, opted out = STOP") {
    // g1: Amina, Bea, Chloé, Dina; consent: all but Chloé; tips: Amina, Dina.
    CHECK(g1.enrolled == 4);
    CHECK(g1.consenting == 3);
    CHECK(g1.consenting_tips == 2);
    CHECK(g1.opted_out == 1);  // Bea
    CHECK(g1.erased == 1);     // Chloé
    CHECK(g2.enrolled == 2);
    CHECK(g2.consenting == 2);
    CHECK(g2.consenting_tips == 1);
    CHECK(g2.opted_out == 0);
    CHECK(g2.erased == 0);
    CHECK(ind.programme.enrolled == 6);
    CHECK(ind.programme.consenting == 5);
    CHECK(ind.programme.opted_out == 1);
    CHECK(ind.programme.erased == 1);
  }

  SECTION("attendance: present ÷ (present + absent), excused apart; S0 before the period and S3 cancelled left out") {
    // S1 (collective): Amina present, Bea absent, Chloé present, Dina excused.
    // S2 (mobility): Amina present (g1), Eve present, Fatou absent (g2).
    CHECK(g1.attendance.present == 3);
    CHECK(g1.attendance.absent == 1);
    CHECK(g1.attendance.excused == 1);
    CHECK(*g1.attendance.rate().rate() == Approx(0.75));
    CHECK(g2.attendance.present == 1);
    CHECK(g2.attendance.absent == 1);
    CHECK(*g2.attendance.rate().rate() == Approx(0.5));
    CHECK(ind.programme.attendance.rate().part == 4);
    CHECK(ind.programme.attendance.rate().whole == 6);
    CHECK(ind.programme.attendance.excused == 1);

    REQUIRE(ind.session_kinds.size() == 2);  // S4 (digital) has not happened yet
    const auto& collective = kind_of(ind, "collective-coaching");
    const auto& mobility = kind_of(ind, "mobility");
    CHECK(collective.sessions == 1);  // S1 (S0 is before the period)
    CHECK(mobility.sessions == 1);    // S2 (S3 was cancelled)
    CHECK(collective.attendance.present == 2);
    CHECK(collective.attendance.absent == 1);
    CHECK(collective.attendance.excused == 1);
    CHECK(mobility.attendance.present == 2);
    CHECK(mobility.attendance.absent == 1);
  }

  SECTION("check-in ratings: distribution, means, by session kind, by local week") {
    // In the period: Amina 4 (S1), Chloé 2 (S1, kept after her erasure), Dina 5 (S1),
    // Amina 5 (S2), Eve 3 (S2), Fatou 1 (no session). Amina's 5 of S0 is before it.
    CHECK(ind.programme.ratings.by_mark == Marks{1, 1, 1, 1, 2});
    CHECK(ind.programme.ratings.count() == 6);
    CHECK(ind.programme.ratings.sum() == 20);
    CHECK(*ind.programme.ratings.mean() == Approx(20.0 / 6));
    CHECK(g1.ratings.by_mark == Marks{0, 1, 0, 1, 2});  // mean 16 / 4 = 4
    CHECK(*g1.ratings.mean() == Approx(4.0));
    CHECK(g2.ratings.by_mark == Marks{1, 0, 1, 0, 0});  // mean 4 / 2 = 2
    CHECK(kind_of(ind, "collective-coaching").ratings.by_mark == Marks{0, 1, 0, 1, 1});  // 4, 2, 5
    CHECK(kind_of(ind, "mobility").ratings.by_mark == Marks{0, 0, 1, 0, 1});             // 5, 3

    // Week 47 (16–22 November): 4, 2, 5, 5 and Eve's 3 on Sunday 23:30; week 48: Fatou's
    // 1 at 00:30 on Monday 23, Paris time (Sunday in UTC).
    REQUIRE(ind.ratings_by_week.size() == 2);
    CHECK(ind.ratings_by_week[0].week == "2026-W47");
    CHECK(ind.ratings_by_week[0].week_start == "2026-11-16");
    CHECK(ind.ratings_by_week[0].ratings.count() == 5);
    CHECK(ind.ratings_by_week[0].ratings.sum() == 19);
    CHECK(ind.ratings_by_week[1].week == "2026-W48");
    CHECK(ind.ratings_by_week[1].week_start == "2026-11-23");
    CHECK(ind.ratings_by_week[1].ratings.by_mark == Marks{1, 0, 0, 0, 0});
  }

  SECTION("reply rate: questions handed over in the period, answered within 48 hours") {
    // g1: Q1 (Amina, answered after 15 h), Q2 (Bea, answered 48 h + 1 s later: no);
    // Chloé's Q3 is left out (erased: her messages are gone). g2: Q4 (Eve, exactly 48 h:
    // yes); Q5 was never handed over. Q7 (Dina) is before the period.
    CHECK(g1.replies.whole == 2);
    CHECK(g1.replies.part == 1);
    CHECK(g2.replies.whole == 1);
    CHECK(g2.replies.part == 1);
    CHECK(*ind.programme.replies.rate() == Approx(2.0 / 3));
  }

  SECTION("barriers named by participants, and tips sent per barrier in the period") {
    // g1: Amina childcare+mobility, Bea mobility, Dina digital; g2: Eve confidence+childcare,
    // Fatou isolation. Tips: Amina childcare, mobility ×2; Eve confidence (Dina's is before).
    CHECK(g1.barriers_named == std::map<std::string, std::int64_t>{
                                   {"childcare", 1}, {"confidence", 0}, {"digital", 1}, {"isolation", 0}, {"mobility", 2}});
    CHECK(ind.programme.barriers_named == std::map<std::string, std::int64_t>{
                                              {"childcare", 2}, {"confidence", 1}, {"digital", 1}, {"isolation", 1},
                                              {"mobility", 2}});
    CHECK(g1.tips_sent == std::map<std::string, std::int64_t>{{"childcare", 1}, {"mobility", 2}});
    CHECK(ind.programme.tips_sent ==
          std::map<std::string, std::int64_t>{{"childcare", 1}, {"confidence", 1}, {"mobility", 2}});
  }

  SECTION("messages per channel, segments and cost of those handed over") {
    // console: Q1 delivered (1 seg.), Q2 read (2), Q3 sent (1), Q4 failed (1), M6
    // undelivered (3), M8 dropped (never handed over), Q5 queued (nothing); Q7 is before.
    // sms: M9 to Eve delivered (2 seg., 0.16 €), M10 to an unknown number sent (1, 0.08 €).
    REQUIRE(ind.channels.size() == 2);
    const auto& console = ind.channels[0];
    CHECK(console.channel == "console");
    CHECK(console.sent == 3);
    CHECK(console.delivered == 2);
    CHECK(console.failed == 2);
    CHECK(console.dropped == 1);
    CHECK(console.segments == 8);
    CHECK(console.cost_eur == Approx(0.40));
    const auto& sms = ind.channels[1];
    CHECK(sms.channel == "sms");
    CHECK(sms.sent == 2);
    CHECK(sms.delivered == 1);
    CHECK(sms.segments == 3);
    CHECK(sms.cost_eur == Approx(0.24));
    const auto all = ind.all_channels();
    CHECK(all.sent == 5);
    CHECK(all.segments == 11);
    CHECK(all.cost_eur == Approx(0.64));
  }

  SECTION("the JSON keeps numerators and denominators beside each rate") {
    const auto j = indicators_json(ind);
    CHECK(j["programme"]["attendance"] ==
          nlohmann::json({{"present", 4}, {"absent", 2}, {"excused", 1}, {"rate", 0.6667}}));
    CHECK(j["programme"]["replies"] == nlohmann::json({{"questions", 3}, {"answered_48h", 2}, {"rate", 0.6667}}));
    CHECK(j["programme"]["ratings"]["marks"] == nlohmann::json({{"1", 1}, {"2", 1}, {"3", 1}, {"4", 1}, {"5", 2}}));
    CHECK(j["programme"]["barriers"]["mobility"] == nlohmann::json({{"named", 2}, {"tips_sent", 2}}));
    CHECK(j["cohorts"][0]["cohort"] == "g1");
    CHECK(j["ratings_by_week"][1]["week"] == "2026-W48");
    CHECK(j["budget"] == nlohmann::json({{"budget_eur", 10.0}, {"cost_eur", 0.64}, {"used", 0.064}, {"left_eur", 9.36}}));
    CHECK(j["cohort"].is_null());
  }
}

TEST_CASE("a coach's scope and a named cohort narrow every figure", "[indicators]") {
  auto s = open_sqlite_store(":memory:");
  build_programme(*s);

  SECTION("a g2 token sees g2 only: its sessions, and no unknown number's message") {
    const auto ind = s->coach().indicators(query(CohortScope::of({"g2"})));
    REQUIRE(ind.cohorts.size() == 1);
    CHECK(ind.cohorts[0].cohort == "g2");
    CHECK(ind.programme.enrolled == 2);
    REQUIRE(ind.session_kinds.size() == 1);  // S2 lists g2; S1 is g1's only
    CHECK(ind.session_kinds[0].kind == "mobility");
    CHECK(ind.session_kinds[0].sessions == 1);
    // console: Q4 failed (1 seg., 0.05 €), Q5 queued; sms: M9 delivered (2, 0.16 €).
    REQUIRE(ind.channels.size() == 2);
    CHECK(ind.channels[0].failed == 1);
    CHECK(ind.channels[0].cost_eur == Approx(0.05));
    CHECK(ind.channels[1].sent == 1);
    CHECK(ind.all_channels().cost_eur == Approx(0.21));
  }

  SECTION("one cohort of an admin's scope") {
    const auto ind = s->coach().indicators(query(CohortScope::everything(), "g1"));
    REQUIRE(ind.cohorts.size() == 1);
    CHECK(ind.programme.enrolled == 4);
    CHECK(ind.session_kinds.size() == 2);  // S1, and S2 (g1|g2)
    // console only: Q1, Q2, Q3 sent; M6 failed; M8 dropped; 1 + 2 + 1 + 3 segments.
    REQUIRE(ind.channels.size() == 1);
    CHECK(ind.channels[0].sent == 3);
    CHECK(ind.channels[0].failed == 1);
    CHECK(ind.channels[0].dropped == 1);
    CHECK(ind.channels[0].segments == 7);
    CHECK(ind.channels[0].cost_eur == Approx(0.35));
  }

  SECTION("a cohort the scope does not see gives nothing") {
    const auto ind = s->coach().indicators(query(CohortScope::of({"g2"}), "g1"));
    CHECK(ind.cohorts.empty());
    CHECK(ind.session_kinds.empty());
    CHECK(ind.channels.empty());
    CHECK(ind.programme.enrolled == 0);
    CHECK_FALSE(ind.programme.attendance.rate().rate());
  }
}

TEST_CASE("the indicators CSV is one long table whose cells a spreadsheet cannot run", "[indicators][csv]") {
  auto s = open_sqlite_store(":memory:");
  const auto p = build_programme(*s);
  // Text from outside: a tip file's barrier and a calendar's session kind.
  s->record_tip(p.amina, "x", "=HYPERLINK(\"http://evil.example\",\"clic\")", paris(11, 24, 10));
  const auto odd = session(*s, "odd", "+cmd|' /C calc'!A0", {"g1"}, paris(11, 25, 10));
  s->set_attendance(odd, p.amina, "present", "", "coach", paris(11, 25, 12));

  const auto csv = indicators_csv(s->coach().indicators(query(CohortScope::everything())));
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  CHECK(line == "section,cohort,session_kind,channel,item,measure,value\r");
  CHECK(csv.find("attendance,,,,,rate,0.7143\r\n") != std::string::npos);  // 5 ÷ 7 with the odd session
  CHECK(csv.find("attendance,g1,,,,excused,1\r\n") != std::string::npos);
  CHECK(csv.find("replies,,,,,answered_48h,2\r\n") != std::string::npos);
  CHECK(csv.find("rating_marks,,,,5,count,2\r\n") != std::string::npos);
  CHECK(csv.find("ratings_by_week,,,,2026-W48,mean,1\r\n") != std::string::npos);
  CHECK(csv.find("barriers,g2,,,isolation,named,1\r\n") != std::string::npos);
  CHECK(csv.find("messages,,,sms,,cost_eur,0.24\r\n") != std::string::npos);
  CHECK(csv.find("budget,,,,,used,0.064\r\n") != std::string::npos);
  // The outside text is there, but as text.
  CHECK(csv.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"clic\"\")\",tips_sent,1\r\n") != std::string::npos);
  CHECK(csv.find(",'+cmd|' /C calc'!A0,,,present,1\r\n") != std::string::npos);
  CHECK(csv.find(",=") == std::string::npos);
  CHECK(csv.find(",+") == std::string::npos);
  CHECK(csv.find(",\"=") == std::string::npos);
  CHECK(csv_cell("=HYPERLINK(\"http://evil.example\")") == "\"'=HYPERLINK(\"\"http://evil.example\"\")\"");
}

TEST_CASE("relais report writes a self-contained French HTML page, or the CSV", "[indicators][report]") {
  test::TempDir dir;
  auto config = test::small_config((dir / "relais.db").string());
  config.programme = "Relais Dijon";
  config.messaging_budget_eur = 10;
  {
    auto s = open_sqlite_store(config.database_path().string());
    const auto p = build_programme(*s);
    const auto odd = session(*s, "odd", "<script>alert(1)</script>", {"g1"}, paris(11, 25, 10));
    s->set_attendance(odd, p.amina, "absent", "", "coach", paris(11, 25, 12));
  }
  const Utc now = paris(11, 30, 12);
  std::ostringstream out, err;

  SECTION("HTML to a file: charts inline, nothing fetched, no phone number, text escaped") {
    const auto file = dir / "rapport-g1.html";
    REQUIRE(write_report(config, "g1", "html", file, out, err, now) == 0);
    CHECK(out.str().empty());
    std::ifstream in(file);
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<html lang=\"fr\">") != std::string::npos);
    CHECK(html.find("Cohorte Groupe 1 (g1)") != std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("Répartition des notes") != std::string::npos);
    CHECK(html.find("Note moyenne par semaine") != std::string::npos);
    // g1 from the start: present Amina S0, S1, S2 and Chloé S1; absent Bea S1 and Amina at
    // the odd session: 4 ÷ 6.
    CHECK(html.find("Taux de présence : 66,7\u202f%") != std::string::npos);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("<script>") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("HYPERLINK") == std::string::npos);  // no name at all
    CHECK(html.find("Amina") == std::string::npos);
    CHECK_FALSE(std::regex_search(html, std::regex(R"((\+33|\b0)[1-9]([ .]?\d\d){4})")));
  }

  SECTION("CSV to standard output, the whole programme") {
    REQUIRE(write_report(config, "", "csv", std::nullopt, out, err, now) == 0);
    CHECK(out.str().rfind("section,cohort,session_kind,channel,item,measure,value\r\n", 0) == 0);
    CHECK(out.str().find("participants,,,,,enrolled,6\r\n") != std::string::npos);
    CHECK(out.str().find("budget,,,,,budget_eur,10\r\n") != std::string::npos);
    CHECK(err.str().empty());
  }

  SECTION("an unknown cohort or format is refused, naming it") {
    CHECK(write_report(config, "g9", "html", std::nullopt, out, err, now) == 2);
    CHECK(err.str().find("g9") != std::string::npos);
    CHECK(write_report(config, "g1", "pdf", std::nullopt, out, err, now) == 2);
    CHECK(err.str().find("pdf") != std::string::npos);
    CHECK(out.str().empty());
  }
}
