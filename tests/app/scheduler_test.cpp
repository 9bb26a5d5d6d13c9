// The scheduler end to end, on a simulated clock: the shipped rules, dialogs and texts,
// sessions imported from a source, jobs planned, fired, moved, cancelled and caught up.
#include <catch2/catch.hpp>

#include <date/date.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "bot/app.hpp"
#include "bot/commands.hpp"
#include "bot/engine.hpp"
#include "support/configs.hpp"
#include "support/fake_gateway.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

Utc utc(int y, unsigned m, unsigned d, int h, int min) {
  return std::chrono::time_point_cast<Millis>(date::sys_days{date::year{y} / date::month{m} / date::day{d}} +
                                              std::chrono::hours(h) + std::chrono::minutes(min));
}

Session workshop(std::string uid, Utc start) {
  Session s;
  s.uid = std::move(uid);
  s.start = start;
  s.end = start + 2h;
  s.title = "Mobilité";
  s.kind = "mobility";
  s.cohorts = {"g1"};
  s.venue = "cedre-chenove";
  return s;
}

// The shipped configuration (rules, dialogs, texts, tips) on a throw-away database.
struct Programme {
  test::TempDir dir;
  SimulatedClock clock{utc(2026, 11, 23, 8, 0)};  // Monday 23 November 2026, 9:00 in Paris
  std::ostringstream console;
  std::unique_ptr<App> app;
  std::int64_t amina = 0, sylvie = 0;

  Programme() {
    Config c = load_config(std::filesystem::path(RELAIS_SOURCE_DIR) / "config/relais.json");
    c.database.path = dir / "relais.db";
    app = std::make_unique<App>(std::move(c), clock, console);
    auto a = test::participant("Amina", "+33612345001");
    a.barriers = {"childcare"};
    a.buddy_phone = "+33612345002";
    auto s = test::participant("Sylvie", "+33612345002");
    s.buddy_phone = "+33612345001";
    store([&](Store& st) {
      st.upsert_participants({a, s}, clock.now());
      amina = st.find_participant_by_phone(a.phone)->id;
      sylvie = st.find_participant_by_phone(s.phone)->id;
    });
  }
  void store(const std::function<void(Store&)>& f) { app->engine().run(f); }
  std::vector<OutboxRow> messages(std::int64_t who) {
    std::vector<OutboxRow> out;
    store([&](Store& s) { out = s.outbox_of_participant(who); });
    return out;
  }
  std::optional<JobRow> job(const std::string& key) {
    std::optional<JobRow> out;
    store([&](Store& s) { out = s.job_by_key(key); });
    return out;
  }
  void say(const std::string& phone, const std::string& text, const std::string& id) {
    InboundMessage m;
    m.channel = "console";
    m.from = phone;
    m.text = text;
    m.provider_id = id;
    app->receive(m);
  }
  std::string key(std::int64_t who, const std::string& uid, const std::string& rule) {
    return "s/" + std::to_string(who) + "/" + uid + "//" + rule;
  }
};

}  // namespace

TEST_CASE("a session's jobs are planned, fire on time, move with it, and are told and caught up", "[scheduler]") {
  Programme p;
  const Session first = workshop("w1@test", utc(2026, 11, 25, 13, 0));   // Wednesday 25, 14:00 in Paris
  const Session second = workshop("w2@test", utc(2026, 12, 3, 8, 30));   // Thursday 3 December, 9:30
  auto imported = p.app->import_sessions("test", {first, second});
  CHECK(imported.created == 2);
  CHECK(imported.notices == 0);

  // The first tick plans everything and sends the welcomes (enrolled now, inside the window).
  p.app->tick();
  auto amina = p.messages(p.amina);
  REQUIRE(amina.size() == 1);
  CHECK(amina[0].kind == "welcome");
  auto attendance = p.job(p.key(p.amina, "w1@test", "attendance-day-before"));
  REQUIRE(attendance);
  CHECK(attendance->job.due == utc(2026, 11, 24, 16, 0));  // Tuesday 17:00 in Paris
  CHECK(attendance->job.deadline == first.start);
  CHECK(p.job(p.key(p.amina, "w1@test", "reminder-2h-before"))->job.due == utc(2026, 11, 25, 11, 0));
  CHECK(p.job(p.key(p.amina, "w1@test", "checkin-after"))->job.due == utc(2026, 11, 25, 16, 0));
  // Weekly prompts: the binôme prompt on Wednesday, the tip on Tuesday (she named a barrier).
  CHECK(p.job("p/" + std::to_string(p.amina) + "/peer-weekly/2026-11-25"));
  CHECK(p.job("p/" + std::to_string(p.amina) + "/tip-weekly/2026-11-24"));

  // Tuesday 17:00: the attendance question, a reminder that never leaves after the session.
  p.clock.set(utc(2026, 11, 24, 16, 0));
  p.app->tick();
  amina = p.messages(p.amina);
  REQUIRE(amina.size() >= 2);
  const OutboxRow& ask = amina.back();
  CHECK(ask.kind == "reminder");
  CHECK(ask.text == "Bonjour Amina, venez-vous à l'atelier Mobilité le mercredi 25 novembre à 14h ? Répondez OUI ou NON.");
  CHECK(ask.deadline == first.start);
  CHECK(ask.job_id == attendance->id);
  CHECK(p.job(attendance->job.key)->status == "fired");

  // She cannot come (childcare): her absence is declared, and a childcare tip goes at once.
  p.say("+33612345001", "non", "in-1");
  p.say("+33612345001", "1", "in-2");
  std::optional<std::string> declared;
  p.store([&](Store& s) { declared = s.attendance_of(attendance->job.session_id.value(), p.amina); });
  CHECK(declared == "excused");

  // The session moves to Thursday 26 at 14:00: both are told, the jobs move with it.
  Session moved = first;
  moved.start = utc(2026, 11, 26, 13, 0);
  moved.end = moved.start + 2h;
  imported = p.app->import_sessions("test", {moved, second});
  CHECK(imported.moved == 1);
  CHECK(imported.notices == 2);
  const auto sylvie = p.messages(p.sylvie);
  CHECK(sylvie.back().kind == "notice");
  CHECK(sylvie.back().text == "Bonjour Sylvie, changement : l'atelier Mobilité a lieu le jeudi 26 novembre à 14h, Le Cèdre.");
  CHECK(p.job(p.key(p.amina, "w1@test", "reminder-2h-before"))->job.due == utc(2026, 11, 26, 11, 0));
  CHECK(p.job(p.key(p.amina, "w1@test", "checkin-after"))->job.due == utc(2026, 11, 26, 16, 0));

  // The source drops the second session: it is cancelled with its jobs (more than 7 days
  // ahead: nobody is told).
  imported = p.app->import_sessions("test", {moved});
  CHECK(imported.cancelled == 1);
  CHECK(imported.notices == 0);
  CHECK(p.job(p.key(p.amina, "w2@test", "checkin-after"))->status == "cancelled");

  // Relais was down from Thursday morning to Friday 10:00: the reminder before the session
  // is dropped, the check-in (within 2 days) and Amina's "missed" message go; Sylvie, who
  // declared nothing, gets no "missed" message.
  p.clock.set(utc(2026, 11, 27, 9, 0));
  p.app->tick();
  CHECK(p.job(p.key(p.amina, "w1@test", "reminder-2h-before"))->status == "dropped");
  CHECK(p.job(p.key(p.amina, "w1@test", "checkin-after"))->status == "fired");
  CHECK(p.job(p.key(p.amina, "w1@test", "missed-next-day"))->status == "fired");
  CHECK(p.job(p.key(p.sylvie, "w1@test", "missed-next-day"))->status == "dropped");
  CHECK(p.job(p.key(p.sylvie, "w1@test", "missed-next-day"))->reason == "no absence declared or marked");
}

TEST_CASE("two sources never cancel each other's sessions; a UID seen in both goes to the later, with a warning",
          "[scheduler][calendar]") {
  Programme p;
  const Session shared = workshop("shared@test", utc(2026, 12, 1, 13, 0));
  const Session own = workshop("own@test", utc(2026, 12, 2, 13, 0));
  p.app->import_sessions("google", {shared, own});
  auto result = p.app->import_sessions("outlook", {shared});
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0] == "event \"Mobilité\" (uid shared@test) was in source \"google\": it now belongs to \"outlook\"");
  // Google's next snapshot no longer has the shared event: it is Outlook's now, so it stays.
  result = p.app->import_sessions("google", {own});
  CHECK(result.cancelled == 0);
  std::vector<SessionRow> outlook, google;
  p.store([&](Store& s) {
    outlook = s.sessions_of_source("outlook");
    google = s.sessions_of_source("google");
  });
  REQUIRE(outlook.size() == 1);
  CHECK_FALSE(outlook[0].session.cancelled);
  REQUIRE(google.size() == 1);
  CHECK(google[0].session.uid == "own@test");
  // An empty Outlook snapshot cancels its own session only.
  result = p.app->import_sessions("outlook", {});
  CHECK(result.cancelled == 1);
  p.store([&](Store& s) { google = s.sessions_of_source("google"); });
  CHECK_FALSE(google[0].session.cancelled);
}

TEST_CASE("the server reads a calendar published at an address", "[scheduler][calendar]") {
  test::FakeGateway calendar_host;
  std::string published = test::read_text(std::filesystem::path(RELAIS_SOURCE_DIR) / "config/calendars/ateliers-exemple.ics");
  std::mutex mutex;
  calendar_host.on("GET", "/agenda/basic.ics", [&](const test::FakeGateway::Received&, int) {
    std::lock_guard lock(mutex);
    return http::text_response(200, published);
  });
  calendar_host.start();
  test::TempDir dir;
  Config c = load_config(std::filesystem::path(RELAIS_SOURCE_DIR) / "config/relais.json");
  c.database.path = dir / "relais.db";
  c.server.port = 0;
  CalendarSourceConfig source;
  source.id = "agenda";
  source.url = calendar_host.base_url() + "/agenda/basic.ics";
  c.calendars.sources = {source};
  SystemClock clock;
  std::ostringstream console;
  App app(std::move(c), clock, console);
  std::thread serving([&] { app.serve(); });
  auto store = open_sqlite_store((dir / "relais.db").string());
  bool read = false;
  for (int i = 0; i < 200 && !read; ++i) {
    read = !store->sessions_of_source("agenda").empty();
    if (!read) std::this_thread::sleep_for(50ms);
  }
  const auto sessions = store->sessions_of_source("agenda");
  app.stop();
  serving.join();
  REQUIRE(read);
  CHECK(sessions.size() > 50);
  CHECK(calendar_host.received().front().method == "GET");
}

TEST_CASE("a participant re-imported into another cohort loses her old cohort's jobs", "[scheduler]") {
  Programme p;
  p.app->import_sessions("test", {workshop("w1@test", utc(2026, 11, 25, 13, 0))});
  p.app->tick();
  REQUIRE(p.job(p.key(p.amina, "w1@test", "checkin-after"))->status == "planned");
  const auto csv = p.dir / "move.csv";
  std::ofstream(csv) << "Prénom;Téléphone;Groupe;Consentement\nAmina;06 12 34 50 01;g2;oui\n";
  const auto report = import_participants(p.app->config(), csv, {}, p.clock.now());
  REQUIRE(report.written);
  CHECK(report.updated == 1);
  CHECK(p.job(p.key(p.amina, "w1@test", "checkin-after"))->status == "cancelled");
  CHECK(p.job(p.key(p.sylvie, "w1@test", "checkin-after"))->status == "planned");
}

TEST_CASE("the weekly prompts roll on: a day later the next fortnight is planned", "[scheduler]") {
  Programme p;
  p.app->import_sessions("test", {workshop("w1@test", utc(2026, 11, 25, 13, 0)), workshop("w2@test", utc(2026, 12, 30, 13, 0))});
  p.app->tick();  // Monday 23 November: Fridays 27 November and 4 December are planned
  const std::string later = "p/" + std::to_string(p.amina) + "/meteo-weekly/2026-12-18";
  CHECK(p.job("p/" + std::to_string(p.amina) + "/meteo-weekly/2026-12-04"));
  CHECK_FALSE(p.job(later));
  p.clock.set(utc(2026, 12, 8, 8, 0));  // Tuesday 8 December: a new local day
  p.app->tick();
  REQUIRE(p.job(later));
  CHECK(p.job(later)->status == "planned");
}
