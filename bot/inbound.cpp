#include "bot/inbound.hpp"

#include "bot/core/phone.hpp"
#include "bot/log.hpp"
#include "bot/outbox.hpp"
#include "dialogs/keywords.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

void apply_decision(Store& store, const Config& config, const TimeZone& zone,
                    const InboundMessage& message, const std::optional<ParticipantRecord>& who,
                    std::int64_t inbound_id, Utc now) {
  using dialogs::Decision;
  dialogs::SenderContext sender;
  sender.known = who.has_value();
  sender.opted_out = who && who->opted_out;
  if (!who) {
    sender.unknown_answered_today =
        store.count_outbox_to(message.from, "unknown_sender", zone.start_of_local_day(now)) > 0;
  }
  const Decision d = dialogs::decide_outside_dialog(sender, dialogs::match_global_keyword(message.text));

  if (d.consent != Decision::Consent::unchanged) {
    const bool out = d.consent == Decision::Consent::opt_out;
    store.set_opted_out(who->id, out, now);
    store.audit("participant", out ? "opt_out" : "opt_in", "participant " + std::to_string(who->id), now);
  }
  if (d.reply) {
    Draft draft;
    draft.participant_id = who ? std::optional(who->id) : std::nullopt;
    // A reply leaves on the channel the message came in on.
    draft.channel = message.channel;
    draft.recipient = message.from;
    draft.text = *d.reply;
    draft.kind = who ? "reply" : "unknown_sender";
    draft.not_before = now;  // a reply to her own message goes at once
    draft.in_reply_to = inbound_id;
    enqueue(store, config, draft, now);
  }
  if (d.alert) {
    Alert alert;
    alert.kind = *d.alert;
    alert.participant_id = who ? std::optional(who->id) : std::nullopt;
    alert.cohort = who ? who->cohort : "";
    alert.detail = "inbound " + std::to_string(inbound_id);
    store.add_alert(alert, now);
  }
}

}  // namespace

InboundOutcome handle_inbound(Store& store, const Config& config, const TimeZone& zone,
                              const InboundMessage& message, Utc now) {
  InboundOutcome outcome;
  auto who = store.find_participant_by_phone(message.from);
  outcome.inbound_id = store.insert_inbound(message, who ? std::optional(who->id) : std::nullopt, now);
  if (!outcome.inbound_id) {
    log::info("inbound.duplicate", {{"channel", message.channel}, {"provider_id", message.provider_id}});
    return outcome;
  }
  try {
    StoreSavepoint step(store, "inbound_step");
    apply_decision(store, config, zone, message, who, *outcome.inbound_id, now);
    step.release();
  } catch (const std::exception& e) {
    // The step is rolled back; the message itself stays, marked, and a coach is told.
    outcome.step_failed = true;
    store.mark_inbound_failed(*outcome.inbound_id, e.what());
    store.add_alert({.kind = "step_failed",
                     .participant_id = who ? std::optional(who->id) : std::nullopt,
                     .cohort = who ? who->cohort : "",
                     .detail = "inbound " + std::to_string(*outcome.inbound_id) + ": " + e.what()},
                    now);
    log::error("inbound.step_failed", {{"inbound_id", std::to_string(*outcome.inbound_id)},
                                       {"error", e.what()}});
  }
  outcome.replies = store.outbox_for_reply(*outcome.inbound_id);
  log::info("inbound.stored", {{"channel", message.channel},
                               {"from", message.from},
                               {"known", who ? "yes" : "no"},
                               {"replies", std::to_string(outcome.replies.size())}});
  return outcome;
}

}  // namespace relais
