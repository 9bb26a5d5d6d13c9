#include "bot/storage/sqlite_schedule.hpp"

#include "bot/storage/text_map.hpp"

namespace relais {
namespace {

constexpr const char* kSessionColumns =
    "id, source, uid, occurrence, start_at, end_at, title, kind, cohorts, venue, location, "
    "participant_phone, cancelled, sequence, stamp";

SessionRow read_session(const sql::Statement& st) {
  SessionRow r;
  r.id = st.get_int(0);
  r.source = st.get_text(1);
  Session& s = r.session;
  s.uid = st.get_text(2);
  s.occurrence = st.get_text(3);
  s.start = from_epoch_ms(st.get_int(4));
  s.end = from_epoch_ms(st.get_int(5));
  s.title = st.get_text(6);
  s.kind = st.get_text(7);
  s.cohorts = split_list(st.get_text(8));
  s.venue = st.get_text(9);
  s.location = st.get_text(10);
  s.participant = st.get_optional_text(11);
  s.cancelled = st.get_int(12) != 0;
  s.sequence = static_cast<int>(st.get_int(13));
  s.stamp = from_epoch_ms(st.get_int(14));
  return r;
}

constexpr const char* kJobColumns =
    "id, key, participant_id, rule, kind, dialog, session_id, due_at, deadline, status, reason, context";

JobRow read_job(const sql::Statement& st) {
  JobRow r;
  r.id = st.get_int(0);
  PlannedJob& j = r.job;
  j.key = st.get_text(1);
  j.participant_id = st.get_int(2);
  j.rule = st.get_text(3);
  j.kind = st.get_text(4);
  j.dialog = st.get_text(5);
  j.session_id = st.get_optional_int(6);
  j.due = from_epoch_ms(st.get_int(7));
  if (auto d = st.get_optional_int(8)) j.deadline = from_epoch_ms(*d);
  r.status = st.get_text(9);
  r.reason = st.get_text(10);
  j.context = decode_map(st.get_text(11));
  return r;
}

bool same_content(const Session& a, const Session& b) {
  return a.start == b.start && a.end == b.end && a.title == b.title && a.kind == b.kind &&
         a.cohorts == b.cohorts && a.venue == b.venue && a.location == b.location &&
         a.participant == b.participant && a.cancelled == b.cancelled;
}

std::string id_list(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

SessionChange SqliteSchedule::upsert_session(const std::string& source, const Session& s, Utc now) {
  SessionChange change;
  auto existing = sessions_where("uid = ? AND occurrence = ?", [&](sql::Statement& st) {
    st.bind(1, s.uid).bind(2, s.occurrence);
  });
  if (!existing.empty()) {
    const SessionRow& old = existing.front();
    change.id = old.id;
    if (old.source != source) change.previous_source = old.source;
    if (same_content(old.session, s) && old.source == source) return change;  // unchanged
    if (s.cancelled && !old.session.cancelled) change.what = SessionChange::What::cancelled;
    else if (!s.cancelled && old.session.cancelled) change.what = SessionChange::What::restored;
    else if (s.start != old.session.start) change.what = SessionChange::What::moved;
    else change.what = SessionChange::What::changed;
    change.old_start = old.session.start;
    auto& st = stmt_(
        "UPDATE sessions SET source = ?, start_at = ?, end_at = ?, title = ?, kind = ?, cohorts = ?, venue = ?, "
        "location = ?, participant_phone = ?, cancelled = ?, sequence = ?, stamp = ?, updated_at = ? WHERE id = ?");
    st.bind(1, source).bind(2, to_epoch_ms(s.start)).bind(3, to_epoch_ms(s.end)).bind(4, s.title).bind(5, s.kind);
    st.bind(6, join_list(s.cohorts)).bind(7, s.venue).bind(8, s.location).bind(9, s.participant);
    st.bind(10, s.cancelled).bind(11, s.sequence).bind(12, to_epoch_ms(s.stamp)).bind(13, to_epoch_ms(now));
    st.bind(14, old.id);
    st.run();
    st.reset();
    return change;
  }
  auto& st = stmt_(
      "INSERT INTO sessions (source, uid, occurrence, start_at, end_at, title, kind, cohorts, venue, location, "
      "participant_phone, cancelled, sequence, stamp, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, source).bind(2, s.uid).bind(3, s.occurrence).bind(4, to_epoch_ms(s.start)).bind(5, to_epoch_ms(s.end));
  st.bind(6, s.title).bind(7, s.kind).bind(8, join_list(s.cohorts)).bind(9, s.venue).bind(10, s.location);
  st.bind(11, s.participant).bind(12, s.cancelled).bind(13, s.sequence).bind(14, to_epoch_ms(s.stamp));
  st.bind(15, to_epoch_ms(now));
  st.run();
  st.reset();
  change.what = SessionChange::What::created;
  change.id = stmt_.db().last_insert_rowid();
  return change;
}

std::optional<SessionRow> SqliteSchedule::session(std::int64_t id) {
  auto rows = sessions_where("id = ?", [&](sql::Statement& st) { st.bind(1, id); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<SessionRow> SqliteSchedule::sessions_between(Utc from, Utc to) {
  return sessions_where("end_at >= ? AND start_at < ? ORDER BY start_at, id", [&](sql::Statement& st) {
    st.bind(1, to_epoch_ms(from)).bind(2, to_epoch_ms(to));
  });
}

std::vector<SessionRow> SqliteSchedule::sessions_of_source(const std::string& source) {
  return sessions_where("source = ? ORDER BY start_at, id", [&](sql::Statement& st) { st.bind(1, source); });
}

bool SqliteSchedule::cancel_session(std::int64_t id, Utc now) {
  auto& st = stmt_("UPDATE sessions SET cancelled = 1, updated_at = ? WHERE id = ? AND cancelled = 0");
  st.bind(1, to_epoch_ms(now)).bind(2, id);
  st.run();
  st.reset();
  return stmt_.db().changes() > 0;
}

std::int64_t SqliteSchedule::next_plan_run() {
  auto& st = stmt_("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'plan_run' RETURNING value");
  std::int64_t run = 0;
  if (st.step()) run = std::stoll(st.get_text(0));
  st.reset();
  return run;
}

void SqliteSchedule::upsert_job(const PlannedJob& j, std::int64_t plan_run, Utc now) {
  // A planning writes millions of jobs: the statement is kept at hand (no cache lookup).
  if (!upsert_) upsert_ = &stmt_(
      "INSERT INTO jobs (key, participant_id, rule, kind, dialog, session_id, due_at, deadline, status, context, "
      "plan_run, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'planned', ?9, ?10, ?11, ?11) "
      "ON CONFLICT (key) DO UPDATE SET plan_run = excluded.plan_run, due_at = excluded.due_at, "
      "deadline = excluded.deadline, context = excluded.context, dialog = excluded.dialog, kind = excluded.kind, "
      "status = 'planned', reason = '', updated_at = excluded.updated_at "
      "WHERE jobs.status IN ('planned', 'cancelled')");
  auto& st = *upsert_;
  st.bind(1, j.key).bind(2, j.participant_id).bind(3, j.rule).bind(4, j.kind).bind(5, j.dialog);
  st.bind(6, j.session_id).bind(7, to_epoch_ms(j.due));
  if (j.deadline) st.bind(8, to_epoch_ms(*j.deadline)); else st.bind(8, std::nullopt);
  st.bind(9, encode_map(j.context)).bind(10, plan_run).bind(11, to_epoch_ms(now));
  st.run();
  st.reset();
}

int SqliteSchedule::cancel_stale_jobs(std::int64_t plan_run, const JobScope& scope, Utc now) {
  std::string where;
  if (scope.all && scope.own_only) where = " AND session_id IS NULL";
  if (!scope.all) {
    std::vector<std::string> parts;
    if (!scope.session_ids.empty()) parts.push_back("session_id IN (" + id_list(scope.session_ids) + ")");
    if (!scope.participant_ids.empty())
      parts.push_back("participant_id IN (" + id_list(scope.participant_ids) + ")");
    if (parts.empty()) return 0;
    where = " AND (" + parts.front() + (parts.size() > 1 ? " OR " + parts.back() : "") + ")";
  }
  // Not through the statement cache: the id lists make each text different.
  sql::Statement st(stmt_.db(),
                    "UPDATE jobs SET status = 'cancelled', reason = 'no longer planned', updated_at = ? "
                    "WHERE status = 'planned' AND plan_run != ? AND due_at > ?" + where);
  st.bind(1, to_epoch_ms(now)).bind(2, plan_run).bind(3, to_epoch_ms(now));
  st.run();
  return stmt_.db().changes();
}

std::vector<JobRow> SqliteSchedule::due_jobs(Utc now, int limit) {
  return jobs_where("status = 'planned' AND due_at <= ? ORDER BY due_at, id LIMIT ?", [&](sql::Statement& st) {
    st.bind(1, to_epoch_ms(now)).bind(2, limit);
  });
}

std::optional<JobRow> SqliteSchedule::job(std::int64_t id) {
  auto rows = jobs_where("id = ?", [&](sql::Statement& st) { st.bind(1, id); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<JobRow> SqliteSchedule::job_by_key(const std::string& key) {
  auto rows = jobs_where("key = ?", [&](sql::Statement& st) { st.bind(1, key); });
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<JobRow> SqliteSchedule::jobs_of_participant(std::int64_t participant_id) {
  return jobs_where("participant_id = ? ORDER BY due_at, id", [&](sql::Statement& st) { st.bind(1, participant_id); });
}

void SqliteSchedule::set_job_status(std::int64_t id, const std::string& status, const std::string& reason, Utc now) {
  auto& st = stmt_("UPDATE jobs SET status = ?, reason = ?, updated_at = ? WHERE id = ?");
  st.bind(1, status).bind(2, reason).bind(3, to_epoch_ms(now)).bind(4, id);
  st.run();
  st.reset();
}

std::int64_t SqliteSchedule::count_jobs(const std::string& status) {
  return stmt_.count("SELECT count(*) FROM jobs WHERE status = ?", status);
}

void SqliteSchedule::set_attendance(std::int64_t session_id, std::int64_t participant_id, const std::string& status,
                                    const std::string& reason, const std::string& source, Utc now) {
  auto& st = stmt_(
      "INSERT INTO attendance (session_id, participant_id, status, reason, source, at) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (session_id, participant_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, "
      "source = excluded.source, at = excluded.at WHERE attendance.source = 'declared' OR excluded.source = 'coach'");
  st.bind(1, session_id).bind(2, participant_id).bind(3, status).bind(4, reason).bind(5, source);
  st.bind(6, to_epoch_ms(now));
  st.run();
  st.reset();
}

std::optional<std::string> SqliteSchedule::attendance_of(std::int64_t session_id, std::int64_t participant_id) {
  auto& st = stmt_("SELECT status FROM attendance WHERE session_id = ? AND participant_id = ?");
  st.bind(1, session_id).bind(2, participant_id);
  std::optional<std::string> out;
  if (st.step()) out = st.get_text(0);
  st.reset();
  return out;
}

std::vector<SessionRow> SqliteSchedule::sessions_where(const std::string& condition,
                                                       const std::function<void(sql::Statement&)>& bind) {
  auto& st = stmt_(std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE " + condition);
  bind(st);
  std::vector<SessionRow> out;
  while (st.step()) out.push_back(read_session(st));
  st.reset();
  return out;
}

std::vector<JobRow> SqliteSchedule::jobs_where(const std::string& condition,
                                               const std::function<void(sql::Statement&)>& bind) {
  auto& st = stmt_(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE " + condition);
  bind(st);
  std::vector<JobRow> out;
  while (st.step()) out.push_back(read_job(st));
  st.reset();
  return out;
}

}  // namespace relais
