#include <catch2/catch.hpp>

#include <sstream>

#include "adapters/console.hpp"

using namespace relais;

namespace {
WebhookRequest post(std::string body, std::map<std::string, std::string> headers = {}) {
  return WebhookRequest{"POST", "/webhooks/console", "", std::move(headers), std::move(body)};
}
ConsoleAdapter make(ConsoleSettings s, std::ostream& out) {
  return ConsoleAdapter(std::move(s), out, [] { return std::string("generated-1"); });
}
}  // namespace

TEST_CASE("the console channel parses a message and normalises the sender to E.164", "[console]") {
  std::ostringstream out;
  auto a = make({}, out);
  auto events = a.parse(post(R"({"from": "06.12.34.50.01", "text": "Oui je viens", "id": "abc"})"));
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  const auto& m = std::get<InboundMessage>(events->front());
  CHECK(m.from == "+33612345001");
  CHECK(m.text == "Oui je viens");
  CHECK(m.provider_id == "client:abc");
  CHECK(m.channel == "console");

  auto no_id = a.parse(post(R"({"from": "+33612345001", "text": "x"})"));
  REQUIRE(no_id);
  CHECK(std::get<InboundMessage>(no_id->front()).provider_id == "generated-1");
}

TEST_CASE("the console channel names what is wrong in a bad body", "[console]") {
  std::ostringstream out;
  auto a = make({}, out);
  struct Case { std::string body, error; };
  auto c = GENERATE(values<Case>({
      {"", "not valid JSON"},
      {"{", "not valid JSON"},
      {R"("text")", "$: expected a JSON object"},
      {R"({"text": "x"})", "$.from: missing"},
      {R"({"from": "+33612345001"})", "$.text: missing"},
      {R"({"from": "+33612345001", "text": ""})", "$.text: must not be empty"},
      {R"({"from": "12", "text": "x"})", "$.from:"},
      {R"({"from": 33612345001, "text": "x"})", "$.from: must be a string"},
      {R"({"from": "+33612345001", "text": "x", "to": "y"})", "$.to: unknown field"},
  }));
  CAPTURE(c.body);
  auto r = a.parse(post(c.body));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains(c.error));
}

TEST_CASE("the console webhook is open on loopback only, unless a password is set", "[console]") {
  std::ostringstream out;
  ConsoleSettings loopback, exposed;
  exposed.server_on_loopback = false;
  CHECK(make(loopback, out).verify(post("{}")) == Verdict::accepted);
  CHECK(make(exposed, out).verify(post("{}")) == Verdict::forbidden);

  ConsoleSettings with_pw = exposed;
  with_pw.basic_auth_password = "s3cret-Pw";
  auto a = make(with_pw, out);
  CHECK(a.verify(post("{}")) == Verdict::unauthenticated);
  CHECK(a.verify(post("{}", {{"authorization", "Basic cmVsYWlzOnMzY3JldC1Qdw=="}})) == Verdict::accepted);
  CHECK(a.verify(post("{}", {{"authorization", "Basic cmVsYWlzOndyb25n"}})) == Verdict::unauthenticated);
  CHECK(a.verify(post("{}", {{"authorization", "Bearer s3cret-Pw"}})) == Verdict::unauthenticated);
  CHECK(a.verify(post("{}", {{"authorization", "Basic !!!"}})) == Verdict::unauthenticated);
}

TEST_CASE("the console channel prints what it sends with the number masked", "[console]") {
  std::ostringstream out;
  auto a = make({}, out);
  OutgoingMessage m;
  m.id = 42;
  m.channel = "console";
  m.to = "+33612345001";
  m.text = "Bonjour Amina";
  auto r = a.send(m);
  CHECK(r.ok);
  CHECK(r.provider_id == "console-42");
  CHECK(out.str() == "[console -> +33 6 ** ** ** 01] Bonjour Amina\n");
}

TEST_CASE("secrets are compared in full", "[console]") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
  CHECK_FALSE(constant_time_equal("", "a"));
}

TEST_CASE("a console body with a number too large is refused, not thrown", "[console]") {
  std::ostringstream out;
  auto a = make({}, out);
  auto r = a.parse(post(R"({"from": "+33612345001", "text": "x", "id": 1e99999})"));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains("not valid JSON"));
}
