#pragma once
// The work behind the CLI verbs, as functions that tests call directly.
#include <filesystem>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/core/http_client.hpp"
#include "bot/core/result.hpp"
#include "bot/core/time.hpp"
#include "bot/import/participants_csv.hpp"
#include "bot/planning.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/calendar.hpp"

namespace relais {

// Exit codes of every verb.
inline constexpr int kExitOk = 0, kExitFailure = 1, kExitBadInput = 2;

// Bad input from the user (a file, an argument): exit code 2.
class BadInput : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// From a catch (...) block: prints "error: …" and returns the exit code — 2 for bad input
// (a configuration, dialog, text, tip or argument that is wrong), 1 for anything else.
int report_current_exception(std::ostream& err);

struct ImportOptions {
  bool skip_invalid = false;  // import the good lines, report the bad ones
  bool dry_run = false;       // check and count, write nothing
};

struct ImportReport {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int welcomed = 0;                   // new participants with a welcome planned (rule "welcome")
  std::vector<ImportIssue> errors;    // lines refused (with skip_invalid) or blocking
  std::vector<ImportIssue> warnings;
  bool written = false;               // false: nothing changed in the database
};

// Who imports: the cohorts she may touch, how the audit log names her, the file's name.
struct ImportScope {
  CohortScope cohorts;
  std::string actor;
  std::string file_name;
};

// The import's work inside the caller's transaction (the API's engine step): checks, then
// writes the good lines and plans them, with an audit entry. Writes nothing when a line is
// wrong and `skip_invalid` is off (report.errors then says why); the caller commits, or
// rolls back for a dry run. `written` is left false: the caller knows.
ImportReport import_participants_into(Store& store, const Config& config, std::string_view content,
                                      const ImportScope& scope, const ImportOptions& options, Utc now);

// Reads `file`, checks every line (and each phone against the database: one phone, one
// person), and imports all of it in one transaction, or nothing. Opens the database
// directly: works whether or not a server runs (SQLite's lock and busy timeout).
ImportReport import_participants(const Config& config, const std::filesystem::path& file,
                                 const ImportOptions& options, Utc now);

struct CalendarImportReport {
  std::string source;                 // the source's id
  Planning::ImportResult result;      // created, moved, cancelled… and warnings
  std::string error;                  // not iCalendar, an event that ends before it starts…
  bool written = false;               // false: nothing changed in the database
};

// Reads an iCalendar file and imports it as a snapshot of source `source` (default: the
// calendar's X-WR-CALNAME, else the file name without extension), in one transaction:
// sessions stored, the source's future sessions missing from it cancelled, jobs re-planned,
// participants of a session less than 7 days ahead that moved or was cancelled told.
// A file that cannot be read changes nothing.
CalendarImportReport import_calendar(const Config& config, const std::filesystem::path& file,
                                     const std::string& source, Utc now);
// The same from a text already read (a polled address), inside the caller's transaction;
// `fallback_source` names the source when neither `source` nor X-WR-CALNAME does.
CalendarImportReport import_calendar_text(const Config& config, Store& store, const std::string& ics,
                                          const std::string& source, const std::string& fallback_source, Utc now);
// A calendar published at an address (https://…/basic.ics): its text, or why not ("HTTP
// 404", the transport's error).
Result<std::string> fetch_calendar(HttpClient& http, const std::string& url);
// What read_calendar needs from the configuration, for occurrences from `now`.
CalendarContext calendar_context(const Config& config, Utc now);

// Coaches' API tokens (`relais token …`). The token itself is shown once, at creation;
// only its SHA-256 is stored. A coach's token names its cohorts; an admin token sees all.
struct CreatedToken {
  std::int64_t id = 0;
  std::string token;  // "rl_" and 43 characters of [A-Za-z0-9]
};
CreatedToken create_token(const Config& config, const std::string& name, const std::vector<std::string>& cohorts,
                          bool admin, Utc now);
std::vector<ApiToken> list_tokens(const Config& config);
// Throws BadInput for an unknown or already revoked id.
void revoke_token(const Config& config, std::int64_t id, Utc now);
// The SHA-256 of a token, in lower-case hex (what the store keeps and looks up).
std::string token_hash(const std::string& token);

struct LinkInvitation {
  std::string first_name;
  std::string code;  // one-time, valid kLinkCodeDays days
  std::string url;   // https://t.me/<bot>?start=<code>, when the channel names its bot
};
inline constexpr int kLinkCodeDays = 30;

// Creates a one-time code that links the participant of PHONE to her chat on a channel
// that knows chats rather than phone numbers (Telegram). Opens the database directly.
LinkInvitation create_link(const Config& config, const std::string& channel_id,
                           const std::string& phone, Utc now);

// Sends TEXT as if PHONE had texted it on a console channel: through the running
// server's webhook when one answers, else in-process. Prints what happened and the
// replies to `out`. Returns the process exit code.
int say(const Config& config, const std::string& channel_id, const std::string& phone,
        const std::string& text, std::ostream& out, std::ostream& err);

}  // namespace relais
