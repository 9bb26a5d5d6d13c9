#pragma once
// The texts the service sends, one JSON file per language (config/templates/<lang>.json:
// key → text, comments allowed, keys starting with "_" are notes such as "_review").
// A text names its variables as {first_name}; {{ and }} write literal braces.
//
// Everything is checked at load, so a bad file stops the service at start rather than
// sending a broken SMS later: JSON syntax, a value that is not a string, an unclosed or
// stray brace, a variable outside kTemplateVariables, a missing fr.json.
// A loaded Templates is immutable: its const members are safe from any thread.
#include <array>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace relais::dialogs {

// The closed list of variables a template may use.
// answer_message: the words she wrote for her binôme (dialog "peer"), phone numbers masked.
inline constexpr std::array<std::string_view, 13> kTemplateVariables = {
    "first_name",  "session_title",    "session_kind", "date",      "time",
    "venue_name",  "venue_address",    "coach_name",   "coach_phone", "buddy_first_name",
    "tip_text",    "venue_way",        "answer_message"};

struct TemplateError {
  std::string file;  // the file as given, or "<lang>.json" for from_json
  std::string key;   // empty when the error is about the whole file
  std::string message;
};

// what() is "file: key: message" ("file: message" without a key).
class TemplateLoadError : public std::runtime_error {
 public:
  explicit TemplateLoadError(TemplateError error);
  const TemplateError& error() const { return error_; }

 private:
  TemplateError error_;
};

class Templates {
 public:
  // Loads every <lang>.json of `folder` (other files are ignored). French is required.
  // Throws TemplateLoadError; a JSON syntax error names its line and column.
  static Templates load(const std::filesystem::path& folder);
  // The same checks on texts already read: language → JSON text.
  static Templates from_json(const std::map<std::string, std::string>& files_by_language);

  // Whether `language` itself has `key` (no fallback to French).
  bool has(std::string_view key, std::string_view language) const;

  // Renders `key` in `language`, or in French when that language lacks it. Throws
  // std::invalid_argument for a key French lacks too, and for a variable the template uses
  // that has no value or a blank one: a message with a hole must not leave. Values are
  // inserted as they are (braces in a value are not read as variables).
  std::string render(std::string_view key, std::string_view language,
                     const std::map<std::string, std::string>& variables) const;

  // Keys French has and `language` lacks, sorted (all of French's for an unknown language).
  std::vector<std::string> missing_translations(std::string_view language) const;
  // The loaded languages, sorted.
  std::vector<std::string> languages() const;
  // The variables the template uses, in order of first use, each once; same fallback and
  // errors as render.
  std::vector<std::string> variables_of(std::string_view key, std::string_view language = "fr") const;

 private:
  Templates() = default;  // only load and from_json make one: French is always there

  // A parsed text: literal pieces and variable names, alternating as written.
  struct Piece {
    bool is_variable;
    std::string text;  // the literal text, or the variable's name
  };
  using Texts = std::map<std::string, std::vector<Piece>, std::less<>>;

  const std::vector<Piece>& find(std::string_view key, std::string_view language) const;
  static Texts parse_file(const std::string& file, const std::string& language,
                          const std::string& json_text);
  static std::vector<Piece> parse_text(const std::string& file, const std::string& key,
                                       std::string_view text);

  std::map<std::string, Texts, std::less<>> by_language_;
};

}  // namespace relais::dialogs
