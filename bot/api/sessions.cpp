// /api/sessions: the programme's sessions; those Relais owns (created here) can be moved
// and cancelled here, calendar ones in their calendar. Attendance marks.
#include <random>

#include "bot/api/api_call.hpp"
#include "bot/api/api_json.hpp"
#include "bot/planning.hpp"
#include "scheduler/session.hpp"

namespace relais::api {
namespace {

constexpr const char* kRelaisSource = "relais";

bool sees_session(const CohortScope& scope, const Session& s) {
  return std::any_of(s.cohorts.begin(), s.cohorts.end(), [&](const std::string& c) { return scope.sees(c); });
}

SessionRow visible_session(Store& store, const CohortScope& scope, std::int64_t id) {
  auto row = store.session(id);
  if (!row || !sees_session(scope, row->session)) not_found("session " + std::to_string(id));
  return *row;
}

void list(Call& call) {
  const TimeZone& zone = *call.deps().zone;
  const Utc now = call.now();
  const Utc from = call.has_query("from") ? parse_time_text(call.query("from"), "from", zone) : now - std::chrono::hours(24 * 7);
  const Utc to = call.has_query("to") ? parse_time_text(call.query("to"), "to", zone) : now + std::chrono::hours(24 * 60);
  if (to <= from) bad_request("to: must come after from");
  if (to - from > std::chrono::hours(24 * 400)) bad_request("to: at most 400 days after from");
  const std::string cohort = call.query("cohort");
  json items = json::array();
  for (const auto& row : call.reader().sessions_between(from, to)) {
    if (!sees_session(call.scope(), row.session)) continue;
    const auto& cohorts = row.session.cohorts;
    if (!cohort.empty() && std::find(cohorts.begin(), cohorts.end(), cohort) == cohorts.end()) continue;
    items.push_back(session_json(row, zone));
  }
  call.reply({{"sessions", items}});
}

void read(Call& call) {
  const auto id = call.id_param("id", "session");
  call.reply(session_json(visible_session(call.reader(), call.scope(), id), *call.deps().zone));
}

std::string new_uid() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return std::string("relais-") + buf;
}

// The session's fields from a body, over `s` (its current values for a change).
Session read_session(const Call& call, const json& body, Session s, bool creating) {
  only_fields(body, {"title", "kind", "cohorts", "start", "end", "venue", "location"});
  if (creating)
    for (const char* required : {"title", "kind", "cohorts", "start", "end"})
      if (!body.contains(required)) bad_request(std::string(required) + ": required");
  const TimeZone& zone = *call.deps().zone;
  if (auto v = string_field(body, "title")) {
    if (v->empty() || v->size() > 200) bad_request("title: 1 to 200 characters");
    s.title = *v;
  }
  if (auto v = string_field(body, "kind")) {
    if (std::none_of(std::begin(kSessionKinds), std::end(kSessionKinds), [&](const char* k) { return *v == k; })) {
      std::string kinds;
      for (const char* k : kSessionKinds) kinds += std::string(kinds.empty() ? "" : ", ") + k;
      bad_request("kind: \"" + *v + "\" is not a session kind (" + kinds + ")");
    }
    s.kind = *v;
  }
  if (auto v = strings_field(body, "cohorts")) {
    if (v->empty()) bad_request("cohorts: at least one cohort");
    for (const auto& c : *v)
      if (!call.config().find_cohort(c) || !call.scope().sees(c)) bad_request("cohorts: no cohort \"" + c + "\"");
    s.cohorts = *v;
  }
  if (body.contains("start")) s.start = parse_time(body["start"], "start", zone);
  if (body.contains("end")) s.end = parse_time(body["end"], "end", zone);
  if (s.end <= s.start) bad_request("end: must come after start");
  if (auto v = string_field(body, "venue")) {
    const auto& venues = call.config().venues;
    if (!v->empty() && std::none_of(venues.begin(), venues.end(), [&](const VenueConfig& x) { return x.id == *v; }))
      bad_request("venue: no venue \"" + *v + "\" in the configuration");
    s.venue = *v;
  }
  if (auto v = string_field(body, "location")) s.location = *v;
  return s;
}

// One audit entry for each cohort the session is for: each cohort's coaches see it.
void audit_session(const Call& call, Store& store, const Session& s, const std::string& action, const std::string& detail) {
  for (const auto& cohort : s.cohorts) store.coach().audit_in(cohort, call.caller().actor(), action, detail, call.now());
}

// A change to Relais's own sessions goes through the same snapshot import as a calendar:
// jobs re-planned, participants told when a session less than 7 days ahead moves or is
// cancelled.
json apply(const Call& call, Store& store, const Session& changed, const std::string& action) {
  std::vector<Session> all;
  bool replaced = false;
  for (auto& row : store.sessions_of_source(kRelaisSource)) {
    if (row.session.uid == changed.uid) {
      all.push_back(changed);
      replaced = true;
    } else {
      all.push_back(std::move(row.session));
    }
  }
  if (!replaced) all.push_back(changed);
  const auto result = call.deps().planning->import_sessions(store, kRelaisSource, all, call.deps().conversations,
                                                            call.now());
  std::int64_t id = 0;
  for (const auto& row : store.sessions_of_source(kRelaisSource))
    if (row.session.uid == changed.uid) id = row.id;
  audit_session(call, store, changed, action, "session " + std::to_string(id));
  json out = session_json(*store.session(id), *call.deps().zone);
  out["participants_told"] = result.notices;
  return out;
}

void need_planning(const Call& call) {
  if (!call.deps().planning) throw ApiError(503, "the scheduler is not running");
}

void create(Call& call) {
  need_planning(call);
  Session s = read_session(call, call.body(), {}, true);
  s.uid = new_uid();
  s.stamp = call.now();
  call.change([&call, s](Store& store) { return apply(call, store, s, "session_create"); }, 201);
}

// A calendar's session is changed in its calendar: Relais would undo the change at its
// next reading. A session shared with a cohort the caller does not follow is not hers to change.
void own_only(const SessionRow& row, const CohortScope& scope) {
  if (row.source != kRelaisSource)
    throw ApiError(409, "this session comes from the calendar \"" + row.source +
                            "\": change it in that calendar, and Relais will read the change");
  const auto& cohorts = row.session.cohorts;
  if (!std::all_of(cohorts.begin(), cohorts.end(), [&](const std::string& c) { return scope.sees(c); }))
    throw ApiError(403, "this session is shared with a cohort you do not follow: ask its coach or an admin");
}

void update(Call& call) {
  need_planning(call);
  const auto id = call.id_param("id", "session");
  const json body = call.body();
  call.change([&call, id, body](Store& store) {
    const auto row = visible_session(store, call.scope(), id);
    own_only(row, call.scope());
    if (row.session.cancelled) throw ApiError(409, "this session was cancelled");
    Session s = read_session(call, body, row.session, false);
    s.sequence = row.session.sequence + 1;
    s.stamp = call.now();
    return apply(call, store, s, "session_update");
  });
}

void cancel(Call& call) {
  need_planning(call);
  const auto id = call.id_param("id", "session");
  call.change([&call, id](Store& store) {
    const auto row = visible_session(store, call.scope(), id);
    own_only(row, call.scope());
    if (row.session.cancelled) return session_json(row, *call.deps().zone);
    Session s = row.session;
    s.cancelled = true;
    s.sequence += 1;
    s.stamp = call.now();
    return apply(call, store, s, "session_cancel");
  });
}

// Who the session is for: its cohorts' participants the caller sees (an individual
// session: her alone).
std::vector<ParticipantRecord> expected(Store& store, const CohortScope& scope, const Session& s) {
  std::vector<ParticipantRecord> out;
  if (s.participant) {
    if (auto p = store.find_participant_by_phone(*s.participant); p && scope.sees(p->cohort)) out.push_back(*p);
    return out;
  }
  for (const auto& cohort : s.cohorts)
    if (scope.sees(cohort))
      for (auto& p : store.participants_in_cohort(cohort)) out.push_back(std::move(p));
  return out;
}

void attendance(Call& call) {
  const auto id = call.id_param("id", "session");
  Store& store = call.reader();
  const auto row = visible_session(store, call.scope(), id);
  std::map<std::int64_t, AttendanceRow> marks;
  for (auto& a : store.coach().attendance_of_session(id)) marks[a.participant_id] = a;
  const TimeZone& zone = *call.deps().zone;
  json items = json::array();
  for (const auto& p : expected(store, call.scope(), row.session)) {
    json item = {{"participant_id", p.id}, {"first_name", p.first_name}, {"cohort", p.cohort},
                 {"status", nullptr}, {"reason", ""}, {"source", nullptr}, {"at", nullptr}};
    if (auto it = marks.find(p.id); it != marks.end()) {
      item["status"] = it->second.status;
      item["reason"] = it->second.reason;
      item["source"] = it->second.source;
      item["at"] = time_json(zone, it->second.at);
    }
    items.push_back(item);
  }
  call.reply({{"session", session_json(row, zone)}, {"attendance", items}});
}

void mark(Call& call) {
  const auto id = call.id_param("id", "session");
  const auto participant_id = call.id_param("participant", "participant");
  const json body = call.body();
  only_fields(body, {"status", "reason"});
  const auto status = string_field(body, "status");
  if (!status || (*status != "present" && *status != "absent" && *status != "excused"))
    bad_request("status: present, absent or excused");
  const std::string reason = string_field(body, "reason").value_or("");
  if (reason.size() > 500) bad_request("reason: at most 500 characters");
  call.change([&call, id, participant_id, status = *status, reason](Store& store) {
    const auto row = visible_session(store, call.scope(), id);
    if (row.session.cancelled) throw ApiError(409, "this session was cancelled");
    const auto who = expected(store, call.scope(), row.session);
    if (std::none_of(who.begin(), who.end(), [&](const ParticipantRecord& p) { return p.id == participant_id; }))
      not_found("participant " + std::to_string(participant_id) + " in this session");
    // A coach's mark wins over what she declared.
    store.set_attendance(id, participant_id, status, reason, "coach", call.now());
    audit_session(call, store, row.session, "attendance_mark",
                  "session " + std::to_string(id) + " participant " + std::to_string(participant_id) + " " + status);
    return json{{"session_id", id}, {"participant_id", participant_id}, {"status", status}, {"reason", reason},
                {"source", "coach"}};
  });
}

}  // namespace

std::vector<RouteSpec> session_routes() {
  return {{"GET", "/api/sessions", "api_sessions", list},
          {"POST", "/api/sessions", "api_session_create", create},
          {"GET", "/api/sessions/{id}", "api_session", read},
          {"PATCH", "/api/sessions/{id}", "api_session_update", update},
          {"DELETE", "/api/sessions/{id}", "api_session_cancel", cancel},
          {"GET", "/api/sessions/{id}/attendance", "api_attendance", attendance},
          {"PUT", "/api/sessions/{id}/attendance/{participant}", "api_attendance_mark", mark}};
}

}  // namespace relais::api
