// `relais simulate`: checks the options, seeds a throw-away database, runs the service on a
// simulated clock, then writes what it would have sent.
#include "bot/simulate.hpp"

#include <fstream>
#include <random>

#include "bot/commands.hpp"
#include "bot/simulate_parts.hpp"
#include "dialogs/script_loader.hpp"
#include "dialogs/templates.hpp"
#include "dialogs/tips.hpp"

namespace relais {
namespace {

using simulation::LocalDate;

constexpr int kOk = 0, kFailure = 1, kBadInput = 2;
// Longer than any programme, short enough that a typing mistake (2207) does not run for hours.
constexpr int kMaxDays = 800;
// --to by default: this long after the last session (its check-ins, the last weekly prompts).
constexpr int kDaysAfterLastSession = 14;

// A fresh folder for the throw-away database, removed with it. In memory when the system
// offers a RAM file system (/dev/shm): the service commits (and syncs) at every step, and
// a database that is thrown away needs no disk.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::random_device random;
    std::error_code ec;
    const std::filesystem::path shm = "/dev/shm";
    const auto base = std::filesystem::is_directory(shm, ec) ? shm : std::filesystem::temp_directory_path();
    path_ = base / ("relais-simulate-" + std::to_string(random()) + "-" + std::to_string(random()));
    if (!std::filesystem::create_directory(path_, ec)) {
      path_ = std::filesystem::temp_directory_path() / path_.filename();
      std::filesystem::create_directories(path_);
    }
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

LocalDate parse_date(const char* option, const std::string& text) {
  auto date = LocalDate::parse(text);
  if (!date) throw BadInput(std::string(option) + " " + text + ": expected a date as YYYY-MM-DD");
  return *date;
}

void check_files(const SimulateOptions& options) {
  if (options.json && !options.summary) throw BadInput("--json goes with --summary");
  for (const auto& file : options.calendars)
    if (!std::filesystem::is_regular_file(file)) throw BadInput(file.string() + ": no such file");
  if (options.participants && !std::filesystem::is_regular_file(*options.participants))
    throw BadInput(options.participants->string() + ": no such file");
  if (options.html && options.html->has_parent_path() && !std::filesystem::is_directory(options.html->parent_path()))
    throw BadInput(options.html->string() + ": no such folder");
}

// 14 days after the end of the last session; with no session (or only past ones), two
// weeks from --from.
LocalDate default_end(Store& store, LocalDate from, const TimeZone& zone, std::ostream& err) {
  std::optional<Utc> last;
  const Utc start = from.midnight(zone);
  for (const auto& row : store.sessions_between(start - std::chrono::hours(24 * 7), start + std::chrono::hours(24 * kMaxDays)))
    if (!row.session.cancelled) last = std::max(last.value_or(row.session.end), row.session.end);
  const LocalDate fallback = from.plus_days(kDaysAfterLastSession);
  if (!last) {
    err << "warning: no session to simulate: simulating until " << fallback.str() << " (--to)\n";
    return fallback;
  }
  return std::max(LocalDate::of(*last, zone).plus_days(kDaysAfterLastSession), from);
}

void check_span(LocalDate from, LocalDate to) {
  if (to < from) throw BadInput("--to " + to.str() + " is before --from " + from.str());
  if (simulation::days_between(from, to) >= kMaxDays)
    throw BadInput("--from " + from.str() + " to --to " + to.str() + ": more than " + std::to_string(kMaxDays) +
                   " days to simulate");
}

// Fills the throw-away database `seeded` names; returns the last day to simulate. Everything
// starts at --from's midnight: participants are enrolled then, so each welcome leaves at
// the first allowed minute of the simulation.
LocalDate seed(const Config& config, const Config& seeded, const SimulateOptions& options, LocalDate from,
               std::optional<LocalDate> to, const TimeZone& zone, std::ostream& err) {
  const Utc start = from.midnight(zone);
  {
    auto store = open_sqlite_store(seeded.database_path().string(), config.database.busy_timeout_ms);
    simulation::seed_calendars(seeded, *store, options.calendars, start, err);
    if (!options.participants)
      simulation::seed_participants_from_database(*store, config.database_path(), config.database.busy_timeout_ms,
                                                  start, err);
    if (!to) to = default_end(*store, from, zone, err);
  }
  if (options.participants) simulation::seed_participants_from_csv(seeded, *options.participants, start, err);
  return *to;
}

void write_outputs(const simulation::Outcome& outcome, const Config& config, const SimulateOptions& options,
                   const TimeZone& zone, std::ostream& out) {
  if (options.html) {
    std::ofstream page(*options.html, std::ios::binary | std::ios::trunc);
    if (!page) throw BadInput(options.html->string() + ": cannot write the file");
    simulation::write_html(outcome, config, zone, page);
    if (!page.flush()) throw std::runtime_error(options.html->string() + ": write failed");
  }
  if (!options.summary)
    simulation::write_json_lines(outcome, zone, out);
  else if (options.json)
    simulation::write_summary_json(outcome, config, out);
  else
    simulation::write_summary_table(outcome, config, out);
}

int run(const Config& config, const SimulateOptions& options, std::ostream& out, std::ostream& err) {
  check_files(options);
  const TimeZone zone(config.time_zone);
  const LocalDate from = options.from.empty() ? LocalDate::of(options.today.value_or(SystemClock().now()), zone)
                                              : parse_date("--from", options.from);
  std::optional<LocalDate> to;
  if (!options.to.empty()) check_span(from, *(to = parse_date("--to", options.to)));
  // The service without scripts starts no dialog (it is not an error for `serve`).
  if (!std::filesystem::exists(config.content_path(config.dialogs_dir)))
    err << "warning: " << config.content_path(config.dialogs_dir).string()
        << ": no dialogs folder: the service would send nothing on its own\n";

  ScratchFolder scratch;
  Config seeded = config;
  seeded.database.path = scratch.path() / "simulate.db";
  const LocalDate last = seed(config, seeded, options, from, to, zone, err);
  check_span(from, last);
  write_outputs(simulation::run_service(simulation::offline_config(seeded), from, last), config, options, zone, out);
  return kOk;
}

}  // namespace

int simulate(const Config& config, const SimulateOptions& options, std::ostream& out, std::ostream& err) {
  try {
    return run(config, options, out, err);
  } catch (...) {
    return report_current_exception(err);
  }
}

}  // namespace relais
