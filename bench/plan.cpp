// Planner benchmark: 100,000 participants in 1,000 cohorts of 12 sessions each, 3 rules
// (3.6 M jobs), planned and persisted by Planning::replan_all in one transaction; in the same
// run, the baseline: a raw SQLite insert of rows of the same shape (same keys, same
// contexts, same columns) into a table with the same indexes, in one transaction. Then one
// session moves and is re-planned (Planning::replan_sessions), and the peak memory is read.
//
//   relais_bench_plan [--cohorts 1000] [--per-cohort 100] [--sessions 12] [--dir /tmp/x]
#include <sys/resource.h>

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "bot/config/config.hpp"
#include "bot/planning.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/zone.hpp"

using namespace relais;
using Steady = std::chrono::steady_clock;

namespace {

struct Options {
  int cohorts = 1000, per_cohort = 100, sessions = 12;
  std::filesystem::path dir = "/tmp/relais-bench-plan";
};

double seconds_since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

Rule rule(std::string id, std::string kind, std::string dialog, std::string anchor, int offset, std::optional<int> at) {
  Rule r;
  r.id = std::move(id);
  r.kind = std::move(kind);
  r.dialog = std::move(dialog);
  r.anchor = std::move(anchor);
  r.offset_minutes = offset;
  r.at_minute = at;
  return r;
}

// Monday 4 January 2027, 9:00 UTC, and the sessions: every Tuesday from 12 January, 13:00 UTC.
const Utc kNow = from_epoch_ms(1'799'053'200'000);
Utc session_start(int week) { return kNow + std::chrono::hours(24 * (8 + 7 * week) + 4); }

void check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

// The baseline: the same rows, raw, into a table with the jobs table's columns and indexes.
double raw_insert(const std::filesystem::path& file, const Options& o) {
  sqlite3* db = nullptr;
  check(sqlite3_open(file.c_str(), &db), db);
  for (const char* sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                          "CREATE TABLE jobs (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, participant_id INTEGER NOT NULL, "
                          "rule TEXT NOT NULL, kind TEXT NOT NULL, dialog TEXT NOT NULL, session_id INTEGER, due_at INTEGER NOT NULL, "
                          "deadline INTEGER, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', context TEXT NOT NULL DEFAULT '', "
                          "plan_run INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
                          "CREATE INDEX jobs_due ON jobs(due_at) WHERE status = 'planned'",
                          "CREATE INDEX jobs_by_session ON jobs(session_id) WHERE session_id IS NOT NULL",
                          "CREATE INDEX jobs_by_participant ON jobs(participant_id)"})
    check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db);
  sqlite3_stmt* st = nullptr;
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO jobs (key, participant_id, rule, kind, dialog, session_id, due_at, deadline, status, "
                           "context, plan_run, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, 1, ?, ?)",
                           -1, &st, nullptr),
        db);
  const char* rules[3][3] = {{"attendance-day-before", "reminder", "attendance"},
                             {"reminder-2h-before", "reminder", "reminder"},
                             {"checkin-after", "checkin", "checkin"}};
  const auto t0 = Steady::now();
  check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db);
  std::int64_t participant = 0, session = 0;
  for (int c = 0; c < o.cohorts; ++c) {
    const std::int64_t first_session = session + 1;
    session += o.sessions;
    for (int p = 0; p < o.per_cohort; ++p) {
      ++participant;
      for (int s = 0; s < o.sessions; ++s) {
        const Utc start = session_start(s);
        const std::string uid = "c" + std::to_string(c) + "-s" + std::to_string(s) + "@bench";
        const std::string context = "_session_start=" + std::to_string(to_epoch_ms(start)) +
                                    "\nsession_kind=atelier mobilité\nsession_title=Atelier mobilité\nvenue_id=cedre-chenove\n";
        for (int r = 0; r < 3; ++r) {
          const Utc due = r == 0 ? start - std::chrono::hours(20) : r == 1 ? start - std::chrono::hours(2) : start + std::chrono::hours(3);
          const std::string key = "s/" + std::to_string(participant) + "/" + uid + "//" + rules[r][0];
          sqlite3_bind_text(st, 1, key.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(st, 2, participant);
          sqlite3_bind_text(st, 3, rules[r][0], -1, SQLITE_STATIC);
          sqlite3_bind_text(st, 4, rules[r][1], -1, SQLITE_STATIC);
          sqlite3_bind_text(st, 5, rules[r][2], -1, SQLITE_STATIC);
          sqlite3_bind_int64(st, 6, first_session + s);
          sqlite3_bind_int64(st, 7, to_epoch_ms(due));
          if (r < 2) sqlite3_bind_int64(st, 8, to_epoch_ms(start)); else sqlite3_bind_null(st, 8);
          sqlite3_bind_text(st, 9, context.c_str(), -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64(st, 10, to_epoch_ms(kNow));
          sqlite3_bind_int64(st, 11, to_epoch_ms(kNow));
          check(sqlite3_step(st), db);
          sqlite3_reset(st);
        }
      }
    }
  }
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
  const double seconds = seconds_since(t0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    if (name == "--cohorts") o.cohorts = std::stoi(value);
    else if (name == "--per-cohort") o.per_cohort = std::stoi(value);
    else if (name == "--sessions") o.sessions = std::stoi(value);
    else if (name == "--dir") o.dir = value;
  }
  std::filesystem::remove_all(o.dir);
  std::filesystem::create_directories(o.dir);

  Config config;
  config.rules = {rule("attendance-day-before", "reminder", "attendance", "session_start", -24 * 60, 17 * 60),
                  rule("reminder-2h-before", "reminder", "reminder", "session_start", -120, std::nullopt),
                  rule("checkin-after", "checkin", "checkin", "session_end", 60, std::nullopt)};
  const TimeZone zone(config.time_zone);
  const Planning planning(config, zone);
  auto store = open_sqlite_store((o.dir / "relais.db").string());

  // The programme: participants and sessions (not timed).
  {
    StoreTransaction tx(*store);
    std::vector<ParticipantRecord> people;
    for (int c = 0; c < o.cohorts; ++c)
      for (int p = 0; p < o.per_cohort; ++p) {
        ParticipantRecord r;
        const int n = c * o.per_cohort + p;
        r.first_name = "P" + std::to_string(n);
        char phone[16];
        std::snprintf(phone, sizeof phone, "+336%08d", n);
        r.phone = phone;
        r.cohort = "c" + std::to_string(c);
        r.consent = true;
        r.channel = "console";
        people.push_back(std::move(r));
      }
    store->upsert_participants(people, kNow);
    for (int c = 0; c < o.cohorts; ++c)
      for (int s = 0; s < o.sessions; ++s) {
        Session session;
        session.uid = "c" + std::to_string(c) + "-s" + std::to_string(s) + "@bench";
        session.start = session_start(s);
        session.end = session.start + std::chrono::hours(2);
        session.title = "Atelier mobilité";
        session.kind = "mobility";
        session.cohorts = {"c" + std::to_string(c)};
        session.venue = "cedre-chenove";
        store->upsert_session("bench", session, kNow);
      }
    tx.commit();
  }
  const long rss_before = peak_rss_mb();
  if (std::getenv("ONLY_RAW")) {
    std::printf("raw only: %.2f s\n", raw_insert(o.dir / "raw0.db", o));
    return 0;
  }

  auto t0 = Steady::now();
  Planning::Stats stats;
  {
    StoreTransaction tx(*store);
    stats = planning.replan_all(*store, kNow);
    tx.commit();
  }
  const double plan_seconds = seconds_since(t0);
  const long rss_plan = peak_rss_mb();

  // What the sweep of stale jobs costs (part of the plan above): run it again on its own.
  t0 = Steady::now();
  {
    StoreTransaction tx(*store);
    store->cancel_stale_jobs(store->next_plan_run() - 1, JobScope::everything(), kNow);
    tx.commit();
  }
  const double sweep_seconds = seconds_since(t0);

  // What the planning itself costs, without writing: the same sessions and participants.
  t0 = Steady::now();
  long computed = 0;
  {
    std::vector<PlanParticipant> people;
    for (const auto& p : store->all_participants()) people.push_back({p.id, p.phone, p.cohort, p.barriers, p.consent_tips, false, p.enrolled_at});
    std::map<std::string, std::vector<PlanParticipant>> by_cohort;
    for (auto& p : people) by_cohort[p.cohort].push_back(p);
    for (const auto& row : store->sessions_of_source("bench"))
      planning.planner().plan_session({row.id, row.session}, by_cohort[row.session.cohorts.front()],
                                      [&](PlannedJob&&) { ++computed; });
  }
  const double compute_seconds = seconds_since(t0);

  if (std::getenv("ONLY_PLAN")) {
    std::printf("plan only: %.2f s\n", plan_seconds);
    return 0;
  }
  const double raw_seconds = raw_insert(o.dir / "raw.db", o);

  // One session moves by a day: its jobs are re-planned.
  auto moved = store->sessions_of_source("bench").front();
  moved.session.start += std::chrono::hours(24);
  moved.session.end += std::chrono::hours(24);
  t0 = Steady::now();
  Planning::Stats moved_stats;
  {
    StoreTransaction tx(*store);
    store->upsert_session("bench", moved.session, kNow);
    moved_stats = planning.replan_sessions(*store, {moved.id}, kNow);
    tx.commit();
  }
  const double move_ms = seconds_since(t0) * 1000;

  std::printf("RESULT jobs=%d plan_seconds=%.2f raw_seconds=%.2f ratio=%.2f move_ms=%.1f moved_jobs=%d "
              "peak_rss_mb=%ld rss_before_plan_mb=%ld sweep_seconds=%.2f compute_seconds=%.2f\n",
              stats.jobs, plan_seconds, raw_seconds, plan_seconds / raw_seconds, move_ms, moved_stats.jobs, rss_plan,
              rss_before, sweep_seconds, compute_seconds);
  std::printf("\n| what | figure | goal |\n| --- | --- | --- |\n");
  std::printf("| jobs planned and persisted | %d in %.1f s (%.0f/s) | |\n", stats.jobs, plan_seconds, stats.jobs / plan_seconds);
  std::printf("| raw SQLite insert of the same rows | %.1f s (%.0f/s) | |\n", raw_seconds, stats.jobs / raw_seconds);
  std::printf("| plan / raw insert | %.2f | <= 1.5 %s |\n", plan_seconds / raw_seconds,
              plan_seconds / raw_seconds <= 1.5 ? "(met)" : "(NOT met)");
  std::printf("| re-planning one moved session (%d jobs) | %.1f ms | < 50 ms %s |\n", moved_stats.jobs, move_ms,
              move_ms < 50 ? "(met)" : "(NOT met)");
  std::printf("| peak memory (resident) | %ld MB | < 500 MB %s |\n", rss_plan, rss_plan < 500 ? "(met)" : "(NOT met)");
  std::filesystem::remove_all(o.dir);
  return 0;
}
