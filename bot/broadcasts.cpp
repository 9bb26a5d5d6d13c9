#include "bot/broadcasts.hpp"

#include <stdexcept>

#include "bot/delivery_policy.hpp"
#include "bot/outbox.hpp"
#include "scheduler/sending_window.hpp"

namespace relais {
namespace {

std::vector<ParticipantSummary> targets(Store& store, const CohortScope& scope, const BroadcastRequest& request,
                                        std::vector<std::int64_t>* unknown) {
  if (!request.cohort.empty()) {
    ParticipantFilter filter;
    filter.cohort = request.cohort;
    filter.limit = 1'000'000;
    return store.coach().participants(scope, filter);
  }
  std::vector<ParticipantSummary> out;
  for (auto id : request.participant_ids) {
    auto p = store.coach().participant(id);
    if (p && scope.sees(p->record.cohort) && !p->erased_at)
      out.push_back(std::move(*p));
    else if (unknown)
      unknown->push_back(id);
  }
  return out;
}

std::optional<std::string> exclusion(const ParticipantSummary& p) {
  if (p.record.opted_out) return "opted_out";
  if (!p.record.consent) return "no_consent";
  if (p.number_failing_since) return "failing_number";
  return std::nullopt;
}

// Her text: the template in her language, or the coach's text with her first name.
std::string text_for(const ParticipantRecord& who, const dialogs::Templates* templates, const BroadcastRequest& r) {
  if (!r.template_id.empty()) {
    if (!templates) throw std::invalid_argument("template: no templates are loaded");
    auto vars = r.variables;
    vars["first_name"] = who.first_name;
    return templates->render(r.template_id, who.language, vars);
  }
  std::string text = r.text;
  for (std::size_t at = text.find("{first_name}"); at != std::string::npos; at = text.find("{first_name}", at))
    text.replace(at, 12, who.first_name);
  return text;
}

Draft draft_for(Store& store, const ParticipantRecord& who, const Config& config, const std::string& text, Utc send_at) {
  Draft d;
  d.participant_id = who.id;
  d.channel = who.channel.empty() ? config.default_channel : who.channel;
  d.recipient = store.address_of(who.id, d.channel).value_or(who.phone);
  d.text = text;
  d.kind = "broadcast";
  d.origin = Origin::coach;
  d.not_before = send_at;
  return d;
}

std::string local_time(const TimeZone& zone, Utc t) {
  const auto local = zone.to_local(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", local.year, local.month, local.day,
                local.minute_of_day / 60, local.minute_of_day % 60);
  return buf;
}

}  // namespace

BroadcastPlan plan_broadcast(Store& store, const Config& config, const dialogs::Templates* templates,
                             const TimeZone& zone, const CohortScope& scope, const BroadcastRequest& request,
                             Utc now, std::vector<std::int64_t>* unknown) {
  if (request.text.empty() == request.template_id.empty())
    throw std::invalid_argument("text or template: give one of the two");
  BroadcastPlan plan;
  plan.send_at = request.send_at.value_or(now);
  if (plan.send_at < now) plan.send_at = now;
  for (const auto& p : targets(store, scope, request, unknown)) {
    plan.cohorts.push_back(p.record.cohort);
    if (auto why = exclusion(p)) {
      plan.excluded.push_back({p.record.id, p.record.first_name, *why});
      continue;
    }
    const Draft draft = draft_for(store, p.record, config, text_for(p.record, templates, request), plan.send_at);
    const ChannelConfig* channel = config.find_channel(draft.channel);
    if (!channel) throw std::invalid_argument("channel " + draft.channel + " is not in the configuration");
    const OutboxRow row = make_outbox_row(draft, *channel, now);
    plan.recipients.push_back({p.record.id, p.record.first_name, row.channel, row.text, row.encoding, row.segments,
                               row.cost_eur});
    plan.segments += row.segments;
    plan.cost_eur += row.cost_eur;
  }
  const Utc opening = next_allowed_time(plan.send_at, zone, sending_window(config));
  if (opening != plan.send_at)
    plan.warnings.push_back("outside the sending window (" + local_time(zone, plan.send_at) +
                            "): it will leave at once; the next opening is " + local_time(zone, opening));
  if (plan.recipients.empty()) plan.warnings.push_back("nobody would receive it");
  return plan;
}

std::int64_t send_broadcast(Store& store, const Config& config, const BroadcastRequest& request,
                            const BroadcastPlan& plan, Utc now) {
  BroadcastRow b;
  b.actor = request.actor;
  b.cohort = request.cohort;
  b.text = request.template_id.empty() ? request.text : "";
  b.template_id = request.template_id;
  b.send_at = plan.send_at;
  b.recipients = static_cast<int>(plan.recipients.size());
  b.excluded = static_cast<int>(plan.excluded.size());
  b.cost_eur = plan.cost_eur;
  b.created_at = now;
  const auto id = store.coach().add_broadcast(b);
  for (const auto& r : plan.recipients) {
    auto who = store.find_participant(r.participant_id);
    if (!who) continue;
    Draft d = draft_for(store, *who, config, r.text, plan.send_at);
    d.template_id = request.template_id;
    d.variables = request.variables;
    const auto row = enqueue(store, config, d, now);
    store.coach().set_outbox_broadcast(row, id);
  }
  return id;
}

}  // namespace relais
