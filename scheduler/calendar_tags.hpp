#pragma once
// Internal to the calendar reader: the tags coaches type into an event (CATEGORIES and
// bracketed words of SUMMARY), and what they say (cohorts, kind). Pure functions.
#include <string>
#include <string_view>
#include <vector>

namespace relais::calendar_detail {

// SUMMARY without its bracketed tags, spaces collapsed: "[g1] Atelier  CV [mobilité]" →
// "Atelier CV".
std::string title_of(std::string_view summary);

// The event's tags as written, trimmed: every CATEGORIES value (comma-separated lists
// split), then every bracketed tag of SUMMARY ("[g1, g2]" counts as two). A tag that
// matches an earlier one (see match_key) is dropped.
std::vector<std::string> tags_of(std::string_view summary, const std::vector<std::string>& categories);

// The comparison key of a tag or a name: case folded, accents removed, and everything but
// letters and digits dropped. "Garde-Enfants" → "gardeenfants", "Mobilité" → "mobilite".
std::string match_key(std::string_view text);
// Like match_key, but runs of anything other than letters and digits become one space:
// "Le Cèdre, 3 place Coubertin" → "le cedre 3 place coubertin".
std::string match_words(std::string_view text);

// The ids of `cohorts` that some tag names, in the order of `cohorts`.
std::vector<std::string> cohorts_of(const std::vector<std::string>& tags, const std::vector<std::string>& cohorts);

// The kinds (of kSessionKinds) the tags name, in the order of the tags, each once.
std::vector<std::string> kinds_of(const std::vector<std::string>& tags);

}  // namespace relais::calendar_detail
