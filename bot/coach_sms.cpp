#include "bot/coach_sms.hpp"

#include <regex>

#include "adapters/channel.hpp"
#include "bot/broadcasts.hpp"
#include "bot/log.hpp"
#include "dialogs/understand.hpp"

namespace relais {
namespace {

constexpr auto kDraftLifetime = std::chrono::minutes(30);
// Wrong PINs a coach's phone may send in a local day; then even the right one is refused
// until the next day (a 4-digit PIN is not guessed in five tries).
constexpr int kWrongPinsPerDay = 5;
const std::regex kGroupMessage(R"(^\s*#([A-Za-z0-9_-]+)\s+(\d{4,8})\s+([\s\S]*\S[\s\S]*)$)");

bool follows(const Config& config, const std::string& cohort, const std::string& phone) {
  const CohortConfig* c = config.find_cohort(cohort);
  return c && std::any_of(c->coaches.begin(), c->coaches.end(), [&](const CoachConfig& k) { return k.phone == phone; });
}

std::string euros(double amount) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f €", amount);
  std::string s = buf;
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

void refuse(Store& store, const std::string& kind, const std::string& cohort, const std::string& detail, Utc now) {
  store.add_alert({.kind = kind, .participant_id = std::nullopt, .cohort = cohort, .detail = detail}, now);
  log::warn("coach_sms.refused", {{"kind", kind}, {"cohort", cohort}});
}

std::string summary(const BroadcastPlan& plan, const std::string& cohort) {
  std::string s = "Message pour " + cohort + " : " + std::to_string(plan.recipients.size()) + " destinataire" +
                  (plan.recipients.size() > 1 ? "s" : "");
  if (!plan.excluded.empty()) s += " (" + std::to_string(plan.excluded.size()) + " exclue" + (plan.excluded.size() > 1 ? "s" : "") + ")";
  s += ", coût " + euros(plan.cost_eur) + ".";
  if (plan.warnings.size() > (plan.recipients.empty() ? 1u : 0u)) s += " Attention : hors des heures d'envoi.";
  return s + " Répondez OUI pour envoyer (valable 30 min).";
}

// A group message written from a coach's phone.
BroadcastRequest sms_request(const CoachConfig& coach, const std::string& cohort, const std::string& text) {
  BroadcastRequest request;
  request.actor = "sms: " + coach.name;
  request.cohort = cohort;
  request.text = text;
  return request;
}

}  // namespace

const CoachConfig* find_coach(const Config& config, const std::string& phone) {
  if (phone.empty()) return nullptr;
  for (const auto& cohort : config.cohorts)
    for (const auto& coach : cohort.coaches)
      if (coach.phone == phone) return &coach;
  return nullptr;
}

// The cheap test first: every message passes here, and a regex costs microseconds.
bool starts_with_hash(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '#';
}

bool looks_like_group_message(const std::string& text) {
  return starts_with_hash(text) && std::regex_match(text, kGroupMessage);
}

std::string redact_coach_pin(const std::string& text) {
  std::smatch m;
  if (!starts_with_hash(text) || !std::regex_match(text, m, kGroupMessage)) return text;
  return text.substr(0, static_cast<std::size_t>(m.position(2))) + "****" +
         text.substr(static_cast<std::size_t>(m.position(2) + m.length(2)));
}

std::string handle_coach_sms(Store& store, const Config& config, const TimeZone& zone,
                                 const dialogs::Templates* templates, const CoachConfig& coach,
                                 const std::string& text, Utc now,
                                 const std::function<std::string(const std::string&)>& pin_of) {
  std::smatch m;
  if (std::regex_match(text, m, kGroupMessage)) {
    const std::string cohort = m[1], pin = m[2], body = m[3];
    if (!follows(config, cohort, coach.phone)) {
      refuse(store, "coach_sms_refused", "", "coach " + coach.name + ": a group she does not follow", now);
      return "Groupe inconnu : rien n'a été envoyé.";
    }
    const std::string expected = coach.pin_env.empty() ? "" : pin_of(coach.pin_env);
    const std::string wrong_pin = "coach " + coach.name + ": wrong PIN";
    if (store.coach().count_alerts_since("coach_sms_refused", wrong_pin, zone.start_of_local_day(now)) >= kWrongPinsPerDay) {
      refuse(store, "coach_sms_refused", cohort, "coach " + coach.name + ": blocked for today after wrong PINs", now);
      return "Trop de codes faux aujourd'hui : rien n'a été envoyé. Réessayez demain.";
    }
    if (expected.empty() || !constant_time_equal(pin, expected)) {
      refuse(store, "coach_sms_refused", cohort, wrong_pin, now);
      return expected.empty() ? "L'envoi de groupe par SMS n'est pas activé pour ce numéro."
                              : "Code incorrect : rien n'a été envoyé.";
    }
    const BroadcastRequest request = sms_request(coach, cohort, body);
    const auto plan = plan_broadcast(store, config, templates, zone, CohortScope::of({cohort}), request, now);
    if (plan.recipients.empty())
      return "Personne ne recevrait ce message dans " + cohort + " : rien n'a été envoyé.";
    store.coach().save_coach_draft({coach.phone, cohort, body, now, now + kDraftLifetime});
    return summary(plan, cohort);
  }
  const auto yes_no = dialogs::understand_yes_no(text, "fr", false);
  if (yes_no == dialogs::YesNo::unclear)
    return "Pour écrire à un groupe : #g1 CODE votre message, puis OUI.";
  auto draft = store.coach().take_coach_draft(coach.phone, now);
  if (!draft)
    return "Aucun message en attente. Pour écrire à un groupe : #g1 CODE votre message.";
  if (yes_no == dialogs::YesNo::no)
    return "Message annulé : rien n'a été envoyé.";
  const BroadcastRequest request = sms_request(coach, draft->cohort, draft->text);
  const auto plan = plan_broadcast(store, config, templates, zone, CohortScope::of({draft->cohort}), request, now);
  if (plan.recipients.empty())  // she opted out, or was erased, since the draft
    return "Personne ne recevrait ce message dans " + draft->cohort + " : rien n'a été envoyé.";
  const auto id = send_broadcast(store, config, request, plan, now);
  store.coach().audit_in(draft->cohort, request.actor, "broadcast",
                         "broadcast " + std::to_string(id) + " to " + std::to_string(plan.recipients.size()) +
                             " participants, by SMS",
                         now);
  return "Envoyé à " + std::to_string(plan.recipients.size()) + " personne" +
         (plan.recipients.size() > 1 ? "s" : "") + " (" + euros(plan.cost_eur) + ").";
}

}  // namespace relais
