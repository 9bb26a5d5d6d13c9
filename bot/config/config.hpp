#pragma once
// The whole configuration as one validated struct. Defaults live in the fields;
// load_config() parses JSON (comments allowed), rejects unknown keys and wrong types with
// the JSON path of the first bad value, and checks cross-references.
// Secrets are never in the file: the config names the environment variable that holds
// each one (keys ending in `_env`).
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/rules.hpp"

namespace relais {

struct ServerConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string public_base_url;            // e.g. "https://relais.example.org"; default http://bind:port
  int threads = 1;                        // HTTP I/O threads (the writer thread is extra)
  std::size_t max_header_bytes = 8 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  int read_timeout_ms = 10'000;           // a request must arrive whole within this time
  int idle_timeout_ms = 60'000;           // keep-alive connections idle longer are closed
  int shutdown_grace_ms = 10'000;         // in-flight requests get this long at SIGTERM
};

struct DatabaseConfig {
  std::filesystem::path path = "relais.db";  // relative paths: from the config file's folder
  int busy_timeout_ms = 5'000;
};

struct CoachConfig {
  std::string name;
  std::string phone;  // E.164 after validation; may be empty
  std::string email;  // may be empty
  // The environment variable holding her PIN: with it, her phone may text a group message
  // ("#g1 1234 Rendez-vous demain 14h"). Empty: her phone cannot.
  std::string pin_env;
};

struct CohortConfig {
  std::string id;    // [a-z0-9_-]+, e.g. "g1"
  std::string name;
  std::vector<CoachConfig> coaches;
};

struct VenueConfig {
  std::string id;
  std::string name;
  std::string address;
};

// WhatsApp: a template approved by Meta, standing for a Relais template id.
struct TemplateMapping {
  std::string name;                     // the approved template's name
  std::string language = "fr";          // its language code
  std::vector<std::string> parameters;  // Relais variables, in the template's {{1}}, {{2}} order
};

struct ChannelConfig {
  std::string id;                    // [a-z0-9_-]+, used in /webhooks/{id}
  std::string type;                  // one of channel_type_specs() (bot/config/channel_types.hpp)
  bool enabled = true;
  bool normalise = true;             // keep French text in GSM-7 where faithful
  double price_per_segment_eur = 0;  // estimated cost of one SMS segment
  double rate_per_second = 1;        // sending rate the gateway allows us
  int burst = 1;                     // messages that may leave at once above the rate
  std::string fallback;              // a channel id tried after a permanent failure; may be empty
  // Webhook protection by HTTP basic auth: for the console channel off loopback, and for
  // providers that sign nothing.
  std::string basic_auth_user = "relais";
  std::string basic_auth_password_env;  // env var holding the password; empty = none
  // The type's own settings (account ids, senders, `*_env` names of its credentials, base
  // URLs), as listed for each type in channel_types.hpp. Absent keys are not stored.
  std::map<std::string, std::string> options;
  std::map<std::string, TemplateMapping> templates;  // Relais template id → approved template

  // The option's value, or "" when absent.
  const std::string& option(const std::string& key) const;
};

struct DispatcherConfig {
  int poll_interval_ms = 500;  // how often due outbox rows are looked for
  int batch_size = 50;         // rows claimed at a time
  int concurrency = 32;        // sends in flight at once, across channels
  int max_attempts = 5;        // tries of a message before it is failed
  int max_retry_hours = 24;    // a message still failing this long after it was written is failed
  // Messages the service starts on its own, per participant and local day (replies to her,
  // the STOP confirmation and coaches' messages are not counted against it).
  int daily_cap = 4;
};

// A calendar the sessions come from: a file, or an https address polled on an interval.
struct CalendarSourceConfig {
  std::string id;               // [a-z0-9_-]+: the source's name in `relais import calendar --source`
  std::filesystem::path file;   // relative: from the config file's folder
  std::string url;              // https://…/basic.ics (Google, Outlook, Nextcloud publish one)
  std::string url_env;          // or the environment variable holding it (a secret address)
  int poll_minutes = 30;        // how often the file or address is read again
};

// The source's address: `url`, or the value of `url_env` ("" when unset).
std::string calendar_url(const CalendarSourceConfig& source);

struct CalendarsConfig {
  std::vector<CalendarSourceConfig> sources;
  int horizon_days = 400;          // occurrences of recurring events planned this far ahead
  int max_occurrences = 500;       // per event: a rule asking for more is cut, with a warning
};

// When the service may send on its own (local time of `time_zone`).
struct SendingWindowConfig {
  int start_minute = 9 * 60;       // 09:00
  int end_minute = 19 * 60 + 30;   // 19:30, allowed
  // Allowed weekdays, index 0 = Sunday … 6 = Saturday.
  std::array<bool, 7> days = {false, true, true, true, true, true, true};
  bool french_public_holidays = true;  // no sending on them
};

// The coaches' dashboard: static files served at `/`.
struct WebConfig {
  std::filesystem::path dir = "web";  // relative: from the config file's folder
};

// The phone simulator and its demo clock (a demonstration: loopback only).
struct SimulatorConfig {
  bool enabled = false;
};

struct LogConfig {
  std::string level = "info";  // trace, debug, info, warn, error
};

struct Config {
  std::filesystem::path file;  // where it was loaded from (absolute)
  std::string programme;       // a display name
  ServerConfig server;
  DatabaseConfig database;
  std::string time_zone = "Europe/Paris";  // IANA name
  std::string default_region = "FR";       // for phone numbers written without +
  std::vector<CohortConfig> cohorts;
  std::vector<VenueConfig> venues;
  std::vector<ChannelConfig> channels;
  std::string default_channel;
  double messaging_budget_eur = 0;  // the SMS budget, not the programme's whole budget
  // What participants sent and received is erased this long after their cohort's last
  // session (`relais purge`); 0 keeps everything.
  int retention_months = 12;
  DispatcherConfig dispatcher;
  SendingWindowConfig sending_window;
  std::vector<Rule> rules;  // what the planner turns into jobs (scheduler/rules.hpp)
  CalendarsConfig calendars;
  WebConfig web;
  SimulatorConfig simulator;
  LogConfig log;
  // Content coaches edit, relative to the config file's folder.
  std::filesystem::path dialogs_dir = "dialogs";      // one JSON script per dialog
  std::filesystem::path templates_dir = "templates";  // texts, one JSON file per language
  std::filesystem::path tips_dir = "tips";            // practical tips, <language>/<barrier>.json

  const CohortConfig* find_cohort(std::string_view id) const;
  const ChannelConfig* find_channel(std::string_view id) const;
  // The database path made absolute against the config file's folder.
  std::filesystem::path database_path() const;
  // A content folder made absolute against the config file's folder.
  std::filesystem::path content_path(const std::filesystem::path& dir) const;
  // server.public_base_url, or http://bind:port when it is not set. No trailing slash.
  std::string public_url() const;
};

// A configuration error; what() reads "config/relais.json: $.channels[0].type: unknown
// channel type \"sms\" (expected one of: console)".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, std::string path, std::string message);
  const std::string& file() const { return file_; }
  const std::string& json_path() const { return path_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_, path_, message_;
};

// Loads and validates. Throws ConfigError (bad content) or std::runtime_error (unreadable).
Config load_config(const std::filesystem::path& file);
// Same, from text (tests); `name` is used in error messages and as `file`.
Config parse_config(std::string_view json_text, const std::filesystem::path& name);

// Channel types this build knows (the types of channel_type_specs()).
std::vector<std::string> known_channel_types();

// For each enabled channel whose secret's environment variable is named but not set (or
// set but empty), a line "channels[0] (console): environment variable NAME is not set".
// Reads the environment; never includes a secret's value.
std::vector<std::string> missing_secrets(const Config&);

}  // namespace relais
