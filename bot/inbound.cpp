#include "bot/inbound.hpp"

#include <cstdlib>

#include "adapters/telegram.hpp"
#include "bot/coach_sms.hpp"
#include "bot/conversations.hpp"
#include "bot/core/phone.hpp"
#include "bot/log.hpp"
#include "bot/outbox.hpp"
#include "dialogs/keywords.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

// Who wrote: her address on this channel (a chat id), or her phone number.
std::optional<ParticipantRecord> identify(Store& store, const InboundMessage& m) {
  // A phone number (E.164) is looked up as one; only chats (Telegram) have addresses.
  if (m.from.starts_with("+")) return store.find_participant_by_phone(m.from);
  return store.find_participant_by_address(m.channel, m.from);
}

void reply(Store& store, const Config& config, const InboundMessage& message,
           std::optional<std::int64_t> participant_id, const std::string& kind,
           std::string text, std::int64_t inbound_id, Utc now, std::string template_id = {}) {
  Draft draft;
  draft.template_id = std::move(template_id);
  draft.participant_id = participant_id;
  // A reply leaves on the channel the message came in on, at once.
  draft.channel = message.channel;
  draft.recipient = message.from;
  draft.text = std::move(text);
  draft.kind = kind;
  // The STOP confirmation is the one message she still receives once opted out.
  draft.origin = kind == "stop_confirmation" ? Origin::system : Origin::reply;
  draft.not_before = now;
  draft.in_reply_to = inbound_id;
  enqueue(store, config, draft, now);
}

// A chat that brings a link code, or shares its owner's own number, is linked to her.
// Returns true when the message was a linking attempt (answered here).
bool link_chat(Store& store, const Config& config, const InboundMessage& m,
               std::optional<ParticipantRecord>& who, std::int64_t inbound_id, Utc now) {
  std::optional<ParticipantRecord> target;
  if (!m.link_code.empty()) {
    if (auto id = store.use_link_code(m.link_code, m.channel, now)) target = store.find_participant(*id);
    if (!target) {
      reply(store, config, m, who ? std::optional(who->id) : std::nullopt, "reply",
            std::string(dialogs::kLinkCodeInvalid), inbound_id, now);
      return true;
    }
  } else if (!m.shared_phone.empty()) {
    target = store.find_participant_by_phone(m.shared_phone);
    if (!target) return false;  // an unknown number: treated as any unknown sender
  } else {
    return false;
  }
  store.link_address(target->id, m.channel, m.from, now);
  store.audit("participant", "link_chat", "participant " + std::to_string(target->id) + " channel " + m.channel, now);
  who = target;
  reply(store, config, m, target->id, "reply", dialogs::linked_confirmation(target->first_name), inbound_id, now);
  log::info("inbound.linked", {{"channel", m.channel}, {"participant", std::to_string(target->id)}});
  return true;
}

// Returns whether it queued a reply.
bool apply_decision(Store& store, const Config& config, const TimeZone& zone,
                    const InboundMessage& message, const std::optional<ParticipantRecord>& who,
                    dialogs::Keyword keyword, std::int64_t inbound_id, Utc now, Conversations* conversations) {
  using dialogs::Decision;
  dialogs::SenderContext sender;
  sender.known = who.has_value();
  sender.opted_out = who && who->opted_out;
  if (!who) {
    sender.unknown_answered_today =
        store.count_outbox_to(message.from, "unknown_sender", zone.start_of_local_day(now)) > 0;
  }
  const Decision d = dialogs::decide_outside_dialog(sender, keyword);

  if (d.consent != Decision::Consent::unchanged) {
    const bool out = d.consent == Decision::Consent::opt_out;
    store.set_opted_out(who->id, out, now);
    store.audit("participant", out ? "opt_out" : "opt_in", "participant " + std::to_string(who->id), now);
  }
  const ChannelConfig* channel = config.find_channel(message.channel);
  bool replied = true;
  if (d.reply && !who && channel && channel->type == "telegram") {
    // An unknown Telegram chat is asked to share her number, with a button to do it.
    reply(store, config, message, std::nullopt, "unknown_sender", std::string(dialogs::kAskToShareNumber),
          inbound_id, now, std::string(kTelegramAskContactTemplate));
  } else if (d.reply) {
    const char* kind = !who ? "unknown_sender"
                       : d.consent == dialogs::Decision::Consent::opt_out ? "stop_confirmation"
                                                                          : "reply";
    reply(store, config, message, who ? std::optional(who->id) : std::nullopt, kind, *d.reply, inbound_id, now);
  } else if (d.reply_template && who && conversations) {
    reply(store, config, message, who->id, "reply", conversations->render_for(store, *who, *d.reply_template),
          inbound_id, now, *d.reply_template);
  } else {
    replied = false;
  }
  if (d.alert) {
    Alert alert;
    alert.kind = *d.alert;
    alert.participant_id = who ? std::optional(who->id) : std::nullopt;
    alert.cohort = who ? who->cohort : "";
    alert.detail = "inbound " + std::to_string(inbound_id);
    store.add_alert(alert, now);
  }
  return replied;
}

}  // namespace

InboundOutcome handle_inbound(Store& store, const Config& config, const TimeZone& zone,
                              const InboundMessage& received, Utc now, Conversations* conversations) {
  InboundOutcome outcome;
  InboundMessage message = received;
  if (received.concat_total > 1) {
    // A part of a long SMS: kept until the last part makes the whole message.
    auto whole = store.add_inbound_part(received, now);
    if (!whole) {
      outcome.partial = true;
      return outcome;
    }
    message = std::move(*whole);
  }
  auto who = identify(store, message);
  // A coach's group message carries her PIN: it is read, never stored.
  const std::string text = message.text;
  message.text = redact_coach_pin(text);
  outcome.inbound_id = store.insert_inbound(message, who ? std::optional(who->id) : std::nullopt, now);
  if (!outcome.inbound_id) {
    log::info("inbound.duplicate", {{"channel", message.channel}, {"provider_id", message.provider_id}});
    return outcome;
  }
  bool queued = true;  // whether something answers her (then read back for the gateway's answer)
  try {
    StoreSavepoint step(store, "inbound_step");
    const CoachConfig* coach = who ? nullptr : find_coach(config, message.from);
    if (coach) {
      const auto answer = handle_coach_sms(
          store, config, zone, conversations ? &conversations->templates() : nullptr, *coach, text, now,
          [](const std::string& env) { const char* v = std::getenv(env.c_str()); return std::string(v ? v : ""); });
      reply(store, config, message, std::nullopt, "coach_reply", answer, *outcome.inbound_id, now);
    } else if (!link_chat(store, config, message, who, *outcome.inbound_id, now)) {
      if (looks_like_group_message(text))
        store.add_alert({.kind = "coach_sms_refused", .participant_id = who ? std::optional(who->id) : std::nullopt,
                         .cohort = who ? who->cohort : "",
                         .detail = "a group message from a number that is no coach's: nothing sent"},
                        now);
      const auto keyword = dialogs::match_global_keyword(message.text);
      // STOP ends every dialog she had running; any other message may answer one.
      if (who && conversations && keyword == dialogs::Keyword::stop) conversations->stop_all(store, *who);
      const bool answered = who && !who->opted_out && conversations && keyword == dialogs::Keyword::none &&
                            conversations->reply(store, *who, message.text, *outcome.inbound_id, now);
      if (!answered)
        queued = apply_decision(store, config, zone, message, who, keyword, *outcome.inbound_id, now, conversations);
    }
    step.release();
  } catch (const std::exception& e) {
    // The step is rolled back; the message itself stays, marked, and a coach is told.
    outcome.step_failed = true;
    queued = false;
    store.mark_inbound_failed(*outcome.inbound_id, e.what());
    store.add_alert({.kind = "step_failed",
                     .participant_id = who ? std::optional(who->id) : std::nullopt,
                     .cohort = who ? who->cohort : "",
                     .detail = "inbound " + std::to_string(*outcome.inbound_id) + ": " + e.what()},
                    now);
    log::error("inbound.step_failed", {{"inbound_id", std::to_string(*outcome.inbound_id)},
                                       {"error", e.what()}});
  }
  if (queued) outcome.replies = store.outbox_for_reply(*outcome.inbound_id);
  outcome.known = who.has_value();
  return outcome;
}

}  // namespace relais
