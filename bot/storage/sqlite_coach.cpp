// The coaches' part of the SQLite store: participants as coaches see them, conversations,
// alerts, answers, attendance, group messages, drafts texted by coaches, the audit log.
#include <algorithm>
#include <map>

#include "bot/storage/inbound_sql.hpp"
#include "bot/storage/participant_row.hpp"
#include "bot/storage/sqlite_coach.hpp"
#include "bot/storage/text_map.hpp"

namespace relais {
namespace {

// "cohort IN (?, ?)" for a scope's cohorts, binding from `index`; "1" for everything.
// A scope without cohorts sees nothing.
std::string scope_condition(const CohortScope& scope, const std::string& column) {
  if (scope.all) return "1";
  if (scope.cohorts.empty()) return "0";
  std::string in = column + " IN (";
  for (std::size_t i = 0; i < scope.cohorts.size(); ++i) in += i ? ", ?" : "?";
  return in + ")";
}

int bind_scope(sql::Statement& st, const CohortScope& scope, int index) {
  if (!scope.all)
    for (const auto& cohort : scope.cohorts) st.bind(index++, cohort);
  return index;
}

std::optional<Utc> optional_time(const sql::Statement& st, int col) {
  auto v = st.get_optional_int(col);
  return v ? std::optional<Utc>(from_epoch_ms(*v)) : std::nullopt;
}

const std::string kSummarySelect =
    "SELECT p.id, p.phone, p.first_name, p.cohort, p.consent, p.consent_tips, p.language, p.channel, "
    "p.barriers, p.buddy_phone, p.external_id, p.opted_out, p.created_at, " +
    inbound_sql::last_received_at("p.id") + ", p.number_failing_since, p.erased_at FROM participants p ";

ParticipantSummary read_summary(const sql::Statement& st) {
  ParticipantSummary s;
  s.record = read_participant(st, 0);
  s.last_reply_at = optional_time(st, 13);
  s.number_failing_since = optional_time(st, 14);
  s.erased_at = optional_time(st, 15);
  return s;
}

// Their unread alerts, through their cohorts' (alerts_by_cohort): one query for a page.
void count_unread_alerts(sql::StatementCache& stmt, std::vector<ParticipantSummary>& rows) {
  if (rows.empty()) return;
  std::map<std::string, std::vector<ParticipantSummary*>> by_cohort;
  std::map<std::int64_t, ParticipantSummary*> by_id;
  for (auto& r : rows) {
    by_cohort[r.record.cohort].push_back(&r);
    by_id[r.record.id] = &r;
  }
  std::string in;
  for (std::size_t i = 0; i < by_cohort.size(); ++i) in += i ? ", ?" : "?";
  auto& st = stmt("SELECT participant_id, count(*) FROM alerts WHERE cohort IN (" + in +
                  ") AND state = 'unread' AND participant_id IS NOT NULL GROUP BY participant_id");
  int i = 1;
  for (const auto& [cohort, _] : by_cohort) st.bind(i++, cohort);
  while (st.step())
    if (auto it = by_id.find(st.get_int(0)); it != by_id.end()) it->second->unread_alerts = static_cast<int>(st.get_int(1));
  st.reset();
}

constexpr const char* kAlertColumns =
    "id, kind, participant_id, cohort, detail, state, created_at, handled_by, handled_at";

AlertRow read_alert(const sql::Statement& st) {
  AlertRow a;
  a.id = st.get_int(0);
  a.kind = st.get_text(1);
  a.participant_id = st.get_optional_int(2);
  a.cohort = st.get_text(3);
  a.detail = st.get_text(4);
  a.state = st.get_text(5);
  a.created_at = from_epoch_ms(st.get_int(6));
  a.handled_by = st.get_text(7);
  a.handled_at = optional_time(st, 8);
  return a;
}

}  // namespace

std::vector<ParticipantSummary> SqliteCoach::participants(const CohortScope& scope, const ParticipantFilter& f) {
  std::string sql = kSummarySelect + "WHERE " + scope_condition(scope, "p.cohort") + " AND p.id > ?";
  if (!f.include_erased) sql += " AND p.erased_at IS NULL";
  if (f.cohort) sql += " AND p.cohort = ?";
  if (f.opted_out) sql += " AND p.opted_out = ?";
  if (f.barrier) sql += " AND ('|' || p.barriers || '|') LIKE ?";
  if (f.failing) sql += *f.failing ? " AND p.number_failing_since IS NOT NULL" : " AND p.number_failing_since IS NULL";
  const std::string kLastReply = inbound_sql::last_received_at("p.id");
  if (f.replied_since) sql += " AND " + kLastReply + " >= ?";
  if (f.silent_since) sql += std::string(" AND coalesce(") + kLastReply + ", 0) < ?";
  sql += " ORDER BY p.id LIMIT ?";
  auto& st = stmt_(sql);
  int i = bind_scope(st, scope, 1);
  st.bind(i++, f.after_id);
  if (f.cohort) st.bind(i++, *f.cohort);
  if (f.opted_out) st.bind(i++, *f.opted_out);
  if (f.barrier) st.bind(i++, "%|" + *f.barrier + "|%");
  if (f.replied_since) st.bind(i++, to_epoch_ms(*f.replied_since));
  if (f.silent_since) st.bind(i++, to_epoch_ms(*f.silent_since));
  st.bind(i, f.limit);
  std::vector<ParticipantSummary> out;
  while (st.step()) out.push_back(read_summary(st));
  st.reset();
  count_unread_alerts(stmt_, out);
  return out;
}

std::optional<ParticipantSummary> SqliteCoach::participant(std::int64_t id) {
  auto& st = stmt_(kSummarySelect + "WHERE p.id = ?");
  st.bind(1, id);
  std::vector<ParticipantSummary> out;
  if (st.step()) out.push_back(read_summary(st));
  st.reset();
  count_unread_alerts(stmt_, out);
  if (out.empty()) return std::nullopt;
  return out.front();
}

std::int64_t SqliteCoach::save_participant(const ParticipantRecord& p, Utc now) {
  const auto at = to_epoch_ms(now);
  if (p.id == 0) {
    auto& st = stmt_(
        "INSERT INTO participants (phone, first_name, cohort, consent, consent_tips, language, channel, "
        "barriers, buddy_phone, external_id, opted_out, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bind(1, p.phone).bind(2, p.first_name).bind(3, p.cohort).bind(4, p.consent).bind(5, p.consent_tips);
    st.bind(6, p.language).bind(7, p.channel).bind(8, join_list(p.barriers)).bind(9, p.buddy_phone);
    st.bind(10, p.external_id).bind(11, p.opted_out).bind(12, at).bind(13, at);
    st.run();
    st.reset();
    return stmt_.db().last_insert_rowid();
  }
  auto& st = stmt_(
      "UPDATE participants SET phone = ?, first_name = ?, cohort = ?, consent = ?, consent_tips = ?, "
      "language = ?, channel = ?, barriers = ?, buddy_phone = ?, external_id = ?, opted_out = ?, "
      "updated_at = ? WHERE id = ? AND erased_at IS NULL");
  st.bind(1, p.phone).bind(2, p.first_name).bind(3, p.cohort).bind(4, p.consent).bind(5, p.consent_tips);
  st.bind(6, p.language).bind(7, p.channel).bind(8, join_list(p.barriers)).bind(9, p.buddy_phone);
  st.bind(10, p.external_id).bind(11, p.opted_out).bind(12, at).bind(13, p.id);
  st.run();
  st.reset();
  return p.id;
}

std::vector<ConversationLine> SqliteCoach::conversation(std::int64_t participant_id, int limit) {
  static const std::string sql =
      "SELECT * FROM (" +
      inbound_sql::rows_of("'in', id, received_at, channel, text, '', '', '', '', 0, 0, NULL", "?1") +
      " UNION ALL"
      " SELECT 'out', id, created_at, channel, text, kind, status, reason, origin, segments, cost_eur, not_before"
      "  FROM outbox WHERE participant_id = ?1"
      " ORDER BY 3 DESC, 2 DESC LIMIT ?2) ORDER BY 3, 2";
  auto& st = stmt_(sql);
  st.bind(1, participant_id).bind(2, limit);
  std::vector<ConversationLine> out;
  while (st.step()) {
    ConversationLine l;
    l.direction = st.get_text(0);
    l.id = st.get_int(1);
    l.at = from_epoch_ms(st.get_int(2));
    l.channel = st.get_text(3);
    l.text = st.get_text(4);
    l.kind = st.get_text(5);
    l.status = st.get_text(6);
    l.reason = st.get_text(7);
    l.origin = st.get_text(8);
    l.segments = static_cast<int>(st.get_int(9));
    l.cost_eur = st.get_double(10);
    l.not_before = optional_time(st, 11);
    out.push_back(std::move(l));
  }
  st.reset();
  return out;
}

std::vector<AlertRow> SqliteCoach::alerts(const CohortScope& scope, const AlertFilter& f) {
  std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE " + scope_condition(scope, "cohort");
  if (f.state) sql += " AND state = ?";
  if (f.kind) sql += " AND kind = ?";
  if (f.participant_id) sql += " AND participant_id = ?";
  if (f.before_id > 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  auto& st = stmt_(sql);
  int i = bind_scope(st, scope, 1);
  if (f.state) st.bind(i++, *f.state);
  if (f.kind) st.bind(i++, *f.kind);
  if (f.participant_id) st.bind(i++, *f.participant_id);
  if (f.before_id > 0) st.bind(i++, f.before_id);
  st.bind(i, f.limit);
  std::vector<AlertRow> out;
  while (st.step()) out.push_back(read_alert(st));
  st.reset();
  return out;
}

std::optional<AlertRow> SqliteCoach::alert(std::int64_t id) {
  auto& st = stmt_(std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = ?");
  st.bind(1, id);
  std::optional<AlertRow> out;
  if (st.step()) out = read_alert(st);
  st.reset();
  return out;
}

bool SqliteCoach::set_alert_state(std::int64_t id, const std::string& state, const std::string& by, Utc now) {
  // Forward only: unread → read → acknowledged.
  auto& st = stmt_(
      "UPDATE alerts SET state = ?1, handled_by = ?2, handled_at = ?3 WHERE id = ?4 AND "
      "(state = 'unread' OR (state = 'read' AND ?1 = 'acknowledged'))");
  st.bind(1, state).bind(2, by).bind(3, to_epoch_ms(now)).bind(4, id);
  st.run();
  st.reset();
  return stmt_.db().changes() > 0;
}

std::map<std::string, int> SqliteCoach::unread_alerts_by_cohort(const CohortScope& scope) {
  auto& st = stmt_("SELECT cohort, count(*) FROM alerts WHERE state = 'unread' AND " +
                   scope_condition(scope, "cohort") + " GROUP BY cohort");
  bind_scope(st, scope, 1);
  std::map<std::string, int> out;
  while (st.step()) out[st.get_text(0)] = static_cast<int>(st.get_int(1));
  st.reset();
  return out;
}

int SqliteCoach::count_alerts_since(const std::string& kind, const std::string& detail, Utc since) {
  return static_cast<int>(stmt_.count("SELECT count(*) FROM alerts WHERE kind = ? AND detail = ? AND created_at >= ?",
                                      kind, detail, to_epoch_ms(since)));
}

std::vector<AnswerRow> SqliteCoach::answers(const CohortScope& scope, const std::string& dialog,
                                            std::optional<std::int64_t> session_id, int limit) {
  std::string sql =
      "SELECT a.id, a.participant_id, a.dialog, a.target, a.value, a.at, a.session_id FROM answers a "
      "JOIN participants p ON p.id = a.participant_id WHERE " + scope_condition(scope, "p.cohort");
  if (!dialog.empty()) sql += " AND a.dialog = ?";
  if (session_id) sql += " AND a.session_id = ?";
  sql += " ORDER BY a.id DESC LIMIT ?";
  auto& st = stmt_(sql);
  int i = bind_scope(st, scope, 1);
  if (!dialog.empty()) st.bind(i++, dialog);
  if (session_id) st.bind(i++, *session_id);
  st.bind(i, limit);
  std::vector<AnswerRow> out;
  while (st.step())
    out.push_back({st.get_int(0), st.get_int(1), st.get_text(2), st.get_text(3), st.get_text(4),
                   from_epoch_ms(st.get_int(5)), st.get_optional_int(6)});
  st.reset();
  return out;
}

std::vector<AttendanceRow> SqliteCoach::attendance_of_session(std::int64_t session_id) {
  auto& st = stmt_(
      "SELECT session_id, participant_id, status, reason, source, at FROM attendance WHERE session_id = ? "
      "ORDER BY participant_id");
  st.bind(1, session_id);
  std::vector<AttendanceRow> out;
  while (st.step())
    out.push_back({st.get_int(0), st.get_int(1), st.get_text(2), st.get_text(3), st.get_text(4),
                   from_epoch_ms(st.get_int(5))});
  st.reset();
  return out;
}

std::int64_t SqliteCoach::add_broadcast(const BroadcastRow& b) {
  auto& st = stmt_(
      "INSERT INTO broadcasts (actor, cohort, text, template_id, send_at, recipients, excluded, cost_eur, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, b.actor).bind(2, b.cohort).bind(3, b.text).bind(4, b.template_id).bind(5, to_epoch_ms(b.send_at));
  st.bind(6, b.recipients).bind(7, b.excluded).bind(8, b.cost_eur).bind(9, to_epoch_ms(b.created_at));
  st.run();
  st.reset();
  return stmt_.db().last_insert_rowid();
}

std::vector<BroadcastRow> SqliteCoach::broadcasts(const CohortScope& scope, int limit) {
  // A list-of-participants message (cohort '') is seen by admins only.
  auto& st = stmt_(
      "SELECT id, actor, cohort, text, template_id, send_at, recipients, excluded, cost_eur, created_at "
      "FROM broadcasts WHERE " + scope_condition(scope, "cohort") + " ORDER BY id DESC LIMIT ?");
  const int i = bind_scope(st, scope, 1);
  st.bind(i, limit);
  std::vector<BroadcastRow> out;
  while (st.step())
    out.push_back({st.get_int(0), st.get_text(1), st.get_text(2), st.get_text(3), st.get_text(4),
                   from_epoch_ms(st.get_int(5)), static_cast<int>(st.get_int(6)), static_cast<int>(st.get_int(7)),
                   st.get_double(8), from_epoch_ms(st.get_int(9))});
  st.reset();
  return out;
}

void SqliteCoach::set_outbox_broadcast(std::int64_t outbox_id, std::int64_t broadcast_id) {
  auto& st = stmt_("UPDATE outbox SET broadcast_id = ? WHERE id = ?");
  st.bind(1, broadcast_id).bind(2, outbox_id);
  st.run();
  st.reset();
}

void SqliteCoach::mark_outbox_asks(std::int64_t outbox_id) {
  auto& st = stmt_("UPDATE outbox SET asks = 1 WHERE id = ?");
  st.bind(1, outbox_id);
  st.run();
  st.reset();
}

void SqliteCoach::save_coach_draft(const CoachDraft& d) {
  auto& st = stmt_(
      "INSERT OR REPLACE INTO coach_drafts (phone, cohort, text, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
  st.bind(1, d.phone).bind(2, d.cohort).bind(3, d.text).bind(4, to_epoch_ms(d.created_at)).bind(5, to_epoch_ms(d.expires_at));
  st.run();
  st.reset();
}

std::optional<CoachDraft> SqliteCoach::take_coach_draft(const std::string& phone, Utc now) {
  auto& st = stmt_("SELECT phone, cohort, text, created_at, expires_at FROM coach_drafts WHERE phone = ?");
  st.bind(1, phone);
  std::optional<CoachDraft> out;
  if (st.step())
    out = CoachDraft{st.get_text(0), st.get_text(1), st.get_text(2), from_epoch_ms(st.get_int(3)),
                     from_epoch_ms(st.get_int(4))};
  st.reset();
  if (!out) return out;
  auto& del = stmt_("DELETE FROM coach_drafts WHERE phone = ?");
  del.bind(1, phone);
  del.run();
  del.reset();
  if (out->expires_at <= now) return std::nullopt;
  return out;
}

std::vector<AuditEntry> SqliteCoach::audit_entries(const CohortScope& scope, std::int64_t before_id, int limit) {
  std::string sql = "SELECT id, at, actor, action, detail, cohort FROM audit_log WHERE " +
                    scope_condition(scope, "cohort");
  if (before_id > 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  auto& st = stmt_(sql);
  int i = bind_scope(st, scope, 1);
  if (before_id > 0) st.bind(i++, before_id);
  st.bind(i, limit);
  std::vector<AuditEntry> out;
  while (st.step())
    out.push_back({st.get_int(0), from_epoch_ms(st.get_int(1)), st.get_text(2), st.get_text(3), st.get_text(4),
                   st.get_text(5)});
  st.reset();
  return out;
}

void SqliteCoach::audit_in(const std::string& cohort, const std::string& actor, const std::string& action,
                           const std::string& detail, Utc now) {
  auto& st = stmt_("INSERT INTO audit_log (at, actor, action, detail, cohort) VALUES (?, ?, ?, ?, ?)");
  st.bind(1, to_epoch_ms(now)).bind(2, actor).bind(3, action).bind(4, detail).bind(5, cohort);
  st.run();
  st.reset();
}

}  // namespace relais
