#pragma once
// `relais simulate`: the real planner, dialogs and dispatcher rules run on a simulated
// clock against a throw-away database, to show coaches and funders what the programme
// would send, when, and at what cost — before anything is sent. Nobody replies (nudges
// and timeouts happen as the dialogs say); only the gateways are absent: every channel
// becomes a silent console channel that keeps its id, normaliser and price.
// See docs/simulate.md for the output.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/core/time.hpp"

namespace relais {

struct SimulateOptions {
  // --calendar FILE.ics, repeatable. Empty: the configured calendar sources.
  std::vector<std::filesystem::path> calendars;
  // --participants FILE.csv. Empty: a copy of the configured database's participants.
  std::optional<std::filesystem::path> participants;
  // --from / --to: local dates "YYYY-MM-DD", inclusive. Empty: today, and 14 days after
  // the end of the last session.
  std::string from, to;
  bool summary = false;  // --summary: totals instead of one line per message
  bool json = false;     // --json (with --summary): the totals as one JSON object
  // --html FILE: also writes one printable page per cohort, week by week.
  std::optional<std::filesystem::path> html;
  // What "today" is for the default --from (tests); empty: the system clock.
  std::optional<Utc> today;
};

// Runs the simulation and prints JSON Lines (or the summary) to `out`; warnings and
// errors go to `err`. Returns the process exit code: 0 done, 2 bad input (an option, a
// file, the configuration's dialogs), 1 any other failure. Writes nothing but the
// temporary database (removed before returning) and the --html file.
int simulate(const Config& config, const SimulateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace relais
