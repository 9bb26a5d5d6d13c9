#pragma once
// JSON in and out of the coaches' API (times, participants, sessions), and what several
// routes look up. Internal to bot/api/.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/zone.hpp"

namespace relais::api {

using json = nlohmann::json;

// Times go out in the programme's zone with their offset ("2026-12-08T14:00:00+01:00").
json time_json(const TimeZone& zone, std::optional<Utc> t);
// A time in: RFC 3339 with Z or an offset, or a local time of the programme's zone
// ("2026-12-08T14:00", "2026-12-08 14:00"). Throws ApiError 400 naming `field`.
Utc parse_time(const json& value, const std::string& field, const TimeZone& zone);
// The same from a query parameter.
Utc parse_time_text(const std::string& text, const std::string& field, const TimeZone& zone);

json participant_json(const ParticipantSummary& p, const TimeZone& zone);
// Her row, when `scope` may see her; ApiError 404 otherwise. `store`: the API's reader, or
// the writer inside a step (where the answer must see what the step sees).
ParticipantSummary visible_participant(Store& store, const CohortScope& scope, std::int64_t id);
json session_json(const SessionRow& s, const TimeZone& zone);

// A field of a JSON object: its value when present (and of the right type), else
// nullopt; 400 naming it when it has another type.
std::optional<std::string> string_field(const json& body, const std::string& field);
std::optional<bool> bool_field(const json& body, const std::string& field);
std::optional<std::vector<std::string>> strings_field(const json& body, const std::string& field);
// Rejects keys the route does not know (a typo must not be silently ignored).
void only_fields(const json& body, std::initializer_list<const char*> known);

}  // namespace relais::api
