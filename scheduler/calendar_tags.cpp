#include "scheduler/calendar_tags.hpp"

#include <algorithm>
#include <cctype>

#include "bot/core/text.hpp"

namespace relais::calendar_detail {
namespace {

struct KindWord {
  const char* kind;
  const char* word;
};

// The words coaches may use for each kind, English and French (scheduler/calendar.hpp).
constexpr KindWord kKindWords[] = {
    {"individual-coaching", "individual-coaching"}, {"individual-coaching", "coaching-individuel"},
    {"collective-coaching", "collective-coaching"}, {"collective-coaching", "coaching-collectif"},
    {"expression", "expression"},                   {"expression", "confiance"},
    {"mobility", "mobility"},                       {"mobility", "mobilité"},
    {"digital", "digital"},                         {"digital", "numérique"},
    {"childcare", "childcare"},                     {"childcare", "garde-enfants"},
    {"childcare", "parentalité"},                   {"other", "other"},
    {"other", "autre"},
};

// Length of the UTF-8 sequence starting with `lead`.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  return 2;
}

// After fold(), the letters left are ASCII or letters of other scripts; punctuation,
// symbols and spaces of Latin-1 (U+0080–U+00BF) and of General Punctuation (U+2000–U+206F:
// typographic apostrophes, quotes and dashes) separate words.
bool is_separator(std::string_view cp) {
  const auto lead = static_cast<unsigned char>(cp[0]);
  if (lead < 0x80) return !std::isalnum(lead);
  if (lead == 0xC2) return true;
  if (lead == 0xE2 && cp.size() == 3 && static_cast<unsigned char>(cp[1]) >= 0x80 &&
      static_cast<unsigned char>(cp[1]) <= 0x81)
    return true;
  return false;
}

std::string words_of(std::string_view text, bool keep_spaces) {
  const std::string folded = fold(text);
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < folded.size();) {
    const std::size_t n = std::min(sequence_length(static_cast<unsigned char>(folded[i])), folded.size() - i);
    const std::string_view cp(folded.data() + i, n);
    i += n;
    if (is_separator(cp)) {
      pending_space = keep_spaces && !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(cp);
  }
  return out;
}

void add_tag(std::vector<std::string>& tags, std::string_view raw) {
  std::string tag = trim(raw);
  if (match_key(tag).empty()) return;
  const auto key = match_key(tag);
  for (const auto& known : tags)
    if (match_key(known) == key) return;
  tags.push_back(std::move(tag));
}

// Splits a list written with commas (CATEGORIES:g1,mobilité) or semicolons.
void add_tag_list(std::vector<std::string>& tags, std::string_view list) {
  std::size_t begin = 0;
  while (begin <= list.size()) {
    auto end = list.find_first_of(",;", begin);
    if (end == std::string_view::npos) end = list.size();
    add_tag(tags, list.substr(begin, end - begin));
    begin = end + 1;
  }
}

}  // namespace

std::string match_key(std::string_view text) { return words_of(text, false); }

std::string match_words(std::string_view text) { return words_of(text, true); }

std::string title_of(std::string_view summary) {
  std::string without_tags;
  std::size_t i = 0;
  while (i < summary.size()) {
    const auto open = summary.find('[', i);
    const auto close = open == std::string_view::npos ? open : summary.find(']', open);
    if (close == std::string_view::npos) {
      without_tags.append(summary.substr(i));
      break;
    }
    without_tags.append(summary.substr(i, open - i));
    without_tags += ' ';
    i = close + 1;
  }
  // Collapse the runs of spaces the removed tags leave.
  std::string out;
  for (char c : trim(without_tags)) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  return out;
}

std::vector<std::string> tags_of(std::string_view summary, const std::vector<std::string>& categories) {
  std::vector<std::string> tags;
  for (const auto& category : categories) add_tag_list(tags, category);
  for (std::size_t open = summary.find('['); open != std::string_view::npos; open = summary.find('[', open + 1)) {
    const auto close = summary.find(']', open);
    if (close == std::string_view::npos) break;
    add_tag_list(tags, summary.substr(open + 1, close - open - 1));
    open = close;
  }
  return tags;
}

std::vector<std::string> cohorts_of(const std::vector<std::string>& tags, const std::vector<std::string>& cohorts) {
  std::vector<std::string> out;
  for (const auto& cohort : cohorts) {
    const auto key = match_key(cohort);
    const bool named = std::any_of(tags.begin(), tags.end(), [&](const auto& t) { return match_key(t) == key; });
    if (named && std::find(out.begin(), out.end(), cohort) == out.end()) out.push_back(cohort);
  }
  return out;
}

std::vector<std::string> kinds_of(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& tag : tags) {
    const auto key = match_key(tag);
    for (const auto& word : kKindWords) {
      if (match_key(word.word) != key) continue;
      if (std::find(out.begin(), out.end(), word.kind) == out.end()) out.emplace_back(word.kind);
    }
  }
  return out;
}

}  // namespace relais::calendar_detail
