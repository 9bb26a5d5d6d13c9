#include "dialogs/understand.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "bot/core/text.hpp"

namespace relais::dialogs {
namespace {

// ---- Vocabulary, written as people type it, phrases separated by '|'; normalised like the
// replies when first used.
enum class Sense { yes, no, unsure, neutral };
using enum Sense;
struct Table {
  Sense sense;
  std::string_view phrases;
};

constexpr Table kAnyLanguage[] = {{yes, "ok|okay|oki|okey|okok|👍|✅|👌|✔|☑|🆗"},
                                  {no, "👎|❌|✖|🚫"}};

// A yes phrase that a following "pas" negates also appears with "pas" ("je viens pas"):
// the longest phrase wins. "je viens de voir" is "I have just seen": that phrase means
// nothing here but stops "je viens" from matching.
constexpr Table kFrench[] = {
    {yes, "oui|ouai|ouais|ouaip|wi|dac|d'ac|d'acc|d'accord|daccord|dacord|bien sûr|bien sûre|"
          "biensur|yes|yep|volontiers|c'est bon|cest bon|ça marche|sa marche|ça me va|"
          "avec plaisir|pas de souci|pas de soucis|pas de problème|aucun souci|"
          "aucun problème|je viens|viendrai|serai là|y serai|peux venir"},
    {no, "non|nn|nan|no|nope|nop|pas possible|impossible|peux pas|peut pas|peu pas|jpeux pas|"
         "pourrai pas|pourrais pas|je viens pas|viens pas|viendrai pas|serai pas|y serai pas|"
         "pas dispo|pas disponible|indisponible|pas d'accord|ça me va pas"},
    {unsure, "peut-être|peutetre|ptetre|sais pas|sait pas|jsp|jsais pas|chais pas|pas sûr|"
             "pas sûre|on verra|je verrai|normalement|espère|ça marche pas"},
    {neutral, "je viens de|je viens d'"}};

constexpr Table kEnglish[] = {
    {yes, "yes|yeah|yea|yep|yup|sure|of course|can't wait"},
    {no, "no|nope|nah|can't|cant|cannot|can not|not possible|won't"},
    {unsure, "maybe|perhaps|not sure|don't know|dont know|idk"}};

// واخا: Moroccan "wakha" (okay); لا بأس: "no harm" (fine).
constexpr Table kArabic[] = {{yes, "نعم|أيوه|أيوا|آه|أكيد|تمام|واخا|لا بأس"},
                             {no, "لا|مستحيل"},
                             {unsure, "ممكن|يمكن|ربما"}};

// Words that neither answer nor lengthen a reply.
constexpr std::string_view kFillers =
    "bonjour|bonsoir|bjr|bsr|salut|slt|coucou|cc|hello|hi|merci|mrc|mci|beaucoup|bcp|madame|"
    "mme|monsieur|bonne|journée|soirée|thanks|thank|you|inchallah|inshallah|incha|insha|allah|"
    "شكرا|السلام|عليكم|مرحبا|إن|شاء|الله|انشاء";

// Number words, indexed by value.
constexpr std::string_view kFrenchNumbers[] = {"zéro", "un|une", "deux", "trois", "quatre",
                                               "cinq", "six", "sept", "huit", "neuf", "dix"};
constexpr std::string_view kEnglishNumbers[] = {"zero", "one", "two",   "three", "four", "five",
                                                "six",  "seven", "eight", "nine", "ten"};
constexpr std::string_view kArabicNumbers[] = {
    "صفر",     "واحد|واحدة", "اثنان|اثنين", "ثلاثة|ثلاث", "أربعة|أربع", "خمسة|خمس",
    "ستة|ست", "سبعة|سبع",   "ثمانية|ثمان", "تسعة|تسع",   "عشرة|عشر"};

template <class F>
void for_each_phrase(std::string_view list, F&& f) {
  while (!list.empty()) {
    const size_t bar = std::min(list.find('|'), list.size());
    f(list.substr(0, bar));
    list.remove_prefix(std::min(bar + 1, list.size()));
  }
}

// ---- Characters (fold() has already lowered case and dropped accents and bad bytes).
bool in(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }
bool is_digit(char32_t cp) { return in(cp, U'0', U'9'); }

// Decodes the code point at `i` of well-formed UTF-8 and moves past it.
char32_t decode(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const size_t len = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? b : b & (0x3F >> (len - 1));
  for (size_t k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

std::string encode(std::u32string_view cps) {
  constexpr unsigned char kLead[] = {0, 0, 0xC0, 0xE0, 0xF0};  // by sequence length
  std::string out;
  for (char32_t cp : cps) {
    const int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    out += static_cast<char>(len == 1 ? cp : kLead[len] | (cp >> (6 * (len - 1))));
    for (int k = len - 2; k >= 0; --k) out += static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F));
  }
  return out;
}

// One spelling for what reads the same: Arabic-Indic and Persian digits, ة typed ه, ى typed ي.
char32_t unify(char32_t cp) {
  if (in(cp, 0x0660, 0x0669) || in(cp, 0x06F0, 0x06F9)) return U'0' + (cp & 0xF);
  return cp == 0x0629 ? 0x0647 : cp == 0x0649 ? 0x064A : cp;
}

enum class Kind { letter, space, emoji, skip };

Kind classify(char32_t cp) {
  if (cp < 0x80)
    return is_digit(cp) || in(cp, 'a', 'z') || in(cp, 'A', 'Z') ? Kind::letter : Kind::space;
  // Invisible parts of emoji and keycaps ("3️⃣" is 3, U+FE0F, U+20E3), skin tones, the
  // Arabic elongation stroke.
  if (cp == 0xFE0E || cp == 0xFE0F || cp == 0x20E3 || in(cp, 0x200B, 0x200D) ||
      in(cp, 0x1F3FB, 0x1F3FF) || cp == 0x0640)
    return Kind::skip;
  if (in(cp, 0x2300, 0x23FF) || in(cp, 0x2600, 0x27BF) || in(cp, 0x2B00, 0x2BFF) ||
      in(cp, 0x1F000, 0x1FAFF))
    return Kind::emoji;
  // Latin-1 signs (« » ° ¿), general punctuation to arrows and maths (’ … € →), other
  // punctuation blocks, Arabic punctuation (، ؛ ؟ ٪ ۔).
  if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7 || in(cp, 0x2000, 0x2BFF) || in(cp, 0x2E00, 0x2E7F) ||
      in(cp, 0x3000, 0x303F) || cp == 0x060C || cp == 0x061B || cp == 0x061F ||
      in(cp, 0x066A, 0x066D) || cp == 0x06D4 || cp == 0xFFFD)
    return Kind::space;
  return Kind::letter;
}

// ---- Words.
struct Token {
  std::string text;
  bool emoji = false;
};
using Words = std::vector<std::string>;
struct Vocabulary {
  std::unordered_set<std::string> fillers, known;  // known: every word of every table
};
const Vocabulary& vocabulary();

// Each run of one repeated letter cut to `pair` letters if it has two, `longer` if more.
std::string cut_runs(std::u32string_view w, size_t pair, size_t longer) {
  std::u32string out;
  for (size_t i = 0, j; i < w.size(); i = j) {
    for (j = i; j < w.size() && w[j] == w[i]; ++j) {}
    const size_t run = j - i;
    out.append(is_digit(w[i]) || run == 1 ? run : run == 2 ? pair : longer, w[i]);
  }
  return encode(out);
}

std::string squeeze(std::u32string_view word) {
  const auto& known = vocabulary().known;
  const std::string base = cut_runs(word, 2, 1);
  if (known.count(base)) return base;  // "ouiii" → "oui"; "nn", "daccord" stay
  for (size_t keep : {1, 2})              // "okk" → "ok", "nnnn" → "nn"
    if (auto other = cut_runs(word, keep, keep); known.count(other)) return other;
  return base;
}

std::vector<Token> tokenise(std::string_view text, bool squeeze_runs) {
  const std::string folded = fold(text);
  std::vector<Token> out;
  std::u32string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back({squeeze_runs ? squeeze(word) : encode(word)});
    word.clear();
  };
  for (size_t i = 0; i < folded.size();) {
    const char32_t cp = unify(decode(folded, i));
    const Kind kind = cp == 0x1F51F ? Kind::letter : classify(cp);  // 🔟 reads 10
    if (kind != Kind::letter && kind != Kind::skip) flush();
    if (kind == Kind::emoji) {
      std::string e = encode({&cp, 1});
      if (out.empty() || out.back().text != e) out.push_back({std::move(e), true});  // 👍👍
    }
    if (kind != Kind::letter) continue;
    // A digit and a letter never share a word: "2enfants" is "2 enfants".
    if (cp == 0x1F51F || (!word.empty() && is_digit(word.back()) != is_digit(cp))) flush();
    word += cp == 0x1F51F ? U"10" : std::u32string(1, cp);
  }
  flush();
  return out;
}

Words raw_words(std::string_view text) {
  Words out;
  for (auto& t : tokenise(text, false)) out.push_back(std::move(t.text));
  return out;
}

// ---- Languages: French and emoji for everyone, plus the participant's language.
struct Phrase {
  Words words;
  Sense sense;
};
struct Lexicon {
  std::vector<Phrase> phrases;
  std::unordered_map<std::string, int> numbers;
};

Lexicon build_lexicon(std::string_view lang) {
  Lexicon lex;
  auto add = [&](std::span<const Table> tables, std::span<const std::string_view> numbers) {
    for (const auto& t : tables)
      for_each_phrase(t.phrases, [&](auto p) { lex.phrases.push_back({raw_words(p), t.sense}); });
    for (size_t value = 0; value < numbers.size(); ++value)
      for_each_phrase(numbers[value], [&](auto w) {
        lex.numbers.emplace(raw_words(w).at(0), static_cast<int>(value));
      });
  };
  add(kAnyLanguage, {});
  add(kFrench, kFrenchNumbers);
  if (lang == "en") add(kEnglish, kEnglishNumbers);
  if (lang == "ar") add(kArabic, kArabicNumbers);
  return lex;
}

const Lexicon& lexicon(std::string_view code) {
  static const std::array<Lexicon, 3> all = {build_lexicon("fr"), build_lexicon("en"),
                                             build_lexicon("ar")};
  std::string lang;  // "EN", "ar-MA", "ar_DZ" → "en", "ar", "ar"
  if (code.size() == 2 || (code.size() > 2 && (code[2] == '-' || code[2] == '_')))
    lang = {static_cast<char>(code[0] | 0x20), static_cast<char>(code[1] | 0x20)};
  return lang == "en" ? all[1] : lang == "ar" ? all[2] : all[0];
}

const Vocabulary& vocabulary() {
  static const Vocabulary vocabulary = [] {
    Vocabulary v;
    for_each_phrase(kFillers, [&](auto f) { v.fillers.insert(raw_words(f).at(0)); });
    v.known = v.fillers;
    for (auto lang : {"fr", "en", "ar"}) {
      for (const auto& p : lexicon(lang).phrases) v.known.insert(p.words.begin(), p.words.end());
      for (const auto& number : lexicon(lang).numbers) v.known.insert(number.first);
    }
    return v;
  }();
  return vocabulary;
}

// The words that carry meaning: greetings, thanks and decorative emoji are left out.
Words content_words(const std::vector<Token>& tokens) {
  const auto& v = vocabulary();
  Words out;
  for (const auto& t : tokens)
    if (t.emoji ? v.known.count(t.text) : !v.fillers.count(t.text)) out.push_back(t.text);
  return out;
}

// ---- Reading.
struct Match {
  size_t begin, end;
  Sense sense;
};

// Left to right, the longest phrase starting at each word.
std::vector<Match> find_phrases(const Words& words, const Lexicon& lex, bool numbers_offered) {
  std::vector<Match> found;
  for (size_t i = 0; i < words.size();) {
    Match best{i, i, neutral};
    for (const auto& p : lex.phrases)
      if (p.words.size() > best.end - i && i + p.words.size() <= words.size() &&
          std::equal(p.words.begin(), p.words.end(), words.begin() + i))
        best = {i, i + p.words.size(), p.sense};
    if (best.end == i && numbers_offered && (words[i] == "1" || words[i] == "2"))
      best = {i, i + 1, words[i] == "1" ? yes : no};
    if (best.end == i) {
      ++i;
      continue;
    }
    found.push_back(best);
    i = best.end;
  }
  return found;
}

constexpr size_t kShortReply = 4;  // words; a longer reply must start or end with its answer

// "un", "une" and "one" are also articles: a number only as the whole reply.
std::optional<long long> number_value(const std::string& w, const Lexicon& lex, bool whole) {
  if (!w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return is_digit(c); })) {
    const size_t first = std::min(w.find_first_not_of('0'), w.size() - 1);
    if (w.size() - first > 12) return 1'000'000'000'000LL;  // beyond any range, no overflow
    long long v = 0;
    for (size_t k = first; k < w.size(); ++k) v = v * 10 + (w[k] - '0');
    return v;
  }
  const auto it = lex.numbers.find(w);
  if (it == lex.numbers.end() || (!whole && (w == "un" || w == "une" || w == "one"))) return {};
  return it->second;
}

// The words between a mark and its scale: "4 sur 5", "4 out of 5", "٤ من ٥".
size_t scale_connector(const Words& w, size_t i) {
  if (i < w.size() && (w[i] == "sur" || w[i] == "من")) return 1;
  return i + 1 < w.size() && w[i] == "out" && w[i + 1] == "of" ? 2 : 0;
}

std::set<long long> numbers_in(const Words& words, const Lexicon& lex, std::optional<int> scale) {
  std::set<long long> found;
  for (size_t i = 0; i < words.size(); ++i) {
    const auto n = number_value(words[i], lex, words.size() == 1);
    if (!n) continue;
    found.insert(*n);
    const size_t c = scale_connector(words, i + 1);
    if (scale && c > 0 && i + 1 + c < words.size() &&
        number_value(words[i + 1 + c], lex, false) == *scale)
      i += c + 1;
  }
  return found;
}

bool contains(const Words& words, const Words& phrase) {
  return !phrase.empty() &&
         std::search(words.begin(), words.end(), phrase.begin(), phrase.end()) != words.end();
}

std::string singular(std::string w) {
  if (w.size() >= 3 && (w.back() == 's' || w.back() == 'x')) w.pop_back();
  return w;
}

}  // namespace

std::string normalise_reply(std::string_view text) {
  std::string out;
  for (const auto& t : tokenise(text, true)) out += (out.empty() ? "" : " ") + t.text;
  return out;
}

YesNo understand_yes_no(std::string_view text, std::string_view language, bool numbers_offered) {
  const auto words = content_words(tokenise(text, true));
  bool said_yes = false, said_no = false, anchored = words.size() <= kShortReply;
  for (const auto& m : find_phrases(words, lexicon(language), numbers_offered)) {
    if (m.sense == unsure) return YesNo::unclear;
    if (m.sense == neutral) continue;
    (m.sense == yes ? said_yes : said_no) = true;
    anchored = anchored || m.begin == 0 || m.end == words.size();
  }
  if (said_yes == said_no || !anchored) return YesNo::unclear;
  return said_yes ? YesNo::yes : YesNo::no;
}

std::optional<int> understand_number(std::string_view text, int min, int max,
                                     std::string_view language) {
  // "4/5" is a mark out of 5; '/' is ASCII, so it never sits inside a multi-byte character.
  std::string marked;
  for (char c : text) {
    if (c == '/') marked += " sur ";
    else marked += c;
  }
  const auto found = numbers_in(content_words(tokenise(marked, true)), lexicon(language), max);
  if (found.size() != 1 || *found.begin() < min || *found.begin() > max) return std::nullopt;
  return static_cast<int>(*found.begin());
}

std::optional<std::string> understand_choice(std::string_view text,
                                             const std::vector<Choice>& choices,
                                             std::string_view language) {
  auto singular_words = [](const std::vector<Token>& tokens) {
    Words out;  // "crèches", "bureaux" name "crèche", "bureau"
    for (const auto& t : tokens) out.push_back(singular(t.text));
    return out;
  };
  const auto tokens = tokenise(text, true);
  const auto content = content_words(tokens);
  if (contains(content, {"both"}) || contains(content, {"les", "deux"})) return std::nullopt;
  std::set<std::string> named;
  for (long long n : numbers_in(content, lexicon(language), std::nullopt))
    if (n >= 1 && n <= static_cast<long long>(choices.size())) named.insert(choices[n - 1].id);
  const Words words = singular_words(tokens);
  for (const auto& choice : choices)
    for (const auto& name : choice.words)
      if (contains(words, singular_words(tokenise(name, true)))) named.insert(choice.id);
  if (named.size() != 1) return std::nullopt;
  return *named.begin();
}

}  // namespace relais::dialogs
