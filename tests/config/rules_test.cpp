// One row per validation rule: a change to a valid configuration, and the JSON path and
// words the error must contain.
#include <catch2/catch.hpp>

#include "tests/config/config_test_support.hpp"

using nlohmann::json;
using relais::testing::error_of;
using relais::testing::minimal_config;

namespace {

struct Rule {
  const char* pointer;  // where the value goes (RFC 6901)
  json value;
  const char* path;     // the JSON path the error must name
  const char* words;    // and some of its words
};

const std::vector<Rule>& rules() {
  static const std::vector<Rule> table = {
      {"/programme", 3, "$.programme", "expected a string, got an integer"},
      {"/server", json::array(), "$.server", "expected an object, got an array"},
      {"/server/port", 0, "$.server.port", "between 1 and 65535"},
      {"/server/port", 65536, "$.server.port", "between 1 and 65535"},
      {"/server/port", "8080", "$.server.port", "expected an integer, got a string"},
      {"/server/port", 8080.5, "$.server.port", "expected an integer, got a number"},
      {"/server/threads", 0, "$.server.threads", "between 1 and 64"},
      {"/server/threads", 65, "$.server.threads", "between 1 and 64"},
      {"/server/max_body_bytes", 16 * 1024 * 1024 + 1, "$.server.max_body_bytes", "between 1 and 16777216"},
      {"/server/max_body_bytes", 0, "$.server.max_body_bytes", "between 1 and"},
      {"/server/max_header_bytes", 64 * 1024 + 1, "$.server.max_header_bytes", "between 1 and 65536"},
      {"/server/read_timeout_ms", 0, "$.server.read_timeout_ms", "between 1 and"},
      {"/server/idle_timeout_ms", -5, "$.server.idle_timeout_ms", "between 1 and"},
      {"/server/shutdown_grace_ms", -1, "$.server.shutdown_grace_ms", "between 0 and"},
      {"/server/bind", "localhost", "$.server.bind", "not an IPv4 or IPv6 address"},
      {"/server/public_base_url", "relais.example.org", "$.server.public_base_url", "must start with http:// or https://"},
      {"/server/public_base_url", "ftp://relais.example.org", "$.server.public_base_url", "must start with http://"},
      {"/server/public_base_url", "https://", "$.server.public_base_url", "no host name"},
      {"/server/public_base_url", "https://relais.example.org//", "$.server.public_base_url", "must not end with a slash"},
      {"/server/public_base_url", "https://relais.example.org/?x=1", "$.server.public_base_url", "query"},
      {"/database/path", "", "$.database.path", "must not be empty"},
      {"/database/busy_timeout_ms", 0, "$.database.busy_timeout_ms", "between 1 and"},
      {"/time_zone", "Europe/Dijon", "$.time_zone", "unknown time zone \"Europe/Dijon\""},
      {"/time_zone", "CEST+2", "$.time_zone", "unknown time zone"},
      {"/default_region", "fr", "$.default_region", "two upper-case letters"},
      {"/default_region", "FRA", "$.default_region", "two upper-case letters"},
      {"/cohorts", json::array(), "$.cohorts", "at least one cohort is required"},
      {"/cohorts", json::object(), "$.cohorts", "expected an array, got an object"},
      {"/cohorts/0", "g1", "$.cohorts[0]", "expected an object, got a string"},
      {"/cohorts/0/id", "G1", "$.cohorts[0].id", "not a valid id"},
      {"/cohorts/0/id", "g 1", "$.cohorts[0].id", "not a valid id"},
      {"/cohorts/0/id", "", "$.cohorts[0].id", "not a valid id"},
      {"/cohorts/0/id", std::string(33, 'a'), "$.cohorts[0].id", "1 to 32 characters"},
      {"/cohorts/1", {{"id", "g1"}, {"name", "Autre"}}, "$.cohorts[1].id", "duplicate id \"g1\" (also $.cohorts[0])"},
      {"/cohorts/0/name", "   ", "$.cohorts[0].name", "must not be empty"},
      {"/cohorts/0/coaches", {{{"phone", "03 53 01 00 11"}}}, "$.cohorts[0].coaches[0].name", "required key is missing"},
      {"/cohorts/0/coaches", {{{"name", "Nadia"}, {"phone", "12"}}}, "$.cohorts[0].coaches[0].phone", "phone number"},
      {"/cohorts/0/coaches", {{{"name", "Nadia"}, {"phone", "appelle-moi"}}}, "$.cohorts[0].coaches[0].phone", "letters"},
      {"/cohorts/0/coaches", {{{"name", "Nadia"}, {"email", "nadia"}}}, "$.cohorts[0].coaches[0].email", "not an e-mail address"},
      {"/venues", {{{"id", "v1"}, {"name", "Salle"}}, {{"id", "v1"}, {"name", "Autre"}}}, "$.venues[1].id", "duplicate id"},
      {"/venues", {{{"id", "Salle 1"}, {"name", "Salle"}}}, "$.venues[0].id", "not a valid id"},
      {"/venues", {{{"name", "Salle"}}}, "$.venues[0].id", "required key is missing"},
      {"/venues", {{{"id", "v1"}, {"name", ""}}}, "$.venues[0].name", "must not be empty"},
      {"/channels", json::array(), "$.channels", "at least one channel is required"},
      {"/channels/0/type", "sms", "$.channels[0].type", "unknown channel type \"sms\" (expected one of: console, twilio, vonage, brevo, whatsapp, telegram, android)"},
      {"/channels/0/rate_per_second", 0, "$.channels[0].rate_per_second", "must be more than 0"},
      {"/channels/0/burst", 0, "$.channels[0].burst", "between 1 and"},
      {"/channels/0/fallback", "console", "$.channels[0].fallback", "cannot fall back on itself"},
      {"/channels/0/fallback", "sms", "$.channels[0].fallback", "no channel has the id \"sms\""},
      {"/channels/0/account_sid", "AC123", "$.channels[0].account_sid", "unknown key"},
      {"/channels/0", {{"id", "tw"}, {"type", "twilio"}, {"auth_token_env", "TW"}, {"from", "+33612345678"}}, "$.channels[0].account_sid", "required key is missing"},
      {"/channels/0", {{"id", "tw"}, {"type", "twilio"}, {"account_sid", "AC1"}, {"auth_token_env", "TW"}}, "$.channels[0]", "needs \"from\" or \"messaging_service_sid\""},
      {"/channels/0", {{"id", "tw"}, {"type", "twilio"}, {"account_sid", "AC1"}, {"auth_token_env", "tw token"}, {"from", "+33612345678"}}, "$.channels[0].auth_token_env", "name of an environment variable"},
      {"/channels/0", {{"id", "tw"}, {"type", "twilio"}, {"account_sid", "AC1"}, {"auth_token_env", "TW"}, {"from", "+33612345678"}, {"api_base_url", "api.twilio.com"}}, "$.channels[0].api_base_url", "must start with http"},
      {"/channels/0", {{"id", "tg"}, {"type", "telegram"}, {"bot_token", "123:ABC"}, {"secret_token_env", "S"}}, "$.channels[0].bot_token", "secrets are read from the environment"},
      {"/channels/0", {{"id", "wa"}, {"type", "whatsapp"}, {"phone_number_id", "1"}, {"access_token_env", "A"}, {"app_secret_env", "B"}, {"verify_token_env", "C"}, {"templates", {{"reminder", {{"language", "fr"}}}}}}, "$.channels[0].templates.reminder.name", "required key is missing"},
      {"/channels/0", {{"id", "wa"}, {"type", "whatsapp"}, {"phone_number_id", "1"}, {"access_token_env", "A"}, {"app_secret_env", "B"}, {"verify_token_env", "C"}, {"templates", {{"reminder", {{"name", "rappel"}, {"parameters", {"first_name", 3}}}}}}}, "$.channels[0].templates.reminder.parameters[1]", "expected a string"},
      {"/channels/0/templates", json::object(), "$.channels[0].templates", "unknown key"},
      {"/channels/0/id", "Console", "$.channels[0].id", "not a valid id"},
      {"/channels/1", {{"id", "console"}, {"type", "console"}}, "$.channels[1].id", "duplicate id \"console\""},
      {"/channels/0/price_per_segment_eur", -0.01, "$.channels[0].price_per_segment_eur", "must be at least 0 (got -"},
      {"/channels/0/price_per_segment_eur", "0.05", "$.channels[0].price_per_segment_eur", "expected a number"},
      {"/channels/0/enabled", "yes", "$.channels[0].enabled", "expected true or false, got a string"},
      {"/channels/0/basic_auth_password_env", "relais_pw", "$.channels[0].basic_auth_password_env", "name of an environment variable"},
      {"/channels/0/basic_auth_password_env", "9PW", "$.channels[0].basic_auth_password_env", "name of an environment variable"},
      {"/channels/0/basic_auth_user", "", "$.channels[0].basic_auth_user", "must not be empty"},
      {"/channels", {{{"id", "a"}, {"type", "console"}}, {{"id", "b"}, {"type", "console"}}}, "$.default_channel", "required when there are several channels"},
      {"/default_channel", "sms", "$.default_channel", "no channel has the id \"sms\" (channels: console)"},
      {"/messaging_budget_eur", -1, "$.messaging_budget_eur", "must be at least 0 (got -"},
      {"/dispatcher/poll_interval_ms", 0, "$.dispatcher.poll_interval_ms", "between 1 and"},
      {"/dispatcher/batch_size", 0, "$.dispatcher.batch_size", "between 1 and"},
      {"/dispatcher/concurrency", 0, "$.dispatcher.concurrency", "between 1 and 64"},
      {"/dispatcher/max_attempts", 0, "$.dispatcher.max_attempts", "between 1 and"},
      {"/dispatcher/max_retry_hours", 0, "$.dispatcher.max_retry_hours", "between 1 and"},
      {"/dispatcher/daily_cap", 0, "$.dispatcher.daily_cap", "between 1 and"},
      {"/sending_window", {{"start", "9h"}}, "$.sending_window.start", "\"9h\" is not a time of day written HH:MM"},
      {"/sending_window", {{"end", "25:00"}}, "$.sending_window.end", "is not a time of day"},
      {"/sending_window", {{"start", "20:00"}, {"end", "19:30"}}, "$.sending_window.end", "the window must end after it starts"},
      {"/sending_window", {{"days", {"lundi"}}}, "$.sending_window.days", "\"lundi\" is not a day (monday … sunday, in English)"},
      {"/sending_window", {{"days", json::array()}}, "$.sending_window.days", "at least one day is needed"},
      {"/sending_window", {{"hours", "9-19"}}, "$.sending_window.hours", "unknown key"},
      {"/calendars", {{"sources", {{{"id", "a"}}}}}, "$.calendars.sources[0]", "one of \"file\", \"url\" or \"url_env\""},
      {"/calendars", {{"sources", {{{"id", "a"}, {"file", "a.ics"}, {"url", "https://x/a.ics"}}}}}, "$.calendars.sources[0]", "one of \"file\""},
      {"/calendars", {{"sources", {{{"id", "a"}, {"url", "http://calendar.example/a.ics"}}}}}, "$.calendars.sources[0].url", "must start with https://"},
      {"/calendars", {{"sources", {{{"id", "a"}, {"url_env", "secret url"}}}}}, "$.calendars.sources[0].url_env", "name of an environment variable"},
      {"/calendars", {{"sources", {{{"id", "a"}, {"file", "a.ics"}}, {{"id", "a"}, {"file", "b.ics"}}}}}, "$.calendars.sources[1].id", "duplicate id"},
      {"/rules", {{{"id", "r"}, {"kind", "sms"}, {"dialog", "d"}, {"anchor", "enrolment"}}}, "$.rules[0].kind", "\"sms\" is not one of: welcome, reminder"},
      {"/rules", {{{"id", "r"}, {"kind", "tip"}, {"dialog", "d"}, {"anchor", "weekday"}}}, "$.rules[0].anchor", "\"weekday\" goes with"},
      {"/rules", {{{"id", "r"}, {"kind", "reminder"}, {"dialog", "d"}, {"anchor", "session_start"}, {"offset", "1 day"}}}, "$.rules[0].offset", "is not an offset"},
      {"/rules", {{{"id", "r"}, {"kind", "reminder"}, {"dialog", "d"}, {"anchor", "session_start"}, {"at", "5pm"}}}, "$.rules[0].at", "is not a time of day"},
      {"/rules", {{{"id", "r"}, {"kind", "missed"}, {"dialog", "d"}, {"anchor", "session_start"}, {"attendance", "absent"}}}, "$.rules[0].attendance", "needs \"anchor\": \"session_end\""},
      {"/rules", {{{"id", "r"}, {"kind", "tip"}, {"dialog", "d"}, {"anchor", "enrolment"}, {"barriers", {"garde"}}}}, "$.rules[0].barriers", "\"garde\" is not one of"},
      {"/rules", {{{"id", "r"}, {"kind", "reminder"}, {"dialog", "d"}, {"anchor", "session_start"}, {"session_kinds", {"yoga"}}}}, "$.rules[0].session_kinds", "\"yoga\" is not one of"},
      {"/log/level", "verbose", "$.log.level", "unknown level \"verbose\" (expected one of: trace, debug, info, warn, error)"},
      {"/log/level", nullptr, "$.log.level", "expected a string, got null"},
  };
  return table;
}

}  // namespace

TEST_CASE("each validation rule rejects a bad value and names its JSON path", "[config][rules]") {
  const Rule& rule = GENERATE(from_range(rules()));
  json doc = minimal_config();
  // basic_auth_user only matters with a password to check against.
  if (std::string(rule.pointer) == "/channels/0/basic_auth_user")
    doc["channels"][0]["basic_auth_password_env"] = "RELAIS_CONSOLE_PASSWORD";
  doc[json::json_pointer(rule.pointer)] = rule.value;
  CAPTURE(rule.pointer, rule.value.dump());
  std::string error = error_of(doc);
  CHECK_THAT(error, Catch::StartsWith(std::string("test.json: ") + rule.path + ": "));
  CHECK_THAT(error, Catch::Contains(rule.words));
}

TEST_CASE("the minimal configuration the rules start from is valid", "[config][rules]") {
  CHECK(error_of(minimal_config()) == "(loaded)");
}

TEST_CASE("a document that is not an object is rejected at $", "[config][rules]") {
  CHECK(error_of(std::string("[]")) == "test.json: $: expected an object, got an array");
}

TEST_CASE("values at the edge of their range are accepted", "[config][rules]") {
  auto [pointer, value] = GENERATE(table<const char*, json>({
      {"/server/port", 1},
      {"/server/port", 65535},
      {"/server/threads", 64},
      {"/server/max_body_bytes", 16 * 1024 * 1024},
      {"/server/max_header_bytes", 64 * 1024},
      {"/server/shutdown_grace_ms", 0},
      {"/server/bind", "::1"},
      {"/server/bind", "0.0.0.0"},
      {"/cohorts/0/id", std::string(32, 'a')},
      {"/cohorts/0/id", "groupe_1-b"},
      {"/channels/0/price_per_segment_eur", 0},
      {"/messaging_budget_eur", 0},
      {"/log/level", "trace"},
      {"/default_region", "BE"},
  }));
  json doc = minimal_config();
  doc[json::json_pointer(pointer)] = value;
  CAPTURE(pointer, value.dump());
  CHECK(error_of(doc) == "(loaded)");
}
