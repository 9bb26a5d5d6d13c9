#pragma once
// Internal to the calendar reader: one VEVENT read into plain data, its times resolved.
#include <libical/ical.h>

#include <optional>
#include <string>
#include <vector>

#include "scheduler/calendar_time.hpp"

namespace relais::calendar_detail {

// An extra occurrence (RDATE): a start, and an end when written as a PERIOD.
struct ExtraDate {
  TimeValue start;
  std::optional<Utc> end;
};

// An excluded occurrence (EXDATE): an exact original start, or a whole local day when
// written as a DATE for an event with times.
struct ExcludedDate {
  Utc from{};
  Utc to{};  // == from for an exact start
};

struct RawEvent {
  std::size_t order = 0;  // position in the file: the later wins a complete tie
  std::string uid;
  std::string summary;
  std::string location;
  std::string description;
  std::vector<std::string> categories;  // one entry per value (libical splits lists)
  std::vector<std::string> attendees;   // as written: "mailto:…", "tel:…"
  bool cancelled = false;
  int sequence = 0;
  Utc stamp{};  // LAST-MODIFIED, else DTSTAMP, else the epoch

  TimeValue start;
  Span span;
  std::optional<icalrecurrencetype> rule;  // RRULE (the first one; RFC 5545 allows one)
  std::vector<ExtraDate> extra_dates;
  std::vector<ExcludedDate> excluded_dates;
  std::optional<Utc> recurrence_id;  // RECURRENCE-ID: the original start this one replaces

  bool recurs() const { return rule.has_value() || !extra_dates.empty(); }
  Utc start_utc() const { return start.utc(); }
  Utc end_utc() const { return end_of(start, span); }
};

// Reads one VEVENT. Throws CalendarError naming the event for a time that cannot be read
// or an end before the start.
RawEvent read_event(icalcomponent* vevent, ZoneResolver& zones);

// How warnings and errors name an event: `event "Atelier CV" (uid abc@google.com)`, with
// the SUMMARY's bracketed tags left out.
std::string describe(const RawEvent& event);

}  // namespace relais::calendar_detail
