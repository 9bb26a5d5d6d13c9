#pragma once
// The planner: rules × sessions × participants → jobs, each with an idempotency key
// (ARCHITECTURE.md): "s/<participant>/<uid>/<occurrence>/<rule>" for a session's jobs,
// "p/<participant>/<rule>/<local date>" for the others. Pure: the store writes what it
// returns, so re-planning the same inputs writes the same keys.
//
// Times: a rule's offset from its anchor, then its local clock time on that day (so "the
// day before at 17:00" stays 17:00 local across a daylight-saving change), then the sending
// window: a job before its session moves to the latest allowed minute at or before (and is
// left out when that is more than 3 days earlier); a job after its session, or tied to none,
// moves to the earliest allowed minute at or after. Two reminders of one participant for one
// session less than an hour apart become one (the rule planned earlier stays).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/rules.hpp"
#include "scheduler/sending_window.hpp"
#include "scheduler/session.hpp"
#include "scheduler/zone.hpp"

namespace relais {

struct PlanParticipant {
  std::int64_t id = 0;
  std::string phone;  // E.164
  std::string cohort;
  std::vector<std::string> barriers;
  bool consent_tips = false;
  bool has_buddy = false;  // peer prompts only for her who has a binôme
  Utc enrolled_at{};
};

struct PlanSession {
  std::int64_t id = 0;
  Session session;
};

struct PlannedJob {
  std::string key;
  std::int64_t participant_id = 0;
  std::string rule, kind, dialog;
  std::optional<std::int64_t> session_id;
  Utc due{};
  std::optional<Utc> deadline;  // before a session: its start (a reminder never leaves late)
  // What the dialog starts with: session_title, session_kind, venue_id, "_session_start"
  // (epoch ms, for the date and time in her language), "barrier" (tips).
  std::map<std::string, std::string> context;
};

// French words for a session kind, as {session_kind} shows it ("atelier mobilité").
std::string session_kind_label(const std::string& kind);

class Planner {
 public:
  Planner(const TimeZone& zone, SendingWindow window, std::vector<Rule> rules);

  // The jobs of one session for the participants it concerns (an individual session: only
  // hers; otherwise everyone of its cohorts). A cancelled session has none.
  void plan_session(const PlanSession& session, const std::vector<PlanParticipant>& participants,
                    const std::function<void(PlannedJob&&)>& out) const;

  // The same in two steps, for a planning that goes participant by participant (its jobs
  // then reach the database in key order): what is the same for everyone is computed once.
  struct Prepared {
    struct Timed {
      const Rule* rule;
      Utc planned;  // before the window moved it: of two close reminders, the earlier-planned stays
      Utc due;
    };
    const PlanSession* session = nullptr;
    std::vector<Timed> timed;
    std::map<std::string, std::string> context;
    std::string key_tail;
  };
  Prepared prepare(const PlanSession& session) const;  // keeps a pointer to `session`
  void plan_for(const Prepared& prepared, const PlanParticipant& participant,
                const std::function<void(PlannedJob&&)>& out) const;
  // Her jobs tied to no session: the welcome, and weekly prompts on the days of
  // [from, to) that fall within her cohort's programme [programme_start, programme_end]
  // (no session in her cohort: no weekly prompt).
  void plan_participant(const PlanParticipant& participant, std::optional<Utc> programme_start,
                        std::optional<Utc> programme_end, Utc from, Utc to,
                        const std::function<void(PlannedJob&&)>& out) const;

  const std::vector<Rule>& rules() const { return rules_; }

 private:
  std::optional<Utc> session_due(const Rule& rule, const Session& s) const;
  Utc at_rule_time(const Rule& rule, Utc base) const;
  bool concerns(const Rule& rule, const PlanParticipant& p) const;

  const TimeZone& zone_;
  SendingWindow window_;
  std::vector<Rule> rules_;
};

}  // namespace relais
