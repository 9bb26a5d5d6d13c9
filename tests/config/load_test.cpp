// Loading: the example file, comments, defaults, normalisation, paths and files.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "tests/config/config_test_support.hpp"

using nlohmann::json;
using relais::Config;
using relais::ConfigError;
using relais::testing::minimal_config;
namespace fs = std::filesystem;

namespace {

// A file in a fresh temporary folder, removed with the object.
struct TempFile {
  fs::path dir, path;
  TempFile(const std::string& name, const std::string& text) {
    dir = fs::temp_directory_path() / ("relais-config-test-" + std::to_string(getpid()) + "-" + name);
    fs::create_directories(dir);
    path = dir / "relais.json";
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("the example configuration loads and describes the Dijon programme", "[config][example]") {
  Config c = relais::load_config(RELAIS_SOURCE_DIR "/config/relais.json");
  CHECK(c.file.is_absolute());
  CHECK(c.file == fs::path(RELAIS_SOURCE_DIR "/config/relais.json").lexically_normal());
  REQUIRE(c.cohorts.size() == 2);
  CHECK(c.find_cohort("g1") != nullptr);
  CHECK(c.find_cohort("g2") != nullptr);
  for (const auto& cohort : c.cohorts) {
    CAPTURE(cohort.id);
    CHECK_FALSE(cohort.coaches.empty());
    // Only numbers from a block ARCEP reserves for fiction: 03 53 01 xx xx.
    for (const auto& coach : cohort.coaches) CHECK_THAT(coach.phone, Catch::StartsWith("+3335301"));
  }
  CHECK(c.server.bind == "127.0.0.1");
  CHECK(c.server.port == 8080);
  CHECK(c.time_zone == "Europe/Paris");
  CHECK(c.default_channel == "console");
  REQUIRE(c.find_channel("console") != nullptr);
  CHECK(c.find_channel("console")->price_per_segment_eur > 0);
  CHECK(c.messaging_budget_eur > 0);
  CHECK(c.database_path() == fs::path(RELAIS_SOURCE_DIR "/var/relais.db").lexically_normal());
  CHECK(relais::missing_secrets(c).empty());
}

TEST_CASE("line and block comments are accepted", "[config][comments]") {
  Config c = relais::parse_config(R"(// header comment
    {
      /* a block
         comment */
      "cohorts": [{"id": "g1", "name": "Groupe 1"}], // after a value
      "channels": [{"id": "console", /* inline */ "type": "console"}]
    })",
                                  "test.json");
  CHECK(c.cohorts.size() == 1);
  CHECK(c.channels.size() == 1);
}

TEST_CASE("keys left out keep the defaults of the struct", "[config][defaults]") {
  Config c = relais::parse_config(minimal_config().dump(), "test.json");
  const Config defaults;
  CHECK(c.programme.empty());
  CHECK(c.server.bind == defaults.server.bind);
  CHECK(c.server.port == 8080);
  CHECK(c.server.public_base_url.empty());
  CHECK(c.server.threads == 1);
  CHECK(c.server.max_header_bytes == 8 * 1024);
  CHECK(c.server.max_body_bytes == 64 * 1024);
  CHECK(c.server.read_timeout_ms == 10'000);
  CHECK(c.server.idle_timeout_ms == 60'000);
  CHECK(c.server.shutdown_grace_ms == 10'000);
  CHECK(c.database.path == "relais.db");
  CHECK(c.database.busy_timeout_ms == 5'000);
  CHECK(c.time_zone == "Europe/Paris");
  CHECK(c.default_region == "FR");
  CHECK(c.venues.empty());
  CHECK(c.channels[0].enabled);
  CHECK(c.channels[0].normalise);
  CHECK(c.channels[0].price_per_segment_eur == 0);
  CHECK(c.channels[0].basic_auth_user == "relais");
  CHECK(c.channels[0].basic_auth_password_env.empty());
  CHECK(c.messaging_budget_eur == 0);
  CHECK(c.dispatcher.poll_interval_ms == 500);
  CHECK(c.dispatcher.batch_size == 50);
  CHECK(c.dispatcher.concurrency == 32);
  CHECK(c.dispatcher.daily_cap == 4);
  CHECK(c.sending_window.start_minute == 9 * 60);
  CHECK(c.sending_window.end_minute == 19 * 60 + 30);
  CHECK(c.sending_window.days == std::array<bool, 7>{false, true, true, true, true, true, true});
  CHECK(c.log.level == "info");
}

TEST_CASE("every key given replaces its default", "[config][defaults]") {
  json doc = minimal_config();
  doc["programme"] = "Parcours";
  doc["server"] = {{"bind", "0.0.0.0"}, {"port", 9000}, {"public_base_url", "https://relais.example.org"},
                   {"threads", 2}, {"max_header_bytes", 4096}, {"max_body_bytes", 1024},
                   {"read_timeout_ms", 1}, {"idle_timeout_ms", 2}, {"shutdown_grace_ms", 3}};
  doc["database"] = {{"path", "/srv/relais/relais.db"}, {"busy_timeout_ms", 7}};
  doc["time_zone"] = "America/Montreal";
  doc["default_region"] = "CA";
  doc["venues"] = {{{"id", "v1"}, {"name", "Salle"}, {"address", "1 rue X"}}};
  doc["channels"][0].update({{"enabled", false}, {"normalise", false}, {"price_per_segment_eur", 0.04},
                             {"basic_auth_user", "coach"}, {"basic_auth_password_env", "PW"}});
  doc["default_channel"] = "console";
  doc["messaging_budget_eur"] = 1500;
  doc["dispatcher"] = {{"poll_interval_ms", 100}, {"batch_size", 10}, {"concurrency", 8},
                       {"max_attempts", 3}, {"max_retry_hours", 6}, {"daily_cap", 2}};
  doc["sending_window"] = {{"start", "08:30"}, {"end", "24:00"}, {"days", {"sunday", "wednesday"}},
                           {"french_public_holidays", false}};
  doc["log"] = {{"level", "debug"}};
  Config c = relais::parse_config(doc.dump(), "test.json");
  CHECK(c.programme == "Parcours");
  CHECK(c.server.bind == "0.0.0.0");
  CHECK(c.server.port == 9000);
  CHECK(c.server.public_base_url == "https://relais.example.org");
  CHECK(c.server.threads == 2);
  CHECK(c.server.max_header_bytes == 4096);
  CHECK(c.server.max_body_bytes == 1024);
  CHECK(c.server.read_timeout_ms == 1);
  CHECK(c.server.idle_timeout_ms == 2);
  CHECK(c.server.shutdown_grace_ms == 3);
  CHECK(c.database.path == "/srv/relais/relais.db");
  CHECK(c.database.busy_timeout_ms == 7);
  CHECK(c.time_zone == "America/Montreal");
  CHECK(c.default_region == "CA");
  REQUIRE(c.venues.size() == 1);
  CHECK(c.venues[0].address == "1 rue X");
  CHECK_FALSE(c.channels[0].enabled);
  CHECK_FALSE(c.channels[0].normalise);
  CHECK(c.channels[0].price_per_segment_eur == Approx(0.04));
  CHECK(c.channels[0].basic_auth_user == "coach");
  CHECK(c.channels[0].basic_auth_password_env == "PW");
  CHECK(c.messaging_budget_eur == 1500);
  CHECK(c.dispatcher.poll_interval_ms == 100);
  CHECK(c.dispatcher.batch_size == 10);
  CHECK(c.dispatcher.concurrency == 8);
  CHECK(c.dispatcher.max_attempts == 3);
  CHECK(c.dispatcher.max_retry_hours == 6);
  CHECK(c.dispatcher.daily_cap == 2);
  CHECK(c.sending_window.start_minute == 8 * 60 + 30);
  CHECK(c.sending_window.end_minute == 24 * 60);
  CHECK(c.sending_window.days == std::array<bool, 7>{true, false, false, true, false, false, false});
  CHECK_FALSE(c.sending_window.french_public_holidays);
  CHECK(c.log.level == "debug");
}

TEST_CASE("values are normalised once checked", "[config][normalise]") {
  json doc = minimal_config();
  doc["cohorts"][0]["name"] = "  Groupe 1 ";
  doc["cohorts"][0]["coaches"] = {{{"name", " Nadia "}, {"phone", "03 53 01 00 11"}},
                                  {{"name", "Claire"}, {"phone", "+33 3 53 01 00 12"}},
                                  {{"name", "Sophie"}}};
  doc["server"]["public_base_url"] = "https://relais.example.org/";
  Config c = relais::parse_config(doc.dump(), "test.json");

  SECTION("names are trimmed") {
    CHECK(c.cohorts[0].name == "Groupe 1");
    CHECK(c.cohorts[0].coaches[0].name == "Nadia");
  }
  SECTION("coaches' phones are stored E.164, and may be absent") {
    CHECK(c.cohorts[0].coaches[0].phone == "+33353010011");
    CHECK(c.cohorts[0].coaches[1].phone == "+33353010012");
    CHECK(c.cohorts[0].coaches[2].phone.empty());
  }
  SECTION("one trailing slash of public_base_url is dropped") {
    CHECK(c.server.public_base_url == "https://relais.example.org");
  }
  SECTION("the only channel is the default one when none is named") {
    CHECK(c.default_channel == "console");
  }
}

TEST_CASE("a coach's national number is read with default_region", "[config][normalise]") {
  json doc = minimal_config();
  doc["default_region"] = "US";
  doc["cohorts"][0]["coaches"] = {{{"name", "Ann"}, {"phone", "(202) 555-0123"}}};
  Config c = relais::parse_config(doc.dump(), "test.json");
  // 555-0100 to 555-0199 are kept for fiction in North America: nobody's number.
  CHECK(c.cohorts[0].coaches[0].phone == "+12025550123");
}

TEST_CASE("find_cohort and find_channel look ids up", "[config]") {
  json doc = minimal_config();
  doc["cohorts"].push_back({{"id", "g2"}, {"name", "Groupe 2"}});
  Config c = relais::parse_config(doc.dump(), "test.json");
  REQUIRE(c.find_cohort("g2") != nullptr);
  CHECK(c.find_cohort("g2")->name == "Groupe 2");
  CHECK(c.find_cohort("g3") == nullptr);
  CHECK(c.find_channel("console") == &c.channels[0]);
  CHECK(c.find_channel("sms") == nullptr);
}

TEST_CASE("the database path is resolved against the config file's folder", "[config][paths]") {
  Config c;
  c.file = "/etc/relais/relais.json";
  c.database.path = "../var/relais.db";
  CHECK(c.database_path() == "/etc/var/relais.db");
  c.database.path = "relais.db";
  CHECK(c.database_path() == "/etc/relais/relais.db");
  c.database.path = "/srv/relais.db";
  CHECK(c.database_path() == "/srv/relais.db");
  c.database.path = ":memory:";
  CHECK(c.database_path() == ":memory:");
}

TEST_CASE("load_config names the file in its errors and makes `file` absolute", "[config][files]") {
  SECTION("a valid file") {
    TempFile f("valid", minimal_config().dump());
    Config c = relais::load_config(f.path);
    CHECK(c.file == fs::absolute(f.path).lexically_normal());
    CHECK(c.database_path() == f.dir / "relais.db");
  }
  SECTION("a file with a bad value") {
    json doc = minimal_config();
    doc["server"]["port"] = 0;
    TempFile f("bad-value", doc.dump());
    try {
      (void)relais::load_config(f.path);
      FAIL("no error");
    } catch (const ConfigError& e) {
      CHECK(e.file() == f.path.string());
      CHECK(e.json_path() == "$.server.port");
      CHECK_THAT(e.message(), Catch::Contains("between 1 and 65535"));
      CHECK(std::string(e.what()) == f.path.string() + ": $.server.port: " + e.message());
    }
  }
  SECTION("a missing file is a runtime_error, not a ConfigError") {
    fs::path missing = fs::temp_directory_path() / "relais-config-test-does-not-exist.json";
    try {
      (void)relais::load_config(missing);
      FAIL("no error");
    } catch (const ConfigError&) {
      FAIL("a missing file is not a content error");
    } catch (const std::runtime_error& e) {
      CHECK_THAT(e.what(), Catch::Contains(missing.string()));
    }
  }
  SECTION("a folder is not a file") {
    CHECK_THROWS_WITH(relais::load_config(fs::temp_directory_path()), Catch::Contains("is a directory"));
  }
}

TEST_CASE("the complete examples in docs/configuration.md load", "[config][example]") {
  std::ifstream in(RELAIS_SOURCE_DIR "/docs/configuration.md");
  REQUIRE(in);
  std::string line, block;
  bool inside = false;
  int checked = 0;
  while (std::getline(in, line)) {
    if (!inside && (line == "```json" || line == "```jsonc")) {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      // Fragments (one channel, one key) are illustrations; whole files must load.
      if (block.find("\"cohorts\"") == std::string::npos) continue;
      CAPTURE(block);
      CHECK_NOTHROW(relais::parse_config(block, "docs/configuration.md"));
      ++checked;
    } else if (inside) {
      block += line + "\n";
    }
  }
  CHECK(checked >= 2);
}

TEST_CASE("the public URL defaults to the bind address and port", "[config]") {
  relais::Config c;
  c.server.bind = "127.0.0.1";
  c.server.port = 8080;
  CHECK(c.public_url() == "http://127.0.0.1:8080");
  c.server.bind = "::1";
  CHECK(c.public_url() == "http://[::1]:8080");
  c.server.public_base_url = "https://relais.example.org";
  CHECK(c.public_url() == "https://relais.example.org");
}

TEST_CASE("a gateway channel keeps its type's options and its WhatsApp templates", "[config]") {
  const auto c = relais::parse_config(R"({
    "cohorts": [{"id": "g1", "name": "Groupe 1"}],
    "channels": [
      {"id": "sms", "type": "twilio", "account_sid": "AC0123", "auth_token_env": "TWILIO_TOKEN",
       "from": "+33612345678", "rate_per_second": 10, "burst": 5, "fallback": "wa"},
      {"id": "wa", "type": "whatsapp", "phone_number_id": "1099", "access_token_env": "WA_TOKEN",
       "app_secret_env": "WA_SECRET", "verify_token_env": "WA_VERIFY",
       "templates": {"reminder": {"name": "rappel_atelier", "parameters": ["first_name", "time"]}}}
    ],
    "default_channel": "sms"
  })", "t.json");
  const auto& sms = *c.find_channel("sms");
  CHECK(sms.option("account_sid") == "AC0123");
  CHECK(sms.option("auth_token_env") == "TWILIO_TOKEN");
  CHECK(sms.option("api_base_url").empty());
  CHECK(sms.rate_per_second == 10);
  CHECK(sms.burst == 5);
  CHECK(sms.fallback == "wa");
  const auto& wa = *c.find_channel("wa");
  REQUIRE(wa.templates.count("reminder") == 1);
  CHECK(wa.templates.at("reminder").name == "rappel_atelier");
  CHECK(wa.templates.at("reminder").language == "fr");
  CHECK(wa.templates.at("reminder").parameters == std::vector<std::string>{"first_name", "time"});
}
