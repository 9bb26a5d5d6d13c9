// Recorded conversations, played through the shipped dialogs and texts.
//
// Each file of tests/dialogs/transcripts/ is one conversation: a participant, the context
// the dialog is started with, and steps. A step moves a simulated clock ("after": "2h"),
// then starts the dialog ("event": "start"), gives her reply ("in": "non") or lets time
// pass ("event": "due": nudges and timeouts). What it expects is compared exactly: the
// texts she receives ("out", rendered, before the SMS normaliser), the texts relayed to her
// binôme ("relayed"), the answers saved ("saves"), the coach's alerts ("alerts") and
// whether the dialog is over ("ended"). A key left out expects nothing (false for "ended").
// A practical tip appears as the shipped tip's own text (config/tips/).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "dialogs/runtime.hpp"
#include "dialogs/script_loader.hpp"
#include "dialogs/templates.hpp"
#include "dialogs/tips.hpp"

using namespace relais;
using namespace relais::dialogs;

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using Texts = std::vector<std::string>;

const fs::path kRoot = RELAIS_SOURCE_DIR;
const fs::path kTranscripts = kRoot / "tests/dialogs/transcripts";

// What the engine adds from her cohort and her binôme (bot/conversations.cpp), as the
// transcripts expect them.
const std::map<std::string, std::string> kEngineValues = {
    {"coach_name", "Nadia"}, {"coach_phone", "03 53 01 00 11"}, {"buddy_first_name", "Sylvie"}};

const Utc kClockStart = from_epoch_ms(1'796'630'400'000);  // 2026-12-07T08:00:00Z, a Monday

// ---- The shipped content, loaded as the service loads it.
struct Shipped {
  Templates templates;
  std::vector<Dialog> dialogs;
  Tips tips;

  const Dialog& dialog(const std::string& id) const {
    for (const auto& d : dialogs)
      if (d.id == id) return d;
    throw std::runtime_error("no shipped dialog \"" + id + "\"");
  }
};

Shipped load_shipped() {
  auto templates = Templates::load(kRoot / "config/templates");
  auto has = [&templates](const std::string& key) { return templates.has(key, "fr"); };
  auto dialogs = load_dialogs(kRoot / "config/dialogs", has);
  auto tips = Tips::load(kRoot / "config/tips", {"bib-fontaine-d-ouche", "cedre-chenove"});
  return {std::move(templates), std::move(dialogs), std::move(tips)};
}

// ---- A transcript, read from its file.
struct Expected {
  Texts out, relayed, saves, alerts;  // saves as "target=value", in order
  bool ended = false;
};

struct Step {
  std::chrono::minutes after{0};
  Event::Kind kind = Event::Kind::reply;
  std::string text;
  Expected expected;
};

struct Transcript {
  std::string dialog;
  ParticipantView participant;
  std::string buddy_language = "fr";
  std::map<std::string, std::string> context;
  std::vector<Step> steps;
};

[[noreturn]] void bad(const std::string& what) { throw std::runtime_error("bad transcript: " + what); }

// A misspelt key ("alert" for "alerts") would silently expect nothing: refuse it.
void only_keys(const Json& j, std::initializer_list<std::string_view> allowed, const std::string& where) {
  if (!j.is_object()) bad(where + " must be an object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      bad(where + ": unknown key \"" + it.key() + "\"");
}

std::chrono::minutes duration(const std::string& s) {
  const std::size_t digits = s.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string::npos || digits + 1 != s.size()) bad("\"" + s + "\" is not a duration");
  const long n = std::stol(s.substr(0, digits));
  switch (s.back()) {
    case 'm': return std::chrono::minutes(n);
    case 'h': return std::chrono::hours(n);
    case 'd': return std::chrono::hours(24 * n);
  }
  bad("\"" + s + "\": the unit is m, h or d");
}

Texts texts(const Json& j, const char* key) {
  return j.contains(key) ? j.at(key).get<Texts>() : Texts{};
}

Step read_step(const Json& j, const std::string& where) {
  only_keys(j, {"after", "event", "in", "out", "relayed", "saves", "alerts", "ended"}, where);
  Step step;
  step.after = duration(j.value("after", std::string("0m")));
  const std::string event = j.value("event", std::string(j.contains("in") ? "reply" : ""));
  if (event == "start") step.kind = Event::Kind::start;
  else if (event == "due") step.kind = Event::Kind::due;
  else if (event != "reply") bad(where + ": \"event\" is start, reply or due (or give \"in\")");
  if (j.contains("in") != (step.kind == Event::Kind::reply)) bad(where + ": \"in\" goes with a reply, only");
  step.text = j.value("in", std::string());
  step.expected.out = texts(j, "out");
  step.expected.relayed = texts(j, "relayed");
  step.expected.alerts = texts(j, "alerts");
  if (j.contains("saves"))
    for (const auto& [target, value] : j.at("saves").items())
      step.expected.saves.push_back(target + "=" + value.get<std::string>());
  step.expected.ended = j.value("ended", false);
  return step;
}

Transcript parse_transcript(const Json& j) {
  only_keys(j, {"dialog", "participant", "context", "steps"}, "the file");
  Transcript t;
  t.dialog = j.at("dialog").get<std::string>();
  const Json& p = j.at("participant");
  only_keys(p, {"first_name", "language", "cohort", "barriers", "has_buddy", "buddy_language"}, "participant");
  t.participant.first_name = p.at("first_name").get<std::string>();
  t.participant.language = p.value("language", std::string("fr"));
  t.participant.cohort = p.value("cohort", std::string("g1"));
  t.participant.barriers = p.value("barriers", Texts{});
  t.participant.has_buddy = p.value("has_buddy", false);
  t.buddy_language = p.value("buddy_language", std::string("fr"));
  t.context = j.value("context", std::map<std::string, std::string>{});
  for (std::size_t i = 0; i < j.at("steps").size(); ++i)
    t.steps.push_back(read_step(j.at("steps").at(i), "step " + std::to_string(i)));
  if (t.steps.empty() || t.steps.front().kind != Event::Kind::start) bad("the first step starts the dialog");
  return t;
}

Transcript read_transcript(const fs::path& file) {
  try {
    std::ifstream in(file, std::ios::binary);
    if (!in) bad("cannot read it");
    std::stringstream text;
    text << in.rdbuf();
    return parse_transcript(Json::parse(text.str()));
  } catch (const std::exception& e) {  // a JSON error or a bad step: name the file
    throw std::runtime_error(file.filename().string() + ": " + e.what());
  }
}

std::vector<fs::path> transcript_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kTranscripts))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// ---- Playing it, as the engine does (bot/conversations.cpp) minus the database.
struct Observed {
  Expected got;
  Texts template_keys;  // every template sent, for the coverage test
};

class Player {
 public:
  Player(const Shipped& shipped, const Transcript& t)
      : shipped_(shipped), t_(t), dialog_(shipped.dialog(t.dialog)) {}

  Observed play(const Step& step) {
    now_ += step.after;
    if (step.kind != Event::Kind::start && !state_) bad("a step after the dialog ended");
    const auto& language = t_.participant.language;
    auto has = [&](const std::string& key) { return shipped_.templates.has(key, language); };
    const Effects fx = advance(dialog_, state_, {step.kind, step.text, now_}, t_.participant, has);
    state_ = fx.conversation;
    Observed o;
    for (const auto& m : fx.messages) {
      (m.to_buddy ? o.got.relayed : o.got.out).push_back(render(m));
      o.template_keys.push_back(m.template_key);
    }
    for (const auto& s : fx.saves) o.got.saves.push_back(s.target + "=" + s.value);
    o.got.alerts = fx.alerts;
    o.got.ended = !fx.conversation;
    return o;
  }

 private:
  // Her values, the context, the engine's values, then the message's own (which never
  // override: std::map::insert keeps the first).
  // A tip node's text is the tip the engine would choose (the way to the context's
  // "venue_id" first, for mobility), each tip once before any comes back.
  std::string render(const Outgoing& m) {
    auto vars = t_.context;
    vars["first_name"] = t_.participant.first_name;
    vars.insert(kEngineValues.begin(), kEngineValues.end());
    vars.insert(m.variables.begin(), m.variables.end());
    if (!m.tip_barrier.empty()) {
      auto venue = t_.context.find("venue_id");
      auto barrier = t_.context.find("barrier");  // "*": the barrier the dialog was started for
      const std::string wanted = m.tip_barrier != "*" ? m.tip_barrier : barrier != t_.context.end() ? barrier->second : "";
      const Tip* tip = shipped_.tips.choose(wanted, t_.participant.language,
                                            venue == t_.context.end() ? "" : venue->second, tips_sent_);
      if (!tip) bad("no shipped tip for " + m.tip_barrier);
      tips_sent_[tip->id] = now_;
      vars["tip_text"] = tip->text;
    }
    // A relay is read by her binôme, in the binôme's language.
    return shipped_.templates.render(m.template_key, m.to_buddy ? t_.buddy_language : t_.participant.language,
                                     vars);
  }

  const Shipped& shipped_;
  const Transcript& t_;
  const Dialog& dialog_;
  std::optional<Conversation> state_;
  std::map<std::string, Utc> tips_sent_;
  Utc now_ = kClockStart;
};

// The programme's dialogs (config/dialogs/), as the scheduler and the import start them.
const std::set<std::string> kProgrammeDialogs = {"welcome", "attendance", "reminder", "checkin", "peer",
                                                 "meteo", "tip", "end_of_programme", "missed"};

}  // namespace

TEST_CASE("each recorded conversation plays exactly as written with the shipped dialogs and texts",
          "[dialogs][transcripts]") {
  const Shipped shipped = load_shipped();
  const fs::path file = GENERATE(from_range(transcript_files()));
  CAPTURE(file.filename().string());
  const Transcript t = read_transcript(file);
  Player player(shipped, t);
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    CAPTURE(i, t.steps[i].text);
    const Expected got = player.play(t.steps[i]).got;
    const Expected& want = t.steps[i].expected;
    CHECK(got.out == want.out);
    CHECK(got.relayed == want.relayed);
    CHECK(got.saves == want.saves);
    CHECK(got.alerts == want.alerts);
    CHECK(got.ended == want.ended);
  }
}

TEST_CASE("the transcripts together send every text and raise every alert of the shipped dialogs",
          "[dialogs][transcripts]") {
  const Shipped shipped = load_shipped();
  std::set<std::string> sent, raised, played;
  for (const auto& file : transcript_files()) {
    const Transcript t = read_transcript(file);
    played.insert(t.dialog);
    Player player(shipped, t);
    for (const auto& step : t.steps) {
      const Observed o = player.play(step);
      sent.insert(o.template_keys.begin(), o.template_keys.end());
      raised.insert(o.got.alerts.begin(), o.got.alerts.end());
    }
  }
  CHECK(sent.count("dialog.not_understood"));
  CHECK(raised.count("not_understood"));
  for (const auto& d : shipped.dialogs) {
    CAPTURE(d.id);
    CHECK(played.count(d.id));
    for (const auto& n : d.nodes) {
      CAPTURE(n.id);
      for (const auto& key : {n.template_key, n.nudge_template, n.template_key + ".clarify"}) {
        CAPTURE(key);
        if (!n.template_key.empty() && shipped.templates.has(key, "fr")) CHECK(sent.count(key));
      }
      if (n.kind == NodeKind::alert) CHECK(raised.count(n.alert));
    }
  }
}

TEST_CASE("the shipped dialogs are the programme's nine, and the weekly ones wait their turn",
          "[dialogs][transcripts]") {
  const Shipped shipped = load_shipped();
  std::set<std::string> ids;
  for (const auto& d : shipped.dialogs) ids.insert(d.id);
  CHECK(ids == kProgrammeDialogs);
  // A weekly prompt must never take over a dialog started by a reminder.
  CHECK(shipped.dialog("peer").queue);
  CHECK(shipped.dialog("meteo").queue);
  CHECK_FALSE(shipped.dialog("attendance").queue);
  // Encouraging one's binôme is peer support: it needs consent to tips.
  CHECK(shipped.dialog("peer").purpose == "tips");
  CHECK(shipped.dialog("attendance").purpose == "service");
  // Every question ends some day: nothing waits for ever.
  for (const auto& d : shipped.dialogs)
    for (const auto& n : d.nodes) {
      CAPTURE(d.id, n.id);
      if (n.kind == NodeKind::ask) CHECK(n.timeout.has_value());
    }
}
