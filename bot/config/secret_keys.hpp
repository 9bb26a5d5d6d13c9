#pragma once
// Secrets never live in the configuration file (internal to bot/config/): a key that looks
// like one is an error; the file names the environment variable instead (`<key>_env`).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/config/json_reader.hpp"

namespace relais::config_detail {

// "password", "api_key", "authToken", "pin"… but not "password_env" nor "keyword".
bool looks_like_secret(std::string_view key);

// Throws for the first key, anywhere in the document, that looks like a secret.
void reject_secret_keys(const Json& doc, const std::string& file);

// A channel's secrets as (key, environment variable name), for those that are named.
std::vector<std::pair<std::string, std::string>> secret_env_vars(const ChannelConfig& channel);

}  // namespace relais::config_detail
