#pragma once
// The funders' indicators as data (computed by CoachStore::indicators; rendered as JSON,
// CSV and HTML by bot/reports.cpp). Every figure is defined in docs/indicators.md.
// Counts keep their numerators and denominators: a rate is derived, never stored.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/core/time.hpp"
#include "bot/storage/scope.hpp"

namespace relais {

struct IndicatorQuery {
  CohortScope scope;                  // what the reader may see
  std::optional<std::string> cohort;  // one cohort of the scope, else all of it
  Utc from{};                         // the period: [from, to)
  Utc to{};
  double budget_eur = 0;                    // the messaging budget (config.messaging_budget_eur)
  std::string time_zone = "Europe/Paris";   // the programme's zone: ratings are grouped by its weeks
};

// A share with what it is made of: `part` out of `whole`.
struct Share {
  std::int64_t part = 0;
  std::int64_t whole = 0;
  std::optional<double> rate() const {
    if (whole == 0) return std::nullopt;
    return static_cast<double>(part) / static_cast<double>(whole);
  }
};

struct AttendanceCounts {
  std::int64_t present = 0;
  std::int64_t absent = 0;
  std::int64_t excused = 0;  // a declared or excused absence, counted apart from the rate
  // present ÷ (present + absent)
  Share rate() const { return {present, present + absent}; }
  AttendanceCounts& operator+=(const AttendanceCounts& o);
};

// Check-in ratings: how many of each mark, 1 to 5.
struct RatingCounts {
  std::array<std::int64_t, 5> by_mark{};  // [0]: marks of 1 … [4]: marks of 5
  std::int64_t count() const;
  std::int64_t sum() const;  // of the marks: the mean is sum ÷ count
  std::optional<double> mean() const;
  RatingCounts& operator+=(const RatingCounts& o);
};

// Figures about the participants of one cohort (or of the whole selection).
struct CohortFigures {
  std::string cohort;           // "" for the whole selection
  std::int64_t enrolled = 0;    // participants, erased ones included (counts only)
  std::int64_t consenting = 0;  // consent = 1
  std::int64_t consenting_tips = 0;
  std::int64_t opted_out = 0;   // opted_out = 1 (STOP)
  std::int64_t erased = 0;      // erased_at set (RGPD erasure)
  AttendanceCounts attendance;
  Share replies;                // questions answered within 48 h (part) out of questions sent (whole)
  RatingCounts ratings;
  std::map<std::string, std::int64_t> barriers_named;  // barrier id → participants who named it
  std::map<std::string, std::int64_t> tips_sent;       // barrier id → tips sent
  CohortFigures& operator+=(const CohortFigures& o);
};

struct SessionKindFigures {
  std::string kind;             // one of kSessionKinds (scheduler/session.hpp)
  std::int64_t sessions = 0;    // held: not cancelled, started in the period
  AttendanceCounts attendance;
  RatingCounts ratings;         // check-ins about a session of this kind
};

struct ChannelFigures {
  std::string channel;
  std::int64_t sent = 0;       // sent, delivered or read
  std::int64_t delivered = 0;  // delivered or read
  std::int64_t failed = 0;     // failed or undelivered
  std::int64_t dropped = 0;    // never handed over (opted out, past its deadline…)
  std::int64_t segments = 0;   // of the messages handed to the gateway
  double cost_eur = 0;         // likewise
};

// The ratings given during one week (Monday to Sunday in the programme's zone).
struct RatingWeek {
  std::string week;        // ISO 8601 week: "2026-W47"
  std::string week_start;  // its Monday: "2026-11-16"
  RatingCounts ratings;
};

struct Indicators {
  IndicatorQuery query;                        // what was asked (scope, cohort, period, budget)
  CohortFigures programme;                     // the whole selection (the sum of `cohorts`)
  std::vector<CohortFigures> cohorts;          // by cohort id
  std::vector<SessionKindFigures> session_kinds;  // by kind
  std::vector<RatingWeek> ratings_by_week;     // oldest first, weeks with ratings only
  std::vector<ChannelFigures> channels;        // by channel id
  ChannelFigures all_channels() const;         // their sum (channel "")
};

}  // namespace relais
