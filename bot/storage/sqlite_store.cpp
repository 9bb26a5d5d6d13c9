// The SQLite implementation of Store.
#include <algorithm>
#include <string_view>

#include "bot/storage/inbound_sql.hpp"
#include "bot/storage/participant_row.hpp"
#include "bot/storage/schema.hpp"
#include "bot/storage/sqlite.hpp"
#include "bot/storage/sqlite_coach.hpp"
#include "bot/storage/sqlite_outbox.hpp"
#include "bot/storage/sqlite_schedule.hpp"
#include "bot/storage/statement_cache.hpp"
#include "bot/storage/store.hpp"
#include "bot/storage/text_map.hpp"

namespace relais {

ParticipantRecord read_participant(const sql::Statement& st, int first) {
  ParticipantRecord p;
  p.id = st.get_int(first);
  p.phone = st.get_text(first + 1);
  p.first_name = st.get_text(first + 2);
  p.cohort = st.get_text(first + 3);
  p.consent = st.get_int(first + 4) != 0;
  p.consent_tips = st.get_int(first + 5) != 0;
  p.language = st.get_text(first + 6);
  p.channel = st.get_text(first + 7);
  p.barriers = split_list(st.get_text(first + 8));
  p.buddy_phone = st.get_optional_text(first + 9);
  p.external_id = st.get_optional_text(first + 10);
  p.opted_out = st.get_int(first + 11) != 0;
  p.enrolled_at = from_epoch_ms(st.get_int(first + 12));
  return p;
}

namespace {

constexpr const char* kConversationColumns =
    "id, participant_id, dialog, node, state, misses, nudge_at, timeout_at, nudged, context, started_at";

bool same_participant_fields(const ParticipantRecord& a, const ParticipantRecord& b) {
  return a.first_name == b.first_name && a.cohort == b.cohort && a.consent == b.consent &&
         a.consent_tips == b.consent_tips && a.language == b.language && a.channel == b.channel &&
         a.barriers == b.barriers && a.buddy_phone == b.buddy_phone &&
         a.external_id == b.external_id;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, int busy_timeout_ms)
      : db_(path, sql::OpenOptions{.read_only = false, .create = true, .busy_timeout_ms = busy_timeout_ms}) {
    auto migrations = schema_migrations();
    sql::migrate(db_, migrations.data(), migrations.data() + migrations.size());
    data_version_ = db_.pragma_int("data_version");
  }

  // Prepared once (the statement cache): a webhook's step runs BEGIN, SAVEPOINT, RELEASE
  // and COMMIT, and parsing them again each time showed in the inbound benchmark.
  void begin() override { stmt_("BEGIN IMMEDIATE").run(); }
  void commit() override { stmt_("COMMIT").run(); }
  void rollback() override {
    if (db_.in_transaction()) db_.exec("ROLLBACK");
  }
  void savepoint(const std::string& name) override { stmt_("SAVEPOINT " + name).run(); }
  void release(const std::string& name) override { stmt_("RELEASE " + name).run(); }
  void rollback_to(const std::string& name) override {
    stmt_("ROLLBACK TO " + name).run();
    stmt_("RELEASE " + name).run();
  }
  bool changed_elsewhere() override {
    auto v = db_.pragma_int("data_version");
    bool changed = v != data_version_;
    data_version_ = v;
    return changed;
  }
  void check_health() override {
    auto& st = stmt("SELECT count(*) FROM sqlite_master");
    st.step();
    st.reset();
  }

  void checkpoint() override {
    auto& st = stmt("PRAGMA wal_checkpoint(PASSIVE)");
    while (st.step()) {
    }
    st.reset();
  }

  std::string install_id() override {
    auto& st = stmt("SELECT value FROM meta WHERE key = 'install_id'");
    std::string id = st.step() ? st.get_text(0) : "";
    st.reset();
    return id;
  }

  std::optional<ParticipantRecord> find_participant_by_phone(const std::string& e164) override {
    return participant_where("phone = ?", e164);
  }

  std::optional<ParticipantRecord> find_participant(std::int64_t id) override {
    return participant_where("id = ?", id);
  }

  std::vector<ParticipantRecord> participants_by_phones(
      const std::vector<std::string>& phones) override {
    std::vector<ParticipantRecord> out;
    for (const auto& phone : phones)
      if (auto p = find_participant_by_phone(phone)) out.push_back(std::move(*p));
    return out;
  }

  UpsertOutcome upsert_participants(const std::vector<ParticipantRecord>& rows, Utc now) override {
    UpsertOutcome outcome;
    auto& insert = stmt(
        "INSERT INTO participants (phone, first_name, cohort, consent, consent_tips, language, "
        "channel, barriers, buddy_phone, external_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto& update = stmt(
        "UPDATE participants SET first_name = ?, cohort = ?, consent = ?, consent_tips = ?, "
        "language = ?, channel = ?, barriers = ?, buddy_phone = ?, external_id = ?, "
        "updated_at = ? WHERE id = ?");
    const auto at = to_epoch_ms(now);
    for (const auto& row : rows) {
      auto existing = find_participant_by_phone(row.phone);
      if (!existing) {
        insert.bind(1, row.phone).bind(2, row.first_name).bind(3, row.cohort);
        insert.bind(4, row.consent).bind(5, row.consent_tips).bind(6, row.language);
        insert.bind(7, row.channel).bind(8, join_list(row.barriers));
        insert.bind(9, row.buddy_phone).bind(10, row.external_id).bind(11, at).bind(12, at);
        insert.run();
        insert.reset();
        ++outcome.created;
      } else if (same_participant_fields(*existing, row)) {
        ++outcome.unchanged;
      } else {
        update.bind(1, row.first_name).bind(2, row.cohort).bind(3, row.consent);
        update.bind(4, row.consent_tips).bind(5, row.language).bind(6, row.channel);
        update.bind(7, join_list(row.barriers)).bind(8, row.buddy_phone);
        update.bind(9, row.external_id).bind(10, at).bind(11, existing->id);
        update.run();
        update.reset();
        ++outcome.updated;
      }
    }
    return outcome;
  }

  void set_opted_out(std::int64_t participant_id, bool opted_out, Utc now) override {
    auto& st = stmt("UPDATE participants SET opted_out = ?, updated_at = ? WHERE id = ?");
    st.bind(1, opted_out).bind(2, to_epoch_ms(now)).bind(3, participant_id);
    st.run();
    st.reset();
  }

  bool mark_number_failing(std::int64_t participant_id, Utc now) override {
    auto& st = stmt("UPDATE participants SET number_failing_since = ? WHERE id = ? AND number_failing_since IS NULL");
    st.bind(1, to_epoch_ms(now)).bind(2, participant_id);
    st.run();
    st.reset();
    return db_.changes() > 0;
  }

  std::int64_t count_participants() override { return count("SELECT count(*) FROM participants"); }

  std::optional<ParticipantRecord> find_participant_by_address(const std::string& channel,
                                                               const std::string& address) override {
    auto& st = stmt("SELECT participant_id FROM addresses WHERE channel = ? AND address = ?");
    st.bind(1, channel).bind(2, address);
    std::optional<std::int64_t> id;
    if (st.step()) id = st.get_int(0);
    st.reset();
    return id ? find_participant(*id) : std::nullopt;
  }

  void link_address(std::int64_t participant_id, const std::string& channel,
                    const std::string& address, Utc now) override {
    auto& drop = stmt("DELETE FROM addresses WHERE channel = ? AND (address = ? OR participant_id = ?)");
    drop.bind(1, channel).bind(2, address).bind(3, participant_id);
    drop.run();
    auto& add = stmt("INSERT INTO addresses (participant_id, channel, address, linked_at) VALUES (?, ?, ?, ?)");
    add.bind(1, participant_id).bind(2, channel).bind(3, address).bind(4, to_epoch_ms(now));
    add.run();
  }

  std::optional<std::string> address_of(std::int64_t participant_id, const std::string& channel) override {
    auto& st = stmt("SELECT address FROM addresses WHERE participant_id = ? AND channel = ?");
    st.bind(1, participant_id).bind(2, channel);
    std::optional<std::string> out;
    if (st.step()) out = st.get_text(0);
    st.reset();
    return out;
  }

  void add_link_code(const std::string& code, std::int64_t participant_id, const std::string& channel,
                     Utc now, Utc expires) override {
    auto& st = stmt(
        "INSERT INTO link_codes (code, participant_id, channel, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, code).bind(2, participant_id).bind(3, channel).bind(4, to_epoch_ms(now));
    st.bind(5, to_epoch_ms(expires));
    st.run();
  }

  std::optional<std::int64_t> use_link_code(const std::string& code, const std::string& channel,
                                            Utc now) override {
    auto& st = stmt(
        "UPDATE link_codes SET used_at = ? WHERE code = ? AND channel = ? AND used_at IS NULL "
        "AND expires_at > ? RETURNING participant_id");
    st.bind(1, to_epoch_ms(now)).bind(2, code).bind(3, channel).bind(4, to_epoch_ms(now));
    std::optional<std::int64_t> id;
    if (st.step()) id = st.get_int(0);
    st.reset();
    return id;
  }

  std::optional<InboundMessage> add_inbound_part(const InboundMessage& part, Utc now) override {
    auto& add = stmt(
        "INSERT INTO inbound_parts (channel, sender, concat_ref, part, total, text, provider_id, "
        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    add.bind(1, part.channel).bind(2, part.from).bind(3, part.concat_ref).bind(4, part.concat_part);
    add.bind(5, part.concat_total).bind(6, part.text).bind(7, part.provider_id).bind(8, to_epoch_ms(now));
    add.run();
    auto& parts = stmt(
        "SELECT part, text, provider_id FROM inbound_parts WHERE channel = ? AND sender = ? "
        "AND concat_ref = ? ORDER BY part");
    parts.bind(1, part.channel).bind(2, part.from).bind(3, part.concat_ref);
    InboundMessage whole = part;
    whole.text.clear();
    int count = 0;
    std::string first_id;
    while (parts.step()) {
      if (++count == 1) first_id = parts.get_text(2);
      whole.text += parts.get_text(1);
    }
    parts.reset();
    if (count < part.concat_total) return std::nullopt;
    auto& done = stmt("DELETE FROM inbound_parts WHERE channel = ? AND sender = ? AND concat_ref = ?");
    done.bind(1, part.channel).bind(2, part.from).bind(3, part.concat_ref);
    done.run();
    whole.provider_id = "concat:" + first_id;
    whole.concat_ref.clear();
    whole.concat_total = whole.concat_part = 1;
    return whole;
  }

  std::optional<std::int64_t> insert_inbound(const InboundMessage& m,
                                             std::optional<std::int64_t> participant_id,
                                             Utc now) override {
    auto& st = stmt(
        "INSERT INTO inbound (channel, provider_id, sender, participant_id, text, media_count, "
        "received_at, indexed) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (channel, provider_id) DO NOTHING");
    st.bind(1, m.channel).bind(2, m.provider_id).bind(3, m.from).bind(4, participant_id);
    st.bind(5, m.text).bind(6, m.media_count).bind(7, to_epoch_ms(now));
    st.run();
    st.reset();
    if (db_.changes() == 0) return std::nullopt;
    return db_.last_insert_rowid();
  }

  void mark_inbound_failed(std::int64_t inbound_id, const std::string& error) override {
    auto& st = stmt("UPDATE inbound SET handled_ok = 0, error = ? WHERE id = ?");
    st.bind(1, error).bind(2, inbound_id);
    st.run();
    st.reset();
  }

  int index_inbound(int limit) override {
    auto& st = stmt(
        "UPDATE inbound SET indexed = 1 WHERE id IN "
        "(SELECT id FROM inbound WHERE indexed = 0 ORDER BY id LIMIT ?)");
    st.bind(1, limit);
    st.run();
    st.reset();
    return db_.changes();
  }

  std::vector<InboundRow> recent_inbound(int limit) override {
    auto& st = stmt(
        "SELECT id, channel, provider_id, sender, participant_id, text, received_at, handled_ok, "
        "coalesce(error, '') FROM inbound ORDER BY id DESC LIMIT ?");
    st.bind(1, limit);
    std::vector<InboundRow> out;
    while (st.step()) {
      InboundRow r;
      r.id = st.get_int(0);
      r.channel = st.get_text(1);
      r.provider_id = st.get_text(2);
      r.sender = st.get_text(3);
      r.participant_id = st.get_optional_int(4);
      r.text = st.get_text(5);
      r.received_at = from_epoch_ms(st.get_int(6));
      r.handled_ok = st.get_int(7) != 0;
      r.error = st.get_text(8);
      out.push_back(std::move(r));
    }
    st.reset();
    return out;
  }

  std::optional<Utc> last_inbound_at(const std::string& channel, const std::string& sender,
                                     std::optional<std::int64_t> participant_id) override {
    auto& st = participant_id
                   ? stmt("SELECT max(t) FROM (" + inbound_sql::rows_of("received_at AS t, channel", "?1") + ") WHERE channel = ?2")
                   : stmt("SELECT max(received_at) FROM inbound WHERE participant_id IS NULL AND channel = ? AND sender = ?");
    if (participant_id)
      st.bind(1, *participant_id).bind(2, channel);
    else
      st.bind(1, channel).bind(2, sender);
    std::optional<Utc> out;
    if (st.step() && !st.is_null(0)) out = from_epoch_ms(st.get_int(0));
    st.reset();
    return out;
  }

  // Outbox: see sqlite_outbox.cpp.
  std::int64_t insert_outbox(const OutboxRow& r) override { return outbox_.insert(r); }
  std::optional<OutboxRow> outbox_row(std::int64_t id) override { return outbox_.row(id); }
  std::vector<DueRow> due_rows(Utc now, int limit) override { return outbox_.due_rows(now, limit); }
  void mark_sending(std::int64_t id, Utc now) override { outbox_.mark_sending(id, now); }
  int count_service_handed_over(std::int64_t participant_id, Utc from, Utc to) override {
    return outbox_.count_service_handed_over(participant_id, from, to);
  }
  std::vector<std::string> service_kinds_due(std::int64_t participant_id, Utc after, Utc before) override {
    return outbox_.service_kinds_due(participant_id, after, before);
  }
  void reroute_outbox(std::int64_t id, const std::string& channel, const std::string& recipient, double cost_eur,
                      const std::string& reason, Utc now) override {
    outbox_.reroute(id, channel, recipient, cost_eur, reason, now);
  }
  void set_outbox_status(std::int64_t id, MessageStatus status, const std::string& reason,
                         const std::string& provider_id, Utc now) override {
    outbox_.set_status(id, status, reason, provider_id, now);
  }
  bool apply_receipt(const DeliveryReceipt& r, Utc now) override { return outbox_.apply_receipt(r, now); }
  void defer_outbox(std::int64_t id, Utc not_before) override { outbox_.defer(id, not_before); }
  int requeue_in_flight(Utc now) override { return outbox_.requeue_in_flight(now); }
  std::map<MessageStatus, std::int64_t> outbox_counts() override { return outbox_.counts(); }
  std::int64_t count_outbox_to(const std::string& recipient, const std::string& kind, Utc since) override {
    return outbox_.count_to(recipient, kind, since);
  }
  std::vector<OutboxRow> outbox_for_reply(std::int64_t inbound_id) override { return outbox_.for_reply(inbound_id); }
  std::vector<OutboxRow> outbox_of_participant(std::int64_t participant_id) override {
    return outbox_.of_participant(participant_id);
  }

  // Sessions, jobs, attendance: see sqlite_schedule.cpp.
  SessionChange upsert_session(const std::string& source, const Session& session, Utc now) override {
    return schedule_.upsert_session(source, session, now);
  }
  std::optional<SessionRow> session(std::int64_t id) override { return schedule_.session(id); }
  std::vector<SessionRow> sessions_between(Utc from, Utc to) override { return schedule_.sessions_between(from, to); }
  std::vector<SessionRow> sessions_of_source(const std::string& source) override {
    return schedule_.sessions_of_source(source);
  }
  bool cancel_session(std::int64_t id, Utc now) override { return schedule_.cancel_session(id, now); }
  std::int64_t next_plan_run() override { return schedule_.next_plan_run(); }
  void upsert_job(const PlannedJob& job, std::int64_t plan_run, Utc now) override {
    schedule_.upsert_job(job, plan_run, now);
  }
  int cancel_stale_jobs(std::int64_t plan_run, const JobScope& scope, Utc now) override {
    return schedule_.cancel_stale_jobs(plan_run, scope, now);
  }
  std::vector<JobRow> due_jobs(Utc now, int limit) override { return schedule_.due_jobs(now, limit); }
  std::optional<JobRow> job(std::int64_t id) override { return schedule_.job(id); }
  std::optional<JobRow> job_by_key(const std::string& key) override { return schedule_.job_by_key(key); }
  std::vector<JobRow> jobs_of_participant(std::int64_t participant_id) override {
    return schedule_.jobs_of_participant(participant_id);
  }
  void set_job_status(std::int64_t id, const std::string& status, const std::string& reason, Utc now) override {
    schedule_.set_job_status(id, status, reason, now);
  }
  std::int64_t count_jobs(const std::string& status) override { return schedule_.count_jobs(status); }
  bool has_planned_jobs() override {
    return count("SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'planned' AND due_at > 0)") != 0;
  }
  std::optional<Utc> next_due_after(Utc t) override {
    auto& st = stmt(
        "SELECT min(at) FROM ("
        "SELECT min(due_at) AS at FROM jobs WHERE status = 'planned' AND due_at > ?1 "
        "UNION ALL SELECT min(nudge_at) FROM conversations WHERE state = 'active' AND nudged = 0 AND nudge_at > ?1 "
        "UNION ALL SELECT min(timeout_at) FROM conversations WHERE state = 'active' AND timeout_at > ?1 "
        "UNION ALL SELECT min(not_before) FROM outbox WHERE status IN ('queued', 'deferred') AND not_before > ?1)");
    st.bind(1, to_epoch_ms(t));
    std::optional<Utc> out;
    if (st.step() && !st.is_null(0)) out = from_epoch_ms(st.get_int(0));
    st.reset();
    return out;
  }
  void set_attendance(std::int64_t session_id, std::int64_t participant_id, const std::string& status,
                      const std::string& reason, const std::string& source, Utc now) override {
    schedule_.set_attendance(session_id, participant_id, status, reason, source, now);
  }
  std::optional<std::string> attendance_of(std::int64_t session_id, std::int64_t participant_id) override {
    return schedule_.attendance_of(session_id, participant_id);
  }

  std::vector<ParticipantRecord> all_participants() override {
    auto& st = stmt(std::string("SELECT ") + kParticipantColumns + " FROM participants WHERE erased_at IS NULL ORDER BY id");
    std::vector<ParticipantRecord> out;
    while (st.step()) out.push_back(read_participant(st));
    st.reset();
    return out;
  }

  std::vector<ParticipantRecord> participants_in_cohort(const std::string& cohort) override {
    auto& st = stmt(std::string("SELECT ") + kParticipantColumns + " FROM participants WHERE cohort = ? AND erased_at IS NULL ORDER BY id");
    st.bind(1, cohort);
    std::vector<ParticipantRecord> out;
    while (st.step()) out.push_back(read_participant(st));
    st.reset();
    return out;
  }

  std::optional<ConversationRow> active_conversation(std::int64_t participant_id) override {
    return conversation_where("participant_id = ? AND state = 'active'", participant_id);
  }

  std::int64_t save_conversation(const ConversationRow& c, Utc now) override {
    auto bind_common = [&](sql::Statement& st) {
      st.bind(1, c.participant_id).bind(2, c.dialog).bind(3, c.node);
      st.bind(4, c.active ? "active" : "queued").bind(5, c.misses);
      if (c.nudge_at) st.bind(6, to_epoch_ms(*c.nudge_at)); else st.bind(6, std::nullopt);
      if (c.timeout_at) st.bind(7, to_epoch_ms(*c.timeout_at)); else st.bind(7, std::nullopt);
      st.bind(8, c.nudged).bind(9, encode_map(c.context)).bind(10, to_epoch_ms(now));
    };
    std::int64_t id = c.id;
    if (id == 0) {
      auto& st = stmt(
          "INSERT INTO conversations (participant_id, dialog, node, state, misses, nudge_at, "
          "timeout_at, nudged, context, updated_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      bind_common(st);
      st.bind(11, to_epoch_ms(c.started_at == Utc{} ? now : c.started_at));
      st.run();
      id = db_.last_insert_rowid();
    } else {
      auto& st = stmt(
          "UPDATE conversations SET participant_id = ?, dialog = ?, node = ?, state = ?, misses = ?, "
          "nudge_at = ?, timeout_at = ?, nudged = ?, context = ?, updated_at = ? WHERE id = ?");
      bind_common(st);
      st.bind(11, id);
      st.run();
    }
    auto& clear = stmt("DELETE FROM conversation_answers WHERE conversation_id = ?");
    clear.bind(1, id);
    clear.run();
    auto& add = stmt("INSERT INTO conversation_answers (conversation_id, name, value) VALUES (?, ?, ?)");
    for (const auto& [name, value] : c.answers) {
      add.reset();
      add.bind(1, id).bind(2, name).bind(3, value);
      add.run();
    }
    return id;
  }

  void delete_conversation(std::int64_t id) override {
    auto& st = stmt("DELETE FROM conversations WHERE id = ?");
    st.bind(1, id);
    st.run();
  }

  std::optional<ConversationRow> next_queued_conversation(std::int64_t participant_id) override {
    return conversation_where("participant_id = ? AND state = 'queued' ORDER BY id LIMIT 1", participant_id);
  }

  std::vector<ConversationRow> due_conversations(Utc now, int limit) override {
    auto& st = stmt(std::string("SELECT ") + kConversationColumns +
                    " FROM conversations WHERE state = 'active' AND "
                    "((nudged = 0 AND nudge_at <= ?) OR timeout_at <= ?) ORDER BY id LIMIT ?");
    st.bind(1, to_epoch_ms(now)).bind(2, to_epoch_ms(now)).bind(3, limit);
    std::vector<ConversationRow> rows;
    while (st.step()) rows.push_back(read_conversation(st));
    st.reset();
    for (auto& r : rows) r.answers = conversation_answers(r.id);
    return rows;
  }

  void add_answer(std::int64_t participant_id, const std::string& dialog, const std::string& target,
                  const std::string& value, Utc now, std::optional<std::int64_t> session_id) override {
    auto& st = stmt("INSERT INTO answers (participant_id, dialog, target, value, at, session_id) VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(1, participant_id).bind(2, dialog).bind(3, target).bind(4, value).bind(5, to_epoch_ms(now));
    st.bind(6, session_id);
    st.run();
  }

  std::vector<std::pair<std::string, std::string>> answers_of(std::int64_t participant_id) override {
    auto& st = stmt("SELECT target, value FROM answers WHERE participant_id = ? ORDER BY id");
    st.bind(1, participant_id);
    std::vector<std::pair<std::string, std::string>> out;
    while (st.step()) out.emplace_back(st.get_text(0), st.get_text(1));
    st.reset();
    return out;
  }

  std::map<std::string, Utc> tips_sent_to(std::int64_t participant_id) override {
    auto& st = stmt("SELECT tip_id, max(sent_at) FROM tips_sent WHERE participant_id = ? GROUP BY tip_id");
    st.bind(1, participant_id);
    std::map<std::string, Utc> out;
    while (st.step()) out[st.get_text(0)] = from_epoch_ms(st.get_int(1));
    st.reset();
    return out;
  }

  void record_tip(std::int64_t participant_id, const std::string& tip_id, const std::string& barrier,
                  Utc now) override {
    auto& st = stmt("INSERT INTO tips_sent (participant_id, tip_id, barrier, sent_at) VALUES (?, ?, ?, ?)");
    st.bind(1, participant_id).bind(2, tip_id).bind(3, barrier).bind(4, to_epoch_ms(now));
    st.run();
    st.reset();
  }

  std::int64_t add_token(const std::string& name, const std::string& hash, const std::vector<std::string>& cohorts,
                         bool admin, Utc now) override {
    auto& st = stmt("INSERT INTO api_tokens (name, hash, cohorts, admin, created_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, name).bind(2, hash).bind(3, join_list(cohorts)).bind(4, admin).bind(5, to_epoch_ms(now));
    st.run();
    st.reset();
    return db_.last_insert_rowid();
  }

  std::vector<ApiToken> tokens() override { return tokens_where("1 ORDER BY id", ""); }

  bool revoke_token(std::int64_t id, Utc now) override {
    auto& st = stmt("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    st.bind(1, to_epoch_ms(now)).bind(2, id);
    st.run();
    st.reset();
    return db_.changes() > 0;
  }

  std::optional<ApiToken> token_by_hash(const std::string& hash) override {
    auto found = tokens_where("hash = ? AND revoked_at IS NULL", hash);
    if (found.empty()) return std::nullopt;
    return found.front();
  }

  void add_alert(const Alert& a, Utc now) override {
    auto& st = stmt(
        "INSERT INTO alerts (kind, participant_id, cohort, detail, created_at) VALUES (?, ?, ?, ?, ?)");
    st.bind(1, a.kind).bind(2, a.participant_id).bind(3, a.cohort).bind(4, a.detail);
    st.bind(5, to_epoch_ms(now));
    st.run();
    st.reset();
  }

  std::int64_t count_alerts(const std::string& kind) override {
    return count("SELECT count(*) FROM alerts WHERE kind = ?", kind);
  }

  CoachStore& coach() override { return coach_; }

  void audit(const std::string& actor, const std::string& action, const std::string& detail,
             Utc now) override {
    auto& st = stmt("INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)");
    st.bind(1, to_epoch_ms(now)).bind(2, actor).bind(3, action).bind(4, detail);
    st.run();
    st.reset();
  }

 private:
  std::vector<ApiToken> tokens_where(const std::string& condition, const std::string& value) {
    auto& st = stmt("SELECT id, name, cohorts, admin, created_at, revoked_at FROM api_tokens WHERE " + condition);
    if (!value.empty()) st.bind(1, value);
    std::vector<ApiToken> out;
    while (st.step()) {
      ApiToken t;
      t.id = st.get_int(0);
      t.name = st.get_text(1);
      t.cohorts = split_list(st.get_text(2));
      t.admin = st.get_int(3) != 0;
      t.created_at = from_epoch_ms(st.get_int(4));
      if (auto r = st.get_optional_int(5)) t.revoked_at = from_epoch_ms(*r);
      out.push_back(std::move(t));
    }
    st.reset();
    return out;
  }

  static ConversationRow read_conversation(const sql::Statement& st) {
    ConversationRow c;
    c.id = st.get_int(0);
    c.participant_id = st.get_int(1);
    c.dialog = st.get_text(2);
    c.node = st.get_text(3);
    c.active = st.get_text(4) == "active";
    c.misses = static_cast<int>(st.get_int(5));
    if (auto v = st.get_optional_int(6)) c.nudge_at = from_epoch_ms(*v);
    if (auto v = st.get_optional_int(7)) c.timeout_at = from_epoch_ms(*v);
    c.nudged = st.get_int(8) != 0;
    c.context = decode_map(st.get_text(9));
    c.started_at = from_epoch_ms(st.get_int(10));
    return c;
  }

  std::map<std::string, std::string> conversation_answers(std::int64_t id) {
    auto& st = stmt("SELECT name, value FROM conversation_answers WHERE conversation_id = ?");
    st.bind(1, id);
    std::map<std::string, std::string> out;
    while (st.step()) out[st.get_text(0)] = st.get_text(1);
    st.reset();
    return out;
  }

  std::optional<ConversationRow> conversation_where(const char* condition, std::int64_t participant_id) {
    auto& st = stmt(std::string("SELECT ") + kConversationColumns + " FROM conversations WHERE " + condition);
    st.bind(1, participant_id);
    std::optional<ConversationRow> out;
    if (st.step()) out = read_conversation(st);
    st.reset();
    if (out) out->answers = conversation_answers(out->id);
    return out;
  }

  sql::Statement& stmt(const std::string& sql) { return stmt_(sql); }
  template <class... Args>
  std::int64_t count(const std::string& sql, const Args&... args) {
    return stmt_.count(sql, args...);
  }

  template <class T>
  std::optional<ParticipantRecord> participant_where(const char* condition, const T& value) {
    auto& st = stmt(std::string("SELECT ") + kParticipantColumns + " FROM participants WHERE " + condition);
    st.bind(1, value);
    std::optional<ParticipantRecord> out;
    if (st.step()) out = read_participant(st);
    st.reset();
    return out;
  }

  sql::Database db_;
  sql::StatementCache stmt_{db_};
  SqliteOutbox outbox_{stmt_};
  SqliteSchedule schedule_{stmt_};
  SqliteCoach coach_{stmt_};
  std::int64_t data_version_ = 0;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, int busy_timeout_ms) {
  return std::make_unique<SqliteStore>(path, busy_timeout_ms);
}

}  // namespace relais
