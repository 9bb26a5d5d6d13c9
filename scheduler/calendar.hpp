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
// Policies for the odd cases:
// - All-day events (VALUE=DATE) run from local midnight to local midnight in the
//   programme's zone (DTEND exclusive; no DTEND, or DTEND = DTSTART: one day). An EXDATE
//   written as a date-time for an all-day series (Outlook: midnight in its own zone)
//   excludes that date.
// - TZIDs are read as tzdata zones whenever they name one (directly, as a Windows name, or
//   behind a prefix, or in the VTIMEZONE's X-LIC-LOCATION); only a VTIMEZONE naming no
//   known zone is read by its own rules. Wall times skipped by the spring change move past
//   the gap; repeated autumn times are the first of the two.
// - Overrides (RECURRENCE-ID) replace the occurrence they name, wherever they sit in the
//   file; one without its master is read as that single occurrence. An occurrence that is
//   both excluded (EXDATE) and overridden stays excluded. RANGE=THISANDFUTURE is ignored.
// - Versions of one UID (+ RECURRENCE-ID): the higher SEQUENCE, then the later
//   LAST-MODIFIED (else DTSTAMP), then the later in the file.
// - A phone number in DESCRIPTION counts only if written from "+" or "0" and able to
//   receive SMS (not a meeting id, not a video call's dial-in line); a "tel:" ATTENDEE
//   counts if valid. A participant without a kind tag makes the kind individual-coaching.
// - Events without UID are skipped with a warning. Warnings about an event (no cohort,
//   unknown venue…) are only given for events with an occurrence in the horizon.
// - Sub-daily rules (FREQ=HOURLY and finer) with day filters (BYMONTH, BYMONTHDAY…) are not
//   expanded (libical could run for hours on one): a warning, the other occurrences kept.
// Errors (not iCalendar, a file cut before END:VCALENDAR, an event that ends before it
// starts, a time that cannot be read) throw CalendarError naming the event (UID or SUMMARY)
// and what is wrong: nothing of the source is then changed. A context whose horizon_to is
// not after horizon_from, whose max_occurrences < 1 or whose time_zone tzdata does not know
// throws std::invalid_argument.
// Thread-safe: calls share no state (each parses into its own libical tree).
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
