#include "bot/planning.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "bot/conversations.hpp"
#include "bot/delivery_policy.hpp"
#include "bot/log.hpp"

namespace relais {
namespace {

// Sessions planned: those that ended at most this long ago (their check-ins) and later.
constexpr auto kPastSessions = std::chrono::hours(24 * 3);
constexpr auto kFarFuture = std::chrono::hours(24 * 800);

PlanParticipant plan_view(const ParticipantRecord& p) {
  return {p.id, p.phone, p.cohort, p.barriers, p.consent_tips, p.buddy_phone.has_value(), p.enrolled_at};
}

bool eligible(const ParticipantRecord& p) { return p.consent && !p.opted_out; }

// The participants a session concerns, read from the store: her alone, or its cohorts.
std::vector<ParticipantRecord> concerned_by(Store& store, const Session& s) {
  std::vector<ParticipantRecord> out;
  if (s.participant) {
    if (auto p = store.find_participant_by_phone(*s.participant)) out.push_back(std::move(*p));
    return out;
  }
  for (const auto& cohort : s.cohorts) {
    auto in = store.participants_in_cohort(cohort);
    out.insert(out.end(), std::make_move_iterator(in.begin()), std::make_move_iterator(in.end()));
  }
  return out;
}

}  // namespace

struct Planning::Inputs {
  std::vector<PlanParticipant> participants;
  std::map<std::string, std::vector<PlanParticipant>> by_cohort;
  std::map<std::string, PlanParticipant> by_phone;
  std::vector<SessionRow> sessions;
  std::map<std::string, std::pair<Utc, Utc>> programme;  // cohort → first start, last end

  // Who a session concerns: her alone (individual), else its cohorts.
  std::vector<PlanParticipant> of(const Session& s) const {
    std::vector<PlanParticipant> out;
    if (s.participant) {
      if (auto it = by_phone.find(*s.participant); it != by_phone.end()) out.push_back(it->second);
      return out;
    }
    for (const auto& cohort : s.cohorts)
      if (auto it = by_cohort.find(cohort); it != by_cohort.end()) out.insert(out.end(), it->second.begin(), it->second.end());
    return out;
  }
};

Planning::Planning(const Config& config, const TimeZone& zone)
    : config_(config), zone_(zone), planner_(zone, sending_window(config), config.rules) {}

const Rule* Planning::rule(const std::string& id) const {
  for (const auto& r : config_.rules)
    if (r.id == id) return &r;
  return nullptr;
}

Planning::Inputs Planning::load(Store& store, Utc now) const {
  Inputs in;
  for (const auto& p : store.all_participants()) {
    if (!eligible(p)) continue;
    PlanParticipant v = plan_view(p);
    in.by_cohort[v.cohort].push_back(v);
    in.by_phone[v.phone] = v;
    in.participants.push_back(std::move(v));
  }
  // Every session for the programme spans; only recent and future ones are planned.
  for (auto& row : store.sessions_between(Utc{}, now + kFarFuture)) {
    if (row.session.cancelled) continue;
    for (const auto& cohort : row.session.cohorts) {
      auto [it, fresh] = in.programme.try_emplace(cohort, row.session.start, row.session.end);
      if (!fresh) {
        it->second.first = std::min(it->second.first, row.session.start);
        it->second.second = std::max(it->second.second, row.session.end);
      }
    }
    if (row.session.end >= now - kPastSessions) in.sessions.push_back(std::move(row));
  }
  return in;
}

Planning::Stats Planning::replan_all(Store& store, Utc now) const {
  Stats stats;
  // A first planning has nothing to sweep: on a large programme the sweep reads every job.
  const bool had_planned = store.has_planned_jobs();
  const std::int64_t run = store.next_plan_run();
  const Inputs in = load(store, now);
  auto write = [&](PlannedJob&& job) {
    store.upsert_job(job, run, now);
    ++stats.jobs;
  };
  // Participant by participant (her sessions, then her own jobs): the jobs reach the
  // database in the order of their keys, which keeps its index writes local.
  std::vector<PlanSession> sessions;
  sessions.reserve(in.sessions.size());
  for (const auto& row : in.sessions) sessions.push_back({row.id, row.session});
  std::vector<Planner::Prepared> prepared;
  prepared.reserve(sessions.size());
  std::map<std::string, std::vector<const Planner::Prepared*>> by_cohort;
  std::map<std::string, std::vector<const Planner::Prepared*>> by_phone;  // individual sessions
  for (const auto& s : sessions) {
    prepared.push_back(planner_.prepare(s));
    if (prepared.back().timed.empty()) continue;
    if (s.session.participant) by_phone[*s.session.participant].push_back(&prepared.back());
    else
      for (const auto& cohort : s.session.cohorts) by_cohort[cohort].push_back(&prepared.back());
  }
  static const std::vector<const Planner::Prepared*> kNone;
  for (const auto& p : in.participants) {
    auto cohort = by_cohort.find(p.cohort);
    auto own = by_phone.find(p.phone);
    for (const auto* list : {cohort == by_cohort.end() ? &kNone : &cohort->second, own == by_phone.end() ? &kNone : &own->second})
      for (const auto* session : *list) planner_.plan_for(*session, p, write);
    auto span = in.programme.find(p.cohort);
    planner_.plan_participant(p, span == in.programme.end() ? std::nullopt : std::optional(span->second.first),
                              span == in.programme.end() ? std::nullopt : std::optional(span->second.second),
                              now - std::chrono::hours(24), now + kWeeklyHorizon, write);
  }
  if (had_planned) stats.cancelled = store.cancel_stale_jobs(run, JobScope::everything(), now);
  return stats;
}

Planning::Stats Planning::replan_own_jobs(Store& store, Utc now) const {
  Stats stats;
  const std::int64_t run = store.next_plan_run();
  const Inputs in = load(store, now);
  for (const auto& p : in.participants) {
    auto span = in.programme.find(p.cohort);
    planner_.plan_participant(p, span == in.programme.end() ? std::nullopt : std::optional(span->second.first),
                              span == in.programme.end() ? std::nullopt : std::optional(span->second.second),
                              now - std::chrono::hours(24), now + kWeeklyHorizon, [&](PlannedJob&& job) {
                                store.upsert_job(job, run, now);
                                ++stats.jobs;
                              });
  }
  stats.cancelled = store.cancel_stale_jobs(run, JobScope::own_jobs(), now);
  return stats;
}

Planning::Stats Planning::replan_sessions(Store& store, const std::vector<std::int64_t>& session_ids, Utc now) const {
  Stats stats;
  if (session_ids.empty()) return stats;
  const std::int64_t run = store.next_plan_run();
  // Only the participants of these sessions are read, so that one moved session re-plans fast.
  for (auto id : session_ids) {
    auto row = store.session(id);
    if (!row) continue;
    std::vector<PlanParticipant> concerned;
    for (const auto& p : concerned_by(store, row->session))
      if (eligible(p)) concerned.push_back(plan_view(p));
    planner_.plan_session({row->id, row->session}, concerned, [&](PlannedJob&& job) {
      store.upsert_job(job, run, now);
      ++stats.jobs;
    });
  }
  stats.cancelled = store.cancel_stale_jobs(run, JobScope::of_sessions(session_ids), now);
  return stats;
}

Planning::Stats Planning::replan_participants(Store& store, const std::vector<std::int64_t>& ids, Utc now) const {
  Stats stats;
  if (ids.empty()) return stats;
  const std::int64_t run = store.next_plan_run();
  const Inputs in = load(store, now);
  const std::set<std::int64_t> wanted(ids.begin(), ids.end());
  std::vector<std::int64_t> session_ids;
  auto write = [&](PlannedJob&& job) {
    if (!wanted.count(job.participant_id)) return;
    store.upsert_job(job, run, now);
    ++stats.jobs;
  };
  for (const auto& row : in.sessions) {
    std::vector<PlanParticipant> concerned;
    for (const auto& p : in.of(row.session))
      if (wanted.count(p.id)) concerned.push_back(p);
    if (concerned.empty()) continue;
    planner_.plan_session({row.id, row.session}, concerned, write);
  }
  for (const auto& p : in.participants) {
    if (!wanted.count(p.id)) continue;
    auto span = in.programme.find(p.cohort);
    planner_.plan_participant(p, span == in.programme.end() ? std::nullopt : std::optional(span->second.first),
                              span == in.programme.end() ? std::nullopt : std::optional(span->second.second),
                              now - std::chrono::hours(24), now + kWeeklyHorizon, write);
  }
  // Her jobs no longer wanted (she opted out, changed cohort…) are cancelled.
  stats.cancelled = store.cancel_stale_jobs(run, JobScope::of_participants(ids), now);
  return stats;
}

int Planning::fire_due(Store& store, Conversations& conversations, Utc now, int limit,
                       const std::set<std::int64_t>* only) const {
  int handled = 0;
  for (const auto& row : store.due_jobs(now, limit)) {
    const PlannedJob& job = row.job;
    if (only && !only->count(job.participant_id)) continue;
    ++handled;
    auto drop = [&](const std::string& status, const std::string& why) {
      store.set_job_status(row.id, status, why, now);
      log::info("job.not_fired", {{"job", std::to_string(row.id)}, {"rule", job.rule}, {"status", status}, {"reason", why}});
    };
    auto who = store.find_participant(job.participant_id);
    if (!who || !eligible(*who)) {
      drop("cancelled", "she no longer receives messages");
      continue;
    }
    std::optional<SessionRow> session;
    if (job.session_id) session = store.session(*job.session_id);
    if (job.session_id && (!session || session->session.cancelled)) {
      drop("cancelled", "its session was cancelled");
      continue;
    }
    // After a downtime: sent only while still useful.
    const auto late = now - job.due;
    if (job.deadline && now >= *job.deadline) {
      drop("dropped", "too late: its session has started");
      continue;
    }
    const auto useful_for = job.kind == "checkin" ? std::chrono::hours(48)
                            : job.kind == "welcome" ? std::chrono::hours(24 * 7)
                            : job.kind == "reminder" ? std::chrono::hours(24 * 30)
                                                     : std::chrono::hours(24);
    if (late > useful_for) {
      drop("dropped", "too late: planned for " + zone_.format_local(job.due));
      continue;
    }
    const Rule* r = rule(job.rule);
    if (r && r->only_if_absent) {
      const auto attendance = store.attendance_of(*job.session_id, who->id);
      if (attendance != "absent" && attendance != "excused") {
        drop("dropped", "no absence declared or marked");
        continue;
      }
    }
    if (!conversations.has_dialog(job.dialog)) {
      drop("dropped", "no dialog \"" + job.dialog + "\"");
      continue;
    }
    auto context = job.context;
    context["_job"] = std::to_string(row.id);
    context["_kind"] = job.kind;
    if (job.session_id) context["_session"] = std::to_string(*job.session_id);
    if (job.deadline) context["_deadline"] = std::to_string(to_epoch_ms(*job.deadline));
    if (session && !session->session.location.empty()) context["_location"] = session->session.location;
    conversations.start(store, *who, job.dialog, context, now);
    store.set_job_status(row.id, "fired", "", now);
  }
  return handled;
}

Planning::ImportResult Planning::import_sessions(Store& store, const std::string& source,
                                                 const std::vector<Session>& sessions, Conversations* conversations,
                                                 Utc now) const {
  ImportResult result;
  std::vector<std::int64_t> to_replan;
  std::vector<std::pair<SessionRow, SessionChange>> to_tell;
  std::set<std::pair<std::string, std::string>> seen;
  auto record = [&](const SessionChange& change) {
    switch (change.what) {
      case SessionChange::What::created: ++result.created; break;
      case SessionChange::What::moved: ++result.moved; break;
      case SessionChange::What::changed:
      case SessionChange::What::restored: ++result.changed; break;
      case SessionChange::What::cancelled: ++result.cancelled; break;
      case SessionChange::What::unchanged: ++result.unchanged; return;
    }
    to_replan.push_back(change.id);
    if (change.what == SessionChange::What::moved || change.what == SessionChange::What::cancelled)
      if (auto row = store.session(change.id)) to_tell.emplace_back(*row, change);
  };
  for (const auto& s : sessions) {
    seen.emplace(s.uid, s.occurrence);
    const SessionChange change = store.upsert_session(source, s, now);
    if (!change.previous_source.empty())
      result.warnings.push_back("event \"" + s.title + "\" (uid " + s.uid + ") was in source \"" +
                                change.previous_source + "\": it now belongs to \"" + source + "\"");
    record(change);
  }
  // A snapshot: the source's future sessions that are no longer in it are cancelled.
  for (const auto& row : store.sessions_of_source(source)) {
    if (seen.count({row.session.uid, row.session.occurrence}) || row.session.cancelled || row.session.start <= now)
      continue;
    store.cancel_session(row.id, now);
    record({SessionChange::What::cancelled, row.id, row.session.start, ""});
  }
  replan_sessions(store, to_replan, now);
  if (!conversations) return result;
  // Participants of a session near them are told it moved or was cancelled.
  for (const auto& [row, change] : to_tell) {
    const Utc before = change.old_start.value_or(row.session.start);
    const bool near = (before > now && before - now < kNoticeHorizon) ||
                      (!row.session.cancelled && row.session.start > now && row.session.start - now < kNoticeHorizon);
    if (!near) continue;
    const bool cancelled = change.what == SessionChange::What::cancelled;
    std::map<std::string, std::string> context = {
        {"session_title", row.session.title},
        {"session_kind", session_kind_label(row.session.kind)},
        {"_session_start", std::to_string(to_epoch_ms(cancelled ? before : row.session.start))},
        {"_kind", "notice"},
        {"_session", std::to_string(row.id)}};
    if (!row.session.venue.empty()) context["venue_id"] = row.session.venue;
    if (!row.session.location.empty()) context["_location"] = row.session.location;
    for (const auto& p : concerned_by(store, row.session)) {
      if (!eligible(p)) continue;
      conversations->send_notice(store, p, cancelled ? "notice.cancelled" : "notice.moved", context, now);
      ++result.notices;
    }
  }
  return result;
}

}  // namespace relais
