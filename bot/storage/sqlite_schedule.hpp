#pragma once
// The scheduler's part of the SQLite store: sessions, jobs and attendance. Internal to
// bot/storage/ (SqliteStore delegates to it); same thread rules as the store.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bot/storage/statement_cache.hpp"
#include "bot/storage/store.hpp"

namespace relais {

class SqliteSchedule {
 public:
  explicit SqliteSchedule(sql::StatementCache& stmt) : stmt_(stmt) {}

  SessionChange upsert_session(const std::string& source, const Session& session, Utc now);
  std::optional<SessionRow> session(std::int64_t id);
  std::vector<SessionRow> sessions_between(Utc from, Utc to);
  std::vector<SessionRow> sessions_of_source(const std::string& source);
  bool cancel_session(std::int64_t id, Utc now);

  std::int64_t next_plan_run();
  void upsert_job(const PlannedJob& job, std::int64_t plan_run, Utc now);
  int cancel_stale_jobs(std::int64_t plan_run, const JobScope& scope, Utc now);
  std::vector<JobRow> due_jobs(Utc now, int limit);
  std::optional<JobRow> job(std::int64_t id);
  std::optional<JobRow> job_by_key(const std::string& key);
  std::vector<JobRow> jobs_of_participant(std::int64_t participant_id);
  void set_job_status(std::int64_t id, const std::string& status, const std::string& reason, Utc now);
  std::int64_t count_jobs(const std::string& status);

  void set_attendance(std::int64_t session_id, std::int64_t participant_id, const std::string& status,
                      const std::string& reason, const std::string& source, Utc now);
  std::optional<std::string> attendance_of(std::int64_t session_id, std::int64_t participant_id);

 private:
  std::vector<SessionRow> sessions_where(const std::string& condition, const std::function<void(sql::Statement&)>& bind);
  std::vector<JobRow> jobs_where(const std::string& condition, const std::function<void(sql::Statement&)>& bind);

  sql::StatementCache& stmt_;
  sql::Statement* upsert_ = nullptr;  // cached: see upsert_job
};

}  // namespace relais
