// The dashboard's files at / and the phone simulator's routes.
#include <catch2/catch.hpp>

#include <fstream>

#include "api_support.hpp"

using namespace relais;
using test::json;

namespace {

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("the dashboard's files are served at / with a strict policy, and nothing outside web/", "[api][web]") {
  test::TempDir web;
  write(web / "index.html", "<!doctype html><title>Relais</title>");
  write(web / "app.js", "console.log(1)");
  write(web / "notes.txt", "not served");
  test::ServedApi api([&](Config& c) { c.web.dir = web.path(); });

  auto index = api.call("GET", "/", "");
  CHECK(index.status == 200);
  CHECK(index.raw.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
  CHECK(index.raw.find("Content-Security-Policy: default-src 'self'") != std::string::npos);
  CHECK(index.raw.find("<title>Relais</title>") != std::string::npos);
  auto js = api.call("GET", "/app.js", "");
  CHECK(js.status == 200);
  CHECK(js.raw.find("Content-Type: text/javascript") != std::string::npos);

  CHECK(api.call("GET", "/notes.txt", "").status == 404);      // not a type the dashboard uses
  CHECK(api.call("GET", "/..%2Fweb%2Findex.html", "").status == 404);
  CHECK(api.call("GET", "/.hidden.js", "").status == 404);
  CHECK(api.call("GET", "/missing.js", "").status == 404);
  // The other routes still win.
  CHECK(api.call("GET", "/healthz", "").status == 200);
  // No simulator unless the configuration says so.
  CHECK(api.call("GET", "/simulator/api/state", "").status == 404);
  CHECK(api.call("POST", "/simulator/api/advance", "").status == 404);
}

TEST_CASE("the phone simulator shows her phone and moves the demo clock to the next scheduled message",
          "[api][web][simulator]") {
  test::ServedApi api([](Config& c) { c.simulator.enabled = true; });
  auto state = api.call("GET", "/simulator/api/state", "");
  REQUIRE(state.status == 200);
  REQUIRE(state.body["participants"].size() == 6);
  CHECK(state.body["participants"][0]["first_name"] == "Amina");
  CHECK(api.call("GET", "/simulator/api/messages?phone=%2B33699999999", "").status == 404);

  // Amina's phone: her welcome arrives once the server has planned and sent it.
  auto amina_messages = [&] {
    return api.call("GET", "/simulator/api/messages?phone=%2B33612345601", "").body["messages"];
  };
  auto kinds = [&] {
    std::set<std::string> out;
    for (const auto& m : amina_messages())
      if (m["direction"] == "out") out.insert(m["kind"].get<std::string>());
    return out;
  };
  auto wait_for = [&](const std::function<bool()>& condition) {
    for (int i = 0; i < 250 && !condition(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return condition();
  };
  REQUIRE(wait_for([&] { return kinds().count("welcome") == 1; }));

  // She answers from the simulator, through the console webhook like any gateway.
  auto reply = api.call("POST", "/webhooks/console", "", json{{"from", "+33612345601"}, {"text", "oui"}, {"id", "sim-1"}});
  REQUIRE(reply.status == 200);
  CHECK(wait_for([&] {
    for (const auto& m : amina_messages())
      if (m["direction"] == "in" && m["text"] == "oui") return true;
    return false;
  }));

  // Each advance jumps to what is planned next; soon a workshop's questions and reminders.
  const Utc start = api.clock.now();
  std::string before = state.body["now"];
  bool reminder = false;
  for (int i = 0; i < 40 && !reminder; ++i) {
    auto advanced = api.call("POST", "/simulator/api/advance", "");
    REQUIRE(advanced.status == 200);
    REQUIRE(advanced.body["advanced_to"].is_string());
    CHECK(advanced.body["now"].get<std::string>() >= before);
    before = advanced.body["now"];
    wait_for([&] { return kinds().count("reminder") == 1; });
    reminder = kinds().count("reminder") == 1;
  }
  CHECK(reminder);
  // The demo clock ran ahead of the real one; the real clock did not move.
  auto now = api.call("GET", "/simulator/api/state", "").body["now"].get<std::string>();
  CHECK(now > state.body["now"].get<std::string>());
  CHECK(api.clock.now() - start < std::chrono::minutes(5));
}
