#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "bot/core/sms.hpp"
#include "dialogs/datetime_fr.hpp"
#include "dialogs/templates.hpp"

using namespace relais;
using namespace relais::dialogs;

namespace {

const std::string kParis = "Europe/Paris";
const std::filesystem::path kShipped = std::filesystem::path(RELAIS_SOURCE_DIR) / "config/templates";

// UTC instant from "2026-10-25T23:30" (always UTC in these tests).
Utc utc(int y, unsigned mo, unsigned d, int h, int mi) {
  using namespace std::chrono;
  auto day = sys_days(year_month_day{year{y}, month{mo}, std::chrono::day{d}});
  return time_point_cast<Millis>(day + hours(h) + minutes(mi));
}

Templates two_languages() {
  return Templates::from_json({
      {"fr", R"({"_language": "fr", "greet": "Bonjour {first_name} !", "only_fr": "Texte {{entre accolades}}"})"},
      {"en", R"({"greet": "Hello {first_name}!"})"},
  });
}

// Long values, so that a text fitting with them fits with real ones.
std::map<std::string, std::string> long_values() {
  return {{"first_name", "Marie-Hélène"},            // 12 letters
          {"session_title", "Préparer son entretien (suite)"},  // 30 characters
          {"session_kind", "atelier collectif"},
          {"date", "mercredi 30 septembre"},  // the longest French date
          {"time", "10h30"},
          {"venue_name", "Bibliothèque Fontaine d'Ouche"},
          {"venue_address", "2 place de la Fontaine d'Ouche, Dijon"},
          {"coach_name", "Marie-Claire"},
          {"coach_phone", "+33 3 53 01 00 11"},
          {"buddy_first_name", "Anne-Sophie"},
          {"tip_text", "Pensez à prendre votre CV."},
          {"venue_way", "Tram T2, arrêt Fontaine d'Ouche."},
          // Her words for her binôme are cut after 120 characters (bot/conversations.cpp).
          {"answer_message", std::string(119, 'e') + "…"}};
}

std::string load_error(const std::map<std::string, std::string>& files) {
  try {
    Templates::from_json(files);
  } catch (const TemplateLoadError& e) {
    return e.what();
  }
  return "(loaded without error)";
}

}  // namespace

TEST_CASE("a template renders with its variables in the asked language", "[templates]") {
  auto t = two_languages();
  CHECK(t.render("greet", "fr", {{"first_name", "Awa"}}) == "Bonjour Awa !");
  CHECK(t.render("greet", "en", {{"first_name", "Awa"}, {"unused", "x"}}) == "Hello Awa!");
  CHECK(t.render("only_fr", "fr", {}) == "Texte {entre accolades}");
  // A value is inserted as it is, never read as a variable.
  CHECK(t.render("greet", "fr", {{"first_name", "{coach_name}"}}) == "Bonjour {coach_name} !");
}

TEST_CASE("a key missing in a language falls back to French", "[templates]") {
  auto t = two_languages();
  CHECK(t.render("only_fr", "en", {}) == "Texte {entre accolades}");
  CHECK(t.render("greet", "ar", {{"first_name", "Awa"}}) == "Bonjour Awa !");  // no ar at all
  CHECK(t.has("greet", "en"));
  CHECK_FALSE(t.has("only_fr", "en"));
  CHECK_FALSE(t.has("greet", "ar"));
  CHECK_THROWS_AS(t.render("nowhere", "fr", {}), std::invalid_argument);
}

TEST_CASE("a variable without a value stops the rendering and is named", "[templates]") {
  auto t = two_languages();
  auto value = GENERATE(as<std::optional<std::string>>{}, std::nullopt, "", "  ");
  CAPTURE(value.value_or("(absent)"));
  std::map<std::string, std::string> vars;
  if (value) vars["first_name"] = *value;
  CHECK_THROWS_WITH(t.render("greet", "fr", vars), Catch::Contains("{first_name}"));
}

TEST_CASE("a load error names the file, the key and the fault", "[templates]") {
  struct Case { const char* fr; const char* expected; };
  auto c = GENERATE(values<Case>({
      {R"({"a": "Bonjour {prenom}"})", "fr.json: a: unknown variable {prenom}"},
      {R"({"a": "Bonjour {first_name"})", "fr.json: a: unclosed '{' at byte 8"},
      {R"({"a": "Bonjour {first_name {time}"})", "fr.json: a: unclosed '{'"},
      {R"({"a": "Bonjour {}"})", "fr.json: a: unknown variable {}"},
      {R"({"a": "Bonjour }"})", "fr.json: a: stray '}'"},
      {R"({"a": 3})", "fr.json: a: expected a text"},
      {R"({"a": "x", "a": "y"})", "fr.json: a: the key appears twice"},
      {R"({"_language": "en"})", "fr.json: _language: says \"en\""},
      {R"(["a"])", "fr.json: expected a JSON object"},
      {"{\n  \"a\": \"x\"\n  \"b\": \"y\"\n}", "fr.json: invalid JSON at line 3, column"},
  }));
  CAPTURE(c.fr);
  CHECK_THAT(load_error({{"fr", c.fr}}), Catch::StartsWith(c.expected));
}

TEST_CASE("comments are allowed and keys starting with _ are notes, not texts", "[templates]") {
  auto t = Templates::from_json({{"fr", "// header\n{ /* note */ \"_review\": \"ok\", \"a\": \"x\" }"}});
  CHECK(t.render("a", "fr", {}) == "x");
  CHECK_FALSE(t.has("_review", "fr"));
}

TEST_CASE("French templates are required", "[templates]") {
  CHECK_THAT(load_error({{"en", R"({"a": "x"})"}}), Catch::Contains("French"));
  auto folder = std::filesystem::temp_directory_path() / "relais_templates_test_no_fr";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "en.json") << R"({"a": "x"})";
  CHECK_THROWS_AS(Templates::load(folder), TemplateLoadError);
  // A syntax error in a file read from disk names that file.
  std::ofstream(folder / "fr.json") << "{\n\"a\": \"x\",\n}";
  try {
    Templates::load(folder);
    FAIL("loaded a broken fr.json");
  } catch (const TemplateLoadError& e) {
    CHECK(e.error().file == (folder / "fr.json").string());
    CHECK_THAT(e.error().message, Catch::Contains("line 3"));
  }
  std::filesystem::remove_all(folder);
}

TEST_CASE("missing translations list the French keys a language lacks", "[templates]") {
  auto t = two_languages();
  CHECK(t.languages() == std::vector<std::string>{"en", "fr"});
  CHECK(t.missing_translations("en") == std::vector<std::string>{"only_fr"});
  CHECK(t.missing_translations("fr").empty());
  CHECK(t.missing_translations("ar") == std::vector<std::string>{"greet", "only_fr"});
}

TEST_CASE("the variables of a template are listed once, in order of use", "[templates]") {
  auto t = Templates::from_json({{"fr", R"({"a": "{time} {date} {time}, {{first_name}}", "b": "rien"})"}});
  CHECK(t.variables_of("a") == std::vector<std::string>{"time", "date"});
  CHECK(t.variables_of("b").empty());
}

TEST_CASE("French dates and times follow the Paris clock across the autumn change", "[templates]") {
  struct Case { Utc t; const char* date; const char* time; };
  auto c = GENERATE(values<Case>({
      {utc(2026, 10, 24, 12, 0), "samedi 24 octobre", "14h"},    // summer time, UTC+2
      {utc(2026, 10, 24, 22, 30), "dimanche 25 octobre", "0h30"},
      {utc(2026, 10, 25, 0, 30), "dimanche 25 octobre", "2h30"},  // 02:30 before the change
      {utc(2026, 10, 25, 1, 30), "dimanche 25 octobre", "2h30"},  // and after it
      {utc(2026, 10, 25, 22, 30), "dimanche 25 octobre", "23h30"},  // winter time, UTC+1
      {utc(2026, 10, 25, 23, 0), "lundi 26 octobre", "minuit"},
      {utc(2026, 10, 26, 13, 0), "lundi 26 octobre", "14h"},
      {utc(2026, 11, 1, 8, 30), "dimanche 1er novembre", "9h30"},
      {utc(2026, 10, 31, 23, 0), "dimanche 1er novembre", "minuit"},
      {utc(2026, 11, 8, 11, 0), "dimanche 8 novembre", "midi"},
      {utc(2026, 11, 8, 11, 5), "dimanche 8 novembre", "12h05"},
      {utc(2026, 12, 31, 23, 15), "vendredi 1er janvier", "0h15"},
      {utc(2026, 8, 14, 22, 0), "samedi 15 août", "minuit"},
  }));
  CAPTURE(format_utc(c.t));
  CHECK(french_date(c.t, kParis) == c.date);
  CHECK(french_time(c.t, kParis) == c.time);
  CHECK(format_date(c.t, kParis, "fr") == c.date);
  CHECK(format_time(c.t, kParis, "fr") == c.time);
}

TEST_CASE("seconds are dropped from a time, never rounded up", "[templates]") {
  auto t = utc(2026, 11, 8, 12, 59) + std::chrono::seconds(59);
  CHECK(french_time(t, kParis) == "13h59");
}

TEST_CASE("English and Arabic dates and times have their own forms", "[templates]") {
  struct Case { Utc t; const char* language; const char* date; const char* time; };
  auto c = GENERATE(values<Case>({
      {utc(2026, 11, 1, 13, 0), "en", "Sunday 1 November", "2 pm"},
      {utc(2026, 11, 3, 8, 30), "en", "Tuesday 3 November", "9:30 am"},
      {utc(2026, 11, 3, 11, 0), "en", "Tuesday 3 November", "noon"},
      {utc(2026, 11, 3, 11, 45), "en", "Tuesday 3 November", "12:45 pm"},
      {utc(2026, 11, 2, 23, 0), "en", "Tuesday 3 November", "midnight"},
      {utc(2026, 11, 2, 23, 5), "en", "Tuesday 3 November", "12:05 am"},
      {utc(2026, 10, 24, 12, 0), "en", "Saturday 24 October", "2 pm"},
      {utc(2026, 11, 1, 13, 0), "ar", "الأحد 1 نوفمبر", "14:00"},
      {utc(2026, 11, 3, 8, 30), "ar", "الثلاثاء 3 نوفمبر", "9:30"},
      {utc(2026, 10, 24, 12, 0), "ar", "السبت 24 أكتوبر", "14:00"},
      {utc(2026, 11, 1, 13, 0), "tr", "dimanche 1er novembre", "14h"},  // unknown: French
  }));
  CAPTURE(format_utc(c.t), c.language);
  CHECK(format_date(c.t, kParis, c.language) == c.date);
  CHECK(format_time(c.t, kParis, c.language) == c.time);
}

TEST_CASE("an unknown time zone is refused", "[templates]") {
  CHECK_THROWS_AS(french_date(utc(2026, 11, 1, 0, 0), "Europe/Dijon"), std::invalid_argument);
  CHECK_THROWS_AS(format_time(utc(2026, 11, 1, 0, 0), "Mars/Olympus", "en"), std::invalid_argument);
}

TEST_CASE("the shipped templates load, in French, English and Arabic", "[templates]") {
  auto t = Templates::load(kShipped);
  CHECK(t.languages() == std::vector<std::string>{"ar", "en", "fr"});
  for (const char* key : {"reminder.before", "notice.moved", "notice.cancelled", "checkin.ask_rating", "help",
                          "callback.ack"}) {
    CAPTURE(key);
    CHECK(t.has(key, "fr"));
  }
  CHECK(t.missing_translations("en").empty());
  CHECK(t.missing_translations("ar").empty());
  CHECK(t.variables_of("help") == std::vector<std::string>{"coach_name", "coach_phone"});
  CHECK(t.render("checkin.ask_rating", "fr", {{"session_title", "CV"}}) ==
        "Comment s'est passé l'atelier CV ? Répondez de 1 (pas bien) à 5 (très bien).");
}

TEST_CASE("each shipped French and English text fits one GSM-7 SMS with long values", "[templates][sms]") {
  auto t = Templates::load(kShipped);
  auto language = GENERATE(as<std::string>{}, "fr", "en");
  auto values = long_values();
  if (language == "en") {
    values["date"] = "Wednesday 30 September";
    values["time"] = "10:30 am";
  }
  for (const auto& key : t.missing_translations("none")) {  // every French key
    auto vars = t.variables_of(key, language);
    // Tips, directions and relayed words are content of their own: up to two SMS.
    bool carries_content = std::count(vars.begin(), vars.end(), "tip_text") ||
                           std::count(vars.begin(), vars.end(), "venue_way") ||
                           std::count(vars.begin(), vars.end(), "answer_message");
    auto info = analyse_sms(normalise_for_sms(t.render(key, language, values)));
    CAPTURE(language, key, t.render(key, language, values), info.units);
    CHECK(info.encoding == SmsEncoding::gsm7);
    CHECK(info.segments <= (carries_content ? 2 : 1));
  }
}

TEST_CASE("each shipped Arabic text fits three UCS-2 segments with long values", "[templates][sms]") {
  auto t = Templates::load(kShipped);
  auto values = long_values();
  for (const auto& key : t.missing_translations("none")) {
    auto info = analyse_sms(normalise_for_sms(t.render(key, "ar", values)));
    CAPTURE(key, info.units);
    CHECK(info.segments <= 3);
  }
}
