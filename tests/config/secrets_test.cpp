// Secrets stay out of the file: keys that look like one are rejected wherever they are,
// their values never reach a message, and missing_secrets() reports unset variables.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "bot/config/secret_keys.hpp"
#include "tests/config/config_test_support.hpp"

using nlohmann::json;
using relais::testing::error_of;
using relais::testing::minimal_config;

namespace {
const char* const kSecretValue = "hunter2-Xq9-not-for-logs";
}

TEST_CASE("a key that looks like a secret is rejected wherever it is", "[config][secrets]") {
  auto [pointer, path, key] = GENERATE(table<const char*, const char*, const char*>({
      {"/channels/0/basic_auth_password", "$.channels[0].basic_auth_password", "basic_auth_password"},
      {"/channels/0/token", "$.channels[0].token", "token"},
      {"/channels/0/auth_token", "$.channels[0].auth_token", "auth_token"},
      {"/channels/0/authToken", "$.channels[0].authToken", "authToken"},
      {"/channels/0/api_key", "$.channels[0].api_key", "api_key"},
      {"/channels/0/apikey", "$.channels[0].apikey", "apikey"},
      {"/channels/0/secret", "$.channels[0].secret", "secret"},
      {"/server/PIN", "$.server.PIN", "PIN"},
      {"/password", "$.password", "password"},
      {"/key", "$.key", "key"},
      {"/extra/deep/0/Client_Secret", "$.extra.deep[0].Client_Secret", "Client_Secret"},
  }));
  json doc = minimal_config();
  doc[json::json_pointer(pointer)] = kSecretValue;
  CAPTURE(pointer);
  std::string error = error_of(doc);
  CHECK_THAT(error, Catch::StartsWith(std::string("test.json: ") + path + ": "));
  CHECK_THAT(error, Catch::Contains("secrets are read from the environment: put the variable's name in `" +
                                    std::string(key) + "_env`"));
  CHECK_THAT(error, !Catch::Contains(kSecretValue));
}

TEST_CASE("a secret is reported before any other error", "[config][secrets]") {
  // Unknown key, bad port and a secret: the secret is what the operator must fix first.
  json doc = minimal_config();
  doc["server"] = {{"port", 0}, {"typo", 1}};
  doc["channels"][0]["password"] = kSecretValue;
  CHECK_THAT(error_of(doc), Catch::StartsWith("test.json: $.channels[0].password: "));
}

TEST_CASE("secret-like names are told from ordinary ones", "[config][secrets]") {
  using relais::config_detail::looks_like_secret;
  auto [key, secret] = GENERATE(table<const char*, bool>({
      {"password", true},        {"PASSWORD", true},     {"smtpPassword", true},
      {"api_key", true},         {"apiKey", true},       {"APIKEY", true},
      {"auth_token", true},      {"access-token", true}, {"pin", true},
      {"sim_pin", true},         {"key", true},          {"private_key", true},
      {"client_secret", true},   {"credentials", true},
      {"password_env", false},   {"PASSWORD_ENV", false}, {"api_key_env", false},
      {"basic_auth_password_env", false},
      {"keyword", false},        {"monkey", false},      {"shipping", false},
      {"spinner", false},        {"basic_auth_user", false}, {"public_base_url", false},
      {"max_body_bytes", false}, {"time_zone", false},   {"normalise", false},
  }));
  CAPTURE(key);
  CHECK(looks_like_secret(key) == secret);
}

TEST_CASE("an _env key holds the variable's name, never echoed when it is wrong", "[config][secrets]") {
  json doc = minimal_config();
  SECTION("a valid name is accepted") {
    doc["channels"][0]["basic_auth_password_env"] = "RELAIS_CONSOLE_PASSWORD";
    CHECK(error_of(doc) == "(loaded)");
  }
  SECTION("the secret itself, pasted by mistake, is rejected and not repeated") {
    doc["channels"][0]["basic_auth_password_env"] = kSecretValue;
    std::string error = error_of(doc);
    CHECK_THAT(error, Catch::StartsWith("test.json: $.channels[0].basic_auth_password_env: "));
    CHECK_THAT(error, !Catch::Contains(kSecretValue));
  }
}

TEST_CASE("missing_secrets names each enabled channel's unset variable", "[config][secrets]") {
  const char* var = "RELAIS_CONFIG_TEST_CONSOLE_PASSWORD";
  json doc = minimal_config();
  doc["channels"] = {{{"id", "console"}, {"type", "console"}, {"basic_auth_password_env", var}},
                     {{"id", "spare"}, {"type", "console"}, {"basic_auth_password_env", "RELAIS_CONFIG_TEST_SPARE"},
                      {"enabled", false}},
                     {{"id", "open"}, {"type", "console"}}};
  doc["default_channel"] = "console";
  relais::Config c = relais::parse_config(doc.dump(), "test.json");
  unsetenv("RELAIS_CONFIG_TEST_SPARE");

  SECTION("unset: reported, disabled channels and channels without secrets are not") {
    unsetenv(var);
    CHECK(relais::missing_secrets(c) ==
          std::vector<std::string>{"channels[0] (console): environment variable "
                                   "RELAIS_CONFIG_TEST_CONSOLE_PASSWORD is not set"});
  }
  SECTION("set but empty: reported as empty") {
    setenv(var, "", 1);
    CHECK(relais::missing_secrets(c) ==
          std::vector<std::string>{"channels[0] (console): environment variable "
                                   "RELAIS_CONFIG_TEST_CONSOLE_PASSWORD is empty"});
  }
  SECTION("set: nothing is missing, and the value appears nowhere") {
    setenv(var, kSecretValue, 1);
    CHECK(relais::missing_secrets(c).empty());
  }
  unsetenv(var);
}
