#pragma once
// Loading and validating dialog scripts. Every error names the file and the node:
// "config/dialogs/attendance.json: node \"why\": next \"tip\" is not a node of this dialog".
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dialogs/script.hpp"

namespace relais::dialogs {

class DialogError : public std::runtime_error {
 public:
  DialogError(const std::string& file, const std::string& node, const std::string& message);
};

// Whether a template key exists in French (every text must).
using TemplateCheck = std::function<bool(const std::string& key)>;

// One script from its JSON text (comments allowed); `file` names it in errors.
Dialog parse_dialog(std::string_view json_text, const std::string& file, const TemplateCheck& has_template);

// Every *.json of a folder, then the checks across dialogs (start_dialog targets, unique
// ids). Throws DialogError for the first problem.
std::vector<Dialog> load_dialogs(const std::filesystem::path& folder, const TemplateCheck& has_template);

}  // namespace relais::dialogs
