#pragma once
// A session of the programme: one occurrence of a calendar event (or a session coaches
// created through the API). Plain data, shared by the calendar reader, the planner and
// the store.
#include <optional>
#include <string>
#include <vector>

#include "bot/core/time.hpp"

namespace relais {

// The kinds of session, as tags name them in calendars (see scheduler/calendar.hpp).
inline constexpr const char* kSessionKinds[] = {"individual-coaching", "collective-coaching", "expression",
                                                "mobility", "digital", "childcare", "other"};

struct Session {
  std::string uid;         // the iCalendar UID (a Relais session: "relais-<n>")
  // Which occurrence of a recurring event: its original start, UTC, "20261208T130000Z"
  // (what a RECURRENCE-ID names, so a moved occurrence keeps its identity); "" for an
  // event that does not recur.
  std::string occurrence;
  Utc start{};
  Utc end{};
  std::string title;       // SUMMARY without its bracketed tags
  std::string kind = "other";              // one of kSessionKinds
  std::vector<std::string> cohorts;        // cohort ids of the config (at least one)
  std::string venue;                       // a venue id of the config, or "" when unknown
  std::string location;                    // LOCATION as written
  std::optional<std::string> participant;  // an individual session: her phone, E.164
  bool cancelled = false;                  // STATUS:CANCELLED (an EXDATE'd occurrence is absent)
  int sequence = 0;                        // SEQUENCE
  Utc stamp{};                             // LAST-MODIFIED, else DTSTAMP: the later wins on a tie
};

}  // namespace relais
