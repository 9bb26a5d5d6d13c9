#pragma once
// What the coaches' API, the funders' reports and the retention purge need from the
// database, in domain terms. `Store::coach()` gives it, on the store's own connection and
// under the same thread rules. Reads are scoped by the caller (a list of cohorts, or all).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/core/domain.hpp"
#include "bot/core/time.hpp"
#include "bot/storage/indicators.hpp"
#include "bot/storage/scope.hpp"

namespace relais {

struct ParticipantFilter {
  std::optional<std::string> cohort;       // within the scope
  std::optional<bool> opted_out;
  std::optional<std::string> barrier;      // a barrier id she named
  std::optional<bool> failing;             // a gateway said her number is wrong
  std::optional<Utc> replied_since;        // her last message at or after
  std::optional<Utc> silent_since;         // no message from her since (never, or before)
  bool include_erased = false;
  std::int64_t after_id = 0;               // paging: ids above this one
  int limit = 200;
};

// A participant as coaches see her in a list.
struct ParticipantSummary {
  ParticipantRecord record;
  std::optional<Utc> last_reply_at;         // her last message
  std::optional<Utc> number_failing_since;  // a gateway said her number is wrong
  std::optional<Utc> erased_at;             // erased: no identity left
  int unread_alerts = 0;
};

// One line of a conversation: a message she sent ("in") or one sent to her ("out").
struct ConversationLine {
  std::string direction;  // "in" or "out"
  std::int64_t id = 0;    // inbound or outbox id
  Utc at{};               // received, or created
  std::string channel;
  std::string text;
  // Outgoing only:
  std::string kind;       // reminder, checkin, coach, broadcast, reply…
  std::string status;     // queued … read (bot/core/status.hpp)
  std::string reason;
  std::string origin;     // service, reply, coach, system
  int segments = 0;
  double cost_eur = 0;
  std::optional<Utc> not_before;
};

struct AlertRow {
  std::int64_t id = 0;
  std::string kind;
  std::optional<std::int64_t> participant_id;
  std::string cohort;
  std::string detail;
  std::string state;  // unread, read, acknowledged
  Utc created_at{};
  std::string handled_by;
  std::optional<Utc> handled_at;
};

struct AlertFilter {
  std::optional<std::string> state;
  std::optional<std::string> kind;
  std::optional<std::int64_t> participant_id;
  std::int64_t before_id = 0;  // paging, newest first: ids below this one (0: from the newest)
  int limit = 200;
};

struct AuditEntry {
  std::int64_t id = 0;
  Utc at{};
  std::string actor;
  std::string action;
  std::string detail;
  std::string cohort;
};

// A saved answer (check-in rating, blocker, next step…).
struct AnswerRow {
  std::int64_t id = 0;
  std::int64_t participant_id = 0;
  std::string dialog;
  std::string target;
  std::string value;
  Utc at{};
  std::optional<std::int64_t> session_id;
};

struct AttendanceRow {
  std::int64_t session_id = 0;
  std::int64_t participant_id = 0;
  std::string status;  // present, absent, excused
  std::string reason;
  std::string source;  // declared, coach
  Utc at{};
};

struct BroadcastRow {
  std::int64_t id = 0;
  std::string actor;
  std::string cohort;
  std::string text;
  std::string template_id;
  Utc send_at{};
  int recipients = 0;
  int excluded = 0;
  double cost_eur = 0;
  Utc created_at{};
};

// What an erasure removed (counts only: the audit log keeps these, never the content).
struct ErasureCounts {
  int participants = 0;
  int inbound = 0;        // her messages (deleted)
  int outbox = 0;         // messages to her (text and recipient blanked, counts kept)
  int answers = 0;        // saved answers deleted (ratings are kept without identity)
  int alerts = 0;
  int conversations = 0;
  int jobs = 0;
  int other = 0;          // addresses, link codes, parts of long SMS, drafts
  ErasureCounts& operator+=(const ErasureCounts& o);
};

// A group message a coach texted from her phone, waiting for her OUI.
struct CoachDraft {
  std::string phone;
  std::string cohort;
  std::string text;
  Utc created_at{};
  Utc expires_at{};
};

class CoachStore {
 public:
  virtual ~CoachStore() = default;

  // Participants.
  virtual std::vector<ParticipantSummary> participants(const CohortScope& scope, const ParticipantFilter& filter) = 0;
  virtual std::optional<ParticipantSummary> participant(std::int64_t id) = 0;
  // Inserts her (id 0) or updates every field but the enrolment date; returns her id.
  // Throws sql::SqliteError (constraint) when the phone is another participant's.
  virtual std::int64_t save_participant(const ParticipantRecord& p, Utc now) = 0;

  // Her messages both ways, oldest first (at most `limit`, the newest ones).
  virtual std::vector<ConversationLine> conversation(std::int64_t participant_id, int limit) = 0;

  // Alerts of the scope (an alert without cohort: admin only), newest first.
  virtual std::vector<AlertRow> alerts(const CohortScope& scope, const AlertFilter& filter) = 0;
  virtual std::optional<AlertRow> alert(std::int64_t id) = 0;
  // read or acknowledged (never back to unread; acknowledged stays acknowledged).
  virtual bool set_alert_state(std::int64_t id, const std::string& state, const std::string& by, Utc now) = 0;
  virtual std::map<std::string, int> unread_alerts_by_cohort(const CohortScope& scope) = 0;
  // Alerts of `kind` with exactly `detail` raised at or after `since` (wrong PINs today).
  virtual int count_alerts_since(const std::string& kind, const std::string& detail, Utc since) = 0;

  // Saved answers of the scope's participants, newest first; `dialog` empty: every dialog.
  virtual std::vector<AnswerRow> answers(const CohortScope& scope, const std::string& dialog,
                                         std::optional<std::int64_t> session_id, int limit) = 0;

  virtual std::vector<AttendanceRow> attendance_of_session(std::int64_t session_id) = 0;

  // Group messages.
  virtual std::int64_t add_broadcast(const BroadcastRow& row) = 0;
  virtual std::vector<BroadcastRow> broadcasts(const CohortScope& scope, int limit) = 0;
  // Ties outbox rows to their group message.
  virtual void set_outbox_broadcast(std::int64_t outbox_id, std::int64_t broadcast_id) = 0;
  // Marks a message as one that asks her a question (reply rate).
  virtual void mark_outbox_asks(std::int64_t outbox_id) = 0;

  // A coach's group message by SMS, waiting for her OUI (one per phone, the last wins).
  virtual void save_coach_draft(const CoachDraft& draft) = 0;
  virtual std::optional<CoachDraft> take_coach_draft(const std::string& phone, Utc now) = 0;

  // The audit log, newest first: `cohort` empty for all entries.
  virtual std::vector<AuditEntry> audit_entries(const CohortScope& scope, std::int64_t before_id, int limit) = 0;
  virtual void audit_in(const std::string& cohort, const std::string& actor, const std::string& action,
                        const std::string& detail, Utc now) = 0;

  // RGPD erasure (bot/storage/sqlite_erase.cpp): her messages and free answers are
  // deleted, messages to her blanked, her identity removed (phone 'erased:<id>', no name,
  // buddy, external id), her jobs, conversations, addresses and alerts deleted; what the
  // indicators count (enrolment, consent, opt-out, attendance, ratings, tips, message
  // statuses, segments and costs) stays, without identity. Returns what it removed.
  virtual ErasureCounts erase_participant(std::int64_t participant_id, Utc now) = 0;
  // Retention: participants whose cohort's last session ended before `cutoff` (cohorts
  // without a session: her last message either way, else her enrolment, before it).
  virtual std::vector<std::int64_t> participants_past_retention(Utc cutoff) = 0;
  // Messages from unknown numbers received before `cutoff`: deleted. Returns how many.
  virtual int purge_unknown_senders(Utc cutoff, bool dry_run) = 0;

  // The funders' indicators (bot/storage/sqlite_indicators.cpp).
  virtual Indicators indicators(const IndicatorQuery& query) = 0;
};

}  // namespace relais
