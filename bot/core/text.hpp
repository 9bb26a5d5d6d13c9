#pragma once
// UTF-8 text helpers (utf8proc underneath).
#include <string>
#include <string_view>

namespace relais {

// True when `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

// Folds text for comparison: Unicode case folding, accents removed, compatibility forms
// unified (NFKC), surrounding white space trimmed and inner runs collapsed to one space.
// "  Élodie  MARTIN " → "elodie martin". Invalid UTF-8 bytes are dropped.
std::string fold(std::string_view s);

// fold() with every white space, hyphen and apostrophe removed: for comparing names
// ("Marie-Claire" = "marie claire" = "MARIECLAIRE").
std::string fold_compact(std::string_view s);

// Trims ASCII and Unicode white space (including no-break spaces) at both ends.
std::string trim(std::string_view s);

// Text made safe inside HTML elements and quoted attributes (& < > " ').
std::string html_escape(std::string_view text);

}  // namespace relais
