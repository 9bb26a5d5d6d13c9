#pragma once
// Reading a webhook's JSON body. Thread-safe.
#include <nlohmann/json_fwd.hpp>

#include <string_view>

#include "bot/core/result.hpp"

namespace relais {

// The parsed body, or "body is not valid JSON: " and the parser's message. Every
// nlohmann::json::exception is caught, not only parse errors: a number too large for a
// double throws out_of_range, which once crashed the server (found by fuzzing).
Result<nlohmann::json> parse_json_body(std::string_view body);

}  // namespace relais
