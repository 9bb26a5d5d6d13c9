#pragma once
// Group messages written by coaches (the API's POST /api/broadcasts, a coach's SMS
// "#g1 PIN text"): who receives one, who is left out and why, its encoding, segments and
// cost, and a warning when it would leave outside the sending window. Runs inside the
// caller's engine step (or on a reader connection for a preview).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"
#include "dialogs/templates.hpp"
#include "scheduler/zone.hpp"

namespace relais {

struct BroadcastRequest {
  std::string actor;                            // who writes it (audit, broadcasts.actor)
  std::string cohort;                           // a cohort, or
  std::vector<std::int64_t> participant_ids;    // a list of participants
  std::string text;                             // a text ({first_name} is hers), or
  std::string template_id;                      // a template of config/templates, in her language
  std::map<std::string, std::string> variables; // the template's values beyond first_name
  std::optional<Utc> send_at;                   // default: now
};

struct BroadcastRecipient {
  std::int64_t participant_id = 0;
  std::string first_name;
  std::string channel;
  std::string text;       // as she will read it
  std::string encoding;   // GSM-7 / UCS-2
  int segments = 1;
  double cost_eur = 0;
};

struct BroadcastExclusion {
  std::int64_t participant_id = 0;
  std::string first_name;
  std::string reason;  // opted_out, no_consent, failing_number
};

struct BroadcastPlan {
  std::vector<BroadcastRecipient> recipients;
  std::vector<BroadcastExclusion> excluded;
  Utc send_at{};
  int segments = 0;     // all recipients together
  double cost_eur = 0;  // all recipients together
  std::vector<std::string> warnings;  // English, e.g. outside the sending window
  std::vector<std::string> cohorts;   // the cohort of each participant it names, in order
};

// Who it reaches and what it costs. `scope`: participants outside it are unknown (the
// caller answers 404 for a list that names one: see `unknown`). Throws std::invalid_argument
// for a request without a text or template, or a template that cannot be rendered.
BroadcastPlan plan_broadcast(Store& store, const Config& config, const dialogs::Templates* templates,
                             const TimeZone& zone, const CohortScope& scope, const BroadcastRequest& request,
                             Utc now, std::vector<std::int64_t>* unknown = nullptr);

// Queues the plan's messages (kind "broadcast", origin "coach": neither the window nor the
// daily cap holds them) and records the group message; returns its id.
std::int64_t send_broadcast(Store& store, const Config& config, const BroadcastRequest& request,
                            const BroadcastPlan& plan, Utc now);

}  // namespace relais
