#include "bot/storage/sqlite_outbox.hpp"

#include "bot/storage/text_map.hpp"

namespace relais {
namespace {

constexpr const char* kOutboxColumns =
    "id, participant_id, channel, recipient, text, kind, status, reason, encoding, segments, "
    "cost_eur, not_before, deadline, attempts, provider_id, in_reply_to, created_at, template_id, "
    "variables, origin, first_sent_at, job_id";

OutboxRow read_outbox(const sql::Statement& st) {
  OutboxRow r;
  r.id = st.get_int(0);
  r.participant_id = st.get_optional_int(1);
  r.channel = st.get_text(2);
  r.recipient = st.get_text(3);
  r.text = st.get_text(4);
  r.kind = st.get_text(5);
  r.status = parse_message_status(st.get_text(6)).value_or(MessageStatus::failed);
  r.reason = st.get_text(7);
  r.encoding = st.get_text(8);
  r.segments = static_cast<int>(st.get_int(9));
  r.cost_eur = st.get_double(10);
  r.not_before = from_epoch_ms(st.get_int(11));
  if (auto d = st.get_optional_int(12)) r.deadline = from_epoch_ms(*d);
  r.attempts = static_cast<int>(st.get_int(13));
  r.provider_id = st.get_text(14);
  r.in_reply_to = st.get_optional_int(15);
  r.created_at = from_epoch_ms(st.get_int(16));
  r.template_id = st.get_text(17);
  r.variables = decode_map(st.get_text(18));
  r.origin = parse_origin(st.get_text(19)).value_or(Origin::service);
  if (auto t = st.get_optional_int(20)) r.first_sent_at = from_epoch_ms(*t);
  r.job_id = st.get_optional_int(21);
  return r;
}

std::string receipt_reason(const DeliveryReceipt& r) {
  if (r.error_code.empty()) return r.error_text;
  return r.error_text.empty() ? r.error_code : r.error_code + ": " + r.error_text;
}

// kOutboxColumns with each column qualified by `alias` (for joins).
std::string qualified(const std::string& alias) {
  const std::string cols = kOutboxColumns;
  std::string out;
  for (std::size_t start = 0; start < cols.size();) {
    std::size_t end = cols.find(", ", start);
    if (end == std::string::npos) end = cols.size();
    out += (out.empty() ? "" : ", ") + alias + "." + cols.substr(start, end - start);
    start = end + 2;
  }
  return out;
}

std::string select_outbox(const char* rest) { return std::string("SELECT ") + kOutboxColumns + " FROM outbox " + rest; }

}  // namespace

std::int64_t SqliteOutbox::insert(const OutboxRow& r) {
  auto& st = stmt_(
      "INSERT INTO outbox (participant_id, channel, recipient, text, kind, status, reason, "
      "encoding, segments, cost_eur, not_before, deadline, attempts, provider_id, in_reply_to, "
      "created_at, updated_at, template_id, variables, origin, job_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, r.participant_id).bind(2, r.channel).bind(3, r.recipient).bind(4, r.text);
  st.bind(5, r.kind).bind(6, to_string(r.status)).bind(7, r.reason).bind(8, r.encoding);
  st.bind(9, r.segments).bind(10, r.cost_eur).bind(11, to_epoch_ms(r.not_before));
  if (r.deadline) st.bind(12, to_epoch_ms(*r.deadline)); else st.bind(12, std::nullopt);
  st.bind(13, r.attempts).bind(14, r.provider_id).bind(15, r.in_reply_to);
  st.bind(16, to_epoch_ms(r.created_at)).bind(17, to_epoch_ms(r.created_at));
  st.bind(18, r.template_id).bind(19, encode_map(r.variables)).bind(20, to_string(r.origin)).bind(21, r.job_id);
  st.run();
  st.reset();
  return stmt_.db().last_insert_rowid();
}

std::optional<OutboxRow> SqliteOutbox::row(std::int64_t id) {
  static const std::string sql = select_outbox("WHERE id = ?");
  auto& st = stmt_(sql);
  st.bind(1, id);
  std::optional<OutboxRow> out;
  if (st.step()) out = read_outbox(st);
  st.reset();
  return out;
}

std::vector<DueRow> SqliteOutbox::due_rows(Utc now, int limit) {
  static const std::string sql = "SELECT " + qualified("o") +
      ", coalesce(p.opted_out, 0), p.number_failing_since IS NOT NULL "
      "FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id "
      "WHERE o.status IN ('queued', 'deferred') AND o.not_before <= ? ORDER BY o.not_before, o.id LIMIT ?";
  auto& st = stmt_(sql);
  st.bind(1, to_epoch_ms(now)).bind(2, limit);
  std::vector<DueRow> rows;
  while (st.step()) rows.push_back({read_outbox(st), st.get_int(22) != 0, st.get_int(23) != 0});
  st.reset();
  return rows;
}

void SqliteOutbox::mark_sending(std::int64_t id, Utc now) {
  auto& st = stmt_(
      "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?1, "
      "first_sent_at = coalesce(first_sent_at, ?1) WHERE id = ?2");
  st.bind(1, to_epoch_ms(now)).bind(2, id);
  st.run();
  st.reset();
}

int SqliteOutbox::count_service_handed_over(std::int64_t participant_id, Utc from, Utc to) {
  return static_cast<int>(stmt_.count(
      "SELECT count(*) FROM outbox WHERE participant_id = ? AND origin = 'service' "
      "AND first_sent_at >= ? AND first_sent_at < ?",
      participant_id, to_epoch_ms(from), to_epoch_ms(to)));
}

std::vector<std::string> SqliteOutbox::service_kinds_due(std::int64_t participant_id, Utc after, Utc before) {
  auto& st = stmt_(
      "SELECT kind FROM outbox WHERE participant_id = ? AND origin = 'service' "
      "AND status IN ('queued', 'deferred') AND not_before > ? AND not_before < ?");
  st.bind(1, participant_id).bind(2, to_epoch_ms(after)).bind(3, to_epoch_ms(before));
  std::vector<std::string> kinds;
  while (st.step()) kinds.push_back(st.get_text(0));
  st.reset();
  return kinds;
}

void SqliteOutbox::reroute(std::int64_t id, const std::string& channel, const std::string& recipient,
                           double cost_eur, const std::string& reason, Utc now) {
  auto& st = stmt_(
      "UPDATE outbox SET channel = ?, recipient = ?, cost_eur = ?, reason = ?, status = 'queued', "
      "not_before = ?, updated_at = ? WHERE id = ?");
  st.bind(1, channel).bind(2, recipient).bind(3, cost_eur).bind(4, reason).bind(5, to_epoch_ms(now));
  st.bind(6, to_epoch_ms(now)).bind(7, id);
  st.run();
  st.reset();
}

void SqliteOutbox::set_status(std::int64_t id, MessageStatus status, const std::string& reason,
                              const std::string& provider_id, Utc now) {
  auto& st = stmt_(
      "UPDATE outbox SET status = ?, reason = ?, "
      "provider_id = CASE WHEN ? = '' THEN provider_id ELSE ? END, updated_at = ? WHERE id = ?");
  st.bind(1, to_string(status)).bind(2, reason).bind(3, provider_id).bind(4, provider_id);
  st.bind(5, to_epoch_ms(now)).bind(6, id);
  st.run();
  if (!provider_id.empty()) apply_pending_receipts(id, provider_id, now);
}

bool SqliteOutbox::apply_receipt(const DeliveryReceipt& r, Utc now) {
  const std::string reason = receipt_reason(r);
  auto& find = stmt_("SELECT id, status FROM outbox WHERE channel = ? AND provider_id = ?");
  find.bind(1, r.channel).bind(2, r.provider_id);
  std::optional<std::pair<std::int64_t, std::string>> row;
  if (find.step()) row = {find.get_int(0), find.get_text(1)};
  find.reset();
  if (!row) {
    auto& keep = stmt_(
        "INSERT INTO receipts_pending (channel, provider_id, status, reason, received_at) "
        "VALUES (?, ?, ?, ?, ?)");
    keep.bind(1, r.channel).bind(2, r.provider_id).bind(3, to_string(r.status)).bind(4, reason);
    keep.bind(5, to_epoch_ms(now));
    keep.run();
    return false;
  }
  move_forward(row->first, parse_message_status(row->second).value_or(MessageStatus::failed), r.status,
               reason, now);
  return true;
}

void SqliteOutbox::defer(std::int64_t id, Utc not_before) {
  auto& st = stmt_("UPDATE outbox SET not_before = ? WHERE id = ?");
  st.bind(1, to_epoch_ms(not_before)).bind(2, id);
  st.run();
}

int SqliteOutbox::requeue_in_flight(Utc now) {
  auto& st = stmt_(
      "UPDATE outbox SET status = 'queued', reason = 'retry after restart', updated_at = ? "
      "WHERE status = 'sending'");
  st.bind(1, to_epoch_ms(now));
  st.run();
  st.reset();
  return stmt_.db().changes();
}

std::map<MessageStatus, std::int64_t> SqliteOutbox::counts() {
  std::map<MessageStatus, std::int64_t> out;
  for (auto s : kAllStatuses) out[s] = 0;
  auto& st = stmt_("SELECT status, count(*) FROM outbox GROUP BY status");
  while (st.step())
    if (auto s = parse_message_status(st.get_text(0))) out[*s] = st.get_int(1);
  st.reset();
  return out;
}

std::int64_t SqliteOutbox::count_to(const std::string& recipient, const std::string& kind, Utc since) {
  return stmt_.count("SELECT count(*) FROM outbox WHERE recipient = ? AND kind = ? AND created_at >= ?",
                     recipient, kind, to_epoch_ms(since));
}

std::vector<OutboxRow> SqliteOutbox::for_reply(std::int64_t inbound_id) {
  static const std::string sql = select_outbox("WHERE in_reply_to = ? ORDER BY id");
  auto& st = stmt_(sql);
  st.bind(1, inbound_id);
  std::vector<OutboxRow> out;
  while (st.step()) out.push_back(read_outbox(st));
  st.reset();
  return out;
}

std::vector<OutboxRow> SqliteOutbox::of_participant(std::int64_t participant_id) {
  static const std::string sql = select_outbox("WHERE participant_id = ? ORDER BY id");
  auto& st = stmt_(sql);
  st.bind(1, participant_id);
  std::vector<OutboxRow> out;
  while (st.step()) out.push_back(read_outbox(st));
  st.reset();
  return out;
}

void SqliteOutbox::move_forward(std::int64_t id, MessageStatus current, MessageStatus incoming,
                                const std::string& reason, Utc now) {
  if (!receipt_may_replace(current, incoming)) return;
  auto& st = stmt_("UPDATE outbox SET status = ?, reason = ?, updated_at = ? WHERE id = ?");
  st.bind(1, to_string(incoming)).bind(2, reason).bind(3, to_epoch_ms(now)).bind(4, id);
  st.run();
}

void SqliteOutbox::apply_pending_receipts(std::int64_t id, const std::string& provider_id, Utc now) {
  // Most sends have no early receipt: one cheap look before reading the row.
  if (stmt_.count("SELECT count(*) FROM receipts_pending WHERE provider_id = ?", provider_id) == 0) return;
  auto current_row = row(id);
  if (!current_row) return;
  auto& pending = stmt_(
      "SELECT status, reason FROM receipts_pending WHERE channel = ? AND provider_id = ? ORDER BY rowid");
  pending.bind(1, current_row->channel).bind(2, provider_id);
  std::vector<std::pair<MessageStatus, std::string>> receipts;
  while (pending.step())
    if (auto s = parse_message_status(pending.get_text(0))) receipts.emplace_back(*s, pending.get_text(1));
  pending.reset();
  if (receipts.empty()) return;
  MessageStatus current = current_row->status;
  for (const auto& [status, reason] : receipts) {
    move_forward(id, current, status, reason, now);
    if (receipt_may_replace(current, status)) current = status;
  }
  auto& drop = stmt_("DELETE FROM receipts_pending WHERE channel = ? AND provider_id = ?");
  drop.bind(1, current_row->channel).bind(2, provider_id);
  drop.run();
}

}  // namespace relais
