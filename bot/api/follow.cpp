// What coaches follow: who they are, their cohorts, alerts, check-in answers, the
// funders' indicators and the audit log.
#include "bot/api/api_call.hpp"
#include "bot/api/api_json.hpp"
#include "bot/reports.hpp"

namespace relais::api {
namespace {

void me(Call& call) {
  const auto& scope = call.scope();
  call.reply({{"name", call.caller().name}, {"token_id", call.caller().token_id}, {"admin", scope.all},
              {"cohorts", scope.all ? json(nullptr) : json(scope.cohorts)}});
}

// Her cohort's next session and who said she would come (the attendance question).
json next_session_of(Call& call, const std::string& cohort) {
  Store& store = call.reader();
  const Utc now = call.now();
  json out = {{"next_session", nullptr},
              {"confirmations", {{"yes", 0}, {"no", 0}, {"unknown", 0}, {"participants", json::array()}}}};
  std::optional<SessionRow> next;
  for (auto& row : store.sessions_between(now, now + std::chrono::hours(24 * 90))) {
    const auto& cohorts = row.session.cohorts;
    if (!row.session.cancelled && !row.session.participant && row.session.start >= now &&
        std::find(cohorts.begin(), cohorts.end(), cohort) != cohorts.end()) {
      next = std::move(row);
      break;
    }
  }
  if (!next) return out;
  out["next_session"] = session_json(*next, *call.deps().zone);
  std::map<std::int64_t, std::string> answer;  // newest first: the first one seen is her last word
  for (const auto& a : store.coach().answers(CohortScope::of({cohort}), "attendance", next->id, 1000))
    if (a.target == "attendance.coming") answer.try_emplace(a.participant_id, a.value);
  auto& confirmations = out["confirmations"];
  for (const auto& p : store.participants_in_cohort(cohort)) {
    if (!p.consent || p.opted_out) continue;
    auto it = answer.find(p.id);
    const std::string said = it == answer.end() ? "unknown" : it->second == "yes" ? "yes" : "no";
    confirmations[said] = confirmations[said].get<int>() + 1;
    confirmations["participants"].push_back({{"participant_id", p.id}, {"first_name", p.first_name},
                                             {"answer", said == "unknown" ? json(nullptr) : json(said)}});
  }
  return out;
}

void cohorts(Call& call) {
  const auto unread = call.reader().coach().unread_alerts_by_cohort(call.scope());
  json items = json::array();
  for (const auto& c : call.config().cohorts) {
    if (!call.scope().sees(c.id)) continue;
    json coaches = json::array();
    for (const auto& coach : c.coaches) coaches.push_back(coach.name);
    auto n = unread.find(c.id);
    json item = {{"id", c.id}, {"name", c.name}, {"coaches", coaches},
                 {"unread_alerts", n == unread.end() ? 0 : n->second}};
    item.update(next_session_of(call, c.id));
    items.push_back(std::move(item));
  }
  call.reply({{"cohorts", items}});
}

// The places of the configuration, for choosing where a session happens.
void venues(Call& call) {
  json items = json::array();
  for (const auto& v : call.config().venues) items.push_back({{"id", v.id}, {"name", v.name}, {"address", v.address}});
  call.reply({{"venues", items}});
}

json alert_json(const AlertRow& a, const TimeZone& zone) {
  return {{"id", a.id}, {"kind", a.kind},
          {"participant_id", a.participant_id ? json(*a.participant_id) : json(nullptr)},
          {"cohort", a.cohort}, {"detail", a.detail}, {"state", a.state},
          {"created_at", time_json(zone, a.created_at)}, {"handled_by", a.handled_by},
          {"handled_at", time_json(zone, a.handled_at)}};
}

void alerts(Call& call) {
  AlertFilter f;
  if (call.has_query("state")) {
    f.state = call.query("state");
    if (*f.state != "unread" && *f.state != "read" && *f.state != "acknowledged")
      bad_request("state: unread, read or acknowledged");
  }
  if (call.has_query("kind")) f.kind = call.query("kind");
  f.participant_id = call.int_query("participant");
  f.before_id = call.int_query("before").value_or(0);
  json items = json::array();
  for (const auto& a : call.reader().coach().alerts(call.scope(), f)) items.push_back(alert_json(a, *call.deps().zone));
  call.reply({{"alerts", items}});
}

void set_alert(Call& call) {
  const auto id = call.id_param("id", "alert");
  const json body = call.body();
  only_fields(body, {"state"});
  const auto state = string_field(body, "state");
  if (!state || (*state != "read" && *state != "acknowledged")) bad_request("state: read or acknowledged");
  call.change([&call, id, state = *state](Store& store) {
    auto a = store.coach().alert(id);
    if (!a || !call.scope().sees(a->cohort)) not_found("alert " + std::to_string(id));
    if (store.coach().set_alert_state(id, state, call.caller().name, call.now()))
      store.coach().audit_in(a->cohort, call.caller().actor(), "alert_" + state, "alert " + std::to_string(id),
                             call.now());
    return alert_json(*store.coach().alert(id), *call.deps().zone);
  });
}

void checkins(Call& call) {
  const auto session = call.int_query("session");
  const std::string dialog = call.has_query("dialog") ? call.query("dialog") : "checkin";
  json items = json::array();
  for (const auto& a : call.reader().coach().answers(call.scope(), dialog, session, 500))
    items.push_back({{"id", a.id}, {"participant_id", a.participant_id}, {"dialog", a.dialog}, {"question", a.target},
                     {"answer", a.value}, {"at", time_json(*call.deps().zone, a.at)},
                     {"session_id", a.session_id ? json(*a.session_id) : json(nullptr)}});
  call.reply({{"answers", items}});
}

IndicatorQuery indicator_query(const Call& call) {
  IndicatorQuery q;
  q.scope = call.scope();
  if (call.has_query("cohort")) {
    q.cohort = call.query("cohort");
    if (!call.config().find_cohort(*q.cohort) || !call.scope().sees(*q.cohort))
      bad_request("cohort: no cohort \"" + *q.cohort + "\"");
  }
  const TimeZone& zone = *call.deps().zone;
  q.from = call.has_query("from") ? parse_time_text(call.query("from"), "from", zone) : Utc{};
  q.to = call.has_query("to") ? parse_time_text(call.query("to"), "to", zone) : call.now();
  if (q.to <= q.from) bad_request("to: must come after from");
  q.budget_eur = call.config().messaging_budget_eur;
  q.time_zone = call.config().time_zone;
  return q;
}

void indicators(Call& call) {
  call.reply(indicators_json(call.reader().coach().indicators(indicator_query(call))));
}

void indicators_csv_route(Call& call) {
  auto r = http::text_response(200, indicators_csv(call.reader().coach().indicators(indicator_query(call))));
  r.content_type = "text/csv; charset=utf-8";
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"indicateurs.csv\"");
  call.reply(std::move(r));
}

void audit(Call& call) {
  const std::int64_t before = call.int_query("before").value_or(0);
  json items = json::array();
  for (const auto& e : call.reader().coach().audit_entries(call.scope(), before, 200))
    items.push_back({{"id", e.id}, {"at", time_json(*call.deps().zone, e.at)}, {"actor", e.actor},
                     {"action", e.action}, {"detail", e.detail}, {"cohort", e.cohort}});
  call.reply({{"entries", items}});
}

}  // namespace

std::vector<RouteSpec> follow_routes() {
  return {{"GET", "/api/me", "api_me", me},
          {"GET", "/api/cohorts", "api_cohorts", cohorts},
          {"GET", "/api/venues", "api_venues", venues},
          {"GET", "/api/alerts", "api_alerts", alerts},
          {"PATCH", "/api/alerts/{id}", "api_alert_update", set_alert},
          {"GET", "/api/checkins", "api_checkins", checkins},
          {"GET", "/api/indicators", "api_indicators", indicators},
          {"GET", "/api/indicators.csv", "api_indicators_csv", indicators_csv_route},
          {"GET", "/api/audit", "api_audit", audit}};
}

}  // namespace relais::api
