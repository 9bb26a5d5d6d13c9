#include "dialogs/keywords.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "dialogs/understand.hpp"

namespace relais::dialogs {
namespace {

// Folded forms (lower case, no accents), compared with the whole message.
constexpr std::array<std::string_view, 6> kStopWords = {"stop", "arret", "stop sms",
                                                        "desinscription", "stopsms", "unsubscribe"};
constexpr std::array<std::string_view, 2> kStartWords = {"start", "reprendre"};
constexpr std::array<std::string_view, 3> kHelpWords = {"aide", "help", "info"};
constexpr std::array<std::string_view, 4> kCoachWords = {"coach", "appel", "appelez moi", "rappel"};

// The message as words: normalise_reply() folds case, accents, punctuation and repeated
// letters ("« STOOOP ! »" → "stop"); tokens with no letter or digit (emoji) are dropped.
std::string keyword_form(std::string_view text) {
  const std::string normal = normalise_reply(text);
  std::string out;
  std::size_t start = 0;
  while (start <= normal.size()) {
    std::size_t end = normal.find(' ', start);
    if (end == std::string::npos) end = normal.size();
    const std::string word = normal.substr(start, end - start);
    const bool has_alnum = std::any_of(word.begin(), word.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c));
    });
    if (has_alnum) out += (out.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return out;
}

constexpr std::size_t kLongestKeyword = [] {
  std::size_t longest = 0;
  for (auto w : kStopWords) longest = std::max(longest, w.size());
  for (auto w : kStartWords) longest = std::max(longest, w.size());
  for (auto w : kHelpWords) longest = std::max(longest, w.size());
  for (auto w : kCoachWords) longest = std::max(longest, w.size());
  return longest;
}();

// The fewest characters keyword_form(text) can have, counted without folding: each run of
// one ASCII letter or digit (in any case) keeps at least one. Other bytes are passed over:
// a character beyond ASCII folds to letters or to nothing, and may join the run around it.
std::size_t keyword_form_length_at_least(std::string_view text) {
  std::size_t runs = 0;
  char previous = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) continue;
    if (!std::isalnum(c)) {
      previous = 0;
      continue;
    }
    const char lower = static_cast<char>(std::tolower(c));
    if (lower != previous) ++runs;
    previous = lower;
  }
  return runs;
}

}  // namespace

Keyword match_global_keyword(std::string_view text) {
  // Most messages are sentences: they cannot fold to a keyword, and folding is the costly part.
  if (keyword_form_length_at_least(text) > kLongestKeyword) return Keyword::none;
  const std::string folded = keyword_form(text);
  for (auto w : kStopWords)
    if (folded == w) return Keyword::stop;
  for (auto w : kStartWords)
    if (folded == w) return Keyword::start;
  for (auto w : kHelpWords)
    if (folded == w) return Keyword::help;
  for (auto w : kCoachWords)
    if (folded == w) return Keyword::coach;
  return Keyword::none;
}

Decision decide_outside_dialog(const SenderContext& sender, Keyword keyword) {
  Decision d;
  if (!sender.known) {
    // No personal data in the answer, and at most one a day: the number may be anyone's.
    if (!sender.unknown_answered_today) d.reply = std::string(kUnknownSenderAnswer);
    d.alert = "unknown_sender";
    return d;
  }
  switch (keyword) {
    case Keyword::stop:
      d.consent = Decision::Consent::opt_out;
      if (!sender.opted_out) d.reply = std::string(kStopConfirmation);
      return d;
    case Keyword::start:
      d.consent = Decision::Consent::opt_in;
      d.reply = std::string(kStartConfirmation);
      return d;
    case Keyword::help:
      if (!sender.opted_out) d.reply_template = "help";
      return d;
    case Keyword::coach:
      // A call-back request: the coach is told even if she opted out of messages.
      d.alert = "callback_requested";
      if (!sender.opted_out) d.reply_template = "callback.ack";
      return d;
    case Keyword::none:
      // Shown to her coach; the service does not answer on its own.
      d.alert = "participant_message";
      return d;
  }
  return d;
}

std::string linked_confirmation(std::string_view first_name) {
  return "C'est fait, " + std::string(first_name) +
         " : vous recevrez ici les messages du programme. Pour arrêter, envoyez STOP.";
}

}  // namespace relais::dialogs
