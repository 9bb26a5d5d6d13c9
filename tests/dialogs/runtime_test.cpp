#include <catch2/catch.hpp>

#include "dialogs/runtime.hpp"

using namespace relais;
using namespace relais::dialogs;
using namespace std::chrono_literals;

namespace {

const char* kCheckin = R"({
  "id": "checkin", "start": "rating",
  "nodes": {
    "rating": {"ask": "number", "min": 1, "max": 5, "template": "checkin.rating", "save": "checkin.rating",
               "timeout": "2d", "nudge": {"after": "1d", "template": "checkin.nudge"},
               "next": {"answer": "low", "timeout": "end"}},
    "low": {"branch": "answer.rating", "next": {"1": "alert", "2": "alert", "*": "blocker"}},
    "alert": {"alert": "low_rating", "next": "blocker"},
    "blocker": {"ask": "yes_no", "template": "checkin.blocker", "save": "checkin.blocker",
                "next": {"yes": "which", "no": "thanks"}},
    "which": {"ask": "choice", "template": "checkin.which", "save": "checkin.blocker_kind",
              "choices": {"childcare": ["garde", "enfant"], "transport": ["bus", "tram", "transport"]},
              "next": {"*": "coach"}},
    "coach": {"alert": "blocker", "next": "thanks"},
    "thanks": {"send": "checkin.thanks", "next": "end"},
    "end": {"end": true}
  }
})";

const Utc t0 = from_epoch_ms(1'790'000'000'000);

struct Player {
  Dialog dialog = parse_dialog(kCheckin, "checkin.json", [](const std::string&) { return true; });
  ParticipantView amina{"Amina", "g1", "fr", {"childcare"}, true};
  std::optional<Conversation> state;
  std::vector<std::string> sent;    // template keys, in order
  std::vector<std::string> alerts;
  std::vector<std::pair<std::string, std::string>> saved;
  bool ended = false;

  void apply(const Effects& fx) {
    for (const auto& m : fx.messages) sent.push_back(m.template_key);
    for (const auto& a : fx.alerts) alerts.push_back(a);
    for (const auto& s : fx.saves) saved.emplace_back(s.target, s.value);
    state = fx.conversation;
    ended = !state;
  }
  void start(Utc now = t0) { apply(advance(dialog, std::nullopt, {Event::Kind::start, "", now}, amina, nullptr)); }
  void reply(const std::string& text, Utc now = t0 + 1h) {
    apply(advance(dialog, state, {Event::Kind::reply, text, now}, amina, nullptr));
  }
  void tick(Utc now) { apply(advance(dialog, state, {Event::Kind::due, "", now}, amina, nullptr)); }
};

}  // namespace

TEST_CASE("a check-in with a low rating and a blocker alerts the coach and saves every answer", "[dialogs][runtime]") {
  Player p;
  p.start();
  CHECK(p.sent == std::vector<std::string>{"checkin.rating"});
  REQUIRE(p.state);
  CHECK(p.state->node == "rating");
  CHECK(p.state->timeout_at == t0 + 48h);
  CHECK(p.state->nudge_at == t0 + 24h);

  p.reply("2️⃣");
  CHECK(p.alerts == std::vector<std::string>{"low_rating"});
  CHECK(p.state->node == "blocker");
  p.reply("ouiii");
  p.reply("le bus");
  CHECK(p.ended);
  CHECK(p.alerts == std::vector<std::string>{"low_rating", "blocker"});
  CHECK(p.sent == std::vector<std::string>{"checkin.rating", "checkin.blocker", "checkin.which", "checkin.thanks"});
  CHECK(p.saved == std::vector<std::pair<std::string, std::string>>{
                       {"checkin.rating", "2"}, {"checkin.blocker", "yes"}, {"checkin.blocker_kind", "transport"}});
}

TEST_CASE("a good rating skips the coach's alert", "[dialogs][runtime]") {
  Player p;
  p.start();
  p.reply("5");
  p.reply("non");
  CHECK(p.ended);
  CHECK(p.alerts.empty());
}

TEST_CASE("an answer not understood gets one clarification, then the dialog moves on and the coach is told", "[dialogs][runtime]") {
  Player p;
  p.start();
  p.reply("bof");
  CHECK(p.sent.back() == "dialog.not_understood");
  REQUIRE(p.state);
  CHECK(p.state->node == "rating");
  CHECK(p.state->misses == 1);
  p.reply("je sais pas");
  CHECK(p.alerts == std::vector<std::string>{"not_understood"});
  CHECK(p.ended);  // rating's "timeout" outcome leads to the end
}

TEST_CASE("a node's own clarification is used when the templates have it", "[dialogs][runtime]") {
  Player p;
  p.start();
  auto fx = advance(p.dialog, p.state, {Event::Kind::reply, "bof", t0 + 1h}, p.amina,
                    [](const std::string& key) { return key == "checkin.rating.clarify"; });
  REQUIRE(fx.messages.size() == 1);
  CHECK(fx.messages[0].template_key == "checkin.rating.clarify");
}

TEST_CASE("a nudge comes once when due, and the timeout ends the question", "[dialogs][runtime]") {
  Player p;
  p.start();
  p.tick(t0 + 23h);  // nothing yet
  CHECK(p.sent.size() == 1);
  p.tick(t0 + 24h);
  CHECK(p.sent.back() == "checkin.nudge");
  p.tick(t0 + 30h);  // not twice
  CHECK(p.sent.size() == 2);
  REQUIRE(p.state);
  p.tick(t0 + 48h);
  CHECK(p.ended);
  CHECK(p.sent.size() == 2);
}

TEST_CASE("a branch on the participant's barriers follows her first named barrier", "[dialogs][runtime]") {
  const char* script = R"({"id": "tips", "start": "b", "nodes": {
      "b": {"branch": "participant.barriers", "next": {"mobility": "m", "childcare": "c", "*": "e"}},
      "m": {"send": "tip.mobility", "next": "e"}, "c": {"send": "tip.childcare", "next": "e"},
      "e": {"end": true}}})";
  Dialog d = parse_dialog(script, "tips.json", [](const std::string&) { return true; });
  ParticipantView p{"Amina", "g1", "fr", {"childcare", "mobility"}, false};
  auto fx = advance(d, std::nullopt, {Event::Kind::start, "", t0}, p, nullptr);
  REQUIRE(fx.messages.size() == 1);
  CHECK(fx.messages[0].template_key == "tip.childcare");
  CHECK_FALSE(fx.conversation);
  p.barriers = {};
  CHECK(advance(d, std::nullopt, {Event::Kind::start, "", t0}, p, nullptr).messages.empty());
}
