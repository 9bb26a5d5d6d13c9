#pragma once
// The coaches' API tests: the shipped configuration (dialogs, rules, the example calendar)
// served in-process on a free port, with the example participants imported and tokens.
#include <future>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bot/app.hpp"
#include "bot/commands.hpp"
#include "support/raw_http.hpp"
#include "support/temp_dir.hpp"

namespace relais::test {

using json = nlohmann::json;

struct ApiReply {
  int status = 0;
  std::string raw;
  json body;
};

inline Config api_config(const std::filesystem::path& database) {
  Config c = load_config(RELAIS_SOURCE_DIR "/config/relais.json");
  c.database.path = database;
  c.server.port = 0;
  // Always inside the window, unless a test narrows it.
  c.sending_window.start_minute = 0;
  c.sending_window.end_minute = 24 * 60;
  c.sending_window.days.fill(true);
  c.sending_window.french_public_holidays = false;
  c.dispatcher.poll_interval_ms = 50;
  c.simulator.enabled = false;  // a test turns it on
  return c;
}

struct ServedApi {
  TempDir dir;
  std::ostringstream console;
  SystemClock clock;
  std::unique_ptr<App> app;
  std::thread thread;
  std::uint16_t port = 0;
  std::string g1, g2, admin;  // tokens

  explicit ServedApi(const std::function<void(Config&)>& adjust = {}) {
    Config config = api_config(dir / "relais.db");
    if (adjust) adjust(config);
    // The example participants: Amina, Sylvie, Leïla… in g1, Fatima… in g2.
    import_participants(config, RELAIS_SOURCE_DIR "/config/participants-example.csv", {}, clock.now());
    g1 = create_token(config, "Nadia", {"g1"}, false, clock.now()).token;
    g2 = create_token(config, "Sophie", {"g2"}, false, clock.now()).token;
    admin = create_token(config, "Admin", {}, true, clock.now()).token;
    app = std::make_unique<App>(std::move(config), clock, console);
    std::promise<std::uint16_t> listening;
    thread = std::thread([&] { app->serve([&](std::uint16_t p) { listening.set_value(p); }); });
    port = listening.get_future().get();
  }
  ~ServedApi() {
    app->stop();
    thread.join();
  }

  ApiReply call(const std::string& method, const std::string& path, const std::string& token,
                const std::string& body = "", const std::string& content_type = "") {
    RawConnection c(port);
    std::string headers = token.empty() ? "" : "Authorization: Bearer " + token + "\r\n";
    std::string request = http_request(method, path, body, headers);
    if (!content_type.empty()) {
      const auto at = request.find("Content-Type: application/json");
      request.replace(at, 30, "Content-Type: " + content_type);
    }
    c.send_all(request);
    ApiReply r;
    r.raw = c.read_response(std::chrono::milliseconds(15000));
    r.status = status_of(r.raw);
    r.body = json::parse(body_of(r.raw), nullptr, false);
    return r;
  }
  ApiReply call(const std::string& method, const std::string& path, const std::string& token, const json& body) {
    return call(method, path, token, body.dump());
  }

  std::unique_ptr<Store> reader() { return open_sqlite_store((dir / "relais.db").string()); }

  // A message she sent on the console channel, stored as the webhook path stores it.
  void store_inbound(std::int64_t participant_id, const std::string& from, const std::string& text,
                     const std::string& provider_id) {
    InboundMessage m;
    m.channel = "console";
    m.from = from;
    m.text = text;
    m.provider_id = provider_id;
    reader()->insert_inbound(m, participant_id, clock.now());
  }

  // A participant's id by first name.
  std::int64_t id_of(const std::string& first_name) {
    for (const auto& p : reader()->all_participants())
      if (p.first_name == first_name) return p.id;
    throw std::runtime_error("no participant " + first_name);
  }
};

}  // namespace relais::test
