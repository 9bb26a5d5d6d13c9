#include "support/fake_gateway.hpp"

#include <optional>

#include "bot/http/server.hpp"
#include "bot/http_client.hpp"

namespace relais::test {

FakeGateway::FakeGateway() = default;

FakeGateway::~FakeGateway() {
  if (server_) server_->stop();
  {
    // Hanging requests are cut when the gateway goes away.
    std::lock_guard lock(mutex_);
    for (auto& respond : hanging_) {
      http::Response r;
      r.drop_connection = true;
      respond(std::move(r));
    }
    hanging_.clear();
  }
  if (thread_.joinable()) thread_.join();
}

void FakeGateway::on(const std::string& method, const std::string& pattern, Responder responder) {
  router_.add(method, pattern, pattern, [this, pattern, responder](http::Request& r, http::Respond respond) {
    handle(pattern, responder, r, std::move(respond));
  });
}

void FakeGateway::start() {
  http::ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.max_body_bytes = 1 << 20;
  options.shutdown_grace = std::chrono::milliseconds(200);
  server_ = std::make_unique<http::Server>(options, router_);
  thread_ = std::thread([this] { server_->run(false); });
}

std::string FakeGateway::base_url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

void FakeGateway::fail_next(Fault fault, int count, int retry_after_seconds) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) planned_.push_back({fault, retry_after_seconds});
}

std::vector<FakeGateway::Received> FakeGateway::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

bool FakeGateway::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
}

void FakeGateway::handle(const std::string& route, const Responder& responder,
                         http::Request& request, http::Respond respond) {
  Received r{request.method, request.path, request.query, request.body, request.headers,
             request.params, std::chrono::steady_clock::now()};
  std::optional<Planned> fault;
  int n = 0;
  {
    std::lock_guard lock(mutex_);
    received_.push_back(r);
    arrived_.notify_all();
    if (!planned_.empty()) {
      fault = planned_.front();
      planned_.erase(planned_.begin());
    } else {
      n = ++counts_[route];
    }
  }
  if (!fault) {
    respond(responder(r, n));
    return;
  }
  switch (fault->fault) {
    case Fault::error_500:
      respond(http::json_response(500, R"js({"error": "internal error (fake)"})js"));
      return;
    case Fault::rate_limited: {
      auto res = http::json_response(429, R"js({"error": "too many requests (fake)"})js");
      res.headers.emplace_back("Retry-After", std::to_string(fault->retry_after_seconds));
      respond(std::move(res));
      return;
    }
    case Fault::hang: {
      std::lock_guard lock(mutex_);
      hanging_.push_back(std::move(respond));
      return;
    }
    case Fault::drop: {
      http::Response res;
      res.drop_connection = true;
      respond(std::move(res));
      return;
    }
  }
}

int FakeGateway::post(const std::string& url, const std::map<std::string, std::string>& headers,
                      const std::string& body) {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = headers;
  request.body = body;
  request.timeout = std::chrono::milliseconds(5000);
  auto response = make_http_client()->send(request);
  return response ? response->status : 0;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  auto encode = [](const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
      else if (c == ' ') out += '+';
      else {
        out += '%';
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
    return out;
  };
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += encode(k) + "=" + encode(v);
  }
  return body;
}

}  // namespace relais::test
