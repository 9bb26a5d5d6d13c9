// A dialog end to end: started for a participant, answered through the console webhook,
// its replies queued in the same transaction as her message.
#include <catch2/catch.hpp>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bot/app.hpp"
#include "bot/conversations.hpp"
#include "bot/engine.hpp"
#include "support/configs.hpp"
#include "support/raw_http.hpp"
#include "support/temp_dir.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// A configuration folder with one dialog and its French texts.
Config config_with_dialog(const test::TempDir& dir) {
  write(dir / "templates/fr.json", R"({
    "ask": "Bonjour {first_name}, vous venez demain ? Répondez OUI ou NON.",
    "thanks": "Merci {first_name}, à demain !",
    "sorry": "D'accord. {coach_name} vous appelle bientôt.",
    "dialog.not_understood": "Je n'ai pas compris. Répondez OUI ou NON.",
    "help": "Service SMS du parcours. Votre conseillère : {coach_name}. Pour arrêter : STOP.",
    "callback.ack": "C'est noté : {coach_name} va vous rappeler."
  })");
  write(dir / "dialogs/confirm.json", R"({
    "id": "confirm", "start": "ask",
    "nodes": {
      "ask": {"ask": "yes_no", "template": "ask", "save": "attendance.coming", "timeout": "1d",
              "next": {"yes": "thanks", "no": "sorry", "timeout": "end"}},
      "thanks": {"send": "thanks", "next": "end"},
      "sorry": {"alert": "absence_declared", "next": "say_sorry"},
      "say_sorry": {"send": "sorry", "next": "end"},
      "end": {"end": true}
    }
  })");
  Config c = test::small_config((dir / "relais.db").string());
  c.file = dir / "relais.json";
  return c;
}

struct Served {
  std::ostringstream console;
  SystemClock clock;
  std::unique_ptr<App> app;
  std::thread thread;
  std::uint16_t port = 0;
  explicit Served(Config c) {
    c.server.port = 0;
    app = std::make_unique<App>(std::move(c), clock, console);
    std::promise<std::uint16_t> listening;
    thread = std::thread([&] { app->serve([&](std::uint16_t p) { listening.set_value(p); }); });
    port = listening.get_future().get();
  }
  ~Served() {
    app->stop();
    thread.join();
  }
  nlohmann::json say(const std::string& text, const std::string& id) {
    test::RawConnection c(port);
    c.send_all(test::http_request("POST", "/webhooks/console",
                                  R"({"from": "+33612345001", "text": ")" + text + R"(", "id": ")" + id + "\"}"));
    auto r = c.read_response();
    REQUIRE(test::status_of(r) == 200);
    return nlohmann::json::parse(test::body_of(r));
  }
};

Config seeded(Config c) {
  auto store = open_sqlite_store(c.database_path().string());
  store->upsert_participants({test::participant("Amina", "+33612345001")}, SystemClock().now());
  return c;
}

// Amina enrolled, relais served, and the "confirm" dialog ready to start for her.
struct DialogRun {
  test::TempDir dir;
  Config config = seeded(config_with_dialog(dir));
  Served s{config};
  std::unique_ptr<Store> store = open_sqlite_store(config.database_path().string());
  ParticipantRecord amina = *store->find_participant_by_phone("+33612345001");
  TimeZone zone{"Europe/Paris"};
  std::unique_ptr<Conversations> conversations = Conversations::load(s.app->config(), zone);

  // The engine starts the dialog (as the scheduler will); the question waits for the window.
  void start() {
    s.app->engine().run([&](Store& st) {
      conversations->start(st, *st.find_participant(amina.id), "confirm", {}, s.clock.now());
    });
  }
};

}  // namespace

TEST_CASE("a started dialog waits for her answer, and her answer is understood and replied to", "[app][dialogs]") {
  DialogRun run;
  auto& s = run.s;
  auto& store = run.store;
  run.start();

  auto first = s.say("bof", "r1");  // not understood: one clarification, at once
  REQUIRE(first["replies"].size() == 1);
  CHECK(first["replies"][0]["text"] == "Je n'ai pas compris. Répondez OUI ou NON.");

  auto second = s.say("Non !", "r2");
  REQUIRE(second["replies"].size() == 1);
  CHECK(second["replies"][0]["text"] == "D'accord. Claire vous appelle bientot.");
  CHECK(store->count_alerts("absence_declared") == 1);
  CHECK(store->answers_of(run.amina.id) == std::vector<std::pair<std::string, std::string>>{{"attendance.coming", "no"}});
  CHECK_FALSE(store->active_conversation(run.amina.id));

  // The dialog is over: her next message goes to her coach, with no automatic answer.
  auto third = s.say("merci", "r3");
  CHECK(third["replies"].empty());
  CHECK(store->count_alerts("participant_message") == 1);
}

TEST_CASE("STOP in the middle of a dialog ends it and opts her out", "[app][dialogs]") {
  DialogRun run;
  auto& store = run.store;
  run.start();
  REQUIRE(store->active_conversation(run.amina.id));

  auto r = run.s.say("STOP", "s1");
  REQUIRE(r["replies"].size() == 1);
  CHECK(r["replies"][0]["text"].get<std::string>().find("START") != std::string::npos);
  CHECK_FALSE(store->active_conversation(run.amina.id));
  CHECK(store->find_participant(run.amina.id)->opted_out);
  // While opted out, nothing starts.
  run.start();
  CHECK_FALSE(store->active_conversation(run.amina.id));
}

TEST_CASE("AIDE and COACH are answered at any point, and the waiting question still waits", "[app][dialogs]") {
  DialogRun run;
  auto& store = run.store;
  run.start();

  auto help = run.s.say("aide", "h1");
  REQUIRE(help["replies"].size() == 1);
  CHECK(help["replies"][0]["text"] == "Service SMS du parcours. Votre conseillère : Claire. Pour arreter : STOP.");
  auto coach = run.s.say("COACH", "h2");
  REQUIRE(coach["replies"].size() == 1);
  CHECK(coach["replies"][0]["text"] == "C'est noté : Claire va vous rappeler.");
  CHECK(store->count_alerts("callback_requested") == 1);
  REQUIRE(store->active_conversation(run.amina.id));
  CHECK(store->active_conversation(run.amina.id)->node == "ask");
  auto yes = run.s.say("oui", "h3");
  CHECK(yes["replies"][0]["text"] == "Merci Amina, à demain !");
}

TEST_CASE("two replies arriving at once are handled one after the other", "[app][dialogs]") {
  DialogRun run;
  auto& store = run.store;
  run.start();

  nlohmann::json a, b;
  std::thread first([&] { a = run.s.say("oui", "c1"); });
  std::thread second([&] { b = run.s.say("merci beaucoup", "c2"); });
  first.join();
  second.join();
  // Whatever the order, "oui" answered the question exactly once and the dialog is over.
  CHECK(store->answers_of(run.amina.id) == std::vector<std::pair<std::string, std::string>>{{"attendance.coming", "yes"}});
  CHECK_FALSE(store->active_conversation(run.amina.id));
  int thanks = 0;
  for (const auto* r : {&a, &b})
    for (const auto& reply : (*r)["replies"]) thanks += reply["text"] == "Merci Amina, à demain !";
  CHECK(thanks == 1);
  CHECK(store->recent_inbound(10).size() == 2);
}

TEST_CASE("a tip node sends, in a message of its own, the tip she has not had yet, and records it",
          "[app][dialogs][tips]") {
  test::TempDir dir;
  Config config = config_with_dialog(dir);
  write(dir / "templates/fr.json", R"({
    "why": "Qu'est-ce qui vous empêche de venir à {venue_name} ? 1 garde, 2 transport.",
    "tip": "{tip_text}",
    "dialog.not_understood": "Je n'ai pas compris."
  })");
  write(dir / "dialogs/why.json", R"({
    "id": "why", "start": "why",
    "nodes": {
      "why": {"ask": "choice", "template": "why", "timeout": "1d",
              "choices": {"childcare": ["garde"], "transport": ["transport"]},
              "next": {"childcare": "childcare", "transport": "transport"}},
      "childcare": {"tip": "childcare", "template": "tip", "next": "end"},
      "transport": {"tip": "mobility", "template": "tip", "next": "end"},
      "end": {"end": true}
    }
  })");
  std::filesystem::remove(dir / "dialogs/confirm.json");
  write(dir / "tips/fr/childcare.json", R"({"barrier": "childcare", "language": "fr", "tips": [
    {"id": "rpe", "text": "Le relais petite enfance aide à trouver une assistante maternelle.", "source": "s", "reviewed": true},
    {"id": "caf", "text": "La CAF peut aider à payer la garde.", "source": "s", "reviewed": true}]})");
  config.venues = {{"cedre", "Le Cèdre", "Chenôve"}};
  write(dir / "tips/fr/venues.json", R"({"barrier": "mobility", "language": "fr", "tips": [
    {"id": "way-cedre", "venue": "cedre", "text": "Tram T2, terminus Chenove Centre.", "source": "s", "reviewed": true}]})");
  config = seeded(config);
  Served s{config};
  auto store = open_sqlite_store(config.database_path().string());
  const auto amina = *store->find_participant_by_phone("+33612345001");
  TimeZone zone{"Europe/Paris"};
  auto conversations = Conversations::load(s.app->config(), zone);
  auto start = [&] {
    s.app->engine().run([&](Store& st) {
      conversations->start(st, *st.find_participant(amina.id), "why", {{"venue_id", "cedre"}}, s.clock.now());
    });
  };

  start();
  auto first = s.say("la garde", "t1");
  REQUIRE(first["replies"].size() == 1);
  CHECK(first["replies"][0]["text"] == "Le relais petite enfance aide à trouver une assistante maternelle.");
  start();
  auto second = s.say("garde", "t2");  // the other tip, not the same one twice
  REQUIRE(second["replies"].size() == 1);
  CHECK(second["replies"][0]["text"] == "La CAF peut aider à payer la garde.");
  start();
  auto third = s.say("transport", "t3");  // the way to the session's venue
  REQUIRE(third["replies"].size() == 1);
  CHECK(third["replies"][0]["text"] == "Tram T2, terminus Chenove Centre.");
  auto sent = store->tips_sent_to(amina.id);
  CHECK(sent.size() == 3);
  CHECK(sent.count("rpe") == 1);
  CHECK(sent.count("way-cedre") == 1);
  // The question named the venue from the config, by the id the session gave.
  CHECK_THAT(store->outbox_row(1)->text, Catch::Contains("Le Cèdre"));
  CHECK(store->count_outbox_to("+33612345001", "tip", Utc{}) == 3);
}
