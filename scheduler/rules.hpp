#pragma once
// Rules turn sessions and enrolments into jobs: "a reminder the day before at 17:00",
// "a check-in one hour after the end", "a tip every Tuesday at 10:00". Plain data read from
// the config (`rules`), with the parsing of their offsets and clock times. Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relais {

// The closed lists a rule is written with.
inline constexpr const char* kRuleKinds[] = {"welcome", "reminder", "checkin", "tip", "peer", "meteo", "missed"};
inline constexpr const char* kRuleAnchors[] = {"session_start", "session_end", "enrolment", "weekday"};

struct Rule {
  std::string id;
  std::string kind;    // one of kRuleKinds
  std::string dialog;  // the dialog it starts (config/dialogs/<dialog>.json)
  std::string anchor;  // one of kRuleAnchors
  int offset_minutes = 0;             // "-1d", "-2h", "+1h", "+30m"
  std::optional<int> at_minute;       // "17:00": that local clock time, on the day the offset lands on
  int weekday = -1;                   // anchor "weekday": 0 = Sunday … 6 = Saturday
  std::vector<std::string> session_kinds;  // session rules: only these kinds (empty: all)
  std::vector<std::string> barriers;       // only participants who named one of these (empty: all)
  bool only_if_absent = false;             // "attendance": "absent": a declared or marked absence
  bool needs_consent_tips = false;         // "purpose": "tips" (tips and peer support)

  bool tied_to_session() const { return anchor == "session_start" || anchor == "session_end"; }
};

// "-1d", "+2h", "30m", "-90m" → minutes; nullopt when not that form (at most 60 days).
std::optional<int> parse_offset(std::string_view text);
// "17:00" → 1020; nullopt when not HH:MM within a day.
std::optional<int> parse_clock_time(std::string_view text);
// "monday" … "sunday" → 1 … 0 (c_encoding); nullopt otherwise.
std::optional<int> parse_weekday(std::string_view text);

}  // namespace relais
