#pragma once
// The coaches' part of the SQLite store (CoachStore). Internal to bot/storage/; same
// thread rules as the store. Its methods are defined in sqlite_coach.cpp, except the
// erasure and retention (sqlite_erase.cpp) and the indicators (sqlite_indicators.cpp).
#include "bot/storage/coach_store.hpp"
#include "bot/storage/statement_cache.hpp"

namespace relais {

class SqliteCoach final : public CoachStore {
 public:
  explicit SqliteCoach(sql::StatementCache& stmt) : stmt_(stmt) {}

  std::vector<ParticipantSummary> participants(const CohortScope& scope, const ParticipantFilter& filter) override;
  std::optional<ParticipantSummary> participant(std::int64_t id) override;
  std::int64_t save_participant(const ParticipantRecord& p, Utc now) override;
  std::vector<ConversationLine> conversation(std::int64_t participant_id, int limit) override;
  std::vector<AlertRow> alerts(const CohortScope& scope, const AlertFilter& filter) override;
  std::optional<AlertRow> alert(std::int64_t id) override;
  bool set_alert_state(std::int64_t id, const std::string& state, const std::string& by, Utc now) override;
  std::map<std::string, int> unread_alerts_by_cohort(const CohortScope& scope) override;
  int count_alerts_since(const std::string& kind, const std::string& detail, Utc since) override;
  std::vector<AnswerRow> answers(const CohortScope& scope, const std::string& dialog,
                                 std::optional<std::int64_t> session_id, int limit) override;
  std::vector<AttendanceRow> attendance_of_session(std::int64_t session_id) override;
  std::int64_t add_broadcast(const BroadcastRow& row) override;
  std::vector<BroadcastRow> broadcasts(const CohortScope& scope, int limit) override;
  void set_outbox_broadcast(std::int64_t outbox_id, std::int64_t broadcast_id) override;
  void mark_outbox_asks(std::int64_t outbox_id) override;
  void save_coach_draft(const CoachDraft& draft) override;
  std::optional<CoachDraft> take_coach_draft(const std::string& phone, Utc now) override;
  std::vector<AuditEntry> audit_entries(const CohortScope& scope, std::int64_t before_id, int limit) override;
  void audit_in(const std::string& cohort, const std::string& actor, const std::string& action,
                const std::string& detail, Utc now) override;

  // sqlite_erase.cpp
  ErasureCounts erase_participant(std::int64_t participant_id, Utc now) override;
  std::vector<std::int64_t> participants_past_retention(Utc cutoff) override;
  int purge_unknown_senders(Utc cutoff, bool dry_run) override;

  // sqlite_indicators.cpp
  Indicators indicators(const IndicatorQuery& query) override;

 private:
  sql::StatementCache& stmt_;
};

}  // namespace relais
