#include "bot/config/secret_keys.hpp"

#include <cctype>
#include <cstdlib>

namespace relais::config_detail {
namespace {

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits "basic_auth-passWord" into "basic", "auth", "pass", "word" (separators and
// camelCase humps), lower-cased.
std::vector<std::string> words(std::string_view key) {
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < key.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    bool hump = std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(key[i - 1]));
    if (!std::isalnum(c) || hump) {
      if (!out.back().empty()) out.emplace_back();
      if (!std::isalnum(c)) continue;
    }
    out.back() += static_cast<char>(std::tolower(c));
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

void walk(const Json& value, const std::string& path, const std::string& file) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      std::string child = member_path(path, it.key());
      if (looks_like_secret(it.key()))
        fail(file, child,
             "\"" + it.key() + "\" looks like a secret; secrets are read from the environment: "
             "put the variable's name in `" + it.key() + "_env`");
      walk(it.value(), child, file);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) walk(value[i], index_path(path, i), file);
  }
}

}  // namespace

bool looks_like_secret(std::string_view key) {
  std::string k = lower(key);
  if (k.size() >= 4 && k.compare(k.size() - 4, 4, "_env") == 0) return false;
  // Long markers are safe to find inside a key ("smtpPassword", "authtoken")…
  for (const char* marker : {"password", "passwd", "passphrase", "secret", "token", "apikey",
                             "credential"})
    if (k.find(marker) != std::string::npos) return true;
  // …short ones only as whole words, or "keyword" and "shipping" would match.
  for (const auto& w : words(key))
    if (w == "key" || w == "pin" || w == "pass" || w == "pwd") return true;
  return false;
}

void reject_secret_keys(const Json& doc, const std::string& file) { walk(doc, "$", file); }

std::vector<std::pair<std::string, std::string>> secret_env_vars(const ChannelConfig& channel) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!channel.basic_auth_password_env.empty())
    out.emplace_back("basic_auth_password_env", channel.basic_auth_password_env);
  return out;
}

}  // namespace relais::config_detail

namespace relais {

std::vector<std::string> missing_secrets(const Config& config) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < config.channels.size(); ++i) {
    const ChannelConfig& channel = config.channels[i];
    if (!channel.enabled) continue;
    for (const auto& [key, name] : config_detail::secret_env_vars(channel)) {
      const char* value = std::getenv(name.c_str());
      // Only whether it is set is reported: the value never enters a message.
      if (value == nullptr || *value == '\0')
        lines.push_back("channels[" + std::to_string(i) + "] (" + channel.id +
                        "): environment variable " + name +
                        (value == nullptr ? " is not set" : " is empty"));
    }
  }
  return lines;
}

}  // namespace relais
