// The planner on its own: rules × sessions × participants → jobs, in Paris time.
#include <catch2/catch.hpp>

#include <date/date.h>

#include "scheduler/planner.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

Utc utc(int y, unsigned m, unsigned d, int h, int min) {
  return std::chrono::time_point_cast<Millis>(date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                                              std::chrono::hours(h) + std::chrono::minutes(min));
}

Rule rule(std::string id, std::string kind, std::string anchor, int offset, std::optional<int> at = std::nullopt) {
  Rule r;
  r.id = std::move(id);
  r.kind = std::move(kind);
  r.dialog = r.kind;
  r.anchor = std::move(anchor);
  r.offset_minutes = offset;
  r.at_minute = at;
  return r;
}

Rule weekly(std::string id, std::string kind, int weekday, int at) {
  Rule r = rule(std::move(id), std::move(kind), "weekday", 0, at);
  r.weekday = weekday;
  return r;
}

Session session(std::string uid, Utc start, Utc end, std::vector<std::string> cohorts = {"g1"}) {
  Session s;
  s.uid = std::move(uid);
  s.start = start;
  s.end = end;
  s.title = "Mobilité";
  s.kind = "mobility";
  s.cohorts = std::move(cohorts);
  s.venue = "cedre-chenove";
  return s;
}

PlanParticipant amina() { return {1, "+33612345001", "g1", {"childcare", "mobility"}, true, true, utc(2026, 11, 2, 9, 0)}; }
PlanParticipant sylvie() { return {2, "+33612345002", "g1", {}, false, false, utc(2026, 11, 2, 9, 0)}; }
PlanParticipant nadia() { return {3, "+33612345003", "g2", {"digital"}, true, false, utc(2026, 11, 2, 9, 0)}; }

struct Run {
  TimeZone paris{"Europe/Paris"};
  SendingWindow window;
  std::vector<Rule> rules;
  std::vector<PlannedJob> session_jobs(const Session& s, std::vector<PlanParticipant> who = {amina(), sylvie(), nadia()}) {
    Planner planner(paris, window, rules);
    std::vector<PlannedJob> out;
    planner.plan_session({7, s}, who, [&](PlannedJob&& j) { out.push_back(std::move(j)); });
    return out;
  }
  std::vector<PlannedJob> own_jobs(const PlanParticipant& p, std::optional<Utc> from_programme, std::optional<Utc> to_programme,
                                   Utc from, Utc to) {
    Planner planner(paris, window, rules);
    std::vector<PlannedJob> out;
    planner.plan_participant(p, from_programme, to_programme, from, to, [&](PlannedJob&& j) { out.push_back(std::move(j)); });
    return out;
  }
};

}  // namespace

TEST_CASE("the day before at 17:00 stays 17:00 local across both daylight-saving changes", "[planner]") {
  Run run;
  run.rules = {rule("veille", "reminder", "session_start", -24 * 60, 17 * 60)};
  // Tuesday 27 October 2026, 14:00 (winter time since Sunday 25): Monday 26 at 17:00 = 16:00 UTC.
  auto jobs = run.session_jobs(session("a", utc(2026, 10, 27, 13, 0), utc(2026, 10, 27, 15, 0)), {amina()});
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].due == utc(2026, 10, 26, 16, 0));
  CHECK(jobs[0].deadline == utc(2026, 10, 27, 13, 0));
  CHECK(jobs[0].key == "s/1/a//veille");
  // Tuesday 6 April 2027, 14:00 (summer time since Sunday 28 March): Monday 5 at 17:00 = 15:00 UTC.
  jobs = run.session_jobs(session("b", utc(2027, 4, 6, 12, 0), utc(2027, 4, 6, 14, 0)), {amina()});
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].due == utc(2027, 4, 5, 15, 0));
  // Tuesday 30 March 2027: its day before is Easter Monday, a holiday → Saturday 27 at 19:30 (winter time).
  jobs = run.session_jobs(session("c", utc(2027, 3, 30, 12, 0), utc(2027, 3, 30, 14, 0)), {amina()});
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].due == utc(2027, 3, 27, 18, 30));
}

TEST_CASE("a job before its session moves to the latest allowed minute before, or is left out past 3 days",
          "[planner][window]") {
  Run run;
  run.rules = {rule("veille", "reminder", "session_start", -24 * 60, 17 * 60),
               rule("2h", "reminder", "session_start", -120)};
  // Monday 30 November 2026, 9:00: the day before is a Sunday → Saturday 19:30; two hours
  // before is 7:00 → also Saturday 19:30: one reminder of the two stays (the earlier rule).
  auto jobs = run.session_jobs(session("monday", utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 10, 0)), {amina()});
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].rule == "veille");
  CHECK(jobs[0].due == utc(2026, 11, 28, 18, 30));
  // Wednesday 25 November, 9:00: the day before at 17:00, and 2 hours before → Tuesday 19:30.
  jobs = run.session_jobs(session("wed", utc(2026, 11, 25, 8, 0), utc(2026, 11, 25, 10, 0)), {amina()});
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].due == utc(2026, 11, 24, 16, 0));
  CHECK(jobs[1].due == utc(2026, 11, 24, 18, 30));
  // A window open on Mondays only: a Friday session's reminder (Thursday 17:00) moves to
  // Monday 19:30, less than 3 days earlier; a Saturday session's would move almost 4 days.
  run.window.days = {false, true, false, false, false, false, false};
  run.rules = {rule("veille", "reminder", "session_start", -24 * 60, 17 * 60)};
  jobs = run.session_jobs(session("fri", utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 15, 0)), {amina()});
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].due == utc(2026, 11, 23, 18, 30));
  CHECK(run.session_jobs(session("sat", utc(2026, 11, 28, 13, 0), utc(2026, 11, 28, 15, 0)), {amina()}).empty());
}

TEST_CASE("a check-in after an evening session before a holiday waits for the next working morning",
          "[planner][window][holidays]") {
  Run run;
  run.rules = {rule("apres", "checkin", "session_end", 60)};
  // Tuesday 10 November 2026, 17:00–19:00: 20:00 is past the window, Wednesday 11 is a holiday.
  auto jobs = run.session_jobs(session("eve", utc(2026, 11, 10, 16, 0), utc(2026, 11, 10, 18, 0)), {amina()});
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].due == utc(2026, 11, 12, 8, 0));
  CHECK_FALSE(jobs[0].deadline.has_value());  // after its session: no deadline
}

TEST_CASE("a session's jobs go to its cohorts, or to her alone, with the kinds and barriers the rules name",
          "[planner]") {
  Run run;
  Rule mobility_only = rule("mob", "reminder", "session_start", -120);
  mobility_only.session_kinds = {"mobility"};
  Rule childcare_barrier = rule("garde", "checkin", "session_end", 60);
  childcare_barrier.barriers = {"childcare"};
  run.rules = {mobility_only, childcare_barrier};
  auto s = session("w", utc(2026, 11, 25, 13, 0), utc(2026, 11, 25, 15, 0), {"g1", "g2"});
  auto jobs = run.session_jobs(s);
  std::vector<std::string> keys;
  for (const auto& j : jobs) keys.push_back(j.key);
  CHECK(keys == std::vector<std::string>{"s/1/w//mob", "s/1/w//garde", "s/2/w//mob", "s/3/w//mob"});
  CHECK(jobs[0].context.at("session_title") == "Mobilité");
  CHECK(jobs[0].context.at("session_kind") == "atelier mobilité");
  CHECK(jobs[0].context.at("venue_id") == "cedre-chenove");
  CHECK(jobs[0].context.at("_session_start") == std::to_string(to_epoch_ms(s.start)));
  CHECK(jobs[0].session_id == 7);
  // Another kind of session: only the rule without a kind filter.
  s.kind = "digital";
  CHECK(run.session_jobs(s).size() == 1);
  // An individual session: hers alone.
  s.kind = "mobility";
  s.participant = "+33612345003";
  jobs = run.session_jobs(s);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].participant_id == 3);
  // A cancelled session has no job.
  s.cancelled = true;
  CHECK(run.session_jobs(s).empty());
}

TEST_CASE("weekly prompts fall within her cohort's programme; tips take her barriers in turn", "[planner][weekly]") {
  Run run;
  Rule tip = weekly("tip", "tip", 2, 10 * 60);  // Tuesdays at 10:00
  tip.needs_consent_tips = true;
  Rule peer = weekly("peer", "peer", 3, 12 * 60);
  peer.needs_consent_tips = true;
  run.rules = {weekly("meteo", "meteo", 5, 11 * 60), tip, peer};
  // The programme: Monday 16 to Friday 27 November 2026; planning from 1 to 31 December finds nothing.
  const Utc first = utc(2026, 11, 16, 8, 0), last = utc(2026, 11, 27, 17, 0);
  CHECK(run.own_jobs(amina(), first, last, utc(2026, 12, 1, 0, 0), utc(2026, 12, 31, 0, 0)).empty());
  auto jobs = run.own_jobs(amina(), first, last, utc(2026, 11, 1, 0, 0), utc(2026, 12, 31, 0, 0));
  std::vector<std::string> keys;
  for (const auto& j : jobs) keys.push_back(j.key);
  // From a week before the first session: météo on Fridays 13, 20, 27; tips on Tuesdays 10, 17, 24; binôme on Wednesdays.
  CHECK(keys == std::vector<std::string>{"p/1/meteo/2026-11-13", "p/1/meteo/2026-11-20", "p/1/meteo/2026-11-27",
                                         "p/1/tip/2026-11-10", "p/1/tip/2026-11-17", "p/1/tip/2026-11-24",
                                         "p/1/peer/2026-11-11", "p/1/peer/2026-11-18", "p/1/peer/2026-11-25"});
  CHECK(jobs[0].due == utc(2026, 11, 13, 10, 0));  // 11:00 in Paris
  // One tip a week, her two barriers in turn: never the same barrier twice in a row.
  CHECK(jobs[3].context.at("barrier") != jobs[4].context.at("barrier"));
  CHECK(jobs[4].context.at("barrier") != jobs[5].context.at("barrier"));
  // Without consent to tips, or without barriers or a binôme: only the météo.
  CHECK(run.own_jobs(sylvie(), first, last, utc(2026, 11, 1, 0, 0), utc(2026, 12, 31, 0, 0)).size() == 3);
  // Nadia has consent and a barrier but no binôme: météo and tips.
  CHECK(run.own_jobs(nadia(), first, last, utc(2026, 11, 1, 0, 0), utc(2026, 12, 31, 0, 0)).size() == 6);
  // No session in her cohort: no weekly prompt.
  CHECK(run.own_jobs(amina(), std::nullopt, std::nullopt, utc(2026, 11, 1, 0, 0), utc(2026, 12, 31, 0, 0)).empty());
}

TEST_CASE("the welcome goes at enrolment, or at the next opening when she enrols at night", "[planner]") {
  Run run;
  run.rules = {rule("welcome", "welcome", "enrolment", 0)};
  PlanParticipant p = amina();
  p.enrolled_at = utc(2026, 11, 25, 21, 30);  // Wednesday 22:30 in Paris
  auto jobs = run.own_jobs(p, std::nullopt, std::nullopt, utc(2026, 11, 1, 0, 0), utc(2026, 12, 1, 0, 0));
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].key == "p/1/welcome/2026-11-25");
  CHECK(jobs[0].due == utc(2026, 11, 26, 8, 0));
}

TEST_CASE("offsets, clock times and weekdays are read as coaches write them", "[planner][rules]") {
  CHECK(parse_offset("-1d") == -1440);
  CHECK(parse_offset("+2h") == 120);
  CHECK(parse_offset("30m") == 30);
  CHECK(parse_offset("-90m") == -90);
  CHECK_FALSE(parse_offset("1 day"));
  CHECK_FALSE(parse_offset("-61d"));
  CHECK_FALSE(parse_offset("h"));
  CHECK(parse_clock_time("17:00") == 1020);
  CHECK_FALSE(parse_clock_time("24:00"));
  CHECK_FALSE(parse_clock_time("9:00"));
  CHECK(parse_weekday("monday") == 1);
  CHECK(parse_weekday("sunday") == 0);
  CHECK_FALSE(parse_weekday("lundi"));
}
