#pragma once
// A coach's phone texting the service: "#g1 1234 Rendez-vous demain 14h salle B" (cohort,
// PIN, text) is answered with the number of recipients and the cost, and sent as a group
// message when she answers OUI. A wrong PIN, a cohort she does not follow, or a group
// message from a number that is no coach's sends nothing and raises an alert.
#include <optional>
#include <string>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"
#include "dialogs/templates.hpp"
#include "scheduler/zone.hpp"

namespace relais {

// The coach whose phone this is (E.164), if any.
const CoachConfig* find_coach(const Config& config, const std::string& phone);

// The text as it may be stored: a group message's PIN replaced by "****" (a secret is
// never kept). Other texts unchanged.
std::string redact_coach_pin(const std::string& text);

// True when a group message from `from` (a coach or not) looks like "#<cohort> <PIN> …".
bool looks_like_group_message(const std::string& text);

// Runs inside the inbound message's engine step; returns what to text back to her
// (French). `pin_of` reads an environment variable (the coach's pin_env).
std::string handle_coach_sms(Store& store, const Config& config, const TimeZone& zone,
                                 const dialogs::Templates* templates, const CoachConfig& coach,
                                 const std::string& text, Utc now,
                                 const std::function<std::string(const std::string&)>& pin_of);

}  // namespace relais
