#include "bot/http/router.hpp"

#include <nlohmann/json.hpp>

namespace relais::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Response text_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response json_response(int status, std::string json_body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(json_body);
  return r;
}

Response json_error(int status, std::string_view message) {
  return json_response(status, nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                              nlohmann::json::error_handler_t::replace));
}

void Router::add(std::string method, std::string pattern, std::string route_name, Handler handler) {
  auto segments = split_path(pattern);
  routes_.push_back({std::move(method), std::move(pattern), std::move(segments), std::move(route_name), std::move(handler)});
}

std::vector<Router::RouteInfo> Router::routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern, r.name});
  return out;
}

std::string Router::dispatch(Request& request, Respond respond) const {
  const auto segments = split_path(request.path);
  bool path_matched = false;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> params;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const auto& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        if (segments[i].empty()) match = false;
        else params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        match = want == segments[i];
      }
    }
    if (!match) continue;
    path_matched = true;
    if (route.method != request.method && !(route.method == "GET" && request.method == "HEAD"))
      continue;
    request.params = std::move(params);
    route.handler(request, std::move(respond));
    return route.name;
  }
  if (path_matched) {
    auto r = json_error(405, "method not allowed");
    respond(std::move(r));
    return "method_not_allowed";
  }
  respond(json_error(404, "not found"));
  return "not_found";
}

}  // namespace relais::http
