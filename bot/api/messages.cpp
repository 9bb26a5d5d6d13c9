// A participant's conversation, a coach's message to her, and group messages.
#include "bot/api/api_call.hpp"
#include "bot/api/api_json.hpp"
#include "bot/broadcasts.hpp"
#include "bot/conversations.hpp"
#include "bot/outbox.hpp"

namespace relais::api {
namespace {

void conversation(Call& call) {
  const auto id = call.id_param("id", "participant");
  const auto who = visible_participant(call.reader(), call.scope(), id);
  const TimeZone& zone = *call.deps().zone;
  json lines = json::array();
  // After an erasure only blank rows kept for the counts remain: nothing to read.
  if (who.erased_at) return call.reply({{"participant", participant_json(who, zone)}, {"messages", lines}});
  for (const auto& l : call.reader().coach().conversation(id, 500)) {
    json line = {{"direction", l.direction}, {"id", l.id}, {"at", time_json(zone, l.at)},
                 {"channel", l.channel}, {"text", l.text}};
    if (l.direction == "out") {
      line["kind"] = l.kind;
      line["status"] = l.status;
      line["reason"] = l.reason;
      line["origin"] = l.origin;
      line["segments"] = l.segments;
      line["cost_eur"] = l.cost_eur;
      line["not_before"] = time_json(zone, l.not_before);
    }
    lines.push_back(std::move(line));
  }
  call.reply({{"participant", participant_json(who, zone)}, {"messages", lines}});
}

const dialogs::Templates* templates(const Call& call) {
  return call.deps().conversations ? &call.deps().conversations->templates() : nullptr;
}

// The cohort all of a plan's participants belong to, or "" when they are of several.
std::string common_cohort(const BroadcastPlan& plan) {
  std::string cohort;
  for (const auto& c : plan.cohorts) {
    if (!cohort.empty() && c != cohort) return "";
    cohort = c;
  }
  return cohort;
}

json plan_json(const BroadcastPlan& plan, const TimeZone& zone) {
  json recipients = json::array(), excluded = json::array();
  std::string encoding = "GSM-7";
  for (const auto& r : plan.recipients) {
    recipients.push_back({{"participant_id", r.participant_id}, {"first_name", r.first_name}, {"channel", r.channel},
                          {"text", r.text}, {"encoding", r.encoding}, {"segments", r.segments}, {"cost_eur", r.cost_eur}});
    if (r.encoding != "GSM-7") encoding = r.encoding;
  }
  for (const auto& e : plan.excluded)
    excluded.push_back({{"participant_id", e.participant_id}, {"first_name", e.first_name}, {"reason", e.reason}});
  return {{"recipients", recipients}, {"excluded", excluded}, {"encoding", encoding},
          {"segments", plan.segments}, {"cost_eur", plan.cost_eur}, {"send_at", time_json(zone, plan.send_at)},
          {"warnings", plan.warnings}};
}

// A coach's own message to one participant: sent at once (origin coach: neither the
// window nor the daily cap holds it).
void write_to(Call& call) {
  const auto id = call.id_param("id", "participant");
  const json body = call.body();
  only_fields(body, {"text", "preview"});
  const auto text = string_field(body, "text");
  if (!text || text->empty()) bad_request("text: required");
  if (text->size() > 1600) bad_request("text: at most 1600 characters (10 SMS)");
  const bool preview = bool_field(body, "preview").value_or(false);
  auto run = [&call, id, text = *text, preview](Store& store) {
    const auto who = visible_participant(store, call.scope(), id);
    if (who.erased_at) throw ApiError(409, "participant " + std::to_string(id) + " was erased");
    BroadcastRequest request;
    request.actor = call.caller().actor();
    request.participant_ids = {id};
    request.text = text;
    const auto plan = plan_broadcast(store, call.config(), nullptr, *call.deps().zone, call.scope(), request, call.now());
    if (!plan.excluded.empty() && !preview) {
      const auto& why = plan.excluded.front().reason;
      throw ApiError(409, why == "opted_out"        ? "she opted out (STOP): nothing can be sent to her"
                          : why == "no_consent"     ? "she has not consented to messages"
                                                    : "her number fails: check it with her");
    }
    json out = plan_json(plan, *call.deps().zone);
    if (preview) return out;
    if (plan.recipients.empty()) throw ApiError(409, "nobody would receive it");
    const auto& r = plan.recipients.front();
    Draft d;
    d.participant_id = id;
    d.channel = r.channel;
    d.recipient = store.address_of(id, r.channel).value_or(who.record.phone);
    d.text = r.text;
    d.kind = "coach";
    d.origin = Origin::coach;
    d.not_before = call.now();
    out["message_id"] = enqueue(store, call.config(), d, call.now());
    store.coach().audit_in(who.record.cohort, call.caller().actor(), "message_participant",
                           "participant " + std::to_string(id), call.now());
    return out;
  };
  if (preview) return call.reply(run(call.reader()));
  call.change(run, 201);
}

BroadcastRequest read_broadcast(const Call& call, const json& body) {
  only_fields(body, {"cohort", "participants", "text", "template", "variables", "send_at", "preview"});
  BroadcastRequest r;
  r.actor = call.caller().actor();
  r.cohort = string_field(body, "cohort").value_or("");
  if (body.contains("participants")) {
    if (!body["participants"].is_array()) bad_request("participants: a list of participant ids is expected");
    for (const auto& v : body["participants"]) {
      if (!v.is_number_integer()) bad_request("participants: a list of participant ids is expected");
      r.participant_ids.push_back(v.get<std::int64_t>());
    }
  }
  if (r.cohort.empty() == r.participant_ids.empty()) bad_request("cohort or participants: give one of the two");
  if (!r.cohort.empty() && (!call.config().find_cohort(r.cohort) || !call.scope().sees(r.cohort)))
    bad_request("cohort: no cohort \"" + r.cohort + "\"");
  r.text = string_field(body, "text").value_or("");
  r.template_id = string_field(body, "template").value_or("");
  if (r.text.empty() == r.template_id.empty()) bad_request("text or template: give one of the two");
  if (r.text.size() > 1600) bad_request("text: at most 1600 characters (10 SMS)");
  if (!r.template_id.empty() && (!templates(call) || !templates(call)->has(r.template_id, "fr")))
    bad_request("template: no template \"" + r.template_id + "\"");
  if (body.contains("variables")) {
    if (!body["variables"].is_object()) bad_request("variables: an object of texts is expected");
    for (const auto& [k, v] : body["variables"].items()) {
      if (!v.is_string()) bad_request("variables." + k + ": text is expected");
      r.variables[k] = v.get<std::string>();
    }
  }
  if (body.contains("send_at") && !body["send_at"].is_null())
    r.send_at = parse_time(body["send_at"], "send_at", *call.deps().zone);
  return r;
}

// POST /api/broadcasts: with "preview": true, who would receive it and what it costs,
// nothing sent; else queued for its send time.
void broadcast(Call& call) {
  const json body = call.body();
  BroadcastRequest request = read_broadcast(call, body);
  const bool preview = bool_field(body, "preview").value_or(false);
  auto run = [&call, request, preview](Store& store) mutable {
    std::vector<std::int64_t> unknown;
    BroadcastPlan plan;
    try {
      plan = plan_broadcast(store, call.config(), templates(call), *call.deps().zone, call.scope(), request,
                            call.now(), &unknown);
    } catch (const std::invalid_argument& e) {
      bad_request(e.what());
    }
    if (!unknown.empty()) not_found("participant " + std::to_string(unknown.front()));
    // A list within one cohort belongs to it: its coaches see it in their lists and audit.
    if (request.cohort.empty()) request.cohort = common_cohort(plan);
    json out = plan_json(plan, *call.deps().zone);
    out["preview"] = preview;
    if (preview) return out;
    if (plan.recipients.empty()) throw ApiError(409, "nobody would receive it: see \"excluded\"");
    out["broadcast_id"] = send_broadcast(store, call.config(), request, plan, call.now());
    store.coach().audit_in(request.cohort, call.caller().actor(), "broadcast",
                           "broadcast " + out["broadcast_id"].dump() + " to " + std::to_string(plan.recipients.size()) +
                               " participants",
                           call.now());
    return out;
  };
  if (preview) return call.reply(run(call.reader()));
  call.change(run, 201);
}

void broadcasts(Call& call) {
  const TimeZone& zone = *call.deps().zone;
  json items = json::array();
  for (const auto& b : call.reader().coach().broadcasts(call.scope(), 200))
    items.push_back({{"id", b.id}, {"actor", b.actor}, {"cohort", b.cohort}, {"text", b.text},
                     {"template", b.template_id}, {"send_at", time_json(zone, b.send_at)},
                     {"recipients", b.recipients}, {"excluded", b.excluded}, {"cost_eur", b.cost_eur},
                     {"created_at", time_json(zone, b.created_at)}});
  call.reply({{"broadcasts", items}});
}

}  // namespace

std::vector<RouteSpec> message_routes() {
  return {{"GET", "/api/participants/{id}/messages", "api_conversation", conversation},
          {"POST", "/api/participants/{id}/messages", "api_message", write_to},
          {"GET", "/api/broadcasts", "api_broadcasts", broadcasts},
          {"POST", "/api/broadcasts", "api_broadcast", broadcast}};
}

}  // namespace relais::api
