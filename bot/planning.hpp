#pragma once
// The scheduler at work: sessions from calendars, jobs from the config's rules, and the
// jobs that fire. The planner (scheduler/planner.hpp) decides; this class reads what it
// needs from the store, writes the jobs, tells participants when a session near them moves
// or is cancelled, and starts the dialogs of due jobs. Its methods run inside an engine
// step (or a CLI verb's transaction): everything they write commits together.
// Thread-safety: immutable after construction.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/planner.hpp"
#include "scheduler/zone.hpp"

namespace relais {

class Conversations;

class Planning {
 public:
  // How far ahead weekly prompts are planned (re-planning moves the horizon on).
  static constexpr auto kWeeklyHorizon = std::chrono::hours(24 * 14);
  // A session moved or cancelled less than this ahead: its participants are told.
  static constexpr auto kNoticeHorizon = std::chrono::hours(24 * 7);

  Planning(const Config& config, const TimeZone& zone);

  struct Stats {
    int jobs = 0;       // jobs the planning wanted (new, moved or unchanged)
    int cancelled = 0;  // planned jobs it no longer wanted
  };
  Stats replan_all(Store& store, Utc now) const;
  // Only the jobs tied to no session (welcome, weekly prompts): the weekly horizon rolls on.
  Stats replan_own_jobs(Store& store, Utc now) const;
  Stats replan_sessions(Store& store, const std::vector<std::int64_t>& session_ids, Utc now) const;
  Stats replan_participants(Store& store, const std::vector<std::int64_t>& participant_ids, Utc now) const;

  // Starts the dialogs of jobs due at `now`. A job no longer useful is dropped with its
  // reason: a reminder once its session started, a check-in more than 2 days late, a
  // welcome more than 7 days late, a weekly prompt more than a day late; a "missed" job
  // without a declared or marked absence. Returns the jobs handled.
  // `only`: just these participants' jobs (an import starts its new participants' welcome).
  int fire_due(Store& store, Conversations& conversations, Utc now, int limit = 200,
               const std::set<std::int64_t>* only = nullptr) const;

  struct ImportResult {
    int created = 0, moved = 0, changed = 0, cancelled = 0, unchanged = 0, notices = 0;
    std::vector<std::string> warnings;
  };
  // A source's sessions as a snapshot: new and changed sessions are stored, the source's
  // future sessions missing from it are cancelled, sessions of other sources are never
  // touched (a UID that was another source's moves to this one, with a warning). Then
  // re-plans the sessions that changed and, for a session less than 7 days ahead that moved
  // or was cancelled, sends its participants a notice (`conversations`: null to skip).
  ImportResult import_sessions(Store& store, const std::string& source, const std::vector<Session>& sessions,
                               Conversations* conversations, Utc now) const;

  const Planner& planner() const { return planner_; }

 private:
  struct Inputs;
  Inputs load(Store& store, Utc now) const;
  const Rule* rule(const std::string& id) const;

  const Config& config_;
  const TimeZone& zone_;
  Planner planner_;
};

}  // namespace relais
