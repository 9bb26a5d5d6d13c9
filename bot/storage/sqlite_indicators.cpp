// The funders' indicators (docs/indicators.md): SQL aggregates over the scope's
// participants, grouped by cohort, session kind, channel or quarter hour; C++ only adds up
// the few rows they return.
#include <date/date.h>
#include <date/iso_week.h>

#include <cstdio>

#include "bot/core/domain.hpp"
#include "bot/storage/inbound_sql.hpp"
#include "bot/storage/sqlite_coach.hpp"
#include "scheduler/zone.hpp"

namespace relais {

AttendanceCounts& AttendanceCounts::operator+=(const AttendanceCounts& o) {
  present += o.present;
  absent += o.absent;
  excused += o.excused;
  return *this;
}

std::int64_t RatingCounts::count() const {
  std::int64_t n = 0;
  for (auto c : by_mark) n += c;
  return n;
}

std::int64_t RatingCounts::sum() const {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < by_mark.size(); ++i) total += by_mark[i] * static_cast<std::int64_t>(i + 1);
  return total;
}

std::optional<double> RatingCounts::mean() const {
  if (count() == 0) return std::nullopt;
  return static_cast<double>(sum()) / static_cast<double>(count());
}

RatingCounts& RatingCounts::operator+=(const RatingCounts& o) {
  for (std::size_t i = 0; i < by_mark.size(); ++i) by_mark[i] += o.by_mark[i];
  return *this;
}

CohortFigures& CohortFigures::operator+=(const CohortFigures& o) {
  enrolled += o.enrolled;
  consenting += o.consenting;
  consenting_tips += o.consenting_tips;
  opted_out += o.opted_out;
  erased += o.erased;
  attendance += o.attendance;
  replies.part += o.replies.part;
  replies.whole += o.replies.whole;
  ratings += o.ratings;
  for (const auto& [barrier, n] : o.barriers_named) barriers_named[barrier] += n;
  for (const auto& [barrier, n] : o.tips_sent) tips_sent[barrier] += n;
  return *this;
}

ChannelFigures Indicators::all_channels() const {
  ChannelFigures all;
  for (const auto& c : channels) {
    all.sent += c.sent;
    all.delivered += c.delivered;
    all.failed += c.failed;
    all.dropped += c.dropped;
    all.segments += c.segments;
    all.cost_eur += c.cost_eur;
  }
  return all;
}

namespace {

// The participants a query may count: every one (`:all` = 1), or those of the cohorts in
// the JSON array `:cohorts`. `p` is the participants table.
constexpr const char* kInScope = "(:all = 1 OR p.cohort IN (SELECT value FROM json_each(:cohorts)))";

// The period [from, to) on a time column.
std::string period_of(const std::string& column) { return column + " >= :from AND " + column + " < :to"; }

// A JSON string literal (cohort ids are [a-z0-9_-]+, but a scope may come from elsewhere).
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

struct Selection {
  bool all = false;
  std::string cohorts_json = "[]";
  std::int64_t from = 0, to = 0;
};

// A named cohort narrows the scope to it (nothing when the scope does not see it).
Selection selection_of(const IndicatorQuery& q) {
  Selection s;
  s.from = to_epoch_ms(q.from);
  s.to = to_epoch_ms(q.to);
  std::vector<std::string> cohorts;
  if (q.cohort) {
    if (q.scope.sees(*q.cohort)) cohorts.push_back(*q.cohort);
  } else if (q.scope.all) {
    s.all = true;
  } else {
    cohorts = q.scope.cohorts;
  }
  std::string list;
  for (const auto& c : cohorts) list += (list.empty() ? "" : ",") + json_string(c);
  s.cohorts_json = "[" + list + "]";
  return s;
}

sql::Statement& prepare(sql::StatementCache& stmt, const std::string& sql, const Selection& s, bool period) {
  auto& st = stmt(sql);
  st.bind(":all", std::int64_t{s.all ? 1 : 0}).bind(":cohorts", s.cohorts_json);
  if (period) st.bind(":from", s.from).bind(":to", s.to);
  return st;
}

std::string participants_sql() {
  std::string sql =
      "SELECT p.cohort, count(*), sum(p.consent), sum(p.consent_tips), sum(p.opted_out), "
      "sum(p.erased_at IS NOT NULL)";
  for (const char* barrier : kBarriers)
    sql += std::string(", sum(instr('|' || p.barriers || '|', '|") + barrier + "|') > 0)";
  return sql + " FROM participants p WHERE " + kInScope + " GROUP BY p.cohort";
}

// Check-in ratings of the scope's participants given in the period, marks 1 to 5.
std::string ratings_sql(const std::string& group_columns) {
  return "SELECT " + group_columns + ", CAST(a.value AS INTEGER) AS mark, count(*) FROM answers a "
         "JOIN participants p ON p.id = a.participant_id LEFT JOIN sessions s ON s.id = a.session_id "
         "WHERE a.target = 'checkin.rating' AND " + period_of("a.at") +
         " AND CAST(a.value AS INTEGER) BETWEEN 1 AND 5 AND " + kInScope + " GROUP BY " + group_columns + ", mark";
}

int mark_index(std::int64_t mark) { return static_cast<int>(mark - 1); }

// The ISO week of the local day containing `t`, and its Monday.
RatingWeek week_of(Utc t, const TimeZone& zone) {
  auto local = zone.to_local(t);
  const date::sys_days day = date::year(local.year) / date::month(local.month) / date::day(local.day);
  const iso_week::year_weeknum_weekday iso(day);
  const date::year_month_day monday(day - date::days((local.weekday + 6) % 7));
  char week[16], start[16];
  std::snprintf(week, sizeof week, "%04d-W%02u", static_cast<int>(iso.year()), static_cast<unsigned>(iso.weeknum()));
  std::snprintf(start, sizeof start, "%04d-%02u-%02u", static_cast<int>(monday.year()),
                static_cast<unsigned>(monday.month()), static_cast<unsigned>(monday.day()));
  return {week, start, {}};
}

class IndicatorReader {
 public:
  IndicatorReader(sql::StatementCache& stmt, const IndicatorQuery& q) : stmt_(stmt), q_(q), sel_(selection_of(q)) {}

  Indicators read() {
    read_participants();
    read_attendance();
    read_sessions();
    read_ratings();
    read_replies();
    read_tips();
    Indicators out;
    out.query = q_;
    for (auto& [id, figures] : cohorts_) {
      out.programme += figures;
      out.cohorts.push_back(std::move(figures));
    }
    for (auto& [kind, figures] : kinds_) out.session_kinds.push_back(std::move(figures));
    out.ratings_by_week = ratings_by_week();
    out.channels = channels();
    return out;
  }

 private:
  CohortFigures& cohort(const std::string& id) {
    auto& c = cohorts_[id];
    c.cohort = id;
    return c;
  }
  SessionKindFigures& kind(const std::string& id) {
    auto& k = kinds_[id];
    k.kind = id;
    return k;
  }

  void read_participants() {
    static const std::string sql = participants_sql();
    auto& st = prepare(stmt_, sql, sel_, false);
    while (st.step()) {
      auto& c = cohort(st.get_text(0));
      c.enrolled = st.get_int(1);
      c.consenting = st.get_int(2);
      c.consenting_tips = st.get_int(3);
      c.opted_out = st.get_int(4);
      c.erased = st.get_int(5);
      int col = 6;
      for (const char* barrier : kBarriers) c.barriers_named[barrier] = st.get_int(col++);
    }
    st.reset();
  }

  // By the participant's cohort and the session's kind; cancelled sessions were not held.
  // CROSS JOIN keeps attendance the outer loop: one pass over the table, where going
  // through sessions by start would read each row through its key (three times slower on
  // a million rows).
  void read_attendance() {
    static const std::string sql =
        "SELECT p.cohort, s.kind, sum(a.status = 'present'), sum(a.status = 'absent'), "
        "sum(a.status = 'excused') FROM attendance a CROSS JOIN sessions s ON s.id = a.session_id "
        "JOIN participants p ON p.id = a.participant_id WHERE s.cancelled = 0 AND " + period_of("s.start_at") +
        " AND " + kInScope + " GROUP BY p.cohort, s.kind";
    auto& st = prepare(stmt_, sql, sel_, true);
    while (st.step()) {
      const AttendanceCounts counts{st.get_int(2), st.get_int(3), st.get_int(4)};
      cohort(st.get_text(0)).attendance += counts;
      kind(st.get_text(1)).attendance += counts;
    }
    st.reset();
  }

  // Sessions held for any cohort of the selection (a session lists its cohorts "g1|g2").
  void read_sessions() {
    static const std::string sql =
        "SELECT s.kind, count(*) FROM sessions s WHERE s.cancelled = 0 AND " + period_of("s.start_at") +
        " AND (:all = 1 OR EXISTS (SELECT 1 FROM json_each(:cohorts) c "
        "WHERE instr('|' || s.cohorts || '|', '|' || c.value || '|') > 0)) GROUP BY s.kind";
    auto& st = prepare(stmt_, sql, sel_, true);
    while (st.step()) kind(st.get_text(0)).sessions = st.get_int(1);
    st.reset();
  }

  void read_ratings() {
    static const std::string sql = ratings_sql("p.cohort, coalesce(s.kind, '')");
    auto& st = prepare(stmt_, sql, sel_, true);
    while (st.step()) {
      const int mark = mark_index(st.get_int(2));
      const auto n = st.get_int(3);
      cohort(st.get_text(0)).ratings.by_mark[mark] += n;
      if (auto k = st.get_text(1); !k.empty()) kind(k).ratings.by_mark[mark] += n;
    }
    st.reset();
  }

  // Quarter hours in SQL (every zone's offset is a multiple of 15 minutes), local weeks here.
  std::vector<RatingWeek> ratings_by_week() {
    static const std::string sql = ratings_sql("a.at / 900000");
    const TimeZone zone(q_.time_zone);
    std::map<std::string, RatingWeek> weeks;  // by Monday: oldest first
    auto& st = prepare(stmt_, sql, sel_, true);
    while (st.step()) {
      auto week = week_of(from_epoch_ms(st.get_int(0) * 900000), zone);
      auto& w = weeks.try_emplace(week.week_start, week).first->second;
      w.ratings.by_mark[mark_index(st.get_int(1))] += st.get_int(2);
    }
    st.reset();
    std::vector<RatingWeek> out;
    for (auto& [start, w] : weeks) out.push_back(std::move(w));
    return out;
  }

  // Questions handed over in the period, answered when she wrote within 48 hours. An erased
  // participant's messages are deleted: her questions are left out, not counted unanswered.
  void read_replies() {
    static const std::string sql =
        "SELECT p.cohort, count(*), sum(" +
        inbound_sql::wrote_between("o.participant_id", "o.first_sent_at", "o.first_sent_at + 172800000") +
        ") FROM outbox o JOIN participants p ON p.id = o.participant_id "
        "WHERE o.asks = 1 AND " + period_of("o.first_sent_at") + " AND p.erased_at IS NULL AND " + kInScope +
        " GROUP BY p.cohort";
    auto& st = prepare(stmt_, sql, sel_, true);
    while (st.step()) cohort(st.get_text(0)).replies = {st.get_int(2), st.get_int(1)};
    st.reset();
  }

  void read_tips() {
    static const std::string sql =
        "SELECT p.cohort, t.barrier, count(*) FROM tips_sent t JOIN participants p ON p.id = t.participant_id "
        "WHERE " + period_of("t.sent_at") + " AND " + kInScope + " GROUP BY p.cohort, t.barrier";
    auto& st = prepare(stmt_, sql, sel_, true);
    while (st.step()) cohort(st.get_text(0)).tips_sent[st.get_text(1)] = st.get_int(2);
    st.reset();
  }

  // A message counts in the period it was handed over, or written when it never was.
  // Messages to no participant (an unknown number) count for the whole programme only.
  std::vector<ChannelFigures> channels() {
    static const std::string sql =
        "SELECT o.channel, sum(o.status IN ('sent', 'delivered', 'read')), sum(o.status IN ('delivered', 'read')), "
        "sum(o.status IN ('failed', 'undelivered')), sum(o.status = 'dropped'), "
        "sum(CASE WHEN o.first_sent_at IS NOT NULL THEN o.segments ELSE 0 END), "
        "total(CASE WHEN o.first_sent_at IS NOT NULL THEN o.cost_eur END) "
        "FROM outbox o LEFT JOIN participants p ON p.id = o.participant_id "
        "WHERE " + period_of("coalesce(o.first_sent_at, o.created_at)") + " AND " + kInScope +
        " GROUP BY o.channel ORDER BY o.channel";
    auto& st = prepare(stmt_, sql, sel_, true);
    std::vector<ChannelFigures> out;
    while (st.step())
      out.push_back({st.get_text(0), st.get_int(1), st.get_int(2), st.get_int(3), st.get_int(4), st.get_int(5),
                     st.get_double(6)});
    st.reset();
    return out;
  }

  sql::StatementCache& stmt_;
  const IndicatorQuery& q_;
  const Selection sel_;
  std::map<std::string, CohortFigures> cohorts_;
  std::map<std::string, SessionKindFigures> kinds_;
};

}  // namespace

Indicators SqliteCoach::indicators(const IndicatorQuery& query) { return IndicatorReader(stmt_, query).read(); }

}  // namespace relais
