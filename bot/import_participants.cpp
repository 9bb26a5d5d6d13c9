#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>


#include "bot/commands.hpp"
#include "bot/conversations.hpp"
#include "bot/core/phone.hpp"
#include "bot/core/text.hpp"
#include "bot/log.hpp"
#include "bot/planning.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BadInput(file.string() + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One phone, one person: a phone already in the database under another first name is
// refused, since two people on one phone would read each other's messages. A coach's
// import touches her cohorts only: a line for another cohort, or for a phone enrolled in
// another cohort, is refused without telling who has it.
std::vector<ImportIssue> conflicts_with_database(Store& store, const std::vector<ParsedParticipant>& rows,
                                                 const CohortScope& scope) {
  std::vector<ImportIssue> out;
  for (const auto& row : rows) {
    if (!scope.sees(row.record.cohort)) {
      out.push_back({row.line, "", "cohort \"" + row.record.cohort + "\" is not one of this token's cohorts"});
      continue;
    }
    auto existing = store.find_participant_by_phone(row.record.phone);
    if (existing && !scope.sees(existing->cohort))
      out.push_back({row.line, "", "phone " + mask_phone(row.record.phone) + " is already enrolled elsewhere"});
    else if (existing && fold_compact(existing->first_name) != fold_compact(row.record.first_name))
      out.push_back({row.line, "",
                     "phone " + mask_phone(row.record.phone) + " belongs to \"" +
                         existing->first_name + "\" in the database, not \"" +
                         row.record.first_name +
                         "\": two people on one phone would read each other's messages"});
  }
  return out;
}

// The imported participants get their jobs at once, in the import's transaction: a new one
// her welcome and her sessions' messages, one who changed (another cohort, consent taken
// back) her plan redone. What is already due for the new ones (the welcome, inside the
// sending window) starts now, so that its message is queued with the import.
int plan_imported(Store& store, const Config& config, const std::vector<std::string>& phones,
                  const std::vector<std::string>& new_phones, Utc now) {
  if (phones.empty() || !std::filesystem::exists(config.content_path(config.dialogs_dir))) return 0;
  const TimeZone zone(config.time_zone);
  auto conversations = Conversations::load(config, zone);
  const Planning planning(config, zone);
  auto ids_of = [&](const std::vector<std::string>& list) {
    std::vector<std::int64_t> ids;
    for (const auto& phone : list)
      if (auto who = store.find_participant_by_phone(phone)) ids.push_back(who->id);
    return ids;
  };
  planning.replan_participants(store, ids_of(phones), now);
  const auto fresh = ids_of(new_phones);
  const std::set<std::int64_t> only(fresh.begin(), fresh.end());
  int welcomed = 0;
  for (auto id : fresh)
    for (const auto& job : store.jobs_of_participant(id))
      welcomed += job.status == "planned" && job.job.kind == "welcome";
  planning.fire_due(store, *conversations, now, static_cast<int>(fresh.size()) * 4 + 100, &only);
  return welcomed;
}

}  // namespace

ImportReport import_participants_into(Store& store, const Config& config, std::string_view content,
                                      const ImportScope& scope, const ImportOptions& options, Utc now) {
  ParticipantsFile parsed = parse_participants_csv(content, config);
  ImportReport report;
  report.errors = std::move(parsed.errors);
  report.warnings = std::move(parsed.warnings);
  if (!report.errors.empty() && !options.skip_invalid) return report;

  auto refused = conflicts_with_database(store, parsed.rows, scope.cohorts);
  if (!refused.empty()) {
    if (!options.skip_invalid) {
      report.errors.insert(report.errors.end(), refused.begin(), refused.end());
      return report;
    }
    std::erase_if(parsed.rows, [&](const ParsedParticipant& p) {
      return std::any_of(refused.begin(), refused.end(), [&](const ImportIssue& c) { return c.line == p.line; });
    });
    report.errors.insert(report.errors.end(), refused.begin(), refused.end());
  }
  std::vector<ParticipantRecord> records;
  records.reserve(parsed.rows.size());
  std::vector<std::string> new_phones, phones;
  for (auto& row : parsed.rows) {
    if (!store.find_participant_by_phone(row.record.phone)) new_phones.push_back(row.record.phone);
    phones.push_back(row.record.phone);
    records.push_back(std::move(row.record));
  }
  const UpsertOutcome outcome = store.upsert_participants(records, now);
  report.welcomed = plan_imported(store, config, phones, new_phones, now);
  report.created = outcome.created;
  report.updated = outcome.updated;
  report.unchanged = outcome.unchanged;
  // One entry for each cohort the file touched: each cohort's coaches see it.
  const std::string detail = "file=" + scope.file_name + " created=" + std::to_string(outcome.created) +
                             " updated=" + std::to_string(outcome.updated) +
                             " skipped=" + std::to_string(report.errors.size());
  std::set<std::string> cohorts;
  for (const auto& r : records) cohorts.insert(r.cohort);
  if (cohorts.empty()) cohorts.insert("");
  for (const auto& cohort : cohorts) store.coach().audit_in(cohort, scope.actor, "import_participants", detail, now);
  return report;
}

ImportReport import_participants(const Config& config, const std::filesystem::path& file,
                                 const ImportOptions& options, Utc now) {
  const std::string content = read_file(file);
  auto store = open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms);
  StoreTransaction tx(*store);
  ImportReport report = import_participants_into(*store, config, content,
                                                 {CohortScope::everything(), "cli", file.filename().string()},
                                                 options, now);
  const bool blocked = !report.errors.empty() && !options.skip_invalid;
  if (blocked || options.dry_run) return report;  // tx rolls back
  tx.commit();
  report.written = true;
  log::info("import.participants", {{"file", file.filename().string()},
                                     {"created", std::to_string(report.created)},
                                     {"updated", std::to_string(report.updated)},
                                     {"skipped", std::to_string(report.errors.size())}});
  return report;
}

}  // namespace relais
