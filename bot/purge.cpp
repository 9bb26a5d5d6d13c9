// The retention purge: erase what is older than the configured retention, or count it.
#include "bot/purge.hpp"

#include <algorithm>

#include <date/date.h>

#include "bot/commands.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

// The start of the local day `months` calendar months before `now` (31 March less one
// month: 28 or 29 February).
Utc months_before(const TimeZone& zone, int months, Utc now) {
  const auto today = zone.to_local(now);
  const auto month = date::year{today.year} / date::month{today.month} - date::months{months};
  const auto day = std::min(date::day{today.day}, (month / date::last).day());
  return zone.from_local(static_cast<int>(month.year()), static_cast<unsigned>(month.month()),
                         static_cast<unsigned>(day), 0);
}

std::string local_date(const TimeZone& zone, Utc t) { return zone.format_local(t).substr(0, 10); }

// Counts only: the audit log keeps that a purge happened and how much it removed.
std::string audit_detail(const PurgeReport& r, const std::string& cutoff_date) {
  const auto& c = r.counts;
  return "cutoff " + cutoff_date + " participants " + std::to_string(r.participants) + " inbound " +
         std::to_string(c.inbound) + " outbox " + std::to_string(c.outbox) + " answers " +
         std::to_string(c.answers) + " alerts " + std::to_string(c.alerts) + " conversations " +
         std::to_string(c.conversations) + " jobs " + std::to_string(c.jobs) + " other " +
         std::to_string(c.other) + " unknown_messages " + std::to_string(r.unknown_messages);
}

bool erased_anything(const PurgeReport& r) { return r.participants > 0 || r.unknown_messages > 0; }

void print_report(const PurgeReport& r, const Config& config, const std::string& cutoff_date, std::ostream& out) {
  if (r.dry_run)
    out << "Dry run: nothing was changed. A purge now would erase what ended before " << cutoff_date;
  else
    out << "Erased what ended before " << cutoff_date;
  out << " (retention_months " << config.retention_months << ", " << config.time_zone << ").\n";
  if (!erased_anything(r)) {
    out << "Nothing is that old: no participant's programme ended before then, and no message from an "
           "unknown number is older.\n";
    return;
  }
  const auto& c = r.counts;
  out << "  participants erased (identity removed, counts kept): " << r.participants << "\n"
      << "  their messages deleted: " << c.inbound << "\n"
      << "  messages to them, or relaying their words, blanked: " << c.outbox << "\n"
      << "  answers deleted (numeric ratings kept, without identity): " << c.answers << "\n"
      << "  conversations deleted: " << c.conversations << "\n"
      << "  alerts deleted: " << c.alerts << "\n"
      << "  scheduled jobs deleted: " << c.jobs << "\n"
      << "  addresses, link codes and parts of long SMS deleted: " << c.other << "\n"
      << "  messages from unknown numbers deleted: " << r.unknown_messages << "\n";
}

}  // namespace

PurgeReport purge(Store& store, const Config& config, bool dry_run, Utc now) {
  PurgeReport report;
  report.dry_run = dry_run;
  if (config.retention_months <= 0) return report;
  const TimeZone zone(config.time_zone);
  report.cutoff = months_before(zone, config.retention_months, now);
  // A dry run does the real work and rolls it back: its counts are a real run's, erasures
  // and unknown numbers' messages included (an erasure also takes the messages her phone
  // sent before she was known).
  StoreSavepoint savepoint(store, "purge");
  CoachStore& coach = store.coach();
  for (auto id : coach.participants_past_retention(report.cutoff)) {
    report.counts += coach.erase_participant(id, now);
    ++report.participants;
  }
  report.unknown_messages = coach.purge_unknown_senders(report.cutoff, false);
  if (dry_run) return report;  // the savepoint rolls back
  if (erased_anything(report)) store.audit("retention", "purge", audit_detail(report, local_date(zone, report.cutoff)), now);
  savepoint.release();
  return report;
}

int purge_command(const Config& config, bool dry_run, std::ostream& out, std::ostream& err, Utc now) {
  try {
    if (config.retention_months <= 0) {
      out << "retention_months is 0 in " << config.file.string() << ": everything is kept, nothing to purge.\n";
      return kExitOk;
    }
    auto store = open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms);
    StoreTransaction tx(*store);
    const PurgeReport report = purge(*store, config, dry_run, now);
    if (!dry_run) tx.commit();
    print_report(report, config, local_date(TimeZone(config.time_zone), report.cutoff), out);
    return kExitOk;
  } catch (...) {
    return report_current_exception(err);
  }
}

}  // namespace relais
