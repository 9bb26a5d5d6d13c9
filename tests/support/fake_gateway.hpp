#pragma once
// A fake gateway on loopback for end-to-end tests: it answers sends the way a provider
// does (each test registers the provider's routes and answers), records every request
// with its arrival time, can be told to fail the next requests (500, 429 with Retry-After,
// hang, drop the connection), and posts webhooks (receipts, inbound messages) back to
// relais like the provider would.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bot/http/router.hpp"

namespace relais::http { class Server; }

namespace relais::test {

class FakeGateway {
 public:
  struct Received {
    std::string method, path, query, body;
    std::map<std::string, std::string> headers;
    std::map<std::string, std::string> params;  // from the route pattern
    std::chrono::steady_clock::time_point at;
  };
  enum class Fault { error_500, rate_limited, hang, drop };
  // The provider's answer to a request that does not fail; `n` counts the requests of
  // this route from 1 (for message ids).
  using Responder = std::function<http::Response(const Received&, int n)>;

  FakeGateway();
  ~FakeGateway();

  // Routes, before start(): "POST", "/2010-04-01/Accounts/{sid}/Messages.json".
  void on(const std::string& method, const std::string& pattern, Responder responder);
  void start();
  std::string base_url() const;  // http://127.0.0.1:PORT

  // The next `count` requests fail this way (in order, after those already planned).
  void fail_next(Fault fault, int count = 1, int retry_after_seconds = 0);

  std::vector<Received> received() const;
  // Waits until at least `n` requests have arrived.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

  // Posts a webhook to relais (or anywhere); returns the HTTP status, 0 on transport error.
  static int post(const std::string& url, const std::map<std::string, std::string>& headers,
                  const std::string& body);

 private:
  struct Planned {
    Fault fault;
    int retry_after_seconds;
  };
  void handle(const std::string& route, const Responder& responder, http::Request& request,
              http::Respond respond);

  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<Received> received_;
  std::vector<Planned> planned_;
  std::map<std::string, int> counts_;
  std::vector<http::Respond> hanging_;  // answered only when the gateway stops
};

// "application/x-www-form-urlencoded" bodies, as gateways send them.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace relais::test
