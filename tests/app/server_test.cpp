#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "bot/http/server.hpp"
#include "support/raw_http.hpp"

using namespace relais;
using namespace std::chrono_literals;

namespace {

// A server on a free loopback port, running on its own thread for the test's duration.
struct RunningServer {
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::thread thread;
  std::promise<void> finished;
  std::shared_future<void> finished_future = finished.get_future().share();

  explicit RunningServer(http::ServerOptions options = {},
                         const std::function<void(http::Router&)>& more_routes = {}) {
    if (more_routes) more_routes(router);
    router.add("GET", "/hello", "hello", [](http::Request&, http::Respond respond) {
      respond(http::text_response(200, "hello"));
    });
    router.add("POST", "/echo/{name}", "echo", [](http::Request& r, http::Respond respond) {
      respond(http::text_response(200, r.params["name"] + ":" + r.body));
    });
    router.add("GET", "/slow", "slow", [](http::Request&, http::Respond respond) {
      // Answered later from another thread, like a webhook waiting for its commit.
      std::thread([respond] {
        std::this_thread::sleep_for(400ms);
        respond(http::text_response(200, "finally"));
      }).detach();
    });
    options.port = 0;
    server = std::make_unique<http::Server>(options, router);
    thread = std::thread([this] {
      server->run(false);
      finished.set_value();
    });
  }
  ~RunningServer() {
    server->stop();
    thread.join();
  }
  std::uint16_t port() const { return server->port(); }
};

}  // namespace

TEST_CASE("the router answers 404 for an unknown path and 405 for a wrong method", "[http]") {
  RunningServer s;
  test::RawConnection c(s.port());
  c.send_all(test::http_request("GET", "/nowhere"));
  CHECK(test::status_of(c.read_response()) == 404);
  c.send_all(test::http_request("DELETE", "/hello"));
  CHECK(test::status_of(c.read_response()) == 405);
}

TEST_CASE("path parameters reach the handler and keep-alive serves several requests", "[http]") {
  RunningServer s;
  test::RawConnection c(s.port());
  for (int i = 0; i < 3; ++i) {
    c.send_all(test::http_request("POST", "/echo/amina", "n" + std::to_string(i)));
    auto r = c.read_response();
    CHECK(test::status_of(r) == 200);
    CHECK(test::body_of(r) == "amina:n" + std::to_string(i));
  }
}

TEST_CASE("a body over the limit is refused with 413 and the connection closed", "[http]") {
  http::ServerOptions o;
  o.max_body_bytes = 1024;
  RunningServer s(o);
  test::RawConnection c(s.port());
  c.send_all(test::http_request("POST", "/echo/x", std::string(1025, 'a')));
  CHECK(test::status_of(c.read_response()) == 413);
  CHECK(c.closed_by_peer(2s));

  test::RawConnection ok(s.port());
  ok.send_all(test::http_request("POST", "/echo/x", std::string(1024, 'a')));
  CHECK(test::status_of(ok.read_response()) == 200);
}

TEST_CASE("headers over the limit are refused with 431", "[http]") {
  http::ServerOptions o;
  o.max_header_bytes = 512;
  RunningServer s(o);
  test::RawConnection c(s.port());
  c.send_all(test::http_request("GET", "/hello", "", "X-Padding: " + std::string(600, 'p') + "\r\n"));
  CHECK(test::status_of(c.read_response()) == 431);
}

TEST_CASE("a client that sends its request too slowly is cut off", "[http]") {
  http::ServerOptions o;
  o.read_timeout = 300ms;
  RunningServer s(o);
  test::RawConnection c(s.port());
  c.send_all("GET /hello HTTP/1.1\r\nHost: x\r\n");  // never finishes its headers
  CHECK(c.closed_by_peer(3s));

  // Others are still served.
  test::RawConnection other(s.port());
  other.send_all(test::http_request("GET", "/hello"));
  CHECK(test::status_of(other.read_response()) == 200);
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout", "[http]") {
  http::ServerOptions o;
  o.idle_timeout = 200ms;
  RunningServer s(o);
  test::RawConnection c(s.port());
  c.send_all(test::http_request("GET", "/hello"));
  CHECK(test::status_of(c.read_response()) == 200);
  CHECK(c.closed_by_peer(3s));
}

TEST_CASE("a malformed request gets 400", "[http]") {
  RunningServer s;
  test::RawConnection c(s.port());
  c.send_all("THIS IS NOT HTTP\r\n\r\n");
  CHECK(test::status_of(c.read_response()) == 400);
}

TEST_CASE("stop() lets a request in flight finish, closes idle connections, and returns", "[http]") {
  RunningServer s;
  const auto port = s.port();
  test::RawConnection idle(port);
  idle.send_all(test::http_request("GET", "/hello"));
  REQUIRE(test::status_of(idle.read_response()) == 200);

  test::RawConnection busy(port);
  busy.send_all(test::http_request("GET", "/slow"));
  std::this_thread::sleep_for(100ms);  // the handler is now running
  s.server->stop();

  auto r = busy.read_response(3s);
  CHECK(test::status_of(r) == 200);
  CHECK(test::body_of(r) == "finally");
  CHECK(idle.closed_by_peer(2s));
  CHECK(s.finished_future.wait_for(3s) == std::future_status::ready);
  // No new connection is accepted.
  bool refused = false;
  try {
    test::RawConnection late(port);
    late.send_all(test::http_request("GET", "/hello"));
    refused = late.read_response(1s).empty();
  } catch (const std::exception&) {
    refused = true;
  }
  CHECK(refused);
}

TEST_CASE("a handler may drop the connection without answering", "[http]") {
  RunningServer s({}, [](http::Router& router) {
    router.add("GET", "/drop", "drop", [](http::Request&, http::Respond respond) {
      http::Response r;
      r.drop_connection = true;
      respond(std::move(r));
    });
  });
  test::RawConnection c(s.port());
  c.send_all(test::http_request("GET", "/drop"));
  CHECK(c.read_response(2s).empty());
  CHECK(c.closed_by_peer(2s));
}
