#pragma once
// Reading one cell of a participants file: each function takes the cell as written and
// returns the stored value or a short English reason. Internal to the participants import.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/result.hpp"

namespace relais {

// fold(), with a fast path for ASCII cells (most of them).
std::string fold_cell(std::string_view text);

// trim(), with a fast path for cells without Unicode white space at their ends.
std::string trim_cell(std::string_view text);

// A phone cell ready for Phone::parse: trimmed, no-break and thin spaces (which French
// number formats and web pages put between digit pairs) turned into plain spaces.
std::string phone_text(std::string_view text);

// yes/oui/y/o → true, no/non/n → false, in any case or accent; nullopt otherwise.
std::optional<bool> parse_yes_no(std::string_view text);
// Reads a consent cell; `what` names it in the error ("consent").
Result<bool> read_yes_no(std::string_view text, std::string_view what);

// Trimmed, not empty, at most 60 characters, no line break or control character.
Result<std::string> read_first_name(std::string_view text);

// A 2-letter code, stored in lower case ("FR" → "fr"). Empty → "fr".
Result<std::string> read_language(std::string_view text);

// "Garde-enfants | mobilité" → {"childcare", "mobility"}: English ids from kBarriers, in
// the order given, without duplicates. Empty → none.
Result<std::vector<std::string>> read_barriers(std::string_view text);

}  // namespace relais
