#pragma once
// Internal to the calendar reader: the occurrences of a recurring event (DTSTART, RRULE,
// RDATE, EXDATE) within a window, bounded so that no rule can hang the reader or fill the
// memory.
#include <string>
#include <vector>

#include "scheduler/calendar_event.hpp"

namespace relais::calendar_detail {

struct Window {
  Utc from{};  // occurrences that end before it are left out
  Utc to{};    // occurrences that start at or after it are left out
  int max_occurrences = 500;
};

struct Occurrence {
  Utc original{};  // its start as the recurrence set gives it (what RECURRENCE-ID names)
  Utc start{};
  Utc end{};
};

struct Expansion {
  std::vector<Occurrence> occurrences;  // sorted by start, at most max_occurrences
  std::vector<std::string> notes;       // why some occurrences were not read, for warnings
};

// The rule is walked in the wall-clock time of DTSTART's zone, so a weekly 14:00 stays at
// 14:00 local across daylight-saving changes; each occurrence is then converted to UTC.
Expansion expand(const RawEvent& event, const Window& window);

// Whether an occurrence starting at `original` is excluded by an EXDATE of `event`.
bool is_excluded(const RawEvent& event, Utc original);

}  // namespace relais::calendar_detail
