// The iCalendar reader against exports shaped like Google's, Outlook's and Thunderbird's
// (tests/scheduler/fixtures, SOURCE.md) and small calendars written inline. Expected
// instants are computed here with date::sys_days arithmetic, not with the reader's code.
#include <catch2/catch.hpp>

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "scheduler/calendar.hpp"
#include "scheduler/zone.hpp"

using namespace relais;
using Catch::Matchers::Contains;

// Failures show instants as "2026-12-08T13:00:00.000Z".
namespace Catch {
template <>
struct StringMaker<relais::Utc> {
  static std::string convert(const relais::Utc& t) { return relais::format_utc(t); }
};
}  // namespace Catch

namespace {

Utc utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return std::chrono::time_point_cast<Millis>(date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                                              std::chrono::hours(h) + std::chrono::minutes(min));
}

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(RELAIS_SOURCE_DIR) + "/tests/scheduler/fixtures/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CalendarContext dijon() {
  CalendarContext context;
  context.cohorts = {"g1", "g2"};
  context.venues = {{"bib-fontaine-d-ouche", "Bibliothèque Fontaine d'Ouche"}, {"cedre-chenove", "Le Cèdre"}};
  context.horizon_from = utc(2026, 10, 1, 0);
  context.horizon_to = utc(2027, 5, 1, 0);
  return context;
}

// A calendar around some VEVENT lines, as a small app would write it.
std::string calendar(const std::string& body) {
  std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Relais tests//EN\r\n";
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) text += line + "\r\n";
  return text + "END:VCALENDAR\r\n";
}

std::string event(const std::string& lines) {
  return "BEGIN:VEVENT\nUID:inline-1@relais-tests\nDTSTAMP:20261101T080000Z\n" + lines + "\nEND:VEVENT";
}

std::vector<Session> of_uid(const CalendarRead& read, const std::string& uid) {
  std::vector<Session> out;
  std::copy_if(read.sessions.begin(), read.sessions.end(), std::back_inserter(out),
               [&](const Session& s) { return s.uid == uid; });
  return out;
}

const Session* occurrence(const CalendarRead& read, const std::string& uid, const std::string& id) {
  for (const auto& s : read.sessions)
    if (s.uid == uid && s.occurrence == id) return &s;
  return nullptr;
}

bool has_warning(const CalendarRead& read, const std::string& part) {
  return std::any_of(read.warnings.begin(), read.warnings.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

const std::string kWeekly = "7kq3c1v8m2d5s0b4n6r9t1u2w3@google.com";

}  // namespace

TEST_CASE("a Google export gives its sessions with cohorts, kinds, venues and participants", "[calendar][google]") {
  const auto read = read_calendar(fixture("google_export.ics"), dijon());
  CHECK(read.name == "Relais Dijon – ateliers");
  CHECK(std::is_sorted(read.sessions.begin(), read.sessions.end(),
                       [](const Session& a, const Session& b) { return a.start < b.start; }));

  SECTION("a weekly event with tags in SUMMARY and its venue inside a longer LOCATION") {
    const Session* first = occurrence(read, kWeekly, "20261006T120000Z");
    REQUIRE(first);
    CHECK(first->start == utc(2026, 10, 6, 12));
    CHECK(first->end == utc(2026, 10, 6, 14));
    CHECK(first->title == "Atelier mobilité");
    CHECK(first->kind == "mobility");
    CHECK(first->cohorts == std::vector<std::string>{"g1"});
    CHECK(first->venue == "bib-fontaine-d-ouche");
    CHECK(first->location == "Bibliothèque Fontaine d'Ouche, 1 place de la Fontaine d'Ouche, 21000 Dijon, France");
    CHECK_FALSE(first->participant);
    CHECK_FALSE(first->cancelled);
    // 30 Tuesdays from 6 October 2026 to 27 April 2027, three excluded.
    CHECK(of_uid(read, kWeekly).size() == 27);
  }
  SECTION("an EXDATE'd occurrence is absent") {
    CHECK_FALSE(occurrence(read, kWeekly, "20261103T130000Z"));
    CHECK_FALSE(occurrence(read, kWeekly, "20261222T130000Z"));
    CHECK_FALSE(occurrence(read, kWeekly, "20261229T130000Z"));
    CHECK(occurrence(read, kWeekly, "20261215T130000Z"));
  }
  SECTION("an override moves one occurrence, which keeps its original start as id") {
    const auto sessions = of_uid(read, kWeekly);
    const auto moved = std::count_if(sessions.begin(), sessions.end(),
                                     [](const Session& s) { return s.occurrence == "20261110T130000Z"; });
    CHECK(moved == 1);
    const Session* s = occurrence(read, kWeekly, "20261110T130000Z");
    REQUIRE(s);
    CHECK(s->start == utc(2026, 11, 12, 9));  // Thursday 10:00 Paris
    CHECK(s->end == utc(2026, 11, 12, 11));
    CHECK(s->title == "Atelier mobilité (déplacé)");
    CHECK(s->sequence == 1);
    CHECK(s->stamp == utc(2026, 11, 4, 11));  // LAST-MODIFIED
  }
  SECTION("a one-off event in UTC, tagged at the end of its SUMMARY") {
    const auto sessions = of_uid(read, "2f0sd1mq7bq8h1l8hj3ofj7r5e@google.com");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].occurrence.empty());
    CHECK(sessions[0].start == utc(2026, 12, 8, 9));
    CHECK(sessions[0].end == utc(2026, 12, 8, 11));
    CHECK(sessions[0].title == "Atelier CV");
    CHECK(sessions[0].kind == "other");
    CHECK(sessions[0].cohorts == std::vector<std::string>{"g2"});
    CHECK(sessions[0].venue == "cedre-chenove");
  }
  SECTION("an all-day event for two cohorts runs from local midnight to local midnight") {
    const auto sessions = of_uid(read, "5b1u7k3m0p9q2r4s6t8v0w2x4y@google.com");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].start == utc(2026, 12, 14, 23));
    CHECK(sessions[0].end == utc(2026, 12, 15, 23));
    CHECK(sessions[0].cohorts == std::vector<std::string>{"g1", "g2"});
    CHECK(sessions[0].title == "Forum de l'emploi");
    CHECK(sessions[0].venue == "bib-fontaine-d-ouche");  // "Bibliotheque Fontaine-d’Ouche"
  }
  SECTION("a personal event is skipped with a warning naming it and its tags") {
    CHECK(of_uid(read, "3q9lt3kvd0t9b8pjg0v1lp8m2c@google.com").empty());
    CHECK(std::count(read.warnings.begin(), read.warnings.end(),
                     "event \"Rendez-vous banque\" (uid 3q9lt3kvd0t9b8pjg0v1lp8m2c@google.com): no cohort tag "
                     "(tags: perso)") == 1);
  }
  SECTION("a cancelled event is kept, marked cancelled") {
    const auto sessions = of_uid(read, "0c6m2n8b4v1x3z5a7s9d1f3g5h@google.com");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].cancelled);
    CHECK(sessions[0].kind == "digital");
    CHECK(sessions[0].sequence == 1);
  }
  SECTION("a phone number in the description makes an individual session") {
    const auto sessions = of_uid(read, "6h2j4k6l8m0n2p4q6r8s0t2u4v@google.com");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].participant == std::optional<std::string>("+33612345678"));
    CHECK(sessions[0].kind == "individual-coaching");
  }
  SECTION("an unknown venue is a warning; the location stays as written") {
    const auto sessions = of_uid(read, "9w8v7u6t5s4r3q2p1o0n9m8l7k@google.com");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].venue.empty());
    CHECK(sessions[0].location == "Salle des fêtes, Talant");
    CHECK(sessions[0].kind == "expression");
    CHECK(has_warning(read, "event \"Atelier prise de parole\" (uid 9w8v7u6t5s4r3q2p1o0n9m8l7k@google.com): "
                            "unknown venue \"Salle des fêtes, Talant\""));
  }
  SECTION("an event outside the horizon is neither read nor warned about") {
    CHECK(of_uid(read, "1a2b3c4d5e6f7g8h9i0j1k2l3m@google.com").empty());
    CHECK_FALSE(has_warning(read, "1a2b3c4d5e6f7g8h9i0j1k2l3m"));
    CHECK(read.warnings.size() == 2);
  }
}

TEST_CASE("a weekly 14:00 stays at 14:00 in Paris across both daylight-saving changes", "[calendar][dst]") {
  const auto read = read_calendar(fixture("google_export.ics"), dijon());
  // Summer time (UTC+2) until 25 October 2026 and again from 28 March 2027.
  const auto [id, start] = GENERATE(table<std::string, Utc>({
      {"20261020T120000Z", utc(2026, 10, 20, 12)},
      {"20261027T130000Z", utc(2026, 10, 27, 13)},
      {"20270323T130000Z", utc(2027, 3, 23, 13)},
      {"20270330T120000Z", utc(2027, 3, 30, 12)},
  }));
  CAPTURE(id);
  const Session* s = occurrence(read, kWeekly, id);
  REQUIRE(s);
  CHECK(s->start == start);
  CHECK(s->end == start + std::chrono::hours(2));

  const TimeZone paris("Europe/Paris");
  for (const auto& session : of_uid(read, kWeekly))
    if (session.occurrence != "20261110T130000Z") CHECK(paris.to_local(session.start).minute_of_day == 14 * 60);
}

TEST_CASE("a rule with no end stops at the horizon", "[calendar][recurrence]") {
  auto context = dijon();
  context.horizon_to = utc(2026, 12, 1, 0);
  const auto sessions = of_uid(read_calendar(fixture("google_export.ics"), context), kWeekly);
  // 6 Oct … 24 Nov: 8 Tuesdays, 3 November excluded.
  REQUIRE(sessions.size() == 7);
  CHECK(sessions.back().start == utc(2026, 11, 24, 13));
}

TEST_CASE("an Outlook export with a Windows zone name, CATEGORIES, COUNT and UNTIL", "[calendar][outlook]") {
  const auto read = read_calendar(fixture("outlook_export.ics"), dijon());
  CHECK(read.name == "Calendrier");

  SECTION("COUNT=6 on Thursdays at 09:30, across the end of summer time") {
    std::vector<Utc> starts;
    for (const auto& s : read.sessions)
      if (s.title == "Atelier numérique") starts.push_back(s.start);
    CHECK(starts == std::vector<Utc>{utc(2026, 10, 8, 7, 30), utc(2026, 10, 15, 7, 30), utc(2026, 10, 22, 7, 30),
                                     utc(2026, 10, 29, 8, 30), utc(2026, 11, 5, 8, 30), utc(2026, 11, 12, 8, 30)});
    const auto it = std::find_if(read.sessions.begin(), read.sessions.end(),
                                 [](const Session& s) { return s.title == "Atelier numérique"; });
    CHECK(it->kind == "digital");
    CHECK(it->cohorts == std::vector<std::string>{"g2"});
    CHECK(it->venue == "bib-fontaine-d-ouche");
    CHECK(it->end - it->start == std::chrono::hours(2));
  }
  SECTION("UNTIL in UTC keeps its last occurrence; two CATEGORIES properties") {
    std::vector<Session> sessions;
    for (const auto& s : read.sessions)
      if (s.title == "Coaching collectif – recherche d'emploi") sessions.push_back(s);
    std::vector<Utc> starts;
    for (const auto& s : sessions) starts.push_back(s.start);
    // Every other Tuesday at 14:00 from 6 October to 15 December, 3 November excluded.
    CHECK(starts == std::vector<Utc>{utc(2026, 10, 6, 12), utc(2026, 10, 20, 12), utc(2026, 11, 17, 13),
                                     utc(2026, 12, 1, 13), utc(2026, 12, 15, 13)});
    REQUIRE_FALSE(sessions.empty());
    CHECK(sessions[0].kind == "collective-coaching");
    CHECK(sessions[0].cohorts == std::vector<std::string>{"g1"});
    CHECK(sessions[0].venue == "cedre-chenove");
    CHECK(sessions[0].sequence == 2);
    CHECK(sessions[0].occurrence == "20261006T120000Z");
  }
  SECTION("an event without categories is skipped") {
    CHECK(read.sessions.size() == 11);
    CHECK(read.warnings.size() == 1);
    CHECK(has_warning(read, "event \"Déjeuner équipe\" (uid 040000008200E00074C5B7101A82E00800000000C2F1E0D9B8A7DC"
                            "01000000000000000010000000F1E2D3C4B5A69788796A5B4C3D2E1F00): no cohort tag (no tags)"));
  }
}

TEST_CASE("a Thunderbird export with RDATE, a floating time, DURATION and a tel: attendee", "[calendar][thunderbird]") {
  const auto read = read_calendar(fixture("thunderbird_export.ics"), dijon());
  CHECK(read.name.empty());
  CHECK(read.warnings.empty());

  SECTION("RDATE adds occurrences to DTSTART, each with the event's length") {
    const auto sessions = of_uid(read, "4c1f0a8e-5b2d-4e9f-a3c7-1d6b8e2f9a40");
    REQUIRE(sessions.size() == 3);
    CHECK(sessions[0].start == utc(2026, 10, 14, 8));
    CHECK(sessions[1].start == utc(2026, 11, 18, 9));
    CHECK(sessions[2].start == utc(2026, 12, 16, 13));
    CHECK(sessions[2].end == utc(2026, 12, 16, 14, 30));
    CHECK(sessions[1].occurrence == "20261118T090000Z");
    CHECK(sessions[0].kind == "childcare");
    CHECK(sessions[0].venue == "cedre-chenove");  // "Le Cedre (Chenove)"
  }
  SECTION("a floating time is in the programme's zone") {
    const auto sessions = of_uid(read, "8e3d2c1b-0a9f-4e8d-b7c6-5a4f3e2d1c0b");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].start == utc(2026, 10, 24, 8));
    CHECK(sessions[0].end == utc(2026, 10, 24, 10));
    CHECK(sessions[0].cohorts == std::vector<std::string>{"g2"});
    CHECK(sessions[0].kind == "childcare");  // CATEGORIES "Parentalité"
    CHECK(sessions[0].title == "Café des parents");
  }
  SECTION("an ATTENDEE with a tel: address is the participant") {
    const auto sessions = of_uid(read, "f7a6b5c4-d3e2-4f10-9a8b-7c6d5e4f3a2b");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].participant == std::optional<std::string>("+33698765432"));
    CHECK(sessions[0].kind == "individual-coaching");
    CHECK(sessions[0].start == utc(2026, 10, 26, 8));  // winter time since 25 October
    CHECK(sessions[0].end == utc(2026, 10, 26, 8, 45));
  }
}

TEST_CASE("floating times follow the programme's zone", "[calendar][zones]") {
  const auto [zone, start] = GENERATE(table<std::string, Utc>({
      {"Europe/Paris", utc(2026, 12, 8, 13)},
      {"Europe/London", utc(2026, 12, 8, 14)},
      {"America/Martinique", utc(2026, 12, 8, 18)},
  }));
  CAPTURE(zone);
  auto context = dijon();
  context.time_zone = zone;
  const auto read = read_calendar(calendar(event("SUMMARY:[g1] Atelier\nDTSTART:20261208T140000\nDTEND:20261208T150000")), context);
  REQUIRE(read.sessions.size() == 1);
  CHECK(read.sessions[0].start == start);
}

TEST_CASE("versions of one event: the higher SEQUENCE, then LAST-MODIFIED, then DTSTAMP", "[calendar][sequence]") {
  const auto read = read_calendar(fixture("sequence_updates.ics"), dijon());

  SECTION("the highest SEQUENCE wins wherever it is in the file") {
    const auto sessions = of_uid(read, "budget-1@relais-dijon.example");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].start == utc(2026, 11, 24, 14));
    CHECK(sessions[0].title == "Atelier budget (15h)");
    CHECK(sessions[0].sequence == 2);
  }
  SECTION("on a SEQUENCE tie the later DTSTAMP wins, even written first") {
    const auto sessions = of_uid(read, "visite-2@relais-dijon.example");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].start == utc(2026, 11, 26, 10));
    CHECK(sessions[0].stamp == utc(2026, 11, 5, 8));
  }
  SECTION("LAST-MODIFIED counts before DTSTAMP") {
    const auto sessions = of_uid(read, "forum-3@relais-dijon.example");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].title == "Forum des métiers (salle B)");
    CHECK(sessions[0].stamp == utc(2026, 11, 15, 8));
  }
  SECTION("an override written before its master replaces its occurrence") {
    const auto sessions = of_uid(read, "sport-4@relais-dijon.example");
    REQUIRE(sessions.size() == 3);
    CHECK(sessions[0].start == utc(2026, 11, 25, 9));
    CHECK_FALSE(sessions[0].cancelled);
    CHECK(sessions[1].occurrence == "20261202T090000Z");
    CHECK(sessions[1].cancelled);
    CHECK(sessions[1].title == "Sport santé (annulé)");
    CHECK(sessions[2].start == utc(2026, 12, 9, 9));
  }
  SECTION("an override without its master is read as that occurrence") {
    const auto sessions = of_uid(read, "invitation-5@relais-dijon.example");
    REQUIRE(sessions.size() == 1);
    CHECK(sessions[0].occurrence == "20261209T090000Z");
    CHECK(sessions[0].start == utc(2026, 12, 9, 10));
  }
  CHECK(read.warnings.empty());
}

TEST_CASE("an override of an excluded occurrence stays excluded; an override may leave the horizon", "[calendar][recurrence]") {
  const std::string master =
      "BEGIN:VEVENT\nUID:r@x\nDTSTAMP:20261101T080000Z\nSUMMARY:[g1] Atelier\nRRULE:FREQ=WEEKLY;COUNT=3\n"
      "DTSTART;TZID=Europe/Paris:20261202T100000\nDTEND;TZID=Europe/Paris:20261202T110000\n"
      "EXDATE;TZID=Europe/Paris:20261209T100000\nEND:VEVENT\n";
  const std::string overrides =
      "BEGIN:VEVENT\nUID:r@x\nDTSTAMP:20261101T080000Z\nSUMMARY:[g1] Atelier (déplacé)\n"
      "RECURRENCE-ID;TZID=Europe/Paris:20261209T100000\nDTSTART;TZID=Europe/Paris:20261210T100000\n"
      "DTEND;TZID=Europe/Paris:20261210T110000\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:r@x\nDTSTAMP:20261101T080000Z\nSUMMARY:[g1] Atelier (reporté)\n"
      "RECURRENCE-ID;TZID=Europe/Paris:20261216T100000\nDTSTART;TZID=Europe/Paris:20270616T100000\n"
      "DTEND;TZID=Europe/Paris:20270616T110000\nEND:VEVENT";
  const auto read = read_calendar(calendar(master + overrides), dijon());
  REQUIRE(read.sessions.size() == 1);
  CHECK(read.sessions[0].start == utc(2026, 12, 2, 9));
}

TEST_CASE("rules asking for too many occurrences are cut, with a warning naming the event", "[calendar][recurrence]") {
  const auto [rule_lines, sessions, warning] = GENERATE(table<std::string, std::size_t, std::string>({
      // Every minute from inside the horizon: the first 500.
      {"DTSTART;TZID=Europe/Paris:20261001T080000\nDURATION:PT1M\nRRULE:FREQ=MINUTELY", 500,
       "more than 500 occurrences"},
      // Every minute since 2020: millions of steps before the horizon.
      {"DTSTART:20200101T000000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY", 0, "before the horizon"},
      // A rule libical could walk for hours: not expanded, DTSTART kept.
      {"DTSTART:20261001T080000Z\nDURATION:PT1M\nRRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30", 1, "is not expanded"},
  }));
  CAPTURE(rule_lines);
  const auto read = read_calendar(calendar(event("SUMMARY:[g1] Rappel\n" + rule_lines)), dijon());
  CHECK(read.sessions.size() == sessions);
  REQUIRE(read.warnings.size() == 1);
  CHECK_THAT(read.warnings[0], Contains("event \"Rappel\" (uid inline-1@relais-tests): ") && Contains(warning));
  if (sessions == 500) {
    CHECK(read.sessions.front().start == utc(2026, 10, 1, 6));
    CHECK(read.sessions.back().start == utc(2026, 10, 1, 6) + std::chrono::minutes(499));
  }
}

TEST_CASE("TZIDs: IANA names, prefixed names, Windows names, VTIMEZONEs of their own", "[calendar][zones]") {
  const std::string eu_rules =
      "BEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
      "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\n"
      "DTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
      "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\n";
  const auto [tzid, vtimezone, local, expected] = GENERATE_REF(table<std::string, std::string, std::string, Utc>({
      {"Europe/Paris", "", "20261208T140000", utc(2026, 12, 8, 13)},
      {"/freeassociation.sourceforge.net/Europe/Paris", "", "20261208T140000", utc(2026, 12, 8, 13)},
      {"/mozilla.org/20050126_1/Europe/Paris", "", "20270407T140000", utc(2027, 4, 7, 12)},
      {"Romance Standard Time", "", "20261208T140000", utc(2026, 12, 8, 13)},
      {"W. Europe Standard Time", "", "20270407T140000", utc(2027, 4, 7, 12)},
      {"GMT Standard Time", "", "20261208T140000", utc(2026, 12, 8, 14)},
      {"GMT Standard Time", "", "20270407T140000", utc(2027, 4, 7, 13)},
      {"Eastern Standard Time", "", "20261208T140000", utc(2026, 12, 8, 19)},
      {"W. Central Africa Standard Time", "", "20270407T140000", utc(2027, 4, 7, 13)},
      {"UTC", "", "20261208T140000", utc(2026, 12, 8, 14)},
      // Outlook's custom zones: only the VTIMEZONE's rules say what they are.
      {"(UTC+01:00) Bruxelles, Copenhague, Madrid, Paris", eu_rules, "20270407T140000", utc(2027, 4, 7, 12)},
      {"(UTC+01:00) Bruxelles, Copenhague, Madrid, Paris", eu_rules, "20261208T140000", utc(2026, 12, 8, 13)},
      {"Customized Time Zone",
       "BEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETFROM:+0300\nTZOFFSETTO:+0300\nEND:STANDARD\n",
       "20261208T140000", utc(2026, 12, 8, 11)},
      // A custom TZID whose VTIMEZONE names the zone (Thunderbird).
      {"Paris, Madrid", "X-LIC-LOCATION:Europe/Paris\n" + eu_rules, "20270407T140000", utc(2027, 4, 7, 12)},
  }));
  CAPTURE(tzid, local);
  const std::string zone_block =
      vtimezone.empty() ? "" : "BEGIN:VTIMEZONE\nTZID:" + tzid + "\n" + vtimezone + "END:VTIMEZONE\n";
  const auto text = calendar(zone_block + event("SUMMARY:[g1] Atelier\nDTSTART;TZID=\"" + tzid + "\":" + local +
                                                "\nDURATION:PT1H"));
  const auto read = read_calendar(text, dijon());
  REQUIRE(read.sessions.size() == 1);
  CHECK(read.sessions[0].start == expected);
  CHECK(read.sessions[0].end == expected + std::chrono::hours(1));
}

TEST_CASE("Windows zone names map to IANA zones that tzdata knows", "[calendar][zones]") {
  const auto [windows, iana] = GENERATE(table<std::string, std::string>({
      {"Romance Standard Time", "Europe/Paris"},
      {"romance standard time", "Europe/Paris"},
      {"W. Europe Standard Time", "Europe/Berlin"},
      {"Central Europe Standard Time", "Europe/Budapest"},
      {"Central European Standard Time", "Europe/Warsaw"},
      {"GMT Standard Time", "Europe/London"},
      {"GTB Standard Time", "Europe/Bucharest"},
      {"FLE Standard Time", "Europe/Kyiv"},
      {"Morocco Standard Time", "Africa/Casablanca"},
      {"W. Central Africa Standard Time", "Africa/Lagos"},
      {"Egypt Standard Time", "Africa/Cairo"},
      {"Turkey Standard Time", "Europe/Istanbul"},
      {"Eastern Standard Time", "America/New_York"},
      {"SA Western Standard Time", "America/La_Paz"},
      {"UTC", "Etc/UTC"},
      {"Mars Standard Time", ""},
      {"", ""},
  }));
  CAPTURE(windows);
  CHECK(iana_from_windows(windows) == iana);
  if (!iana.empty()) CHECK_NOTHROW(date::locate_zone(iana));
}

TEST_CASE("tags come from CATEGORIES and bracketed words, compared without case or accents", "[calendar][tags]") {
  using Cohorts = std::vector<std::string>;
  const auto [lines, cohorts, kind, title] = GENERATE(table<std::string, Cohorts, std::string, std::string>({
      {"SUMMARY:[G1] [Mobilite] Atelier vélo", {"g1"}, "mobility", "Atelier vélo"},
      {"SUMMARY:Atelier CV [g2, g1]", {"g1", "g2"}, "other", "Atelier CV"},
      {"SUMMARY:Atelier  [g2]  numérique", {"g2"}, "other", "Atelier numérique"},
      {"SUMMARY:Atelier\nCATEGORIES:G2,NUMÉRIQUE", {"g2"}, "digital", "Atelier"},
      {"SUMMARY:Café\nCATEGORIES:g1\nCATEGORIES:Garde enfants", {"g1"}, "childcare", "Café"},
      {"SUMMARY:[g2] [coaching individuel] Point d'étape", {"g2"}, "individual-coaching", "Point d'étape"},
      {"SUMMARY:[g1] [Coaching-Collectif] Séance", {"g1"}, "collective-coaching", "Séance"},
      {"SUMMARY:[g1][Parentalité] Café", {"g1"}, "childcare", "Café"},
      {"SUMMARY:[g2] [expression] Théâtre", {"g2"}, "expression", "Théâtre"},
      {"SUMMARY:[g2] [autre] Visite", {"g2"}, "other", "Visite"},
      {"SUMMARY:[g3] [g2] Visite", {"g2"}, "other", "Visite"},
  }));
  CAPTURE(lines);
  const auto read = read_calendar(calendar(event(lines + "\nDTSTART:20261208T090000Z\nDURATION:PT1H")), dijon());
  REQUIRE(read.sessions.size() == 1);
  CHECK(read.sessions[0].cohorts == cohorts);
  CHECK(read.sessions[0].kind == kind);
  CHECK(read.sessions[0].title == title);
}

TEST_CASE("two kinds in the tags: the first is used, with a warning", "[calendar][tags]") {
  const auto read = read_calendar(
      calendar(event("SUMMARY:[g1] [mobilité] [numérique] Atelier\nDTSTART:20261208T090000Z\nDURATION:PT1H")), dijon());
  REQUIRE(read.sessions.size() == 1);
  CHECK(read.sessions[0].kind == "mobility");
  CHECK(read.warnings == std::vector<std::string>{
                             "event \"Atelier\" (uid inline-1@relais-tests): several kinds (mobility, digital): "
                             "mobility is used"});
}

TEST_CASE("LOCATION names a venue by id or name, ignoring case, accents and punctuation", "[calendar][venues]") {
  const auto [location, venue] = GENERATE(table<std::string, std::string>({
      {"Bibliothèque Fontaine d'Ouche", "bib-fontaine-d-ouche"},
      {"BIBLIOTHEQUE FONTAINE D OUCHE", "bib-fontaine-d-ouche"},
      {"bibliotheque fontaine-d’ouche", "bib-fontaine-d-ouche"},
      {"bib-fontaine-d-ouche", "bib-fontaine-d-ouche"},
      {"Le Cèdre\\, 3 place Coubertin\\, Chenôve", "cedre-chenove"},
      {"Salle polyvalente du Cèdre - LE CEDRE", "cedre-chenove"},
      {"Cèdre", ""},
      {"Médiathèque Champollion", ""},
  }));
  CAPTURE(location);
  const auto read = read_calendar(
      calendar(event("SUMMARY:[g1] Atelier\nLOCATION:" + location + "\nDTSTART:20261208T090000Z\nDURATION:PT1H")),
      dijon());
  REQUIRE(read.sessions.size() == 1);
  CHECK(read.sessions[0].venue == venue);
  CHECK(has_warning(read, "unknown venue") == venue.empty());
}

TEST_CASE("participants: a tel: ATTENDEE, else a mobile number in DESCRIPTION", "[calendar][participants]") {
  const auto [lines, phone, warning] = GENERATE(table<std::string, std::string, std::string>({
      {"ATTENDEE;CN=Awa Diallo:tel:+33612345678", "+33612345678", ""},
      {"ATTENDEE;CN=Awa Diallo:TEL:06.12.34.56.78", "+33612345678", ""},
      {"ATTENDEE:tel:+33 6 12 34 56 78", "+33612345678", ""},
      {"ATTENDEE:mailto:coach@relais-dijon.example\nATTENDEE:tel:07 81 23 45 67", "+33781234567", ""},
      {"DESCRIPTION:Appeler Mme Martin au 07 81 23 45 67 la veille.", "+33781234567", ""},
      {"DESCRIPTION:Son numéro : +33 (0)6 12 34 56 78", "+33612345678", ""},
      {"DESCRIPTION:Rejoindre par téléphone : +33 1 70 37 97 29\\, ID : 123 456 789#", "", ""},
      {"DESCRIPTION:Teams : ID de réunion 612 345 678", "", ""},
      {"ATTENDEE:mailto:awa.diallo@example.org", "", ""},
      {"ATTENDEE:tel:12", "", "ATTENDEE \"tel:12\" is not a valid phone number"},
  }));
  CAPTURE(lines);
  const auto read =
      read_calendar(calendar(event("SUMMARY:[g1] Rendez-vous\n" + lines + "\nDTSTART:20261208T090000Z\nDURATION:PT1H")),
                    dijon());
  REQUIRE(read.sessions.size() == 1);
  if (phone.empty()) {
    CHECK_FALSE(read.sessions[0].participant);
    CHECK(read.sessions[0].kind == "other");
  } else {
    CHECK(read.sessions[0].participant == std::optional<std::string>(phone));
    CHECK(read.sessions[0].kind == "individual-coaching");
  }
  if (warning.empty())
    CHECK(read.warnings.empty());
  else
    CHECK(has_warning(read, warning));
}

TEST_CASE("all-day events run from local midnight to local midnight", "[calendar][all-day]") {
  const auto [lines, start, end] = GENERATE(table<std::string, Utc, Utc>({
      {"DTSTART;VALUE=DATE:20261215", utc(2026, 12, 14, 23), utc(2026, 12, 15, 23)},
      {"DTSTART;VALUE=DATE:20261215\nDTEND;VALUE=DATE:20261215", utc(2026, 12, 14, 23), utc(2026, 12, 15, 23)},
      {"DTSTART;VALUE=DATE:20261215\nDTEND;VALUE=DATE:20261217", utc(2026, 12, 14, 23), utc(2026, 12, 16, 23)},
      {"DTSTART;VALUE=DATE:20261215\nDURATION:P1W", utc(2026, 12, 14, 23), utc(2026, 12, 21, 23)},
      // The day summer time ends lasts 25 hours.
      {"DTSTART;VALUE=DATE:20261025\nDTEND;VALUE=DATE:20261026", utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)},
  }));
  CAPTURE(lines);
  const auto read = read_calendar(calendar(event("SUMMARY:[g1] Forum\n" + lines)), dijon());
  REQUIRE(read.sessions.size() == 1);
  CHECK(read.sessions[0].start == start);
  CHECK(read.sessions[0].end == end);
}

TEST_CASE("a recurring all-day event is identified by its local midnight", "[calendar][all-day]") {
  // The excluded day as a DATE (Google), or as midnight in Outlook's zone.
  const auto exdate = GENERATE(as<std::string>{}, "EXDATE;VALUE=DATE:20261101",
                               "EXDATE;TZID=GMT Standard Time:20261101T000000");
  CAPTURE(exdate);
  const auto read = read_calendar(
      calendar(event("SUMMARY:[g1] Forum\nDTSTART;VALUE=DATE:20261018\nRRULE:FREQ=WEEKLY;COUNT=3\n" + exdate)),
      dijon());
  REQUIRE(read.sessions.size() == 2);
  CHECK(read.sessions[0].occurrence == "20261017T220000Z");
  CHECK(read.sessions[1].occurrence == "20261024T220000Z");
  CHECK(read.sessions[1].end == utc(2026, 10, 25, 23));
}

TEST_CASE("occurrences are kept when they overlap the horizon", "[calendar][horizon]") {
  const auto [lines, kept] = GENERATE(table<std::string, bool>({
      {"DTSTART:20260930T230000Z\nDTEND:20261001T010000Z", true},   // runs across horizon_from
      {"DTSTART:20260930T220000Z\nDTEND:20260930T230000Z", false},  // over before it
      {"DTSTART:20270430T230000Z\nDTEND:20270501T010000Z", true},   // starts just before horizon_to
      {"DTSTART:20270501T000000Z\nDTEND:20270501T010000Z", false},  // starts at horizon_to
  }));
  CAPTURE(lines);
  const auto read = read_calendar(calendar(event("SUMMARY:[g1] Atelier\n" + lines)), dijon());
  CHECK(read.sessions.size() == (kept ? 1u : 0u));
}

TEST_CASE("an event that ends before it starts is an error naming it", "[calendar][errors]") {
  CHECK_THROWS_WITH(read_calendar(fixture("end_before_start.ics"), dijon()),
                    Contains("event \"Atelier logement\" (uid 040000008200E00074C5B7101A82E00800000000D1C2B3A4958CDC") &&
                        Contains("ends (2026-11-17T11:00:00.000Z) before it starts (2026-11-17T13:00:00.000Z)"));
}

TEST_CASE("times that cannot be read are errors naming the event", "[calendar][errors]") {
  const auto [lines, message] = GENERATE(table<std::string, std::string>({
      {"SUMMARY:[g1] Atelier\nDTSTART:20261208T090000Z\nDURATION:-PT1H", "negative DURATION"},
      {"SUMMARY:[g1] Atelier\nDTSTART:20261301T090000Z\nDURATION:PT1H", "\"20261301T090000Z\" is not a valid date"},
      {"SUMMARY:[g1] Atelier\nDTSTART;TZID=Mars/Olympus_Mons:20261208T090000\nDURATION:PT1H",
       "unknown time zone \"Mars/Olympus_Mons\""},
      {"SUMMARY:[g1] Atelier\nDTSTART:20261208T090000Z\nDTEND:demain", "DTEND cannot be read"},
      {"SUMMARY:[g1] Atelier\nDURATION:PT1H", "has no DTSTART"},
  }));
  CAPTURE(lines);
  CHECK_THROWS_AS(read_calendar(calendar(event(lines)), dijon()), CalendarError);
  CHECK_THROWS_WITH(read_calendar(calendar(event(lines)), dijon()),
                    Contains("event \"Atelier\" (uid inline-1@relais-tests)") && Contains(message));
}

TEST_CASE("a text that is not iCalendar is refused", "[calendar][errors]") {
  const auto [text, message] = GENERATE_REF(table<std::string, std::string>({
      {"", "not an iCalendar file"},
      {"hello", "not an iCalendar file"},
      {fixture("not_icalendar.html"), "not an iCalendar file"},
      {"{\"items\": []}", "not an iCalendar file"},
      {"BEGIN:VCALENDAR\r\nhello world\r\n<html>\r\n", "cut short"},
      {"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261208T090000Z\r\n", "cut short"},
  }));
  CAPTURE(text);
  CHECK_THROWS_AS(read_calendar(text, dijon()), CalendarError);
  CHECK_THROWS_WITH(read_calendar(text, dijon()), Contains(message));
}

TEST_CASE("a calendar without events, with a byte order mark, reads as empty", "[calendar]") {
  const auto read = read_calendar("\xEF\xBB\xBF" + calendar("X-WR-CALNAME:Vide\\, pour l'instant"), dijon());
  CHECK(read.name == "Vide, pour l'instant");
  CHECK(read.sessions.empty());
  CHECK(read.warnings.empty());
}

TEST_CASE("a context without a horizon is a programming error", "[calendar][errors]") {
  auto context = dijon();
  context.horizon_to = context.horizon_from;
  CHECK_THROWS_AS(read_calendar(fixture("google_export.ics"), context), std::invalid_argument);
  context = dijon();
  context.time_zone = "Europe/Dijon";
  CHECK_THROWS_AS(read_calendar(fixture("google_export.ics"), context), std::invalid_argument);
}
