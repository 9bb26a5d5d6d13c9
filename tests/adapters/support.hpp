#pragma once
// What the gateway adapters' tests share: a scripted HttpClient that keeps the requests it
// was sent, fixture files (tests/fixtures/<gateway>/), channels and an AdapterContext with
// fake secrets, and the raw HTTP messages some gateways' fixtures are written as (.http).
// Header-only: several test files of adapters_tests include it, so functions are inline.
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/channel.hpp"
#include "adapters/registry.hpp"
#include "bot/config/config.hpp"
#include "bot/core/http_client.hpp"

namespace relais::test {

// Answers each request with `answer` (200 "{}" unless told) and keeps what it was asked.
class FakeHttp final : public HttpClient {
 public:
  using Answer = std::function<Result<HttpResponse>(const HttpRequest&)>;

  FakeHttp() = default;
  explicit FakeHttp(Result<HttpResponse> reply) { answer_with(std::move(reply)); }

  // Every request from now on gets `reply`.
  void answer_with(Result<HttpResponse> reply) {
    answer = [reply = std::move(reply)](const HttpRequest&) { return reply; };
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    seen.push_back(request);
    return answer(request);
  }

  Answer answer = [](const HttpRequest&) { return Result<HttpResponse>(HttpResponse{200, {}, "{}"}); };
  std::vector<HttpRequest> seen;
};

// The bytes of tests/fixtures/<gateway>/<file>.
inline std::string fixture(std::string_view gateway, std::string_view file) {
  std::string path = RELAIS_FIXTURES;
  path.append("/").append(gateway).append("/").append(file);
  INFO("fixture " << path);
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A channel with `options`, then `overrides` over them. As in a loaded config, an option
// whose value is empty is not stored (an override can so remove one).
inline ChannelConfig test_channel(std::string id, std::string type,
                                  std::map<std::string, std::string> options,
                                  const std::map<std::string, std::string>& overrides = {}) {
  ChannelConfig c;
  c.id = std::move(id);
  c.type = std::move(type);
  for (const auto& [key, value] : overrides) options[key] = value;
  for (auto& [key, value] : options)
    if (!value.empty()) c.options.emplace(key, std::move(value));
  return c;
}

// A context for adapters under test: French numbers by default, `secrets` by variable name
// ("" for any other), and "generated-1" for inbound messages that carry no id.
inline AdapterContext test_context(HttpClient& http, std::map<std::string, std::string> secrets,
                                   std::string public_url = "https://relais.example.org") {
  AdapterContext c;
  c.public_url = std::move(public_url);
  c.default_region = "FR";
  c.http = &http;
  c.secret = [secrets = std::move(secrets)](const std::string& name) {
    auto it = secrets.find(name);
    return it == secrets.end() ? std::string() : it->second;
  };
  c.make_id = [] { return std::string("generated-1"); };
  return c;
}

// A request or an answer as a .http fixture writes it: the start line ("POST /path?query
// HTTP/1.1" or "HTTP/1.1 201 Created"), headers, a blank line, the body. Lines end in LF;
// the file's last newline is not part of the body.
struct HttpMessage {
  std::string method, path, query;  // a request
  int status = 0;                   // an answer
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  WebhookRequest request() const { return WebhookRequest{method, path, query, headers, body}; }
  HttpResponse response() const { return HttpResponse{status, headers, body}; }
};

inline HttpMessage parse_http_message(std::string text) {
  if (text.ends_with('\n')) text.pop_back();
  HttpMessage m;
  const auto blank = text.find("\n\n");
  std::istringstream head(text.substr(0, blank));
  if (blank != std::string::npos) m.body = text.substr(blank + 2);
  std::string line;
  std::getline(head, line);
  std::istringstream start(line);
  std::string first, second;
  start >> first >> second;
  if (first.starts_with("HTTP/")) {
    m.status = std::stoi(second);
  } else {
    m.method = first;
    m.path = second.substr(0, second.find('?'));
    if (second.find('?') != std::string::npos) m.query = second.substr(second.find('?') + 1);
  }
  while (std::getline(head, line)) {
    const auto colon = line.find(':');
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    m.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return m;
}

// tests/fixtures/<gateway>/<file>, a .http fixture, read.
inline HttpMessage http_fixture(std::string_view gateway, std::string_view file) {
  return parse_http_message(fixture(gateway, file));
}

}  // namespace relais::test
