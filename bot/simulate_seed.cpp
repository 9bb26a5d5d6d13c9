// `relais simulate`: filling the throw-away database with the sessions and participants
// the simulation runs on. The real import code does it, so that what is simulated is
// what `relais import` would have stored.
#include <fstream>
#include <set>
#include <sstream>

#include "bot/commands.hpp"
#include "bot/http_client.hpp"
#include "bot/simulate_parts.hpp"

namespace relais::simulation {
namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BadInput(file.string() + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CalendarText {
  std::string name;    // for messages: the file, or the configured source's id
  std::string source;  // the source its sessions belong to
  std::string ics;
};

// Each file its own source, named after it ("atelier-g1.ics" → "atelier-g1"): two files
// of one name get "-2", "-3"… so that neither cancels the other's sessions.
std::vector<CalendarText> read_files(const std::vector<std::filesystem::path>& files) {
  std::vector<CalendarText> out;
  std::set<std::string> used;
  for (const auto& file : files) {
    std::string source = file.stem().string();
    for (int n = 2; used.count(source); ++n) source = file.stem().string() + "-" + std::to_string(n);
    used.insert(source);
    out.push_back({file.string(), source, read_text(file)});
  }
  return out;
}

// The configured sources, read once: a file, or an address fetched as the server would.
// An address that does not answer is left out with a warning (it is not the operator's
// input); the address itself is never printed, since private calendar links hold a secret.
std::vector<CalendarText> read_sources(const Config& config, std::ostream& err) {
  std::vector<CalendarText> out;
  std::unique_ptr<HttpClient> http;
  for (const auto& source : config.calendars.sources) {
    if (!source.file.empty()) {
      out.push_back({config.content_path(source.file).string(), source.id, read_text(config.content_path(source.file))});
      continue;
    }
    if (!http) http = make_http_client();
    auto fetched = fetch_calendar(*http, calendar_url(source));
    if (!fetched) {
      err << "warning: calendar source \"" << source.id << "\": not fetched (" << fetched.error()
          << "): its sessions are left out of the simulation\n";
      continue;
    }
    out.push_back({"calendar source \"" + source.id + "\"", source.id, std::move(*fetched)});
  }
  if (config.calendars.sources.empty())
    err << "warning: no --calendar and no calendar source in the configuration: no session is simulated\n";
  return out;
}

void print_issue(std::ostream& err, const std::filesystem::path& file, const ImportIssue& issue, const char* tail) {
  err << "warning: " << file.string();
  if (issue.line > 0) err << ":" << issue.line;
  err << ": ";
  if (!issue.column.empty()) err << "column \"" << issue.column << "\": ";
  err << issue.message << tail << "\n";
}

}  // namespace

void seed_calendars(const Config& config, Store& store, const std::vector<std::filesystem::path>& files, Utc now,
                    std::ostream& err) {
  const auto texts = files.empty() ? read_sources(config, err) : read_files(files);
  StoreTransaction tx(store);
  for (const auto& text : texts) {
    const auto report = import_calendar_text(config, store, text.ics, text.source, text.source, now);
    if (!report.written) throw BadInput(text.name + ": " + report.error);
    for (const auto& w : report.result.warnings) err << "warning: " << text.name << ": " << w << "\n";
  }
  tx.commit();
}

void seed_participants_from_csv(const Config& config, const std::filesystem::path& file, Utc now, std::ostream& err) {
  ImportOptions options;
  options.skip_invalid = true;
  const ImportReport report = import_participants(config, file, options, now);
  for (const auto& issue : report.errors)
    if (issue.line == 0) throw BadInput(file.string() + ": " + issue.message);
  for (const auto& w : report.warnings) print_issue(err, file, w, "");
  for (const auto& e : report.errors) print_issue(err, file, e, " (line skipped)");
  if (report.created == 0) err << "warning: " << file.string() << ": no participant to simulate\n";
}

void seed_participants_from_database(Store& store, const std::filesystem::path& source, int busy_timeout_ms, Utc now,
                                     std::ostream& err) {
  // Opening would create an empty database where none is: the operator meant another file.
  if (!std::filesystem::exists(source))
    throw BadInput("no participants to simulate: the database " + source.string() +
                   " does not exist (give --participants FILE.csv)");
  std::vector<ParticipantRecord> people;
  {
    auto real = open_sqlite_store(source.string(), busy_timeout_ms);
    people = real->all_participants();
  }
  // Copies are enrolled now: each gets her welcome at the simulation's first opening.
  StoreTransaction tx(store);
  store.upsert_participants(people, now);
  for (const auto& p : people)
    if (p.opted_out)
      if (auto copy = store.find_participant_by_phone(p.phone)) store.set_opted_out(copy->id, true, now);
  tx.commit();
  if (people.empty()) err << "warning: the database " << source.string() << " has no participant to simulate\n";
}

}  // namespace relais::simulation
