#pragma once
// Reading an iCalendar file (RFC 5545) exported from Google, Outlook, Nextcloud or
// Thunderbird into the programme's sessions, with libical.
//
// - Times: DTSTART with DTEND or DURATION; TZID with a VTIMEZONE, an IANA name, or a
//   Windows name as Outlook writes ("Romance Standard Time"); UTC; floating times are in
//   the programme's zone.
// - Recurrence: RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, expanded within
//   [horizon_from, horizon_to) and at most max_occurrences per event, so that a rule with no
//   end, or one asking for millions of occurrences, cannot hang or fill the memory.
// - SEQUENCE: of two versions of one occurrence the higher wins; on a tie the later
//   LAST-MODIFIED (else DTSTAMP). STATUS:CANCELLED marks the session cancelled.
// - Tags coaches can type in any calendar app: CATEGORIES, and bracketed words in SUMMARY
//   ("[g1] [mobilité] Atelier mobilité"), compared without case or accents. A tag equal to
//   a cohort id is a cohort (two: the session is for both); a tag naming a kind is the kind
//   (individual-coaching/coaching-individuel, collective-coaching/coaching-collectif,
//   expression/confiance, mobility/mobilité, digital/numérique,
//   childcare/garde-enfants/parentalité, other/autre; none: other). Other tags are ignored.
// - LOCATION matches a venue by id or name, without case, accents or punctuation; unknown:
//   a warning. An ATTENDEE with a tel: address, or a phone number in DESCRIPTION, makes it
//   an individual session for that participant.
// - An event with no cohort tag is skipped with a warning listing its tags.
// Errors (not iCalendar, an event that ends before it starts, a time that cannot be read)
// throw CalendarError naming the event (UID or SUMMARY) and what is wrong: nothing of the
// source is then changed.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/session.hpp"

namespace relais {

struct CalendarVenue {
  std::string id;
  std::string name;
};

struct CalendarContext {
  std::string time_zone = "Europe/Paris";  // the programme's zone: floating times are in it
  std::string default_region = "FR";       // for phone numbers written without +
  std::vector<std::string> cohorts;         // the config's cohort ids
  std::vector<CalendarVenue> venues;        // the config's venues
  Utc horizon_from{};                       // occurrences that end before it are left out
  Utc horizon_to{};                         // occurrences that start at or after it are left out
  int max_occurrences = 500;                // per event
};

struct CalendarRead {
  std::string name;                   // X-WR-CALNAME, or "" when absent
  std::vector<Session> sessions;      // sorted by start, then uid
  std::vector<std::string> warnings;  // skipped events, unknown venues, truncated recurrences
};

class CalendarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

CalendarRead read_calendar(std::string_view ics_text, const CalendarContext& context);

// The IANA zone for a Windows zone name ("Romance Standard Time" → "Europe/Paris"), or ""
// when unknown.
std::string iana_from_windows(std::string_view windows_name);

}  // namespace relais
