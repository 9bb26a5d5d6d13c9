// The real HTTP client (cpprestsdk) against the fake gateway on loopback.
#include <catch2/catch.hpp>

#include "bot/http_client.hpp"
#include "support/fake_gateway.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

struct Gateway : test::FakeGateway {
  Gateway() {
    on("POST", "/send/{who}", [](const Received& r, int n) {
      return http::json_response(201, R"({"id": "m)" + std::to_string(n) + R"(", "to": ")" + r.params.at("who") + "\"}");
    });
    start();
  }
};

HttpRequest post(const std::string& url, std::chrono::milliseconds timeout = 2000ms) {
  HttpRequest r;
  r.url = url;
  r.headers["Content-Type"] = "application/json";
  r.headers["Authorization"] = "Bearer t0ken";
  r.body = R"({"text": "Bonjour"})";
  r.timeout = timeout;
  return r;
}

}  // namespace

TEST_CASE("the client sends method, headers and body, and reads status, headers and body", "[http-client]") {
  Gateway g;
  auto client = make_http_client();
  auto r = client->send(post(g.base_url() + "/send/amina?x=1"));
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(r->body == R"({"id": "m1", "to": "amina"})");
  CHECK(r->headers.at("content-type") == "application/json");
  auto got = g.received();
  REQUIRE(got.size() == 1);
  CHECK(got[0].query == "x=1");
  CHECK(got[0].headers.at("authorization") == "Bearer t0ken");
  CHECK(got[0].headers.at("content-type").find("application/json") == 0);
  CHECK(got[0].body == R"({"text": "Bonjour"})");
  // The connection pool serves the next request too.
  CHECK(client->send(post(g.base_url() + "/send/sylvie"))->body.find("m2") != std::string::npos);
}

TEST_CASE("gateway faults reach the caller as statuses or transport errors", "[http-client]") {
  Gateway g;
  g.fail_next(test::FakeGateway::Fault::error_500);
  g.fail_next(test::FakeGateway::Fault::rate_limited, 1, 30);
  g.fail_next(test::FakeGateway::Fault::drop);
  g.fail_next(test::FakeGateway::Fault::hang);

  // A new client each time: each request on a fresh connection.
  CHECK(make_http_client()->send(post(g.base_url() + "/send/a"))->status == 500);
  auto limited = make_http_client()->send(post(g.base_url() + "/send/a"));
  CHECK(limited->status == 429);
  CHECK(limited->headers.at("retry-after") == "30");
  CHECK_FALSE(make_http_client()->send(post(g.base_url() + "/send/a")));  // dropped connection
  CHECK_FALSE(make_http_client()->send(post(g.base_url() + "/send/a", 300ms)));  // hangs: timeout
  CHECK(make_http_client()->send(post(g.base_url() + "/send/a"))->status == 201);  // all is well
  CHECK(g.received().size() == 5);
}

TEST_CASE("a connection dropped after reuse is retried once by the client (at-least-once)", "[http-client]") {
  // cpprestsdk resends a request whose kept-alive connection turns out closed: the
  // gateway may see it twice. Relais lives with that (at-least-once, ids as idempotency
  // keys where the gateway takes them); this test pins the behaviour down.
  Gateway g;
  auto client = make_http_client();
  REQUIRE(client->send(post(g.base_url() + "/send/a"))->status == 201);
  g.fail_next(test::FakeGateway::Fault::drop);
  auto r = client->send(post(g.base_url() + "/send/a"));
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(g.received().size() == 3);
}

TEST_CASE("a refused connection is a transport error, and the path never appears in it", "[http-client]") {
  auto client = make_http_client();
  auto r = client->send(post("http://127.0.0.1:1/bot123456:SECRET/sendMessage", 500ms));
  REQUIRE_FALSE(r);
  CHECK(r.error().find("SECRET") == std::string::npos);
}
