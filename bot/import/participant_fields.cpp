#include "bot/import/participant_fields.hpp"

#include <algorithm>
#include <cctype>

#include "bot/core/text.hpp"
#include "bot/import/participants_columns.hpp"

namespace relais {
namespace {

constexpr std::size_t kMaxFirstNameChars = 60;
constexpr std::string_view kYesNoAccepted = "yes, oui, y, o, no, non, n";

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::size_t count_code_points(std::string_view s) {
  // Every code point has exactly one byte that is not a continuation byte (10xxxxxx).
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

struct BarrierName {
  const char* key;  // compact_key() form
  const char* id;   // stored id, one of kBarriers
};

const BarrierName kBarrierNames[] = {
    {"childcare", "childcare"},       {"gardeenfants", "childcare"}, {"gardedenfants", "childcare"},
    {"mobility", "mobility"},         {"mobilite", "mobility"},      {"digital", "digital"},
    {"numerique", "digital"},         {"confidence", "confidence"},  {"confiance", "confidence"},
    {"confianceensoi", "confidence"}, {"isolation", "isolation"},    {"isolement", "isolation"},
};

const char* barrier_id(std::string_view name) {
  std::string key = compact_key(name);
  for (const auto& b : kBarrierNames)
    if (key == b.key) return b.id;
  return nullptr;
}

}  // namespace

std::string fold_cell(std::string_view text) {
  if (!is_ascii(text)) return fold(text);
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += static_cast<char>(std::tolower(u));
  }
  return out;
}

std::string trim_cell(std::string_view text) {
  auto is_ascii_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  // A non-ASCII byte at either end may be part of a Unicode space (no-break space...).
  bool unicode_end = !text.empty() && (static_cast<unsigned char>(text.front()) >= 0x80 ||
                                       static_cast<unsigned char>(text.back()) >= 0x80);
  return unicode_end ? trim(text) : std::string(text);
}

std::string phone_text(std::string_view text) {
  std::string out = trim_cell(text);
  if (is_ascii(out)) return out;
  // U+00A0 no-break space, U+2007 figure space, U+2009 thin space, U+202F narrow no-break
  // space: libphonenumber does not read them as separators.
  static constexpr std::string_view kSpaces[] = {"\xC2\xA0", "\xE2\x80\x87", "\xE2\x80\x89",
                                                 "\xE2\x80\xAF"};
  for (auto space : kSpaces)
    for (auto at = out.find(space); at != std::string::npos; at = out.find(space, at + 1))
      out.replace(at, space.size(), " ");
  return out;
}

std::optional<bool> parse_yes_no(std::string_view text) {
  std::string v = fold_cell(text);
  if (v == "yes" || v == "oui" || v == "y" || v == "o") return true;
  if (v == "no" || v == "non" || v == "n") return false;
  return std::nullopt;
}

Result<bool> read_yes_no(std::string_view text, std::string_view what) {
  std::string value = trim_cell(text);
  if (value.empty())
    return Err(std::string(what) + " is empty (accepted: " + std::string(kYesNoAccepted) + ")");
  if (auto answer = parse_yes_no(value)) return *answer;
  return Err("\"" + value + "\" is not yes or no (accepted: " + std::string(kYesNoAccepted) + ")");
}

Result<std::string> read_first_name(std::string_view text) {
  std::string name = trim_cell(text);
  if (name.empty()) return Err(std::string("first name is empty"));
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return Err(std::string("first name contains a line break or a control character"));
  std::size_t length = count_code_points(name);
  if (length > kMaxFirstNameChars)
    return Err("first name is " + std::to_string(length) + " characters long (at most " +
               std::to_string(kMaxFirstNameChars) + ")");
  return name;
}

Result<std::string> read_language(std::string_view text) {
  std::string code = trim_cell(text);
  if (code.empty()) return std::string("fr");
  bool letters = code.size() == 2 && std::all_of(code.begin(), code.end(), [](char c) {
                   return std::isalpha(static_cast<unsigned char>(c));
                 });
  if (!letters) return Err("\"" + code + "\" is not a 2-letter language code (e.g. fr, en, ar)");
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return code;
}

Result<std::vector<std::string>> read_barriers(std::string_view text) {
  std::vector<std::string> ids;
  std::string unknown;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find('|', start), text.size());
    std::string name = trim_cell(text.substr(start, end - start));
    start = end + 1;
    if (name.empty()) continue;
    const char* id = barrier_id(name);
    if (!id) {
      unknown += (unknown.empty() ? "\"" : ", \"") + name + "\"";
      continue;
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.emplace_back(id);
  }
  if (!unknown.empty())
    return Err("unknown barrier " + unknown +
               " (accepted, separated by |: childcare/garde-enfants, mobility/mobilité, "
               "digital/numérique, confidence/confiance, isolation/isolement)");
  return ids;
}

}  // namespace relais
