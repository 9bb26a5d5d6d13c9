// `relais import calendar`: an iCalendar file into the sessions of one source.
#include <fstream>
#include <sstream>

#include "bot/commands.hpp"
#include "bot/conversations.hpp"
#include "bot/log.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

// A past occurrence still matters for a few days (its check-in, its "missed" message).
constexpr auto kPastOccurrences = std::chrono::hours(24 * 7);

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<std::string> fetch_calendar(HttpClient& http, const std::string& url) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = std::chrono::seconds(20);
  auto response = http.send(request);
  if (!response) return Err(response.error());
  if (response->status != 200) return Err("HTTP " + std::to_string(response->status));
  return std::move(response->body);
}

CalendarContext calendar_context(const Config& config, Utc now) {
  CalendarContext c;
  c.time_zone = config.time_zone;
  c.default_region = config.default_region;
  for (const auto& cohort : config.cohorts) c.cohorts.push_back(cohort.id);
  for (const auto& venue : config.venues) c.venues.push_back({venue.id, venue.name});
  c.horizon_from = now - kPastOccurrences;
  c.horizon_to = now + std::chrono::hours(24 * config.calendars.horizon_days);
  c.max_occurrences = config.calendars.max_occurrences;
  return c;
}

CalendarImportReport import_calendar_text(const Config& config, Store& store, const std::string& ics,
                                          const std::string& source, const std::string& fallback_source, Utc now) {
  CalendarImportReport report;
  CalendarRead read;
  try {
    read = read_calendar(ics, calendar_context(config, now));
  } catch (const CalendarError& e) {
    report.error = e.what();
    return report;
  }
  report.source = !source.empty() ? source : !read.name.empty() ? read.name : fallback_source;
  const TimeZone zone(config.time_zone);
  std::unique_ptr<Conversations> conversations;
  if (std::filesystem::exists(config.content_path(config.dialogs_dir))) conversations = Conversations::load(config, zone);
  const Planning planning(config, zone);
  report.result = planning.import_sessions(store, report.source, read.sessions, conversations.get(), now);
  report.result.warnings.insert(report.result.warnings.begin(), read.warnings.begin(), read.warnings.end());
  report.written = true;
  return report;
}

CalendarImportReport import_calendar(const Config& config, const std::filesystem::path& file,
                                     const std::string& source, Utc now) {
  const std::string ics = read_text(file);
  auto store = open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms);
  StoreTransaction tx(*store);
  auto report = import_calendar_text(config, *store, ics, source, file.stem().string(), now);
  if (!report.written) return report;  // the transaction rolls back: nothing changed
  store->audit("cli", "import_calendar",
               "file=" + file.filename().string() + " source=" + report.source +
                   " created=" + std::to_string(report.result.created) +
                   " moved=" + std::to_string(report.result.moved) +
                   " cancelled=" + std::to_string(report.result.cancelled),
               now);
  tx.commit();
  log::info("import.calendar", {{"source", report.source}, {"created", std::to_string(report.result.created)}});
  return report;
}

}  // namespace relais
