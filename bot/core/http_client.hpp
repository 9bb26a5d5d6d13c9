#pragma once
// The one interface for outgoing HTTP. Adapters build HttpRequests and parse
// HttpResponses as data; the real client (cpprestsdk) lives in bot/.
#include <chrono>
#include <map>
#include <string>

#include "bot/core/result.hpp"

namespace relais {

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Thread-safe. A transport failure (refused, timeout, TLS) is an error string; any HTTP
// status, 5xx included, is a response.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace relais
