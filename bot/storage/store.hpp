#pragma once
// The storage interface: what the engine, the dispatcher and the CLI need from a
// database, in domain terms. SqliteStore implements it; a PostgreSQL backend could later.
// Thread-safety: one Store object belongs to one thread at a time (the engine's writer
// thread, or a CLI verb). Errors throw (storage failures are exceptional).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/core/domain.hpp"
#include "bot/core/status.hpp"
#include "bot/core/time.hpp"
#include "bot/storage/coach_store.hpp"
#include "scheduler/planner.hpp"
#include "scheduler/session.hpp"

namespace relais {

// A row of the outbox as the store returns it.
struct OutboxRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> participant_id;
  std::string channel;
  std::string recipient;
  std::string text;
  std::string kind;  // reply, notice, broadcast, … (each later feature adds its own)
  MessageStatus status = MessageStatus::queued;
  std::string reason;
  std::string encoding;  // "GSM-7" / "UCS-2"
  int segments = 1;
  double cost_eur = 0;
  Utc not_before{};
  std::optional<Utc> deadline;
  int attempts = 0;
  std::string provider_id;
  std::optional<std::int64_t> in_reply_to;  // inbound id
  Utc created_at{};
  std::string template_id;                       // the text's template, when it has one
  std::map<std::string, std::string> variables;  // and the values it was rendered with
  Origin origin = Origin::service;
  std::optional<Utc> first_sent_at;  // when it was first handed to its gateway
  std::optional<std::int64_t> job_id;  // the planned job whose dialog wrote it
};

// A session as stored: which source owns it, and the session itself.
struct SessionRow {
  std::int64_t id = 0;
  std::string source;
  Session session;
};

// What storing a session changed, for re-planning and for telling participants.
struct SessionChange {
  enum class What { created, moved, cancelled, restored, changed, unchanged } what = What::unchanged;
  std::int64_t id = 0;
  std::optional<Utc> old_start;    // moved, cancelled: the start before
  std::string previous_source;     // when another source had this UID
};

struct JobRow {
  std::int64_t id = 0;
  PlannedJob job;
  std::string status;  // planned, fired, cancelled, dropped
  std::string reason;
};

// Which planned jobs a planning covers (those it did not want again are cancelled).
struct JobScope {
  bool all = false;
  std::vector<std::int64_t> session_ids;
  std::vector<std::int64_t> participant_ids;  // all her jobs

  bool own_only = false;  // with `all`: only the jobs tied to no session (weekly prompts, welcome)

  static JobScope everything() { return {true, {}, {}, false}; }
  static JobScope own_jobs() { return {true, {}, {}, true}; }
  static JobScope of_sessions(std::vector<std::int64_t> ids) { return {false, std::move(ids), {}, false}; }
  static JobScope of_participants(std::vector<std::int64_t> ids) { return {false, {}, std::move(ids), false}; }
};

// A coaches' API token as stored (its hash is never read back out).
struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> cohorts;
  bool admin = false;
  Utc created_at{};
  std::optional<Utc> revoked_at;
};

// A due outbox row and what the dispatcher must know of its participant.
struct DueRow {
  OutboxRow row;
  bool opted_out = false;       // her participant opted out (STOP)
  bool number_failing = false;  // a gateway said her number is wrong
};

struct InboundRow {
  std::int64_t id = 0;
  std::string channel;
  std::string provider_id;
  std::string sender;
  std::optional<std::int64_t> participant_id;
  std::string text;
  Utc received_at{};
  bool handled_ok = true;
  std::string error;
};

struct Alert {
  std::string kind;  // unknown_sender, step_failed, participant_message, …
  std::optional<std::int64_t> participant_id;
  std::string cohort;  // empty when unknown
  std::string detail;  // never a phone number in clear
};

// A participant's place in a scripted dialog (see dialogs/runtime.hpp).
struct ConversationRow {
  std::int64_t id = 0;  // 0 until stored
  std::int64_t participant_id = 0;
  std::string dialog;
  std::string node;
  bool active = true;  // false: queued behind the active one
  int misses = 0;
  std::map<std::string, std::string> answers;
  std::map<std::string, std::string> context;  // variables given at start (session title…)
  std::optional<Utc> nudge_at;
  std::optional<Utc> timeout_at;
  bool nudged = false;
  Utc started_at{};
};

// Outcome of writing a set of imported participants.
struct UpsertOutcome {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Transactions. Prefer the RAII helpers below.
  virtual void begin() = 0;  // takes the write lock at once
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual void savepoint(const std::string& name) = 0;
  virtual void release(const std::string& name) = 0;
  virtual void rollback_to(const std::string& name) = 0;  // and releases it
  // True when another connection (a CLI verb) committed since the last call.
  virtual bool changed_elsewhere() = 0;
  virtual void check_health() = 0;  // throws when the database cannot be read
  // A WAL checkpoint now, without waiting for the writer or the readers (each commit of the
  // writer also runs one every 1,000 pages of WAL, SQLite's default).
  virtual void checkpoint() = 0;
  // A random id given to this database when it was created (8 hex digits).
  virtual std::string install_id() = 0;

  // Participants.
  virtual std::optional<ParticipantRecord> find_participant_by_phone(const std::string& e164) = 0;
  virtual std::optional<ParticipantRecord> find_participant(std::int64_t id) = 0;
  virtual std::vector<ParticipantRecord> participants_by_phones(
      const std::vector<std::string>& phones) = 0;
  virtual UpsertOutcome upsert_participants(const std::vector<ParticipantRecord>& rows, Utc now) = 0;
  virtual void set_opted_out(std::int64_t participant_id, bool opted_out, Utc now) = 0;
  // A gateway said her number is wrong; returns false when it was marked already.
  virtual bool mark_number_failing(std::int64_t participant_id, Utc now) = 0;
  virtual std::int64_t count_participants() = 0;

  // Addresses on channels that do not use the phone number (a Telegram chat id).
  virtual std::optional<ParticipantRecord> find_participant_by_address(const std::string& channel,
                                                                       const std::string& address) = 0;
  // Links `address` to the participant on `channel`, replacing her previous address there
  // and taking the address from anyone it was linked to before.
  virtual void link_address(std::int64_t participant_id, const std::string& channel,
                            const std::string& address, Utc now) = 0;
  virtual std::optional<std::string> address_of(std::int64_t participant_id,
                                                const std::string& channel) = 0;
  virtual void add_link_code(const std::string& code, std::int64_t participant_id,
                             const std::string& channel, Utc now, Utc expires) = 0;
  // The participant of an unused, unexpired code of `channel`; marks it used.
  virtual std::optional<std::int64_t> use_link_code(const std::string& code,
                                                    const std::string& channel, Utc now) = 0;

  // One part of a long SMS. Returns the whole message once every part is stored (the
  // parts are then removed: the whole message keeps their text), nullopt before.
  virtual std::optional<InboundMessage> add_inbound_part(const InboundMessage& part, Utc now) = 0;

  // Inbound messages. insert_inbound returns nullopt when (channel, provider_id) is
  // already stored: a duplicate delivery by the gateway.
  virtual std::optional<std::int64_t> insert_inbound(const InboundMessage& m,
                                                     std::optional<std::int64_t> participant_id,
                                                     Utc now) = 0;
  virtual void mark_inbound_failed(std::int64_t inbound_id, const std::string& error) = 0;
  // Adds up to `limit` of the oldest messages not yet in the by-participant index to it
  // (schema migration 11); returns how many. Queries find messages either way.
  virtual int index_inbound(int limit) = 0;
  virtual std::vector<InboundRow> recent_inbound(int limit) = 0;
  // When `sender` last wrote on `channel` (WhatsApp's 24-hour window): the participant's
  // messages when she is one (`participant_id`), else the unknown number's.
  virtual std::optional<Utc> last_inbound_at(const std::string& channel, const std::string& sender,
                                             std::optional<std::int64_t> participant_id = std::nullopt) = 0;

  // Outbox.
  virtual std::int64_t insert_outbox(const OutboxRow& row) = 0;
  virtual std::optional<OutboxRow> outbox_row(std::int64_t id) = 0;
  // Up to `limit` due rows (queued/deferred, not_before <= now), oldest first, with their
  // participant's opt-out and failing-number flags. Nothing is marked.
  virtual std::vector<DueRow> due_rows(Utc now, int limit) = 0;
  // Marks a row `sending` and counts the attempt (first_sent_at: the first time).
  virtual void mark_sending(std::int64_t id, Utc now) = 0;
  // Her `service` messages handed to a gateway in [from, to).
  virtual int count_service_handed_over(std::int64_t participant_id, Utc from, Utc to) = 0;
  // The kinds of her `service` messages still waiting, due in (after, before).
  virtual std::vector<std::string> service_kinds_due(std::int64_t participant_id, Utc after, Utc before) = 0;
  // Sends a row through another channel (a fallback): queued again, with `reason`.
  virtual void reroute_outbox(std::int64_t id, const std::string& channel, const std::string& recipient,
                              double cost_eur, const std::string& reason, Utc now) = 0;
  virtual void set_outbox_status(std::int64_t id, MessageStatus status, const std::string& reason,
                                 const std::string& provider_id, Utc now) = 0;
  // Moves a row's next attempt to `not_before`.
  virtual void defer_outbox(std::int64_t id, Utc not_before) = 0;
  // A delivery receipt: moves the row of (channel, provider_id) forward (see
  // receipt_may_replace). A receipt for an id not recorded yet (it came before the send's
  // answer) is kept and applied when set_outbox_status records that id. Returns whether a
  // row matched now.
  virtual bool apply_receipt(const DeliveryReceipt& receipt, Utc now) = 0;
  // Rows left `sending` by a process that died go back to `queued` (at-least-once).
  virtual int requeue_in_flight(Utc now) = 0;
  virtual std::map<MessageStatus, std::int64_t> outbox_counts() = 0;
  // Messages of `kind` to `recipient` created at or after `since`.
  virtual std::int64_t count_outbox_to(const std::string& recipient, const std::string& kind,
                                       Utc since) = 0;
  virtual std::vector<OutboxRow> outbox_for_reply(std::int64_t inbound_id) = 0;
  // Her messages, oldest first.
  virtual std::vector<OutboxRow> outbox_of_participant(std::int64_t participant_id) = 0;

  // Conversations.
  virtual std::optional<ConversationRow> active_conversation(std::int64_t participant_id) = 0;
  // Inserts (id 0) or updates the row and its answers; returns its id.
  virtual std::int64_t save_conversation(const ConversationRow& row, Utc now) = 0;
  virtual void delete_conversation(std::int64_t id) = 0;
  // The oldest queued conversation of the participant, if any.
  virtual std::optional<ConversationRow> next_queued_conversation(std::int64_t participant_id) = 0;
  // Active conversations with a nudge or a timeout due at `now`.
  virtual std::vector<ConversationRow> due_conversations(Utc now, int limit) = 0;
  // `session_id`: the session the answer is about (a check-in), when there is one.
  virtual void add_answer(std::int64_t participant_id, const std::string& dialog,
                          const std::string& target, const std::string& value, Utc now,
                          std::optional<std::int64_t> session_id = std::nullopt) = 0;
  virtual std::vector<std::pair<std::string, std::string>> answers_of(std::int64_t participant_id) = 0;

  // Practical tips: when each tip was last sent to her (by tip id), and recording one.
  virtual std::map<std::string, Utc> tips_sent_to(std::int64_t participant_id) = 0;
  virtual void record_tip(std::int64_t participant_id, const std::string& tip_id,
                          const std::string& barrier, Utc now) = 0;

  // Sessions (scheduler).
  virtual SessionChange upsert_session(const std::string& source, const Session& session, Utc now) = 0;
  virtual std::optional<SessionRow> session(std::int64_t id) = 0;
  // Sessions, cancelled ones too, that end at or after `from` and start before `to`, by start.
  virtual std::vector<SessionRow> sessions_between(Utc from, Utc to) = 0;
  virtual std::vector<SessionRow> sessions_of_source(const std::string& source) = 0;
  // Marks it cancelled; returns false when it was already.
  virtual bool cancel_session(std::int64_t id, Utc now) = 0;
  virtual std::vector<ParticipantRecord> all_participants() = 0;
  virtual std::vector<ParticipantRecord> participants_in_cohort(const std::string& cohort) = 0;

  // Jobs (scheduler). A planning takes a new run number, upserts the jobs it wants (a job
  // already fired or dropped is left as it is; a cancelled one comes back), then cancels
  // the planned jobs of its scope due after `now` that it did not want.
  virtual std::int64_t next_plan_run() = 0;
  virtual void upsert_job(const PlannedJob& job, std::int64_t plan_run, Utc now) = 0;
  virtual int cancel_stale_jobs(std::int64_t plan_run, const JobScope& scope, Utc now) = 0;
  virtual std::vector<JobRow> due_jobs(Utc now, int limit) = 0;
  virtual std::optional<JobRow> job(std::int64_t id) = 0;
  virtual std::optional<JobRow> job_by_key(const std::string& key) = 0;
  virtual std::vector<JobRow> jobs_of_participant(std::int64_t participant_id) = 0;
  virtual void set_job_status(std::int64_t id, const std::string& status, const std::string& reason, Utc now) = 0;
  virtual std::int64_t count_jobs(const std::string& status) = 0;
  virtual bool has_planned_jobs() = 0;
  // The first moment after `t` when something is due: a planned job, a nudge or timeout, a
  // queued or deferred message (`relais simulate` moves its clock there).
  virtual std::optional<Utc> next_due_after(Utc t) = 0;

  // Attendance: "present", "absent", "excused"; source "declared" (by her) or "coach".
  // A declaration never replaces a coach's mark.
  virtual void set_attendance(std::int64_t session_id, std::int64_t participant_id, const std::string& status,
                              const std::string& reason, const std::string& source, Utc now) = 0;
  virtual std::optional<std::string> attendance_of(std::int64_t session_id, std::int64_t participant_id) = 0;

  // Coaches' API tokens, by the SHA-256 (hex) of the token.
  virtual std::int64_t add_token(const std::string& name, const std::string& hash,
                                 const std::vector<std::string>& cohorts, bool admin, Utc now) = 0;
  virtual std::vector<ApiToken> tokens() = 0;
  // Returns false when there is no such token, or it was revoked already.
  virtual bool revoke_token(std::int64_t id, Utc now) = 0;
  // A token that is not revoked.
  virtual std::optional<ApiToken> token_by_hash(const std::string& hash) = 0;

  // What the coaches' API, the reports and the retention purge need (coach_store.hpp).
  virtual CoachStore& coach() = 0;

  // Alerts for coaches, and the audit log.
  virtual void add_alert(const Alert& alert, Utc now) = 0;
  virtual std::int64_t count_alerts(const std::string& kind) = 0;
  virtual void audit(const std::string& actor, const std::string& action,
                     const std::string& detail, Utc now) = 0;
};

// BEGIN on construction; ROLLBACK on destruction unless committed.
class StoreTransaction {
 public:
  explicit StoreTransaction(Store& s) : s_(s) { s_.begin(); }
  ~StoreTransaction() {
    if (!done_) try { s_.rollback(); } catch (...) {}
  }
  StoreTransaction(const StoreTransaction&) = delete;
  StoreTransaction& operator=(const StoreTransaction&) = delete;
  void commit() { s_.commit(); done_ = true; }

 private:
  Store& s_;
  bool done_ = false;
};

// SAVEPOINT on construction; rolled back on destruction unless released.
class StoreSavepoint {
 public:
  StoreSavepoint(Store& s, std::string name) : s_(s), name_(std::move(name)) { s_.savepoint(name_); }
  ~StoreSavepoint() {
    if (!done_) try { s_.rollback_to(name_); } catch (...) {}
  }
  StoreSavepoint(const StoreSavepoint&) = delete;
  StoreSavepoint& operator=(const StoreSavepoint&) = delete;
  void release() { s_.release(name_); done_ = true; }

 private:
  Store& s_;
  std::string name_;
  bool done_ = false;
};

// Opens the SQLite store at `path` (":memory:" for tests) and applies migrations.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, int busy_timeout_ms = 5000);

}  // namespace relais
