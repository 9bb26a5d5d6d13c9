#pragma once
// Global keywords and the service's answers outside any dialog. Pure functions of plain
// data: the caller stores and sends what they decide.
#include <optional>
#include <string>
#include <string_view>

namespace relais::dialogs {

enum class Keyword { none, stop, start, help, coach };

// Matches the whole message after folding case, accents and surrounding punctuation:
// "Stop", "ARRÊT !", "stop sms" are opt-outs; "l'arrêt de bus est où ?" is not.
// AIDE/HELP asks what the service is; COACH/APPEL asks the coach to call back.
Keyword match_global_keyword(std::string_view text);

struct SenderContext {
  bool known = false;                 // the phone belongs to a participant
  bool opted_out = false;
  bool unknown_answered_today = false;  // an unknown-sender answer already went today
};

struct Decision {
  enum class Consent { unchanged, opt_out, opt_in } consent = Consent::unchanged;
  std::optional<std::string> reply;           // French text to send back, if any
  std::optional<std::string> reply_template;  // or a template to render for her (AIDE, COACH)
  std::optional<std::string> alert;  // alert kind for the coaches, if any
};

// What the service does with a message outside any dialog.
Decision decide_outside_dialog(const SenderContext& sender, Keyword keyword);

// The texts, plain French, each one GSM-7 segment.
inline constexpr std::string_view kStopConfirmation =
    "C'est noté : vous ne recevrez plus de SMS du programme. Pour reprendre, envoyez START.";
inline constexpr std::string_view kStartConfirmation =
    "C'est noté : vous recevrez de nouveau les SMS du programme. Pour arrêter, envoyez STOP.";
inline constexpr std::string_view kUnknownSenderAnswer =
    "Bonjour, vous écrivez au service SMS d'un programme d'accompagnement vers l'emploi. "
    "Votre message a été transmis à l'équipe.";

// Linking a messaging-app chat (Telegram) to a participant.
// To an unknown chat: the bot cannot know her number until she shares it (a button).
inline constexpr std::string_view kAskToShareNumber =
    "Bonjour ! Pour recevoir ici les messages du programme, appuyez sur le bouton "
    "« Partager mon numéro » en bas de l'écran.";
std::string linked_confirmation(std::string_view first_name);
inline constexpr std::string_view kLinkCodeInvalid =
    "Ce lien n'est plus valable. Demandez un nouveau lien à votre conseillère.";

}  // namespace relais::dialogs
