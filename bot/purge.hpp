#pragma once
// The retention purge (`relais purge [--dry-run]`, and daily in the server): what
// participants sent and received is erased `retention_months` after their programme
// ended (CoachStore::participants_past_retention), with the old messages of unknown
// numbers. Their rows stay without identity, so the funders' counts stay right.
#include <ostream>

#include "bot/config/config.hpp"
#include "bot/core/time.hpp"
#include "bot/storage/store.hpp"

namespace relais {

struct PurgeReport {
  Utc cutoff{};              // what ended before this is erased (the epoch: nothing, retention off)
  int participants = 0;      // participants erased
  ErasureCounts counts;      // what their erasure removed
  int unknown_messages = 0;  // messages from unknown numbers deleted
  bool dry_run = false;      // counted only: nothing changed
};

// Inside the caller's transaction. The cutoff is the start of the local day (the
// programme's time zone) `retention_months` calendar months before `now`; retention_months
// 0 purges nothing. A dry run reports exactly what a real run would erase and changes
// nothing. A real run that erased something writes one "purge" entry in the audit log,
// with the counts only.
PurgeReport purge(Store& store, const Config& config, bool dry_run, Utc now);

// `relais purge`: opens the database, purges in one transaction (committed unless
// `dry_run`) and says what it erased or would erase. Returns the exit code.
int purge_command(const Config& config, bool dry_run, std::ostream& out, std::ostream& err, Utc now);

}  // namespace relais
