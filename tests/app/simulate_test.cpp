// `relais simulate` with the shipped configuration (rules, dialogs, texts, window, cap), a
// small participants file and a small calendar written here.
#include <catch2/catch.hpp>

#include <date/date.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "bot/commands.hpp"
#include "bot/log.hpp"
#include "bot/simulate.hpp"
#include "bot/simulate_parts.hpp"
#include "scheduler/holidays.hpp"
#include "support/temp_dir.hpp"

using namespace relais;
using Json = nlohmann::ordered_json;

namespace {

// Mondays 9 and 16 November (a day-before reminder on a Sunday), a 9:00 session on
// Tuesday 10 (its 2-hours-before reminder falls before the window), an evening session on
// Tuesday 10 before Armistice Day (a public holiday), and an individual session for Amina
// on Thursday 12.
constexpr const char* kCalendar = R"(BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Relais tests//simulate//FR
X-WR-CALNAME:Ateliers automne
BEGIN:VEVENT
UID:mobilite-g1@test
DTSTAMP:20261020T100000Z
DTSTART;TZID=Europe/Paris:20261109T140000
DTEND;TZID=Europe/Paris:20261109T160000
RRULE:FREQ=WEEKLY;COUNT=2
SUMMARY:[g1] [mobilité] Atelier mobilité
LOCATION:Bibliothèque Fontaine d'Ouche
END:VEVENT
BEGIN:VEVENT
UID:numerique-g1@test
DTSTAMP:20261020T100000Z
DTSTART;TZID=Europe/Paris:20261110T090000
DTEND;TZID=Europe/Paris:20261110T110000
SUMMARY:[g1] [numérique] Atelier numérique
LOCATION:Bibliothèque Fontaine d'Ouche
END:VEVENT
BEGIN:VEVENT
UID:confiance-g2@test
DTSTAMP:20261020T100000Z
DTSTART;TZID=Europe/Paris:20261110T173000
DTEND;TZID=Europe/Paris:20261110T190000
SUMMARY:[g2] [confiance] Atelier confiance en soi
LOCATION:Le Cèdre
END:VEVENT
BEGIN:VEVENT
UID:entretien-amina@test
DTSTAMP:20261020T100000Z
DTSTART;TZID=Europe/Paris:20261112T100000
DTEND;TZID=Europe/Paris:20261112T110000
SUMMARY:[g1] Entretien individuel
DESCRIPTION:Avec Amina au 06 12 34 56 01
LOCATION:Le Cèdre
END:VEVENT
END:VCALENDAR
)";

// Line 5 is a landline (no SMS): skipped with a warning. Marie-Claire did not consent.
constexpr const char* kParticipants =
    "Prénom;Téléphone;Groupe;Consentement;Freins;Binôme;Langue\n"
    "Amina;06 12 34 56 01;g1;oui;garde-enfants|mobilité;06 12 34 56 02;fr\n"
    "Sylvie;06 12 34 56 02;g1;oui;confiance;06 12 34 56 01;fr\n"
    "Fatima;06 12 34 56 04;g2;oui;mobilité;;fr\n"
    "Nora;03 80 12 34 56;g2;oui;;;fr\n"
    "Marie-Claire;06 12 34 56 06;g2;non;;;fr\n";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Routine log lines (plans, sends) stay out of the test output.
struct QuietLog {
  QuietLog() { log::init("error"); }
  ~QuietLog() { log::init("info"); }
};

struct Run {
  int code = -1;
  std::string out, err;
  std::vector<std::string> raw;  // stdout's lines, as printed
  std::vector<Json> lines;       // the same, parsed (JSON Lines output only)
};

// The shipped configuration, its database in `dir`.
Config shipped_config(const test::TempDir& dir) {
  Config config = load_config(RELAIS_SOURCE_DIR "/config/relais.json");
  config.database.path = dir / "relais.db";
  return config;
}

Run simulate_with(const Config& config, const SimulateOptions& options) {
  QuietLog quiet;
  Run run;
  std::ostringstream out, err;
  run.code = simulate(config, options, out, err);
  run.out = out.str();
  run.err = err.str();
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) {
    run.raw.push_back(line);
    if (!options.summary) run.lines.push_back(Json::parse(line));
  }
  return run;
}

// The files, and the options of the programme's first three weeks.
struct Programme {
  test::TempDir dir;
  std::filesystem::path calendar = dir / "automne.ics";
  std::filesystem::path participants = dir / "participants.csv";
  Config config = shipped_config(dir);
  Programme() {
    write_file(calendar, kCalendar);
    write_file(participants, kParticipants);
  }
  SimulateOptions options() const {
    SimulateOptions o;
    o.calendars = {calendar};
    o.participants = participants;
    o.from = "2026-11-02";
    o.to = "2026-11-22";
    return o;
  }
};

// The simulation most tests read: run once (it is deterministic, and reads no clock).
const Run& programme_run() {
  static const Programme programme;
  static const Run run = simulate_with(programme.config, programme.options());
  return run;
}

using Instant = date::sys_seconds;

Instant instant(const std::string& rfc3339) {
  std::istringstream in(rfc3339);
  Instant t;
  if (rfc3339.back() == 'Z')
    in >> date::parse("%FT%TZ", t);
  else
    in >> date::parse("%FT%T%Ez", t);
  if (in.fail()) FAIL("not RFC 3339: " << rfc3339);
  return t;
}

std::string text(const Json& j, const char* key) { return j.at(key).is_null() ? "" : j.at(key).get<std::string>(); }

// The lines of one participant.
std::vector<Json> of(const Run& run, const std::string& phone) {
  std::vector<Json> out;
  for (const auto& j : run.lines)
    if (j.at("participant") == phone) out.push_back(j);
  return out;
}

// Every service message beyond the cap-th of her local day must be one the cap never
// holds back (a reminder or a notice): each other kind left while she had room.
void check_daily_cap(const Run& run, int cap) {
  std::map<std::pair<std::string, std::string>, int> day_count;
  for (const auto& j : run.lines) {
    const std::string at = text(j, "at");
    const int before = day_count[{text(j, "participant"), at.substr(0, 10)}]++;
    if (before < cap) continue;
    CAPTURE(j.dump());
    CHECK((j.at("kind") == "reminder" || j.at("kind") == "notice"));
  }
}

void check_window(const Run& run) {
  for (const auto& j : run.lines) {
    const std::string at = text(j, "at");
    CAPTURE(at);
    // "at" and "utc" name the same instant.
    CHECK(instant(at) == instant(text(j, "utc")));
    const int minute = std::stoi(at.substr(11, 2)) * 60 + std::stoi(at.substr(14, 2));
    CHECK(minute >= 9 * 60);
    CHECK(minute <= 19 * 60 + 30);
    const date::year_month_day day{date::year{std::stoi(at.substr(0, 4))},
                                   date::month{static_cast<unsigned>(std::stoi(at.substr(5, 2)))},
                                   date::day{static_cast<unsigned>(std::stoi(at.substr(8, 2)))}};
    CHECK(date::weekday(date::sys_days(day)) != date::Sunday);
    CHECK_FALSE(is_french_public_holiday(
        relais::LocalDate{static_cast<int>(day.year()), static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day())}));
  }
}

void check_reminders_before_sessions(const Run& run) {
  for (const auto& j : run.lines) {
    if (j.at("kind") != "reminder") continue;
    CAPTURE(j.dump());
    REQUIRE(j.at("session_start").is_string());
    CHECK(instant(text(j, "utc")) <= instant(text(j, "session_start")));
  }
}

void check_order(const Run& run) {
  for (std::size_t i = 1; i < run.lines.size(); ++i) {
    const Json& a = run.lines[i - 1];
    const Json& b = run.lines[i];
    CAPTURE(a.dump(), b.dump());
    const auto key = [](const Json& j) {
      return std::make_tuple(instant(text(j, "utc")), text(j, "participant"), !j.at("rule").is_null(), text(j, "rule"));
    };
    CHECK(key(a) <= key(b));
  }
}

}  // namespace

TEST_CASE("simulate prints one JSON object per message with exactly the documented keys", "[simulate]") {
  const Run& run = programme_run();
  REQUIRE(run.code == 0);
  REQUIRE(run.lines.size() > 40);
  const std::vector<std::string> keys = {"at",      "utc",           "participant", "cohort", "kind",     "rule",
                                         "session", "session_start", "channel",     "text",   "encoding", "segments"};
  for (const auto& j : run.lines) {
    CAPTURE(j.dump());
    std::vector<std::string> got;
    for (const auto& item : j.items()) got.push_back(item.key());
    CHECK(got == keys);
    CHECK(j.at("channel") == "console");
    CHECK((j.at("encoding") == "GSM-7" || j.at("encoding") == "UCS-2"));
    CHECK(j.at("segments").get<int>() >= 1);
    CHECK(std::find(std::begin(simulation::kMessageKinds), std::end(simulation::kMessageKinds),
                    j.at("kind").get<std::string>()) != std::end(simulation::kMessageKinds));
  }
}

TEST_CASE("simulate plans each message at the exact local time the rules and the window give", "[simulate]") {
  const std::string line = GENERATE(
      // Enrolled on --from: the welcome at its first allowed minute (Monday 09:00).
      R"({"at":"2026-11-02T09:00:00+01:00","utc":"2026-11-02T08:00:00Z","participant":"+33612345601","cohort":"g1","kind":"welcome","rule":"welcome","session":null,"session_start":null,"channel":"console","text":"Bonjour Amina, ici Nadia, votre coach du parcours emploi. Vous recevrez ici rappels et conseils. D'accord ? Répondez OUI. Pour arreter : STOP.","encoding":"GSM-7","segments":1})",
      // Nobody replies: the welcome's nudge a day later, of the welcome's kind and rule.
      R"({"at":"2026-11-03T09:00:00+01:00","utc":"2026-11-03T08:00:00Z","participant":"+33612345604","cohort":"g2","kind":"welcome","rule":"welcome","session":null,"session_start":null,"channel":"console","text":"Bonjour Fatima, avez-vous recu notre message ? Répondez OUI pour recevoir les SMS du parcours. Pour arreter : STOP.","encoding":"GSM-7","segments":1})",
      // A Monday session: "the day before at 17:00" is a Sunday, so Saturday at 19:30.
      R"({"at":"2026-11-07T19:30:00+01:00","utc":"2026-11-07T18:30:00Z","participant":"+33612345601","cohort":"g1","kind":"reminder","rule":"attendance-day-before","session":"mobilite-g1@test","session_start":"2026-11-09T14:00:00+01:00","channel":"console","text":"Bonjour Amina, venez-vous à l'atelier Atelier mobilité le lundi 9 novembre à 14h ? Répondez OUI ou NON.","encoding":"GSM-7","segments":1})",
      // A 9:00 session: "2 hours before" is 7:00, before the window: the evening before.
      R"({"at":"2026-11-09T19:30:00+01:00","utc":"2026-11-09T18:30:00Z","participant":"+33612345602","cohort":"g1","kind":"reminder","rule":"reminder-2h-before","session":"numerique-g1@test","session_start":"2026-11-10T09:00:00+01:00","channel":"console","text":"Rappel : atelier Atelier numérique le mardi 10 novembre à 9h, Bibliothèque Fontaine d'Ouche. Nous vous attendons, Sylvie !","encoding":"GSM-7","segments":1})",
      // An evening session before Armistice Day: its check-in waits for Thursday 09:00.
      R"({"at":"2026-11-12T09:00:00+01:00","utc":"2026-11-12T08:00:00Z","participant":"+33612345604","cohort":"g2","kind":"checkin","rule":"checkin-after","session":"confiance-g2@test","session_start":"2026-11-10T17:30:00+01:00","channel":"console","text":"Comment s'est passé l'atelier Atelier confiance en soi ? Répondez de 1 (pas bien) à 5 (très bien).","encoding":"GSM-7","segments":1})",
      // A tip of two segments, from the barriers she named.
      R"({"at":"2026-11-03T10:00:00+01:00","utc":"2026-11-03T09:00:00Z","participant":"+33612345601","cohort":"g1","kind":"tip","rule":"tip-weekly","session":null,"session_start":null,"channel":"console","text":"Bus et tram à Dijon et autour : c'est le réseau Divia (tram T1 et T2, bus). Horaires et trajets sur divia.fr ou au 03 80 11 29 29. Conseil : faites le trajet une fois avant le jour de l'atelier, pour partir sereine.","encoding":"GSM-7","segments":2})");
  CAPTURE(line);
  const Run& run = programme_run();
  CHECK(std::count(run.raw.begin(), run.raw.end(), line) == 1);
}

TEST_CASE("simulate drops a nudge that would arrive after its question closed", "[simulate]") {
  // The Monday session's question went on Saturday 19:30 and closed a day later; its nudge
  // (6 hours later, a Sunday night) would only have left on Monday 09:00: it is not sent.
  const Run& run = programme_run();
  for (const auto& line : run.raw) {
    CAPTURE(line);
    CHECK(line.find("Amina, venez-vous à l'atelier Atelier mobilité le lundi 9 novembre ? Répondez OUI ou NON. Merci !") ==
          std::string::npos);
  }
}

TEST_CASE("simulate sends two reminders of one session that fall together once", "[simulate]") {
  // Amina's interview on Thursday 12 (Wednesday 11 is a holiday): the question the day
  // before and the reminder 2 hours before both move to Tuesday 19:30; one stays.
  std::vector<Json> tuesday_evening;
  for (const auto& j : of(programme_run(), "+33612345601"))
    if (j.at("session") == "entretien-amina@test" && j.at("at") == "2026-11-10T19:30:00+01:00") tuesday_evening.push_back(j);
  REQUIRE(tuesday_evening.size() == 1);
  CHECK(tuesday_evening[0].at("rule") == "attendance-day-before");
}

TEST_CASE("simulate sends nothing outside the sending window, on Sundays or on public holidays", "[simulate]") {
  check_window(programme_run());
}

TEST_CASE("simulate never lets a reminder leave after its session starts", "[simulate]") {
  check_reminders_before_sessions(programme_run());
}

TEST_CASE("simulate keeps each participant within the daily cap of service messages", "[simulate]") {
  const Run& run = programme_run();
  check_daily_cap(run, load_config(RELAIS_SOURCE_DIR "/config/relais.json").dispatcher.daily_cap);
}

TEST_CASE("simulate holds a message over the daily cap until the next day's opening", "[simulate]") {
  Programme programme;
  programme.config.dispatcher.daily_cap = 1;
  const Run run = simulate_with(programme.config, programme.options());
  REQUIRE(run.code == 0);
  check_daily_cap(run, 1);
  // Tuesday 3: the welcome's nudge took her one message; the tip waits for Wednesday 09:00.
  bool tip_on_wednesday = false;
  for (const auto& j : of(run, "+33612345601"))
    if (j.at("rule") == "tip-weekly" && j.at("at") == "2026-11-04T09:00:00+01:00") tip_on_wednesday = true;
  CHECK(tip_on_wednesday);
}

TEST_CASE("simulate orders the lines by UTC time, then participant, then rule", "[simulate]") {
  check_order(programme_run());
}

TEST_CASE("simulate skips bad participant lines with a warning and sends nothing without consent", "[simulate]") {
  const Run& run = programme_run();
  CHECK(run.err.find("participants.csv:5: column \"Téléphone\": landline 03 80 12 34 56 cannot receive SMS (line skipped)") !=
        std::string::npos);
  CHECK(run.out.find("+33380123456") == std::string::npos);
  CHECK(of(run, "+33612345606").empty());  // Marie-Claire: no consent
  CHECK_FALSE(of(run, "+33612345601").empty());
  CHECK_FALSE(of(run, "+33612345604").empty());
}

TEST_CASE("simulate --summary totals messages, segments and cost per cohort, participant and kind", "[simulate]") {
  Programme programme;
  auto options = programme.options();
  const Run& lines = programme_run();
  int segments = 0;
  for (const auto& j : lines.lines) segments += j.at("segments").get<int>();
  const double price = programme.config.channels.front().price_per_segment_eur;

  SECTION("as a table") {
    options.summary = true;
    const Run run = simulate_with(programme.config, options);
    REQUIRE(run.code == 0);
    char total[16];
    std::snprintf(total, sizeof total, "%.2f", segments * price);
    CHECK(run.raw.at(0) == "Simulation from 2026-11-02 to 2026-11-22 (Europe/Paris): 4 participant(s), " +
                               std::to_string(lines.lines.size()) + " message(s), " + std::to_string(segments) +
                               " SMS segment(s), estimated cost " + total + " EUR.");
    CHECK(run.raw.at(1).find("Messaging budget 1500.00 EUR") == 0);
    // The columns: kinds that occur, in the documented order, then the totals.
    auto header = std::find_if(run.raw.begin(), run.raw.end(), [](const std::string& l) { return l.rfind("cohort", 0) == 0; });
    REQUIRE(header != run.raw.end());
    std::istringstream words(*header);
    std::vector<std::string> columns{std::istream_iterator<std::string>(words), {}};
    CHECK(columns == std::vector<std::string>{"cohort", "participant", "first", "name", "welcome", "reminder", "checkin",
                                              "tip", "peer", "meteo", "messages", "segments", "cost", "EUR"});
    // Amina's row: her counts per kind, as the JSON lines give them.
    auto amina = std::find_if(run.raw.begin(), run.raw.end(),
                              [](const std::string& l) { return l.find("+33612345601") != std::string::npos; });
    REQUIRE(amina != run.raw.end());
    std::istringstream cells(*amina);
    std::vector<std::string> row{std::istream_iterator<std::string>(cells), {}};
    REQUIRE(row.size() == 12);
    std::map<std::string, int> count;
    int her_segments = 0;
    for (const auto& j : of(lines, "+33612345601")) {
      ++count[j.at("kind").get<std::string>()];
      her_segments += j.at("segments").get<int>();
    }
    const std::vector<std::string> kinds = {"welcome", "reminder", "checkin", "tip", "peer", "meteo"};
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      CAPTURE(kinds[i]);
      CHECK(row[3 + i] == std::to_string(count[kinds[i]]));
    }
    CHECK(row[9] == std::to_string(of(lines, "+33612345601").size()));
    CHECK(row[10] == std::to_string(her_segments));
    char cost[16];
    std::snprintf(cost, sizeof cost, "%.2f", her_segments * price);
    CHECK(row[11] == cost);
    // Marie-Claire is listed with nothing: a coach sees who gets no message.
    auto marie = std::find_if(run.raw.begin(), run.raw.end(),
                              [](const std::string& l) { return l.find("Marie-Claire") != std::string::npos; });
    REQUIRE(marie != run.raw.end());
    CHECK(marie->find(" 0.00") != std::string::npos);
    CHECK(run.raw.back().rfind("all", 0) == 0);
  }

  SECTION("as JSON") {
    options.summary = true;
    options.json = true;
    const Run run = simulate_with(programme.config, options);
    REQUIRE(run.code == 0);
    const Json j = Json::parse(run.out);
    CHECK(j.at("from") == "2026-11-02");
    CHECK(j.at("to") == "2026-11-22");
    CHECK(j.at("participants") == 4);
    CHECK(j.at("messages") == lines.lines.size());
    CHECK(j.at("segments") == segments);
    CHECK(j.at("cost_eur").get<double>() == Approx(segments * price));
    CHECK(j.at("messaging_budget_eur").get<double>() == Approx(1500));
    CHECK(j.at("budget_share").get<double>() == Approx(segments * price / 1500).margin(0.0001));
    int kinds_total = 0;
    for (const auto& kind : simulation::kMessageKinds) kinds_total += j.at("by_kind").at(kind).at("messages").get<int>();
    CHECK(kinds_total == static_cast<int>(lines.lines.size()));
    REQUIRE(j.at("cohorts").size() == 2);
    const Json& g1 = j.at("cohorts").at(0);
    CHECK(g1.at("cohort") == "g1");
    CHECK(g1.at("messages") == of(lines, "+33612345601").size() + of(lines, "+33612345602").size());
    const Json& amina = g1.at("participants").at(0);
    CHECK(amina.at("first_name") == "Amina");
    int reminders = 0;
    for (const auto& line : of(lines, "+33612345601")) reminders += line.at("kind") == "reminder";
    CHECK(amina.at("by_kind").at("reminder").at("messages") == reminders);
    CHECK(amina.at("by_kind").at("broadcast").at("messages") == 0);
  }
}

TEST_CASE("simulate --html writes one printable page per cohort, week by week, with first names only", "[simulate]") {
  Programme programme;
  auto options = programme.options();
  options.html = programme.dir / "retroplanning.html";
  const Run run = simulate_with(programme.config, options);
  REQUIRE(run.code == 0);
  CHECK(run.raw == programme_run().raw);  // stdout is unchanged
  const std::string page = read_file(*options.html);
  if (std::getenv("RELAIS_KEEP_HTML")) write_file(std::getenv("RELAIS_KEEP_HTML"), page);
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = page.find(what); at != std::string::npos; at = page.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count("<section class=\"cohort\">") == 2);
  CHECK(count("break-after:page") == 1);
  CHECK(page.find("Groupe 1 — Fontaine d&#39;Ouche, Grésilles, Quetigny") != std::string::npos);
  CHECK(count("<h2>Semaine du lundi 2 novembre 2026</h2>") == 2);
  CHECK(count("<h2>Semaine du lundi 16 novembre 2026</h2>") == 2);
  CHECK(page.find("Séance : Atelier mobilité (atelier mobilité)") != std::string::npos);
  // Amina's interview, by her first name.
  CHECK(page.find("Séance : Entretien individuel (entretien individuel), Le Cèdre</td><td class=\"who\">Amina</td>") !=
        std::string::npos);
  // Messages of one step on one line, with who received them; texts without her name.
  CHECK(page.find("« Bonjour [prénom], ici Nadia, votre coach du parcours emploi.") != std::string::npos);
  CHECK(page.find("Amina, Sylvie (2)") != std::string::npos);
  // Tips differ from one participant to the next: one line each.
  CHECK(page.find("« Bus et tram à Dijon") != std::string::npos);
  CHECK(page.find("« Organiser une famille") != std::string::npos);
  CHECK(page.find("Fatima") != std::string::npos);
  for (const char* phone : {"+33612345601", "33612345601", "06 12 34 56 01", "0612345601", "+33612345604",
                            "06 12 34 56 04", "+33 6"}) {
    CAPTURE(phone);
    CHECK(page.find(phone) == std::string::npos);
  }
}

TEST_CASE("simulate refuses bad options with exit code 2", "[simulate]") {
  Programme programme;
  struct Case {
    const char* what;
    std::function<void(SimulateOptions&)> change;
    const char* error;
  };
  const auto c = GENERATE(values<Case>({
      {"--json alone", [](SimulateOptions& o) { o.json = true; }, "--json goes with --summary"},
      {"a date that does not exist", [](SimulateOptions& o) { o.from = "2026-02-30"; }, "--from 2026-02-30: expected a date"},
      {"a date in another form", [](SimulateOptions& o) { o.to = "22/11/2026"; }, "--to 22/11/2026: expected a date"},
      {"--to before --from", [](SimulateOptions& o) { o.to = "2026-11-01"; }, "--to 2026-11-01 is before --from 2026-11-02"},
      {"years to simulate", [](SimulateOptions& o) { o.to = "2029-11-01"; }, "more than 800 days"},
      {"a missing calendar", [](SimulateOptions& o) { o.calendars.push_back("/nonexistent/x.ics"); }, "/nonexistent/x.ics: no such file"},
      {"a missing participants file", [](SimulateOptions& o) { o.participants = "/nonexistent/p.csv"; }, "/nonexistent/p.csv: no such file"},
      {"an HTML page in a missing folder", [](SimulateOptions& o) { o.html = "/nonexistent/page.html"; }, "no such folder"},
  }));
  CAPTURE(c.what);
  auto options = programme.options();
  c.change(options);
  const Run run = simulate_with(programme.config, options);
  CHECK(run.code == 2);
  CHECK(run.err.find(c.error) != std::string::npos);
  CHECK(run.out.empty());
}

TEST_CASE("simulate refuses a calendar that is not iCalendar, naming the file", "[simulate]") {
  Programme programme;
  write_file(programme.dir / "broken.ics", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n");
  auto options = programme.options();
  options.calendars.push_back(programme.dir / "broken.ics");
  const Run run = simulate_with(programme.config, options);
  CHECK(run.code == 2);
  CHECK(run.err.find("broken.ics: ") != std::string::npos);
  CHECK(run.out.empty());
}

TEST_CASE("simulate reads today and 14 days after the last session when --from and --to are left out", "[simulate]") {
  Programme programme;
  auto options = programme.options();
  options.from.clear();
  options.to.clear();
  options.today = date::sys_days{date::year{2026} / 11 / 2} + std::chrono::hours(15);
  options.summary = options.json = true;
  const Run run = simulate_with(programme.config, options);
  REQUIRE(run.code == 0);
  const Json j = Json::parse(run.out);
  CHECK(j.at("from") == "2026-11-02");
  CHECK(j.at("to") == "2026-11-30");  // the last session is on Monday 16
}

TEST_CASE("simulate copies the configured database's participants and leaves that database alone", "[simulate]") {
  Programme programme;
  ImportOptions import;
  import.skip_invalid = true;
  {
    QuietLog quiet;
    REQUIRE(import_participants(programme.config, programme.participants, import,
                                date::sys_days{date::year{2026} / 10 / 1})
                .written);
  }
  const auto before = std::filesystem::last_write_time(programme.config.database_path());
  auto options = programme.options();
  options.participants.reset();
  const Run copied = simulate_with(programme.config, options);
  REQUIRE(copied.code == 0);
  // The same participants as with the file: the same messages.
  CHECK(copied.raw == programme_run().raw);
  CHECK(std::filesystem::last_write_time(programme.config.database_path()) == before);
  CHECK(open_sqlite_store(programme.config.database_path().string())->outbox_counts()[MessageStatus::sent] == 0);

  SECTION("and her opt-out with it") {
    {
      auto store = open_sqlite_store(programme.config.database_path().string());
      store->set_opted_out(store->find_participant_by_phone("+33612345602")->id, true, date::sys_days{date::year{2026} / 10 / 2});
    }
    const Run run = simulate_with(programme.config, options);
    REQUIRE(run.code == 0);
    CHECK(of(run, "+33612345602").empty());
    CHECK_FALSE(of(run, "+33612345601").empty());
  }

  SECTION("and asks for a file when there is no database") {
    programme.config.database.path = programme.dir / "none.db";
    const Run run = simulate_with(programme.config, options);
    CHECK(run.code == 2);
    CHECK(run.err.find("give --participants FILE.csv") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(programme.dir / "none.db"));
  }
}

TEST_CASE("simulate runs a whole programme of two cohorts and keeps every rule", "[simulate]") {
  // 2 cohorts of 12, each with a Monday afternoon and a Thursday morning workshop for five
  // weeks (10 sessions), simulated from the week before to two weeks after.
  test::TempDir dir;
  std::string csv = "Prénom;Téléphone;Groupe;Consentement;Freins;Binôme\n";
  const char* names[] = {"Amina", "Sylvie", "Leïla", "Fatima", "Céline", "Nour"};
  const char* barriers[] = {"mobilité", "garde-enfants", "confiance", "numérique|isolement", "", "mobilité|confiance"};
  for (int i = 0; i < 24; ++i) {
    char phone[32], buddy[32];
    std::snprintf(phone, sizeof phone, "06 12 34 57 %02d", i);
    std::snprintf(buddy, sizeof buddy, "06 12 34 57 %02d", i ^ 1);
    csv += std::string(names[i % 6]) + "-" + std::to_string(i) + ";" + phone + ";" + (i < 12 ? "g1" : "g2") + ";oui;" +
           barriers[i % 6] + ";" + buddy + "\n";
  }
  std::string ics = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Relais tests//FR\n";
  for (const char* cohort : {"g1", "g2"})
    for (const auto& [uid, start, end, summary] :
         {std::tuple{"lundi", "20261109T140000", "20261109T163000", "[mobilité] Atelier mobilité"},
          std::tuple{"jeudi", "20261112T093000", "20261112T120000", "[confiance] Atelier confiance"}})
      ics += std::string("BEGIN:VEVENT\nUID:") + uid + "-" + cohort + "@test\nDTSTAMP:20261020T100000Z\n" +
             "DTSTART;TZID=Europe/Paris:" + start + "\nDTEND;TZID=Europe/Paris:" + end +
             "\nRRULE:FREQ=WEEKLY;COUNT=5\nSUMMARY:[" + cohort + "] " + summary + "\nLOCATION:Le Cèdre\nEND:VEVENT\n";
  ics += "END:VCALENDAR\n";
  write_file(dir / "programme.csv", csv);
  write_file(dir / "programme.ics", ics);
  SimulateOptions options;
  options.participants = dir / "programme.csv";
  options.calendars = {dir / "programme.ics"};
  options.from = "2026-11-02";
  const Run run = simulate_with(shipped_config(dir), options);
  REQUIRE(run.code == 0);
  CHECK(run.err.empty());
  check_window(run);
  check_reminders_before_sessions(run);
  check_daily_cap(run, 4);
  check_order(run);
  int welcomes = 0, last_day = 0;
  std::map<std::string, int> checkin_questions;
  for (const auto& j : run.lines) {
    welcomes += j.at("at") == "2026-11-02T09:00:00+01:00" && j.at("kind") == "welcome";
    if (text(j, "text").rfind("Comment s'est passé", 0) == 0) ++checkin_questions[text(j, "participant")];
    last_day = std::max(last_day, std::stoi(text(j, "at").substr(5, 2)) * 100 + std::stoi(text(j, "at").substr(8, 2)));
  }
  CHECK(welcomes == 24);
  // Each participant is asked about each of her 10 sessions.
  REQUIRE(checkin_questions.size() == 24);
  for (const auto& [phone, n] : checkin_questions) {
    CAPTURE(phone);
    CHECK(n == 10);
  }
  CHECK(last_day <= 1224);  // --to: 14 days after the last session (Thursday 10 December)
}
