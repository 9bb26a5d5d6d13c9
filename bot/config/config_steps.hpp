#pragma once
// The two steps of parse_config() after the JSON is parsed (internal to bot/config/).
#include <string>

#include "bot/config/config.hpp"
#include "bot/config/json_reader.hpp"

namespace relais::config_detail {

// Structure: known keys, value types, ranges, required keys. Fills the struct over its
// defaults.
Config read_config(const Json& doc, const std::string& file);

// Meaning: ids, cross-references, phone numbers, time zone, URLs. Normalises what it
// checks (phones to E.164, names trimmed, one trailing '/' of public_base_url dropped,
// default_channel filled in when there is one channel).
void check_config(Config& config, const std::string& file);

}  // namespace relais::config_detail
