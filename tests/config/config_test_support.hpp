#pragma once
// Helpers shared by the configuration tests: a minimal valid document to mutate, and the
// error (if any) that parse_config gives for a document.
#include <nlohmann/json.hpp>

#include <string>

#include "bot/config/config.hpp"

namespace relais::testing {

// The smallest configuration that loads: one cohort, one channel.
inline nlohmann::json minimal_config() {
  return nlohmann::json::parse(R"({
    "cohorts": [{"id": "g1", "name": "Groupe 1"}],
    "channels": [{"id": "console", "type": "console"}]
  })");
}

// The ConfigError's what() for `text`, or "(loaded)" when it loads.
inline std::string error_of(const std::string& text) {
  try {
    (void)parse_config(text, "test.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(loaded)";
}

inline std::string error_of(const nlohmann::json& doc) { return error_of(doc.dump()); }

}  // namespace relais::testing
