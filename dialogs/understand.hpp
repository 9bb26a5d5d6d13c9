#pragma once
// Understanding participants' SMS replies: pure functions of the text, safe to call from any
// thread (the word tables are read-only, built on first use). Any bytes are accepted:
// malformed UTF-8 is dropped, long texts are read in one pass per step.
//
// Languages: `language` is a code such as "fr", "en", "ar" or "ar-MA" (case and region
// ignored; anything else counts as "fr"). French is the programme's language, so French
// words and emoji are understood for everyone; "en" and "ar" add their own words. Arabic is
// understood in Arabic script only: transliterated Darija is spelled too many ways ("wah",
// "iyeh", "ih"…) and clashes with French ("la" = "là" once accents are folded, "wah" is a
// French exclamation), so such replies come back unclear and go to a coach.
//
// When a reply is not understood confidently, the answer is `unclear`/nullopt rather than a
// guess: the caller then asks again or shows the message to a coach.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relais::dialogs {

// The reply as the functions below read it: lower case, accents removed (fold()),
// punctuation and symbols other than emoji turned into spaces, spaces trimmed and collapsed.
// Also:
// - each emoji is its own word, a run of the same emoji one word ("ok👍👍" → "ok 👍"), skin
//   tones dropped; keycaps ("3️⃣") and Arabic-Indic digits ("٣", "۳") become digits, "🔟" "10";
// - digits and letters never share a word ("2enfants" → "2 enfants", "1er" → "1 er");
// - repeated letters: a run of 3 or more becomes one letter ("ouiii" → "oui", "nonnn" →
//   "non"); a doubled letter stays unless undoing it gives a known word and the doubled form
//   is not one ("okk" → "ok", "ouii" → "oui", but "nn", "daccord", "appelle" stay). When one
//   letter makes no known word but two do, two are kept ("nnnn" → "nn"). Digits never change.
// - Arabic: the elongation stroke is dropped ("نعـــم" → "نعم"), ة is read ه and ى is read ي,
//   hamza and madda forms of alef are plain alef (fold() removes them as marks).
std::string normalise_reply(std::string_view text);

enum class YesNo { yes, no, unclear };

// Whether the reply answers yes or no. The reply must be mostly the answer:
// - greetings, thanks, "madame", "inchallah" and decorative emoji are ignored ("Bonjour
//   madame, oui merci 😊" is "oui");
// - of what is left, a reply of at most 4 words counts wherever its yes/no word is; a longer
//   one counts only when it starts or ends with it ("oui je serai là demain à 10h" is yes,
//   "je suis non seulement fatiguée mais aussi en retard" is unclear);
// - a reply with both a yes and a no ("oui mais non", "ok mais je peux pas") or a hesitation
//   ("peut-être", "je sais pas", "pas sûre", "on verra", "maybe", "ممكن") is unclear;
// - phrases are read longest first, so "je viens pas", "ça me va pas", "pas d'accord" are no
//   and "pas de souci" is yes; "je viens de …" ("I have just …") is neither.
// `numbers_offered`: the question said "1 = oui, 2 = non", so "1" and "2" (or "1️⃣", "١")
// answer it; otherwise they are not understood.
YesNo understand_yes_no(std::string_view text, std::string_view language, bool numbers_offered);

// A whole number in [min, max], from digits ("4", "je dirais 4"), keycaps, Arabic-Indic
// digits or words (French "zéro".."dix"; with "en" "zero".."ten"; with "ar" صفر..عشرة).
// A mark written with its scale counts once: "4/5", "4 sur 5", "4 out of 5" are 4 when max
// is 5. "un", "une" and "one" are also articles, so they count only as the whole reply ("un"
// is 1, "j'ai une question" is no number). Two different numbers ("4 ou 5", "4,5") or a
// number out of range give nullopt.
std::optional<int> understand_number(std::string_view text, int min, int max,
                                     std::string_view language);

struct Choice {
  std::string id;                  // e.g. "childcare"
  std::vector<std::string> words;  // words that name it in the participant's language, e.g.
                                   // {"garde", "enfant", "nounou", "crèche"}; may be phrases
};

// The choice named by its 1-based number as offered ("2", "2️⃣", "deux", "le 2") or by one of
// its words, matched on whole normalised words with a trailing "s" or "x" ignored on both
// sides ("crèches", "bureaux"). Numbers outside 1..choices.size() are ignored. Two different
// choices named ("1 et 2", "bus et garde"), "les deux"/"both", or none named → nullopt.
std::optional<std::string> understand_choice(std::string_view text,
                                             const std::vector<Choice>& choices,
                                             std::string_view language);

}  // namespace relais::dialogs
