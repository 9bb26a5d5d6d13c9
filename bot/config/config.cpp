#include "bot/config/config.hpp"

#include <cstdlib>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "bot/config/channel_types.hpp"
#include "bot/config/config_steps.hpp"
#include "bot/config/json_text.hpp"
#include "bot/config/secret_keys.hpp"

namespace relais {
namespace {

// "<file>: <path>: <message>"; a syntax error has no JSON path and a message that starts
// with "<line>:<col>: ", giving the compiler-style "<file>:<line>:<col>: …".
std::string describe(const std::string& file, const std::string& path, const std::string& message) {
  if (path.empty()) return file + ":" + message;
  return file + ": " + path + ": " + message;
}

}  // namespace

ConfigError::ConfigError(std::string file, std::string path, std::string message)
    : std::runtime_error(describe(file, path, message)),
      file_(std::move(file)),
      path_(std::move(path)),
      message_(std::move(message)) {}

const CohortConfig* Config::find_cohort(std::string_view id) const {
  for (const auto& c : cohorts)
    if (c.id == id) return &c;
  return nullptr;
}

const ChannelConfig* Config::find_channel(std::string_view id) const {
  for (const auto& c : channels)
    if (c.id == id) return &c;
  return nullptr;
}

std::filesystem::path Config::content_path(const std::filesystem::path& dir) const {
  if (dir.is_absolute()) return dir;
  return file.parent_path() / dir;
}

std::string Config::public_url() const {
  if (!server.public_base_url.empty()) return server.public_base_url;
  const bool v6 = server.bind.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + server.bind + "]" : server.bind) + ":" + std::to_string(server.port);
}

std::filesystem::path Config::database_path() const {
  // ":memory:" is SQLite's name for a private in-memory database, not a file.
  if (database.path.is_absolute() || database.path == ":memory:") return database.path;
  return (file.parent_path() / database.path).lexically_normal();
}

std::vector<std::string> known_channel_types() {
  std::vector<std::string> out;
  for (const auto& spec : channel_type_specs()) out.emplace_back(spec.type);
  return out;
}

const std::string& ChannelConfig::option(const std::string& key) const {
  static const std::string empty;
  auto it = options.find(key);
  return it == options.end() ? empty : it->second;
}

Config parse_config(std::string_view json_text, const std::filesystem::path& name) {
  using namespace config_detail;
  const std::string file = name.string();
  Json doc = parse_json_text(json_text, file);
  // Before anything else: a secret in the file is the error to report, whatever else is
  // wrong around it.
  reject_secret_keys(doc, file);
  Config config = read_config(doc, file);
  check_config(config, file);
  config.file = name;
  return config;
}

Config load_config(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw std::runtime_error("cannot read configuration file " + file.string() + ": is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read configuration file " + file.string() + ": " +
                             std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw std::runtime_error("cannot read configuration file " + file.string() + ": read error");
  // Errors name the file as the operator wrote it; `file` is absolute so that relative
  // paths inside stay right whatever the working directory later becomes.
  Config config = parse_config(text.str(), file);
  config.file = std::filesystem::absolute(file).lexically_normal();
  return config;
}

std::string calendar_url(const CalendarSourceConfig& source) {
  if (!source.url.empty() || source.url_env.empty()) return source.url;
  const char* value = std::getenv(source.url_env.c_str());
  return value ? value : "";
}

}  // namespace relais
