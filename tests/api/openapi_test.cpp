// docs/openapi.json and docs/api.md held to the real server: every /api route of the
// router is documented with its method and name, nothing is documented that the router
// lacks, every operation asks for the bearer token, and the real answers of the routes
// have the status codes and exactly the fields their schemas give.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>

#include "api_support.hpp"
#include "bot/http/router.hpp"

using namespace relais;
using test::json;

namespace {

const std::filesystem::path kDocs = std::filesystem::path(RELAIS_SOURCE_DIR) / "docs";

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json openapi() { return json::parse(read_text(kDocs / "openapi.json")); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The /api routes of the application's router, as `relais serve` has them.
std::vector<http::Router::RouteInfo> api_routes() {
  test::TempDir dir;
  SystemClock clock;
  std::ostringstream console;
  App app(test::api_config(dir / "relais.db"), clock, console);
  std::vector<http::Router::RouteInfo> out;
  for (const auto& route : app.router().routes())
    if (route.pattern.rfind("/api/", 0) == 0) out.push_back(route);
  return out;
}

struct Operation {
  std::string method;  // upper case, as the router has it
  std::string path;
  json spec;
};

std::vector<Operation> operations(const json& doc) {
  static const std::set<std::string> kMethods{"get", "put", "post", "delete", "patch", "head", "options", "trace"};
  std::vector<Operation> out;
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [key, spec] : item.items())
      if (kMethods.count(key)) {
        std::string method = key;
        std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
        out.push_back({method, path, spec});
      }
  return out;
}

// A "$ref" followed to what it names (within the document); anything else as it is.
const json& resolve(const json& doc, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  return resolve(doc, doc.at(json::json_pointer(node["$ref"].get<std::string>().substr(1))));
}

// Every "$ref" of `node` that names nothing in the document.
void dangling_refs(const json& doc, const json& node, std::vector<std::string>& out) {
  if (node.is_object() && node.contains("$ref")) {
    const auto ref = node["$ref"].get<std::string>();
    if (ref.rfind("#/", 0) != 0 || !doc.contains(json::json_pointer(ref.substr(1)))) out.push_back(ref);
  }
  if (node.is_structured())
    for (const auto& child : node) dangling_refs(doc, child, out);
}

// The names in braces of a route pattern: "/api/sessions/{id}/attendance/{participant}".
std::vector<std::string> path_params(const std::string& pattern) {
  std::vector<std::string> out;
  static const std::regex kParam(R"(\{([^}]+)\})");
  for (std::sregex_iterator it(pattern.begin(), pattern.end(), kParam), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

bool declares_path_param(const json& doc, const json& item, const json& spec, const std::string& name) {
  for (const json* list : {&spec, &item})
    for (const auto& p : list->value("parameters", json::array())) {
      const json& param = resolve(doc, p);
      if (param.value("in", "") == "path" && param.value("name", "") == name && param.value("required", false))
        return true;
    }
  return false;
}

// "GET /api/participants" written in the text, not only as the start of a longer path
// ("GET /api/participants/{id}", "GET /api/indicators.csv").
bool mentions(const std::string& text, const std::string& route) {
  for (auto at = text.find(route); at != std::string::npos; at = text.find(route, at + 1)) {
    const auto next = at + route.size();
    if (next == text.size()) return true;
    const unsigned char c = text[next];
    if (!std::isalnum(c) && std::string("/{}._-").find(static_cast<char>(c)) == std::string::npos) return true;
  }
  return false;
}

// Checks an answer against an OpenAPI schema: types, enums, nullable, required fields,
// times in the programme's zone with their offset, and no field the schema does not name
// (OpenAPI allows extra fields by default, but a field a client cannot know of is a gap in
// the documentation). Returns what is wrong, with where ("$.recipients[0].text").
class SchemaCheck {
 public:
  explicit SchemaCheck(const json& doc) : doc_(doc) {}

  std::vector<std::string> problems(const json& schema, const json& value) const {
    std::vector<std::string> out;
    check(schema, value, "$", out);
    return out;
  }

 private:
  // One object schema from a $ref or an allOf (their properties and required merged; the
  // allOf's own nullable kept: that is how OpenAPI 3.0 writes a nullable $ref).
  json flatten(const json& schema) const {
    const json& s = resolve(doc_, schema);
    if (!s.contains("allOf")) return s;
    json merged = {{"type", "object"}, {"properties", json::object()}, {"required", json::array()},
                   {"nullable", s.value("nullable", false)}};
    for (const auto& part : s["allOf"]) {
      const json p = flatten(part);
      merged["properties"].update(p.value("properties", json::object()));
      for (const auto& r : p.value("required", json::array())) merged["required"].push_back(r);
    }
    return merged;
  }

  static bool has_type(const std::string& type, const json& v) {
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    return false;
  }

  void check(const json& schema_or_ref, const json& value, const std::string& at, std::vector<std::string>& out) const {
    const json schema = flatten(schema_or_ref);
    if (value.is_null()) {
      if (!schema.value("nullable", false)) out.push_back(at + ": null where the schema does not allow it");
      return;
    }
    const std::string type = schema.value("type", "");
    if (!has_type(type, value)) return out.push_back(at + ": " + value.dump() + " is not of type " + type);
    if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
      out.push_back(at + ": " + value.dump() + " is not one of " + schema["enum"].dump());
    if (schema.value("format", "") == "date-time") {
      static const std::regex kLocalTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})");
      if (!std::regex_match(value.get<std::string>(), kLocalTime))
        out.push_back(at + ": " + value.dump() + " is not a time with its offset");
    }
    if (type == "array")
      for (std::size_t i = 0; i < value.size(); ++i)
        check(schema.at("items"), value[i], at + "[" + std::to_string(i) + "]", out);
    if (type == "object") check_object(schema, value, at, out);
  }

  void check_object(const json& schema, const json& value, const std::string& at, std::vector<std::string>& out) const {
    const json properties = schema.value("properties", json::object());
    for (const auto& name : schema.value("required", json::array()))
      if (!value.contains(name.get<std::string>())) out.push_back(at + ": no field " + name.dump());
    const json extra = schema.value("additionalProperties", json(false));
    for (const auto& [key, v] : value.items()) {
      if (properties.contains(key))
        check(properties[key], v, at + "." + key, out);
      else if (extra.is_object())
        check(extra, v, at + "." + key, out);
      else if (extra != true)
        out.push_back(at + ": field \"" + key + "\" is not in the schema");
    }
  }

  const json& doc_;
};

// Calls the served API and holds the answer to the operation's documentation: its status
// is one the operation lists, and its body fits the schema given for that status.
class DocumentedApi {
 public:
  DocumentedApi(test::ServedApi& api, const json& doc) : api_(api), doc_(doc), schemas_(doc) {}

  json call(const std::string& method, const std::string& pattern, const std::string& path, const std::string& token,
            int status, const std::string& body = "", const std::string& content_type = "") {
    const auto reply = api_.call(method, path, token, body, content_type);
    INFO(method << " " << path << " answered:\n" << reply.raw);
    REQUIRE(reply.status == status);
    const json& responses = doc_.at("paths").at(pattern).at(lower(method)).at("responses");
    REQUIRE(responses.contains(std::to_string(status)));
    const json& content = resolve(doc_, responses[std::to_string(status)]).at("content");
    REQUIRE(content.size() == 1);
    const auto media = content.begin();
    CHECK(lower(reply.raw).find("content-type: " + media.key()) != std::string::npos);
    if (media.key() == "application/json")
      CHECK(schemas_.problems(media->at("schema"), reply.body) == std::vector<std::string>{});
    return reply.body;
  }
  json call(const std::string& method, const std::string& pattern, const std::string& path, const std::string& token,
            int status, const json& body) {
    return call(method, pattern, path, token, status, body.dump());
  }

 private:
  test::ServedApi& api_;
  const json& doc_;
  SchemaCheck schemas_;
};

}  // namespace

TEST_CASE("docs/openapi.json describes exactly the router's /api routes, each behind the bearer token", "[openapi]") {
  const json doc = openapi();
  CHECK(doc.at("openapi") == "3.0.3");
  const json& scheme = doc.at("components").at("securitySchemes").at("bearerAuth");
  CHECK(scheme.at("type") == "http");
  CHECK(scheme.at("scheme") == "bearer");

  const auto routes = api_routes();
  REQUIRE_FALSE(routes.empty());
  for (const auto& route : routes) {
    INFO(route.method << " " << route.pattern);
    const json& paths = doc.at("paths");
    REQUIRE(paths.contains(route.pattern));
    REQUIRE(paths[route.pattern].contains(lower(route.method)));
    CHECK(paths[route.pattern][lower(route.method)].value("operationId", "") == route.name);
  }

  std::set<std::string> operation_ids;
  for (const auto& op : operations(doc)) {
    INFO(op.method << " " << op.path);
    // No stale entry: the router has this path with this method.
    CHECK(std::any_of(routes.begin(), routes.end(), [&](const http::Router::RouteInfo& r) {
      return r.method == op.method && r.pattern == op.path;
    }));
    CHECK(operation_ids.insert(op.spec.value("operationId", "")).second);
    // Its own security, else the document's; an empty list would mean an open route.
    const json security = op.spec.contains("security") ? op.spec["security"] : doc.value("security", json::array());
    CHECK(std::any_of(security.begin(), security.end(), [](const json& s) { return s.contains("bearerAuth"); }));
    CHECK(op.spec.at("responses").contains("401"));
    for (const auto& name : path_params(op.path)) {
      INFO("path parameter " << name);
      CHECK(declares_path_param(doc, doc["paths"][op.path], op.spec, name));
    }
  }

  std::vector<std::string> dangling;
  dangling_refs(doc, doc, dangling);
  CHECK(dangling == std::vector<std::string>{});
}

TEST_CASE("docs/api.md names every route of the API", "[openapi]") {
  const std::string text = read_text(kDocs / "api.md");
  for (const auto& route : api_routes()) {
    INFO(route.method << " " << route.pattern);
    CHECK(mentions(text, route.method + " " + route.pattern));
  }
}

TEST_CASE("the API's answers have the status codes and fields docs/openapi.json gives", "[openapi][api]") {
  const json doc = openapi();
  test::ServedApi api;
  DocumentedApi d(api, doc);
  const std::string g1 = api.g1;
  const auto amina = std::to_string(api.id_of("Amina"));

  d.call("GET", "/api/me", "/api/me", g1, 200);
  d.call("GET", "/api/me", "/api/me", api.admin, 200);
  d.call("GET", "/api/me", "/api/me", "rl_not_a_token", 401);
  d.call("GET", "/api/cohorts", "/api/cohorts", g1, 200);
  CHECK(d.call("GET", "/api/venues", "/api/venues", g1, 200).at("venues").size() == 2);

  // Participants.
  const auto page = d.call("GET", "/api/participants", "/api/participants?limit=2", g1, 200);
  CHECK(page.at("next_after").is_number_integer());
  d.call("GET", "/api/participants", "/api/participants?cohort=g2", g1, 400);
  const auto nora = d.call("POST", "/api/participants", "/api/participants", g1, 201,
                           json{{"first_name", "Nora"}, {"phone", "06 12 34 56 40"}, {"cohort", "g1"},
                                {"consent", true}, {"barriers", {"garde-enfants"}}});
  const auto nora_path = "/api/participants/" + std::to_string(nora.at("id").get<std::int64_t>());
  d.call("PATCH", "/api/participants/{id}", nora_path, g1, 200,
         json{{"external_id", "FT-12"}, {"buddy_phone", "06 12 34 56 41"}});
  d.call("PATCH", "/api/participants/{id}", nora_path, g1, 409, json{{"phone", "+33612345601"}});
  d.call("GET", "/api/participants/{id}", "/api/participants/999999", g1, 404);
  d.call("POST", "/api/participants/import", "/api/participants/import?dry_run=true", g1, 200,
         "Prénom;Téléphone;Groupe;Consentement\nRose;06 12 34 56 50;g1;oui\nIris;0612;g1;oui\n", "text/csv");

  // A conversation both ways: her message, then a coach's.
  api.store_inbound(std::stoll(amina), "+33612345601", "Bonjour", "openapi-1");
  d.call("POST", "/api/participants/{id}/messages", "/api/participants/" + amina + "/messages", g1, 200,
         json{{"text", "Bonjour Amina"}, {"preview", true}});
  d.call("POST", "/api/participants/{id}/messages", "/api/participants/" + amina + "/messages", g1, 201,
         json{{"text", "Bonjour Amina"}});
  const auto conversation =
      d.call("GET", "/api/participants/{id}/messages", "/api/participants/" + amina + "/messages", g1, 200);
  std::set<std::string> directions;
  for (const auto& line : conversation.at("messages")) directions.insert(line.at("direction").get<std::string>());
  CHECK(directions == std::set<std::string>{"in", "out"});

  // Group messages.
  const json group = {{"cohort", "g1"}, {"text", "Bonjour {first_name}, atelier demain."}};
  json preview = group;
  preview["preview"] = true;
  d.call("POST", "/api/broadcasts", "/api/broadcasts", g1, 200, preview);
  d.call("POST", "/api/broadcasts", "/api/broadcasts", g1, 201, group);
  CHECK(d.call("GET", "/api/broadcasts", "/api/broadcasts", g1, 200).at("broadcasts").size() == 1);

  // Sessions and attendance.
  const auto start = std::chrono::floor<std::chrono::minutes>(api.clock.now() + std::chrono::hours(24 * 10));
  const auto session = d.call("POST", "/api/sessions", "/api/sessions", g1, 201,
                              json{{"title", "Atelier CV"}, {"kind", "collective-coaching"}, {"cohorts", {"g1"}},
                                   {"start", format_utc(start)}, {"end", format_utc(start + std::chrono::hours(2))}});
  const auto session_path = "/api/sessions/" + std::to_string(session.at("id").get<std::int64_t>());
  CHECK(!d.call("GET", "/api/sessions", "/api/sessions", g1, 200).at("sessions").empty());
  CHECK(d.call("GET", "/api/cohorts", "/api/cohorts", g1, 200).at("cohorts")[0].at("next_session").is_object());
  d.call("GET", "/api/sessions/{id}", session_path, g1, 200);
  d.call("PATCH", "/api/sessions/{id}", session_path, g1, 200, json{{"location", "Salle B"}});
  d.call("PUT", "/api/sessions/{id}/attendance/{participant}", session_path + "/attendance/" + amina, g1, 200,
         json{{"status", "absent"}, {"reason", "malade"}});
  d.call("GET", "/api/sessions/{id}/attendance", session_path + "/attendance", g1, 200);
  d.call("DELETE", "/api/sessions/{id}", session_path, g1, 200);
  d.call("PATCH", "/api/sessions/{id}", session_path, g1, 409, json{{"title", "Atelier lettre"}});

  // Alerts, answers, indicators.
  api.reader()->add_alert({.kind = "blocker", .participant_id = std::stoll(amina), .cohort = "g1", .detail = "x"},
                          api.clock.now());
  const auto alerts = d.call("GET", "/api/alerts", "/api/alerts?state=unread", g1, 200);
  REQUIRE(!alerts.at("alerts").empty());
  d.call("PATCH", "/api/alerts/{id}", "/api/alerts/" + std::to_string(alerts["alerts"][0].at("id").get<std::int64_t>()),
         g1, 200, json{{"state", "acknowledged"}});
  d.call("GET", "/api/checkins", "/api/checkins?dialog=", g1, 200);
  d.call("GET", "/api/indicators", "/api/indicators?cohort=g1", g1, 200);
  d.call("GET", "/api/indicators.csv", "/api/indicators.csv", g1, 200);

  // Erasure, then the audit log that records it.
  d.call("DELETE", "/api/participants/{id}", nora_path, g1, 200);
  d.call("DELETE", "/api/participants/{id}", nora_path, g1, 200);
  CHECK(d.call("GET", "/api/participants/{id}", nora_path, g1, 200).contains("erased_at"));
  CHECK(!d.call("GET", "/api/audit", "/api/audit", g1, 200).at("entries").empty());
}
