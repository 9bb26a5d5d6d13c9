// RGPD erasure of a participant and the retention purge. Everything runs in the caller's
// transaction (an engine step, or a CLI verb's), so an erasure is whole or not at all.
#include <map>

#include "bot/storage/inbound_sql.hpp"
#include "bot/storage/sqlite_coach.hpp"
#include "bot/storage/text_map.hpp"

namespace relais {
namespace {

// Runs one statement with positional arguments; returns the rows it changed (rows changed
// by a cascade are not counted: a conversation counts once, not with its answers).
template <class... Args>
int change(sql::StatementCache& stmt, const std::string& sql, const Args&... args) {
  auto& st = stmt(sql);
  int index = 0;
  (st.bind(++index, args), ...);
  st.run();
  st.reset();
  return stmt.db().changes();
}

// Outgoing rows keep what the indicators count (status, segments, cost, kind, template,
// dates) and lose what they said and to whom. A row still waiting is cancelled: it has
// nothing left to send.
std::string blank_outbox_where(const std::string& condition) {
  return "UPDATE outbox SET text = '', recipient = '', variables = '', in_reply_to = NULL, "
         "status = CASE WHEN status IN ('queued', 'deferred') THEN 'cancelled' ELSE status END, "
         "reason = CASE WHEN status IN ('queued', 'deferred') THEN 'erased' ELSE reason END "
         "WHERE " + condition;
}

// Her messages (?1 her id, ?2 her phone): those tied to her, and those her phone or one of
// her chats sent while the service did not know her yet.
constexpr const char* kHerInbound =
    "(participant_id = ?1 OR (participant_id IS NULL AND (sender = ?2 OR EXISTS ("
    "SELECT 1 FROM addresses a WHERE a.participant_id = ?1 AND a.channel = inbound.channel "
    "AND a.address = inbound.sender))))";

// Messages to her, and the answers to her messages (an unknown number's answer has no
// participant).
std::string her_outbox() {
  return std::string("participant_id = ?1 OR in_reply_to IN (SELECT id FROM inbound WHERE ") + kHerInbound +
         ") OR (participant_id IS NULL AND (recipient = ?2 OR recipient IN ("
         "SELECT address FROM addresses WHERE participant_id = ?1)))";
}

// Saved answers: a numeric rating stays (the indicators average them, and it says nothing
// about her); her words go.
constexpr const char* kFreeAnswers =
    "DELETE FROM answers WHERE participant_id = ?1 AND NOT (target LIKE '%.rating' "
    "AND value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9.]*')";

// Participants whose programme ended before ?1: the last session that concerns her (her
// cohort's, or one of her own individual sessions) ended before it; when there is none,
// her last message either way, else her enrolment.
const std::string kPastRetention = R"sql(
WITH cohort_end AS (
  SELECT c.cohort,
         (SELECT max(s.end_at) FROM sessions s
           WHERE s.cancelled = 0 AND s.participant_phone IS NULL
             AND instr('|' || s.cohorts || '|', '|' || c.cohort || '|') > 0) AS end_at
    FROM (SELECT DISTINCT cohort FROM participants WHERE erased_at IS NULL) c),
own_end AS (
  SELECT participant_phone AS phone, max(end_at) AS end_at FROM sessions
   WHERE cancelled = 0 AND participant_phone IS NOT NULL GROUP BY participant_phone)
SELECT p.id FROM participants p
  JOIN cohort_end c ON c.cohort = p.cohort
  LEFT JOIN own_end o ON o.phone = p.phone
 WHERE p.erased_at IS NULL
   AND CASE WHEN c.end_at IS NULL AND o.end_at IS NULL THEN
         coalesce((SELECT max(t) FROM (SELECT )sql" + inbound_sql::last_received_at("p.id") + R"sql( AS t
                                       UNION ALL
                                       SELECT max(created_at) FROM outbox WHERE participant_id = p.id)),
                  p.created_at)
       ELSE max(coalesce(c.end_at, 0), coalesce(o.end_at, 0)) END < ?1
 ORDER BY p.id
)sql";

constexpr const char* kUnknownSendersBefore = "participant_id IS NULL AND received_at < ?1";

// Her binôme's messages that carry her first name: a relay of her words (a relay node
// renders with the sender's variables, so its first_name is hers) is blanked; any other
// loses her name (buddy_first_name) and, when its text names her, its text. Her binôme is
// found from either side of the pairing. Returns the rows changed.
int forget_her_in_binome_messages(sql::StatementCache& stmt, std::int64_t id, const std::string& phone,
                                  const std::string& first_name, const std::string& buddy_phone) {
  if (first_name.empty()) return 0;
  struct Row {
    std::int64_t id;
    std::string text;
    std::map<std::string, std::string> variables;
  };
  auto& select = stmt(
      "SELECT id, text, variables FROM outbox WHERE participant_id IN (SELECT id FROM participants "
      "WHERE id != ?1 AND (phone = ?2 OR buddy_phone = ?3)) "
      "AND (instr(text, ?4) > 0 OR instr(char(10) || variables, '=' || ?4 || char(10)) > 0)");
  select.bind(1, id).bind(2, buddy_phone).bind(3, phone).bind(4, first_name);
  std::vector<Row> rows;
  while (select.step()) rows.push_back({select.get_int(0), select.get_text(1), decode_map(select.get_text(2))});
  select.reset();
  for (auto& row : rows) {
    const auto sender = row.variables.find("first_name");
    const bool relay = sender != row.variables.end() && sender->second == first_name;
    if (relay) row.variables.clear();
    std::erase_if(row.variables, [&](const auto& v) { return v.second == first_name; });
    if (relay || row.text.find(first_name) != std::string::npos) row.text.clear();
    change(stmt, "UPDATE outbox SET text = ?, variables = ? WHERE id = ?", row.text, encode_map(row.variables), row.id);
  }
  return static_cast<int>(rows.size());
}

}  // namespace

ErasureCounts& ErasureCounts::operator+=(const ErasureCounts& o) {
  participants += o.participants;
  inbound += o.inbound;
  outbox += o.outbox;
  answers += o.answers;
  alerts += o.alerts;
  conversations += o.conversations;
  jobs += o.jobs;
  other += o.other;
  return *this;
}

ErasureCounts SqliteCoach::erase_participant(std::int64_t participant_id, Utc now) {
  auto& who = stmt_("SELECT phone, first_name, coalesce(buddy_phone, '') FROM participants WHERE id = ? AND erased_at IS NULL");
  who.bind(1, participant_id);
  if (!who.step()) {
    who.reset();
    return {};  // no such participant, or erased already
  }
  const std::string phone = who.get_text(0), first_name = who.get_text(1), buddy_phone = who.get_text(2);
  who.reset();
  const std::string erased_phone = "erased:" + std::to_string(participant_id);
  const auto id = participant_id;

  ErasureCounts n;
  // Outgoing rows first: they point at her messages (in_reply_to) and are found through
  // her addresses, both deleted below.
  n.outbox = change(stmt_, blank_outbox_where(her_outbox()), id, phone);
  n.outbox += forget_her_in_binome_messages(stmt_, id, phone, first_name, buddy_phone);
  n.inbound = change(stmt_, std::string("DELETE FROM inbound WHERE ") + kHerInbound, id, phone);
  n.other = change(stmt_,
                   "DELETE FROM inbound_parts WHERE sender = ?2 OR EXISTS (SELECT 1 FROM addresses a "
                   "WHERE a.participant_id = ?1 AND a.channel = inbound_parts.channel AND a.address = inbound_parts.sender)",
                   id, phone);
  n.other += change(stmt_, "DELETE FROM addresses WHERE participant_id = ?", id);
  n.other += change(stmt_, "DELETE FROM link_codes WHERE participant_id = ?", id);
  n.answers = change(stmt_, kFreeAnswers, id);
  n.conversations = change(stmt_, "DELETE FROM conversations WHERE participant_id = ?", id);  // answers cascade
  n.alerts = change(stmt_, "DELETE FROM alerts WHERE participant_id = ?", id);
  change(stmt_, "UPDATE outbox SET job_id = NULL WHERE job_id IN (SELECT id FROM jobs WHERE participant_id = ?)", id);
  n.jobs = change(stmt_, "DELETE FROM jobs WHERE participant_id = ?", id);
  // Her phone elsewhere: as another participant's binôme, and on her individual sessions
  // (which keep their kind and dates, and stay hers: they never match anyone else).
  change(stmt_, "UPDATE participants SET buddy_phone = NULL WHERE buddy_phone = ?", phone);
  change(stmt_, "UPDATE sessions SET participant_phone = ?, title = '', location = '' WHERE participant_phone = ?",
         erased_phone, phone);
  n.participants = change(stmt_,
                          "UPDATE participants SET phone = ?, first_name = '', buddy_phone = NULL, external_id = NULL, "
                          "erased_at = ?, updated_at = ? WHERE id = ?",
                          erased_phone, to_epoch_ms(now), to_epoch_ms(now), id);
  return n;
}

std::vector<std::int64_t> SqliteCoach::participants_past_retention(Utc cutoff) {
  auto& st = stmt_(kPastRetention);
  st.bind(1, to_epoch_ms(cutoff));
  std::vector<std::int64_t> ids;
  while (st.step()) ids.push_back(st.get_int(0));
  st.reset();
  return ids;
}

int SqliteCoach::purge_unknown_senders(Utc cutoff, bool dry_run) {
  const auto before = to_epoch_ms(cutoff);
  if (dry_run) return static_cast<int>(stmt_.count(std::string("SELECT count(*) FROM inbound WHERE ") + kUnknownSendersBefore, before));
  change(stmt_, blank_outbox_where(std::string("in_reply_to IN (SELECT id FROM inbound WHERE ") + kUnknownSendersBefore + ")"),
         before);
  return change(stmt_, std::string("DELETE FROM inbound WHERE ") + kUnknownSendersBefore, before);
}

}  // namespace relais
