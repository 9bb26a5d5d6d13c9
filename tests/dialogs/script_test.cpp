#include <catch2/catch.hpp>

#include "dialogs/script_loader.hpp"

using namespace relais::dialogs;

namespace {

bool any_template(const std::string&) { return true; }

std::string error_of(const std::string& json, TemplateCheck check = any_template) {
  try {
    parse_dialog(json, "d.json", check);
  } catch (const DialogError& e) {
    return e.what();
  }
  return "(loaded)";
}

const char* kAttendance = R"({
  // Confirm coming to a workshop.
  "id": "attendance", "title": "Présence", "start": "ask",
  "nodes": {
    "ask": {"ask": "yes_no", "template": "attendance.ask", "timeout": "24h",
            "nudge": {"after": "6h", "template": "attendance.nudge"}, "save": "attendance.coming",
            "next": {"yes": "thanks", "no": "why", "timeout": "end"}},
    "thanks": {"send": "attendance.thanks", "next": "end"},
    "why": {"ask": "choice", "template": "attendance.why",
            "choices": {"childcare": ["garde", "enfant"], "transport": ["bus", "tram"], "other": ["autre"]},
            "save": "attendance.reason", "next": {"*": "alert"}},
    "alert": {"alert": "absence_declared", "next": "end"},
    "end": {"end": true}
  }
})";

}  // namespace

TEST_CASE("a valid script loads with its nodes, questions and transitions", "[dialogs][script]") {
  Dialog d = parse_dialog(kAttendance, "attendance.json", any_template);
  CHECK(d.id == "attendance");
  CHECK(d.start == "ask");
  REQUIRE(d.nodes.size() == 5);
  const Node* ask = d.find("ask");
  REQUIRE(ask);
  CHECK(ask->kind == NodeKind::ask);
  CHECK(ask->expect == Expect::yes_no);
  CHECK(ask->timeout == std::chrono::minutes(24 * 60));
  CHECK(ask->nudge_after == std::chrono::minutes(360));
  CHECK(ask->nudge_template == "attendance.nudge");
  CHECK(ask->next.at("no") == "why");
  const Node* why = d.find("why");
  REQUIRE(why->choices.size() == 3);
  CHECK(why->choices[1].id == "transport");  // the file's order: choice numbers follow it
  CHECK(why->choices[1].words == std::vector<std::string>{"bus", "tram"});
}

TEST_CASE("script errors name the file and the node", "[dialogs][script]") {
  struct Case { std::string json; std::string expected; };
  auto c = GENERATE(values<Case>({
      {R"({"id": "x", "start": "a", "nodes": {"a": {"send": "t", "next": "b"}}})",
       "d.json: node \"a\": next \"b\" is not a node of this dialog"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"end": true}, "b": {"end": true}}})",
       "d.json: node \"b\": cannot be reached from \"a\""},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"send": "t", "next": "b"}, "b": {"alert": "k", "next": "a"}}})",
       "is on a loop that never waits for an answer"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"send": "t", "ask": "text", "next": "a"}}})",
       "d.json: node \"a\": a node does exactly one of"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"ask": "yes_no", "template": "t", "next": {"yes": "e"}}, "e": {"end": true}}})",
       "d.json: node \"a\": a yes_no question needs next \"yes\" and \"no\""},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"ask": "maybe", "template": "t", "next": "e"}, "e": {"end": true}}})",
       "\"maybe\" is not one of"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"ask": "text", "template": "t", "timeout": "2 days", "next": "e"}, "e": {"end": true}}})",
       "is not a duration"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"ask": "text", "template": "t", "nudge": {"after": "2d", "template": "n"}, "timeout": "1d", "next": "e"}, "e": {"end": true}}})",
       "a nudge needs a \"timeout\" later than its \"after\""},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"send": "t", "nxt": "e"}, "e": {"end": true}}})",
       "d.json: node \"a\": unknown key \"nxt\""},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"branch": "participant.age", "next": {"*": "e"}}, "e": {"end": true}}})",
       "is not answer.<name>"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"tip": "garde", "template": "t", "next": "e"}, "e": {"end": true}}})",
       "d.json: node \"a\": \"tip\" names a barrier: childcare, mobility"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"tip": "childcare", "next": "e"}, "e": {"end": true}}})",
       "d.json: node \"a\": a tip needs the \"template\" that carries {tip_text}"},
      {R"({"id": "x", "start": "zz", "nodes": {"a": {"end": true}}})", "\"start\": \"zz\" is not a node"},
      {R"({"id": "x", "nodes": {"a": {"end": true}}})", "\"id\" and \"start\" are required"},
      {R"({"id": "x", "start": "a", "nodes": {"a": {"end": true}}, "colour": "blue"})", "unknown key \"colour\""},
      {R"({"id": "x", "start": "a", "nodes": )", "not valid JSON"},
  }));
  CAPTURE(c.json);
  CHECK_THAT(error_of(c.json), Catch::Contains(c.expected));
}

TEST_CASE("a script whose text has no French template is refused", "[dialogs][script]") {
  auto only_known = [](const std::string& key) { return key != "attendance.why"; };
  CHECK_THAT(error_of(kAttendance, only_known),
             Catch::Contains("node \"why\": template \"attendance.why\" has no French text"));
}

TEST_CASE("a number too large for JSON is a clear error, not a crash (found by fuzzing)", "[dialogs][script]") {
  CHECK_THAT(error_of(R"({"id": "x", "start": "a", "nodes": {"a": {"end": 1e99999}}})"), Catch::Contains("not valid JSON"));
}
