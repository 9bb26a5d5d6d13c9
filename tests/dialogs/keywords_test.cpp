#include <catch2/catch.hpp>

#include <string>

#include "bot/core/sms.hpp"
#include "dialogs/keywords.hpp"

using namespace relais;
using namespace relais::dialogs;

TEST_CASE("global keywords match the whole message after folding", "[dialogs][keywords]") {
  struct Case { const char* text; Keyword expected; };
  auto c = GENERATE(values<Case>({
      {"STOP", Keyword::stop}, {"stop", Keyword::stop}, {" Stop ! ", Keyword::stop},
      {"ARRET", Keyword::stop}, {"Arrêt", Keyword::stop}, {"ARRÊT.", Keyword::stop},
      {"stop sms", Keyword::stop}, {"STOP  SMS", Keyword::stop}, {"Désinscription", Keyword::stop},
      {"« STOP »", Keyword::stop}, {"stop 🙏", Keyword::stop}, {"STOOOP", Keyword::stop},
      {"AIDE", Keyword::help}, {"Aide ?", Keyword::help}, {"help", Keyword::help},
      {"COACH", Keyword::coach}, {"Appel", Keyword::coach}, {"j'ai besoin d'aide pour le bus", Keyword::none},
      {"START", Keyword::start}, {"reprendre", Keyword::start}, {"Reprendre !", Keyword::start},
      {"l'arrêt de bus est où ?", Keyword::none}, {"stop au harcèlement", Keyword::none},
      {"je veux arrêter", Keyword::none}, {"", Keyword::none}, {"oui", Keyword::none},
  }));
  CAPTURE(c.text);
  CHECK(match_global_keyword(c.text) == c.expected);
}

TEST_CASE("a long message is a keyword only if it folds to one", "[dialogs][keywords]") {
  // Repeated letters, punctuation and emoji fall away when folding: these stay keywords.
  CHECK(match_global_keyword("STOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOOP !!!!!!!!!!!!!!!!!!!!!!!") == Keyword::stop);
  CHECK(match_global_keyword("Dééééésiiiiinscriiiiiptiiiiiooooon 🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏🙏") == Keyword::stop);
  CHECK(match_global_keyword("« « «   A P P E L   » » »") == Keyword::none);  // letters apart are words
  CHECK(match_global_keyword("Appelez-moi !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!") == Keyword::coach);
  // A keyword inside a sentence is not one.
  CHECK(match_global_keyword("Bonjour, je voudrais stop les messages le mardi svp") == Keyword::none);
  CHECK(match_global_keyword("desinscriptions") == Keyword::none);
  CHECK(match_global_keyword(std::string(5000, 'x') + " STOP") == Keyword::none);
}

TEST_CASE("outside a dialog, an unknown sender is answered once a day and shown to coaches", "[dialogs]") {
  auto first = decide_outside_dialog({.known = false}, Keyword::none);
  CHECK(first.reply == std::string(kUnknownSenderAnswer));
  CHECK(first.alert == std::string("unknown_sender"));
  auto later = decide_outside_dialog({.known = false, .unknown_answered_today = true}, Keyword::none);
  CHECK_FALSE(later.reply);
  CHECK(later.alert == std::string("unknown_sender"));
  // STOP from a stranger changes nobody's consent.
  CHECK(decide_outside_dialog({.known = false}, Keyword::stop).consent == Decision::Consent::unchanged);
}

TEST_CASE("outside a dialog, a participant's message goes to her coach without an automatic answer", "[dialogs]") {
  auto d = decide_outside_dialog({.known = true}, Keyword::none);
  CHECK_FALSE(d.reply);
  CHECK(d.alert == std::string("participant_message"));
  auto stop = decide_outside_dialog({.known = true}, Keyword::stop);
  CHECK(stop.consent == Decision::Consent::opt_out);
  CHECK(stop.reply == std::string(kStopConfirmation));
  auto stop_again = decide_outside_dialog({.known = true, .opted_out = true}, Keyword::stop);
  CHECK_FALSE(stop_again.reply);
  CHECK(decide_outside_dialog({.known = true, .opted_out = true}, Keyword::start).consent ==
        Decision::Consent::opt_in);
}

TEST_CASE("AIDE answers with the help text; COACH asks for a call-back", "[dialogs]") {
  auto help = decide_outside_dialog({.known = true}, Keyword::help);
  CHECK(help.reply_template == std::string("help"));
  CHECK_FALSE(help.alert);
  auto coach = decide_outside_dialog({.known = true}, Keyword::coach);
  CHECK(coach.reply_template == std::string("callback.ack"));
  CHECK(coach.alert == std::string("callback_requested"));
  auto coach_out = decide_outside_dialog({.known = true, .opted_out = true}, Keyword::coach);
  CHECK_FALSE(coach_out.reply_template);  // nothing is sent to her, but the coach is told
  CHECK(coach_out.alert == std::string("callback_requested"));
}

TEST_CASE("the service's own texts each fit one GSM-7 segment", "[dialogs][sms]") {
  for (auto text : {kStopConfirmation, kStartConfirmation, kUnknownSenderAnswer}) {
    CAPTURE(text);
    auto info = analyse_sms(normalise_for_sms(text));
    CHECK(info.encoding == SmsEncoding::gsm7);
    CHECK(info.segments == 1);
  }
}
