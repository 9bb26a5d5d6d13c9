// The shape of the file: unknown keys (with a suggestion), duplicate keys, required keys,
// syntax errors with their position.
#include <catch2/catch.hpp>

#include "bot/config/json_reader.hpp"
#include "bot/config/json_text.hpp"
#include "tests/config/config_test_support.hpp"

using nlohmann::json;
using relais::ConfigError;
using relais::testing::error_of;
using relais::testing::minimal_config;

TEST_CASE("an unknown key is an error naming its path, with the close known key", "[config][keys]") {
  auto [pointer, path, suggestion] = GENERATE(table<const char*, const char*, const char*>({
      {"/channels/0/typo", "$.channels[0].typo", "type"},
      {"/server/prot", "$.server.prot", "port"},
      {"/server/treads", "$.server.treads", "threads"},
      {"/server/publicBaseUrl", "$.server.publicBaseUrl", "public_base_url"},
      {"/timezone", "$.timezone", "time_zone"},
      {"/cohort", "$.cohort", "cohorts"},
      {"/cohorts/0/coaches/0/emial", "$.cohorts[0].coaches[0].emial", "email"},
      {"/log/levle", "$.log.levle", "level"},
      {"/Programme", "$.Programme", "programme"},
  }));
  json doc = minimal_config();
  if (std::string(pointer).rfind("/cohorts/0/coaches", 0) == 0)
    doc["cohorts"][0]["coaches"] = {{{"name", "Nadia"}}};
  doc[json::json_pointer(pointer)] = 1;
  CAPTURE(pointer);
  std::string error = error_of(doc);
  CHECK_THAT(error, Catch::StartsWith(std::string("test.json: ") + path + ": unknown key"));
  CHECK_THAT(error, Catch::Contains(std::string("did you mean \"") + suggestion + "\"?"));
}

TEST_CASE("a misspelt required key is reported as a typo, not as missing", "[config][keys]") {
  json doc = minimal_config();
  doc["channels"][0] = {{"id", "console"}, {"typo", "console"}};
  CHECK(error_of(doc) ==
        "test.json: $.channels[0].typo: unknown key \"typo\" (did you mean \"type\"?)");
}

TEST_CASE("an unknown key with no close match lists the known keys", "[config][keys]") {
  json doc = minimal_config();
  doc["cohorts"][0]["coaches"] = {{{"name", "Nadia"}, {"telephone", "03 53 01 00 11"}}};
  CHECK(error_of(doc) ==
        "test.json: $.cohorts[0].coaches[0].telephone: unknown key \"telephone\" "
        "(known keys: name, phone, email, pin_env)");
}

TEST_CASE("a key that is not an identifier is quoted in the path", "[config][keys]") {
  json doc = minimal_config();
  doc["server"]["bind address"] = "127.0.0.1";
  CHECK_THAT(error_of(doc), Catch::StartsWith("test.json: $.server[\"bind address\"]: unknown key"));
}

TEST_CASE("the file path of the configuration itself is not a key", "[config][keys]") {
  json doc = minimal_config();
  doc["file"] = "relais.json";
  CHECK_THAT(error_of(doc), Catch::StartsWith("test.json: $.file: unknown key"));
}

TEST_CASE("a required key that is missing is named", "[config][keys]") {
  auto [text, path] = GENERATE(table<std::string, const char*>({
      {R"({"cohorts": [{"name": "G"}], "channels": [{"id": "c", "type": "console"}]})", "$.cohorts[0].id"},
      {R"({"cohorts": [{"id": "g"}], "channels": [{"id": "c", "type": "console"}]})", "$.cohorts[0].name"},
      {R"({"cohorts": [{"id": "g", "name": "G"}], "channels": [{"id": "c"}]})", "$.channels[0].type"},
      {R"({"cohorts": [{"id": "g", "name": "G"}], "channels": [{"type": "console"}]})", "$.channels[0].id"},
      {R"({"channels": [{"id": "c", "type": "console"}]})", "$.cohorts"},
      {R"({"cohorts": [{"id": "g", "name": "G"}]})", "$.channels"},
  }));
  CAPTURE(text);
  CHECK_THAT(error_of(text), Catch::StartsWith(std::string("test.json: ") + path + ": "));
}

TEST_CASE("a duplicate key is an error naming its path", "[config][keys]") {
  auto [text, path] = GENERATE(table<std::string, const char*>({
      {R"({"log": {"level": "info", "level": "debug"}})", "$.log.level"},
      {R"({"channels": [{"id": "a", "type": "console", "id": "b"}]})", "$.channels[0].id"},
      {R"({"cohorts": [{"id": "g1"}, {"id": "g2", /* again */ "id": "g3"}]})", "$.cohorts[1].id"},
      {R"({"cohorts": [[1, 2], {"name": "x", "name": "y"}]})", "$.cohorts[1].name"},
      {R"({"programme": "a", "programme": "b"})", "$.programme"},
  }));
  CAPTURE(text);
  CHECK(error_of(text) == std::string("test.json: ") + path + ": duplicate key");
}

TEST_CASE("a syntax error gives the file, line and column", "[config][syntax]") {
  auto [text, position] = GENERATE(table<std::string, const char*>({
      {"{\n  \"a\": 1,\n  \"b\": tru\n}", "3:10"},         // the bad literal
      {"{\n  \"a\": 1,\n}", "3:1"},                         // trailing comma: the '}'
      {"{\n  \"a\": 1\n  \"b\": 2\n}", "3:5"},              // missing comma: end of the next key
      {"{\n  \"é\": \"à\" x\n}", "2:12"},                   // columns count characters
      {"", "1:1"},                                            // empty file
      {"{\n  /* unterminated comment\n", "2:25"},          // the last character read
  }));
  CAPTURE(text);
  try {
    (void)relais::parse_config(text, "bad.json");
    FAIL("no error");
  } catch (const ConfigError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith(std::string("bad.json:") + position + ": syntax error"));
    CHECK(e.json_path().empty());
    CHECK(e.file() == "bad.json");
  }
}

TEST_CASE("a syntax error does not quote the text around it", "[config][syntax][secrets]") {
  // Someone pasted a token without quotes: the message must not repeat it.
  std::string error = error_of(std::string(R"({"token_env": s3cr3t-T0KEN})"));
  CHECK_THAT(error, Catch::StartsWith("test.json:1:"));
  CHECK_THAT(error, !Catch::Contains("s3cr3t"));
  CHECK_THAT(error, !Catch::Contains("T0KEN"));
}

TEST_CASE("a number too large to hold is an error at its path", "[config][syntax]") {
  std::string error = error_of(std::string(R"({"messaging_budget_eur": 1e400})"));
  CHECK_THAT(error, Catch::StartsWith("test.json: $.messaging_budget_eur: "));
  CHECK_THAT(error, Catch::Contains("overflow"));
}

TEST_CASE("close keys are suggested, far ones are not", "[config][keys]") {
  using relais::config_detail::closest_key;
  const std::vector<std::string> known = {"bind", "port", "public_base_url", "threads"};
  CHECK(closest_key("prot", known) == "port");
  CHECK(closest_key("PORT", known) == "port");
  CHECK(closest_key("public-base-url", known) == "public_base_url");
  CHECK(closest_key("thread", known) == "threads");
  CHECK(closest_key("url", known) == std::nullopt);
  CHECK(closest_key("host", known) == std::nullopt);
  CHECK(closest_key("", known) == std::nullopt);
}

TEST_CASE("positions count lines and characters from 1", "[config][syntax]") {
  using relais::config_detail::position_of;
  std::string text = "ab\ncé\nx";
  CHECK(position_of(text, 0).line == 1);
  CHECK(position_of(text, 0).column == 1);
  CHECK(position_of(text, 3).line == 2);
  CHECK(position_of(text, 3).column == 1);
  // 'x' is at byte 7 (é takes two bytes) but is the first character of line 3.
  CHECK(position_of(text, 7).line == 3);
  CHECK(position_of(text, 7).column == 1);
  CHECK(position_of(text, 6).column == 3);  // the newline after "cé"
}
