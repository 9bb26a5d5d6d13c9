#pragma once
// The parts of `relais simulate` (bot/simulate.hpp), for its own files and its tests:
// seeding the throw-away database, running the clock, and writing what came out.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/core/domain.hpp"
#include "bot/core/time.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/zone.hpp"

namespace relais::simulation {

// The kinds a message is reported as, in the summary's column order.
inline constexpr const char* kMessageKinds[] = {"welcome", "reminder", "checkin", "tip",       "peer",
                                                "meteo",   "notice",   "missed",  "broadcast", "other"};

// A message's reported kind: its job's kind (a dialog's nudge or follow-up has the kind
// of the rule that started it), else the outbox kind when it is one of kMessageKinds,
// else "other".
std::string message_kind(const std::optional<std::string>& job_kind, const std::string& outbox_kind);

// A local calendar date.
struct LocalDate {
  int year = 0;
  unsigned month = 0, day = 0;

  // "2026-12-07"; nullopt for anything else, or a date that does not exist.
  static std::optional<LocalDate> parse(const std::string& text);
  static LocalDate of(Utc t, const TimeZone& zone);
  std::string str() const;
  LocalDate plus_days(int days) const;
  Utc midnight(const TimeZone& zone) const;  // its first instant
  unsigned weekday() const;                  // 0 = Sunday … 6 = Saturday
  auto operator<=>(const LocalDate&) const = default;
};

// Days from `a` to `b` (negative when b is earlier).
int days_between(const LocalDate& a, const LocalDate& b);

// One message handed to its (silent) gateway.
struct SimulatedMessage {
  std::int64_t row_id = 0;  // the outbox row: the last tie-break of the order
  Utc utc{};                // when it was handed over
  std::string participant;  // E.164
  std::string first_name;
  std::string cohort;
  std::string kind;                      // one of kMessageKinds
  std::optional<std::string> rule;       // null for a broadcast or a notice
  std::optional<std::string> session;    // iCalendar UID
  std::optional<Utc> session_start;      // the occurrence's current start
  std::string channel;
  std::string text;
  std::string encoding;  // "GSM-7" / "UCS-2", as an SMS of the text would be
  int segments = 1;
  double cost_eur = 0;
};

// The output order: utc, then participant, then rule (none first), then row.
void sort_messages(std::vector<SimulatedMessage>& messages);

// What a simulation produced, for the writers below.
struct Outcome {
  LocalDate from, to;  // inclusive
  std::vector<SimulatedMessage> messages;      // in output order
  std::vector<ParticipantRecord> participants;  // everyone in the simulated database
  std::vector<SessionRow> sessions;             // overlapping [from, to], by start
};

// Seeding the throw-away database (bot/simulate_seed.cpp). Each throws BadInput
// (bot/commands.hpp) for a file that cannot be used; warnings go to `err`.
// The sessions of each --calendar file (source: the file's name without extension), or
// else of the configured sources (a file, or an address fetched once).
void seed_calendars(const Config& config, Store& store, const std::vector<std::filesystem::path>& files,
                    Utc now, std::ostream& err);
// --participants through `import participants --skip-invalid` (bad lines: warnings).
void seed_participants_from_csv(const Config& config, const std::filesystem::path& file, Utc now,
                                std::ostream& err);
// A copy of the participants of the database at `source` (not created when absent).
void seed_participants_from_database(Store& store, const std::filesystem::path& source, int busy_timeout_ms,
                                     Utc now, std::ostream& err);

// The configuration the simulated service runs with: every channel a silent console
// that keeps its id, normaliser and price, with no rate limit (bot/simulate_run.cpp).
Config offline_config(const Config& config);
// Runs the service on a simulated clock from `from` 00:00 until the end of `to` against
// the database `config` names, then reads every message handed over, the participants
// and the sessions.
Outcome run_service(const Config& config, LocalDate from, LocalDate to);

// Writers (bot/simulate_report.cpp, bot/simulate_html.cpp).
void write_json_lines(const Outcome& outcome, const TimeZone& zone, std::ostream& out);
void write_summary_table(const Outcome& outcome, const Config& config, std::ostream& out);
void write_summary_json(const Outcome& outcome, const Config& config, std::ostream& out);
void write_html(const Outcome& outcome, const Config& config, const TimeZone& zone, std::ostream& out);

}  // namespace relais::simulation
