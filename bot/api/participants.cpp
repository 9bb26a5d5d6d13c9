// /api/participants: list, read, create, update, import a CSV file, erase (RGPD).
#include <set>

#include "bot/api/api_call.hpp"
#include "bot/api/api_json.hpp"
#include "bot/commands.hpp"
#include "bot/conversations.hpp"
#include "bot/core/phone.hpp"
#include "bot/import/participant_fields.hpp"
#include "bot/import/participants_csv.hpp"
#include "bot/planning.hpp"
#include "bot/storage/sqlite.hpp"

namespace relais::api {
namespace {

constexpr int kMaxPage = 500;

std::optional<bool> yes_no_query(const Call& call, std::string_view name) {
  if (!call.has_query(name)) return std::nullopt;
  const auto v = call.query(name);
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  bad_request(std::string(name) + ": true or false is expected");
}

int page_size(const Call& call) {
  if (!call.has_query("limit")) return 100;
  const auto v = call.query("limit");
  if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos || std::stoi(v) < 1)
    bad_request("limit: a number from 1 to " + std::to_string(kMaxPage) + " is expected");
  return std::min(std::stoi(v), kMaxPage);
}

// A cohort the caller names must be one she sees; the message is the same for a cohort
// that does not exist, so that a token learns nothing of the others.
void check_cohort(const Call& call, const std::string& cohort, const std::string& field) {
  if (!call.config().find_cohort(cohort) || !call.scope().sees(cohort))
    bad_request(field + ": no cohort \"" + cohort + "\"");
}

void list(Call& call) {
  ParticipantFilter f;
  if (call.has_query("cohort")) {
    f.cohort = call.query("cohort");
    check_cohort(call, *f.cohort, "cohort");
  }
  f.opted_out = yes_no_query(call, "opted_out");
  f.failing = yes_no_query(call, "failing_number");
  if (call.has_query("barrier")) f.barrier = call.query("barrier");
  const TimeZone& zone = *call.deps().zone;
  if (call.has_query("replied_since")) f.replied_since = parse_time_text(call.query("replied_since"), "replied_since", zone);
  if (call.has_query("silent_since")) f.silent_since = parse_time_text(call.query("silent_since"), "silent_since", zone);
  f.after_id = call.int_query("after").value_or(0);
  f.limit = page_size(call);
  json items = json::array();
  const auto rows = call.reader().coach().participants(call.scope(), f);
  for (const auto& p : rows) items.push_back(participant_json(p, zone));
  json page = {{"participants", items}};
  // The next page starts after the last id of a full one.
  page["next_after"] = static_cast<int>(rows.size()) == f.limit ? json(rows.back().record.id) : json(nullptr);
  call.reply(page);
}

void read(Call& call) {
  const auto id = call.id_param("id", "participant");
  call.reply(participant_json(visible_participant(call.reader(), call.scope(), id), *call.deps().zone));
}

// The fields of a participant from a JSON body, checked like the CSV import's cells, over
// `base` (her current values for an update).
ParticipantRecord read_fields(const Call& call, const json& body, ParticipantRecord base, bool creating) {
  only_fields(body, {"first_name", "phone", "cohort", "consent", "consent_tips", "language", "channel", "barriers",
                     "buddy_phone", "external_id", "opted_out"});
  if (creating)
    for (const char* required : {"first_name", "phone", "cohort", "consent"})
      if (!body.contains(required)) bad_request(std::string(required) + ": required");
  const Config& config = call.config();
  auto check = [](auto result, const std::string& field) {
    if (!result) bad_request(field + ": " + result.error());
    return *result;
  };
  if (auto v = string_field(body, "first_name")) base.first_name = check(read_first_name(*v), "first_name");
  if (auto v = string_field(body, "phone"))
    base.phone = check(Phone::parse(phone_text(*v), config.default_region), "phone").e164();
  if (auto v = string_field(body, "cohort")) {
    check_cohort(call, *v, "cohort");
    base.cohort = *v;
  }
  if (auto v = bool_field(body, "consent")) base.consent = *v;
  if (auto v = bool_field(body, "consent_tips")) base.consent_tips = *v;
  else if (creating) base.consent_tips = base.consent;  // as in the CSV import
  if (auto v = string_field(body, "language")) base.language = check(read_language(*v), "language");
  if (auto v = string_field(body, "channel")) {
    if (!config.find_channel(*v)) bad_request("channel: no channel \"" + *v + "\"");
    base.channel = *v;
  }
  if (base.channel.empty()) base.channel = config.default_channel;
  if (auto v = strings_field(body, "barriers")) {
    std::string joined;
    for (const auto& b : *v) joined += (joined.empty() ? "" : "|") + b;
    base.barriers = check(read_barriers(joined), "barriers");
  }
  if (body.contains("buddy_phone")) {
    auto v = string_field(body, "buddy_phone");
    base.buddy_phone = v && !v->empty()
                           ? std::optional(check(Phone::parse(phone_text(*v), config.default_region), "buddy_phone").e164())
                           : std::nullopt;
  }
  if (body.contains("external_id")) {
    auto v = string_field(body, "external_id");
    base.external_id = v && !v->empty() ? v : std::nullopt;
  }
  if (base.buddy_phone == base.phone) bad_request("buddy_phone: her binôme cannot be herself");
  const ChannelConfig* channel = config.find_channel(base.channel);
  if (channel && channel_type_is_sms(channel->type) && !Phone::from_e164(base.phone).can_receive_sms())
    bad_request("phone: " + mask_phone(base.phone) + " is a landline: it cannot receive SMS");
  return base;
}

// Her jobs follow her record: re-planned, and for a new participant the welcome starts
// when it is due.
void plan(const Call& call, Store& store, std::int64_t id, bool is_new) {
  const auto& deps = call.deps();
  if (!deps.planning || !deps.conversations) return;
  const Utc now = call.now();
  deps.planning->replan_participants(store, {id}, now);
  if (!is_new) return;
  const std::set<std::int64_t> only{id};
  deps.planning->fire_due(store, *deps.conversations, now, 20, &only);
}

std::int64_t save(Store& store, const ParticipantRecord& p, Utc now) {
  try {
    return store.coach().save_participant(p, now);
  } catch (const sql::SqliteError& e) {
    if (e.is_constraint()) throw ApiError(409, "phone: this number is already enrolled");
    throw;
  }
}

void create(Call& call) {
  const json body = call.body();
  if (bool_field(body, "opted_out").value_or(false)) bad_request("opted_out: a new participant cannot start opted out");
  ParticipantRecord p = read_fields(call, body, {}, true);
  call.change(
      [&call, p](Store& store) {
        const auto id = save(store, p, call.now());
        store.coach().audit_in(p.cohort, call.caller().actor(), "participant_create", "participant " + std::to_string(id),
                               call.now());
        plan(call, store, id, true);
        return participant_json(*store.coach().participant(id), *call.deps().zone);
      },
      201);
}

void update(Call& call) {
  const auto id = call.id_param("id", "participant");
  const json body = call.body();
  call.change([&call, id, body](Store& store) {
    const auto before = visible_participant(store, call.scope(), id);
    if (before.erased_at) throw ApiError(409, "participant " + std::to_string(id) + " was erased");
    ParticipantRecord p = read_fields(call, body, before.record, false);
    if (auto v = bool_field(body, "opted_out")) {
      if (!*v && before.record.opted_out)
        throw ApiError(409, "opted_out: only she can start again, by texting START (or REPRENDRE)");
      p.opted_out = *v;
    }
    save(store, p, call.now());
    if (p.opted_out && !before.record.opted_out && call.deps().conversations)
      call.deps().conversations->stop_all(store, p);
    std::string changed;
    for (const auto& [key, value] : body.items()) changed += (changed.empty() ? "" : ",") + key;
    store.coach().audit_in(p.cohort, call.caller().actor(), "participant_update",
                           "participant " + std::to_string(id) + " fields " + changed, call.now());
    if (p.cohort != before.record.cohort)
      store.coach().audit_in(before.record.cohort, call.caller().actor(), "participant_update",
                             "participant " + std::to_string(id) + " moved to another cohort", call.now());
    plan(call, store, id, false);
    return participant_json(*store.coach().participant(id), *call.deps().zone);
  });
}

void erase(Call& call) {
  const auto id = call.id_param("id", "participant");
  call.change([&call, id](Store& store) {
    const auto before = visible_participant(store, call.scope(), id);
    if (before.erased_at) return json{{"erased", id}, {"already", true}};
    const ErasureCounts n = store.coach().erase_participant(id, call.now());
    // The audit log keeps that an erasure happened, never what was erased.
    store.coach().audit_in(before.record.cohort, call.caller().actor(), "participant_erase",
                           "participant " + std::to_string(id), call.now());
    return json{{"erased", id},
                {"removed", {{"messages_received", n.inbound}, {"messages_sent_blanked", n.outbox},
                             {"answers", n.answers}, {"alerts", n.alerts}, {"planned_messages", n.jobs}}}};
  });
}

json issues_json(const std::vector<ImportIssue>& issues) {
  json out = json::array();
  for (const auto& i : issues) out.push_back({{"line", i.line}, {"column", i.column}, {"message", i.message}});
  return out;
}

// The same file and rules as `relais import participants`: a bad line refuses the whole
// file unless skip_invalid; dry_run checks and counts without writing.
void import_csv(Call& call) {
  ImportOptions options;
  options.dry_run = yes_no_query(call, "dry_run").value_or(false);
  options.skip_invalid = yes_no_query(call, "skip_invalid").value_or(false);
  if (call.request().body.empty()) bad_request("the body must be the CSV file (Content-Type: text/csv)");
  const std::string content = call.request().body;
  call.change([&call, content, options](Store& store) {
    ImportReport report;
    {
      StoreSavepoint sp(store, "api_import");
      report = import_participants_into(store, call.config(), content,
                                        {call.scope(), call.caller().actor(), "api upload"}, options, call.now());
      report.written = !options.dry_run && (report.errors.empty() || options.skip_invalid);
      if (report.written) sp.release();  // else rolled back
    }
    return json{{"written", report.written}, {"dry_run", options.dry_run},
                {"created", report.created}, {"updated", report.updated}, {"unchanged", report.unchanged},
                {"welcomed", report.welcomed}, {"errors", issues_json(report.errors)},
                {"warnings", issues_json(report.warnings)}};
  });
}

}  // namespace

std::vector<RouteSpec> participant_routes() {
  return {{"GET", "/api/participants", "api_participants", list},
          {"POST", "/api/participants", "api_participant_create", create},
          {"POST", "/api/participants/import", "api_participants_import", import_csv},
          {"GET", "/api/participants/{id}", "api_participant", read},
          {"PATCH", "/api/participants/{id}", "api_participant_update", update},
          {"DELETE", "/api/participants/{id}", "api_participant_erase", erase}};
}

}  // namespace relais::api
