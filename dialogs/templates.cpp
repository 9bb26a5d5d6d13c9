#include "dialogs/templates.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace relais::dialogs {
namespace {

std::string describe(const TemplateError& e) {
  return e.file + ": " + (e.key.empty() ? "" : e.key + ": ") + e.message;
}

[[noreturn]] void fail(const std::string& file, const std::string& key, const std::string& message) {
  throw TemplateLoadError({file, key, message});
}

bool is_known_variable(std::string_view name) {
  return std::find(kTemplateVariables.begin(), kTemplateVariables.end(), name) !=
         kTemplateVariables.end();
}

bool is_blank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// nlohmann's what() starts with "[json.exception.parse_error.101] parse error at line 3,
// column 12: ..."; keep the position and the reason.
std::string syntax_error_message(const nlohmann::json::parse_error& e) {
  std::string what = e.what();
  auto at = what.find("parse error ");
  return "invalid JSON " + (at == std::string::npos ? what : what.substr(at + 12));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string(), "", "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TemplateLoadError::TemplateLoadError(TemplateError error)
    : std::runtime_error(describe(error)), error_(std::move(error)) {}

Templates Templates::load(const std::filesystem::path& folder) {
  std::error_code ec;
  std::map<std::string, std::filesystem::path> paths;  // sorted: errors come in a stable order
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      paths[entry.path().stem().string()] = entry.path();
  }
  if (ec) fail(folder.string(), "", "cannot list the folder: " + ec.message());
  if (!paths.count("fr")) fail(folder.string(), "", "fr.json is missing: French templates are required");
  Templates templates;
  for (const auto& [language, path] : paths)
    templates.by_language_[language] = parse_file(path.string(), language, read_file(path));
  return templates;
}

Templates Templates::from_json(const std::map<std::string, std::string>& files_by_language) {
  if (!files_by_language.count("fr")) fail("fr.json", "", "missing: French templates are required");
  Templates templates;
  for (const auto& [language, text] : files_by_language)
    templates.by_language_[language] = parse_file(language + ".json", language, text);
  return templates;
}

Templates::Texts Templates::parse_file(const std::string& file, const std::string& language,
                                       const std::string& json_text) {
  // nlohmann keeps the last of two equal keys silently; a duplicated key in a hand-edited
  // file is almost always a mistake, so the parser callback notes it.
  std::set<std::string> seen;
  std::string duplicate;
  auto note_keys = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    if (depth == 1 && event == nlohmann::json::parse_event_t::key && parsed.is_string() &&
        !seen.insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text, note_keys, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    fail(file, "", syntax_error_message(e));
  } catch (const nlohmann::json::exception& e) {  // a number too large, invalid UTF-8…
    fail(file, "", std::string("invalid JSON: ") + e.what());
  }
  if (!doc.is_object()) fail(file, "", "expected a JSON object of key → text");
  if (!duplicate.empty()) fail(file, duplicate, "the key appears twice");

  Texts texts;
  for (const auto& [key, value] : doc.items()) {
    if (!value.is_string()) fail(file, key, "expected a text (a JSON string)");
    const auto& text = value.get_ref<const std::string&>();
    if (key == "_language" && text != language)
      fail(file, key, "says \"" + text + "\" but the file is for \"" + language + "\"");
    if (key.empty()) fail(file, key, "an empty key");
    if (key.front() == '_') continue;  // notes for translators, not texts
    texts[key] = parse_text(file, key, text);
  }
  return texts;
}

std::vector<Templates::Piece> Templates::parse_text(const std::string& file, const std::string& key,
                                                    std::string_view text) {
  std::vector<Piece> pieces;
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool doubled = i + 1 < text.size() && text[i + 1] == c;
    if ((c == '{' || c == '}') && doubled) {
      literal += c;
      ++i;
    } else if (c == '}') {
      fail(file, key, "stray '}' at byte " + std::to_string(i) + " (write }} for a brace)");
    } else if (c == '{') {
      auto close = text.find_first_of("{}", i + 1);
      if (close == std::string_view::npos || text[close] == '{')
        fail(file, key, "unclosed '{' at byte " + std::to_string(i) + " (write {{ for a brace)");
      std::string name(text.substr(i + 1, close - i - 1));
      if (!is_known_variable(name)) fail(file, key, "unknown variable {" + name + "}");
      if (!literal.empty()) pieces.push_back({false, std::move(literal)});
      literal.clear();
      pieces.push_back({true, std::move(name)});
      i = close;
    } else {
      literal += c;
    }
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal)});
  return pieces;
}

const std::vector<Templates::Piece>& Templates::find(std::string_view key,
                                                     std::string_view language) const {
  for (std::string_view lang : {language, std::string_view("fr")}) {
    auto texts = by_language_.find(lang);
    if (texts == by_language_.end()) continue;
    auto found = texts->second.find(key);
    if (found != texts->second.end()) return found->second;
  }
  throw std::invalid_argument("no template \"" + std::string(key) + "\" in French");
}

bool Templates::has(std::string_view key, std::string_view language) const {
  auto texts = by_language_.find(language);
  return texts != by_language_.end() && texts->second.count(key) > 0;
}

std::string Templates::render(std::string_view key, std::string_view language,
                              const std::map<std::string, std::string>& variables) const {
  std::string out;
  for (const auto& piece : find(key, language)) {
    if (!piece.is_variable) {
      out += piece.text;
      continue;
    }
    auto value = variables.find(piece.text);
    if (value == variables.end() || is_blank(value->second))
      throw std::invalid_argument("template \"" + std::string(key) + "\": no value for {" +
                                  piece.text + "}");
    out += value->second;
  }
  return out;
}

std::vector<std::string> Templates::missing_translations(std::string_view language) const {
  std::vector<std::string> missing;
  for (const auto& [key, pieces] : by_language_.at("fr"))
    if (!has(key, language)) missing.push_back(key);
  return missing;  // sorted: the map is
}

std::vector<std::string> Templates::languages() const {
  std::vector<std::string> names;
  for (const auto& [language, texts] : by_language_) names.push_back(language);
  return names;
}

std::vector<std::string> Templates::variables_of(std::string_view key, std::string_view language) const {
  std::vector<std::string> names;
  for (const auto& piece : find(key, language))
    if (piece.is_variable && std::find(names.begin(), names.end(), piece.text) == names.end())
      names.push_back(piece.text);
  return names;
}

}  // namespace relais::dialogs
