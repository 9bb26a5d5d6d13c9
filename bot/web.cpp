#include "bot/web.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapters/encoding.hpp"
#include "bot/log.hpp"

namespace relais {
namespace {

using json = nlohmann::json;

const std::map<std::string, std::string>& content_types() {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
      {".png", "image/png"},                 {".json", "application/json"},
      {".ico", "image/x-icon"},              {".webmanifest", "application/manifest+json"}};
  return kTypes;
}

// No inline script or style, nothing from elsewhere: what the page runs is what web/ holds.
constexpr const char* kPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

http::Response file_response(const std::filesystem::path& dir, const std::string& name) {
  // Flat names only: no folder, no "..", nothing hidden.
  const auto type = content_types().find(std::filesystem::path(name).extension().string());
  if (name.empty() || name.front() == '.' || name.find_first_of("/\\") != std::string::npos ||
      type == content_types().end())
    return http::json_error(404, "not found");
  std::ifstream in(dir / name, std::ios::binary);
  if (!in) return http::json_error(404, name == "index.html" ? "the dashboard is not installed here (web.dir)" : "not found");
  std::ostringstream body;
  body << in.rdbuf();
  http::Response r;
  r.content_type = type->second;
  r.body = body.str();
  r.headers = {{"Content-Security-Policy", kPolicy},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"},
               {"Cache-Control", "no-cache"}};
  return r;
}

}  // namespace

void add_web_routes(http::Router& router, const std::filesystem::path& dir) {
  router.add("GET", "/", "web", [dir](http::Request&, http::Respond respond) { respond(file_response(dir, "index.html")); });
  router.add("GET", "/{file}", "web", [dir](http::Request& request, http::Respond respond) {
    auto name = percent_decode(request.params["file"]);
    respond(name ? file_response(dir, *name) : http::json_error(404, "not found"));
  });
}

void add_simulator_routes(http::Router& router, SimulatorDeps deps) {
  auto now_text = [deps] { return deps.zone->format_local(deps.clock->now()); };
  router.add("GET", "/simulator/api/state", "simulator", [deps, now_text](http::Request&, http::Respond respond) {
    json participants = json::array();
    {
      std::lock_guard lock(*deps.reader_mutex);
      for (const auto& p : deps.reader->all_participants())
        participants.push_back({{"id", p.id}, {"first_name", p.first_name}, {"phone", p.phone},
                                {"cohort", p.cohort}, {"opted_out", p.opted_out}});
    }
    respond(http::json_response(200, json{{"now", now_text()}, {"participants", participants}}.dump()));
  });
  router.add("GET", "/simulator/api/messages", "simulator", [deps](http::Request& request, http::Respond respond) {
    const auto params = parse_form(request.query);
    const std::string phone = params ? std::string(form_value(*params, "phone")) : "";
    json messages = json::array();
    {
      std::lock_guard lock(*deps.reader_mutex);
      auto who = deps.reader->find_participant_by_phone(phone);
      if (!who) return respond(http::json_error(404, "no participant with this phone"));
      for (const auto& l : deps.reader->coach().conversation(who->id, 300))
        messages.push_back({{"direction", l.direction}, {"id", l.id}, {"at", deps.zone->format_local(l.at)},
                            {"text", l.text}, {"status", l.direction == "out" ? json(l.status) : json(nullptr)},
                            {"kind", l.direction == "out" ? json(l.kind) : json(nullptr)}});
    }
    respond(http::json_response(200, json{{"messages", messages}}.dump()));
  });
  router.add("POST", "/simulator/api/advance", "simulator", [deps, now_text](http::Request&, http::Respond respond) {
    // To the next thing planned (a job, a nudge or timeout, a message waiting for the
    // window), then what is due runs as it would have at that time.
    std::optional<Utc> next;
    {
      std::lock_guard lock(*deps.reader_mutex);
      next = deps.reader->next_due_after(deps.clock->now());
    }
    json out = {{"advanced_to", nullptr}};
    if (next) {
      deps.clock->advance_to(*next);
      out["advanced_to"] = deps.zone->format_local(*next);
      log::info("simulator.clock", {{"now", format_utc(deps.clock->now())}});
    }
    deps.run_due();
    {
      std::lock_guard lock(*deps.reader_mutex);
      auto after = deps.reader->next_due_after(deps.clock->now());
      out["next"] = after ? json(deps.zone->format_local(*after)) : json(nullptr);
    }
    out["now"] = now_text();
    respond(http::json_response(200, out.dump()));
  });
}

}  // namespace relais
