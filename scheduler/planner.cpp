#include "scheduler/planner.hpp"

#include <date/date.h>

#include <algorithm>
#include <cstdio>

namespace relais {
namespace {

// A job before its session may move earlier to find the window, but not by more than this.
constexpr auto kMaxMoveEarlier = std::chrono::hours(72);
// Two reminders for one session closer than this become one.
constexpr auto kReminderMerge = std::chrono::hours(1);

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

date::sys_days local_date(const TimeZone& zone, Utc t) {
  const auto l = zone.to_local(t);
  return date::sys_days{date::year{l.year} / date::month{l.month} / date::day{l.day}};
}

std::string iso_date(date::sys_days d) {
  const date::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

Utc at_local(const TimeZone& zone, date::sys_days d, int minute) {
  const date::year_month_day ymd(d);
  return zone.from_local(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                         static_cast<unsigned>(ymd.day()), minute);
}

}  // namespace

std::string session_kind_label(const std::string& kind) {
  static const std::map<std::string, std::string> kLabels = {
      {"individual-coaching", "entretien individuel"}, {"collective-coaching", "atelier collectif"},
      {"expression", "atelier confiance en soi"},       {"mobility", "atelier mobilité"},
      {"digital", "atelier numérique"},                  {"childcare", "atelier parentalité"},
      {"other", "atelier"}};
  auto it = kLabels.find(kind);
  return it == kLabels.end() ? "atelier" : it->second;
}

Planner::Planner(const TimeZone& zone, SendingWindow window, std::vector<Rule> rules)
    : zone_(zone), window_(window), rules_(std::move(rules)) {}

Utc Planner::at_rule_time(const Rule& rule, Utc base) const {
  if (!rule.at_minute) return base;
  return at_local(zone_, local_date(zone_, base), *rule.at_minute);
}

std::optional<Utc> Planner::session_due(const Rule& rule, const Session& s) const {
  const Utc anchor = rule.anchor == "session_start" ? s.start : s.end;
  const Utc planned = at_rule_time(rule, anchor + std::chrono::minutes(rule.offset_minutes));
  if (planned < s.start) {
    const Utc earlier = previous_allowed_time(planned, zone_, window_);
    if (planned - earlier > kMaxMoveEarlier) return std::nullopt;
    return earlier;
  }
  return next_allowed_time(planned, zone_, window_);
}

bool Planner::concerns(const Rule& rule, const PlanParticipant& p) const {
  if (rule.needs_consent_tips && !p.consent_tips) return false;
  if (rule.kind == "peer" && !p.has_buddy) return false;
  if (rule.barriers.empty() || rule.kind == "tip") return true;
  return std::any_of(p.barriers.begin(), p.barriers.end(), [&](const std::string& b) { return contains(rule.barriers, b); });
}

Planner::Prepared Planner::prepare(const PlanSession& ps) const {
  Prepared out;
  out.session = &ps;
  const Session& s = ps.session;
  if (s.cancelled) return out;
  for (const auto& rule : rules_) {
    if (!rule.tied_to_session()) continue;
    if (!rule.session_kinds.empty() && !contains(rule.session_kinds, s.kind)) continue;
    auto due = session_due(rule, s);
    if (!due) continue;
    const Utc anchor = rule.anchor == "session_start" ? s.start : s.end;
    out.timed.push_back({&rule, anchor + std::chrono::minutes(rule.offset_minutes), *due});
  }
  std::stable_sort(out.timed.begin(), out.timed.end(),
                   [](const Prepared::Timed& a, const Prepared::Timed& b) { return a.planned < b.planned; });
  out.context = {{"session_title", s.title},
                 {"session_kind", session_kind_label(s.kind)},
                 {"_session_start", std::to_string(to_epoch_ms(s.start))}};
  if (!s.venue.empty()) out.context["venue_id"] = s.venue;
  out.key_tail = "/" + s.uid + "/" + s.occurrence + "/";
  return out;
}

void Planner::plan_for(const Prepared& prepared, const PlanParticipant& p,
                       const std::function<void(PlannedJob&&)>& out) const {
  const Session& s = prepared.session->session;
  const bool hers = s.participant ? *s.participant == p.phone : contains(s.cohorts, p.cohort);
  if (!hers) return;
  std::vector<Utc> reminders;
  for (const auto& t : prepared.timed) {
    if (!concerns(*t.rule, p)) continue;
    // Reminders that land less than an hour apart: the one planned earlier stays.
    if (t.rule->kind == "reminder") {
      const bool close = std::any_of(reminders.begin(), reminders.end(), [&](Utc r) {
        return (t.due > r ? t.due - r : r - t.due) < kReminderMerge;
      });
      if (close) continue;
      reminders.push_back(t.due);
    }
    PlannedJob j;
    j.key = "s/" + std::to_string(p.id) + prepared.key_tail + t.rule->id;
    j.participant_id = p.id;
    j.rule = t.rule->id;
    j.kind = t.rule->kind;
    j.dialog = t.rule->dialog;
    j.session_id = prepared.session->id;
    j.due = t.due;
    if (t.due < s.start) j.deadline = s.start;
    j.context = prepared.context;
    out(std::move(j));
  }
}

void Planner::plan_session(const PlanSession& ps, const std::vector<PlanParticipant>& participants,
                           const std::function<void(PlannedJob&&)>& out) const {
  const Prepared prepared = prepare(ps);
  if (prepared.timed.empty()) return;
  for (const auto& p : participants) plan_for(prepared, p, out);
}

void Planner::plan_participant(const PlanParticipant& p, std::optional<Utc> programme_start,
                               std::optional<Utc> programme_end, Utc from, Utc to,
                               const std::function<void(PlannedJob&&)>& out) const {
  for (const auto& rule : rules_) {
    if (rule.tied_to_session() || !concerns(rule, p)) continue;
    auto make = [&](date::sys_days day, Utc due) {
      PlannedJob j;
      j.key = "p/" + std::to_string(p.id) + "/" + rule.id + "/" + iso_date(day);
      j.participant_id = p.id;
      j.rule = rule.id;
      j.kind = rule.kind;
      j.dialog = rule.dialog;
      j.due = next_allowed_time(due, zone_, window_);
      return j;
    };
    if (rule.anchor == "enrolment") {
      const Utc base = p.enrolled_at + std::chrono::minutes(rule.offset_minutes);
      out(make(local_date(zone_, p.enrolled_at), at_rule_time(rule, base)));
      continue;
    }
    // Weekly: the rule's weekday within [from, to) and within her programme.
    if (!programme_start || !programme_end) continue;
    std::vector<std::string> barriers;
    if (rule.kind == "tip") {
      for (const auto& b : p.barriers)
        if (rule.barriers.empty() || contains(rule.barriers, b)) barriers.push_back(b);
      if (barriers.empty()) continue;
    }
    // Not before her welcome: a prompt planned before she enrolled is not sent to her.
    const Utc first = std::max({from, *programme_start - std::chrono::hours(24 * 7), p.enrolled_at});
    const Utc last = std::min(to, *programme_end);
    for (date::sys_days day = local_date(zone_, first); at_local(zone_, day, 0) < last; day += date::days{1}) {
      if (static_cast<int>(date::weekday(day).c_encoding()) != rule.weekday) continue;
      const Utc base = at_local(zone_, day, rule.at_minute.value_or(window_.start_minute)) +
                       std::chrono::minutes(rule.offset_minutes);
      if (base < first || base >= last) continue;
      PlannedJob j = make(day, base);
      if (!barriers.empty()) {
        // One tip a week, taking her barriers in turn: at most one per barrier a week.
        const auto week = day.time_since_epoch().count() / 7;
        j.context["barrier"] = barriers[static_cast<std::size_t>(week) % barriers.size()];
      }
      out(std::move(j));
    }
  }
}

}  // namespace relais
