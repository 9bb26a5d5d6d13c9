#pragma once
// HTTP requests and responses as plain data, and a small router. No Beast here: handlers
// are testable without sockets, and the server (server.cpp) is the only Beast user.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace relais::http {

struct Request {
  std::string method;
  std::string target;  // as received: path and query
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::map<std::string, std::string> params;   // from the route pattern: {channel}
  std::string remote_address;                  // the peer's IP address
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Close the connection without answering (a fake gateway imitating a network fault).
  bool drop_connection = false;
};

Response text_response(int status, std::string body);
Response json_response(int status, std::string json_body);
// A JSON error body {"error": "..."}, the message escaped.
Response json_error(int status, std::string_view message);

// Respond is called exactly once, from any thread.
using Respond = std::function<void(Response)>;
using Handler = std::function<void(Request&, Respond)>;

class Router {
 public:
  // Pattern segments in braces capture one path segment: "/webhooks/{channel}".
  void add(std::string method, std::string pattern, std::string route_name, Handler handler);
  // Finds the handler; unknown path → 404, known path with another method → 405.
  // Returns the route's name (for metrics), or "unmatched".
  std::string dispatch(Request& request, Respond respond) const;

  struct RouteInfo {
    std::string method, pattern, name;
  };
  // Every route, in the order added (the API's documentation is checked against it).
  std::vector<RouteInfo> routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    std::string name;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace relais::http
