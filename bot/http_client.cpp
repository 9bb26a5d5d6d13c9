#include "bot/http_client.hpp"

#include <cpprest/http_client.h>
#include <pplx/threadpool.h>

#include <map>
#include <mutex>

namespace relais {
namespace {

namespace whttp = web::http;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One cpprestsdk client per (scheme, host, port, timeout): each keeps its own pool of
// connections, so successive sends to a gateway reuse them (keep-alive, TLS sessions).
class CpprestClient final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    try {
      web::uri uri(request.url);
      auto& client = client_for(uri, request.timeout);
      whttp::http_request req(request.method);
      req.set_request_uri(web::uri_builder().set_path(uri.path()).set_query(uri.query()).to_uri());
      std::string content_type;
      for (const auto& [k, v] : request.headers) {
        if (lower(k) == "content-type") content_type = v;
        else req.headers().add(k, v);
      }
      if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
        req.set_body(request.body, content_type.empty() ? "application/octet-stream" : content_type);
      whttp::http_response res = client.request(req).get();
      HttpResponse out;
      out.status = res.status_code();
      for (const auto& [k, v] : res.headers()) out.headers[lower(k)] = v;
      auto bytes = res.extract_vector().get();
      out.body.assign(bytes.begin(), bytes.end());
      return out;
    } catch (const std::exception& e) {
      // A path may hold a secret (Telegram's /bot<token>/…): never let it into a message.
      std::string why = e.what();
      std::string path;
      try {
        path = web::uri(request.url).path();
      } catch (...) {
        return Err(std::string("invalid URL"));
      }
      if (path.size() > 1)
        for (auto at = why.find(path); at != std::string::npos; at = why.find(path))
          why.replace(at, path.size(), "/...");
      return Err(std::move(why));
    }
  }

 private:
  whttp::client::http_client& client_for(const web::uri& uri, std::chrono::milliseconds timeout) {
    const std::string key = uri.scheme() + "://" + uri.host() + ":" + std::to_string(uri.port()) +
                            "#" + std::to_string(timeout.count());
    std::lock_guard lock(mutex_);
    auto it = clients_.find(key);
    if (it == clients_.end()) {
      whttp::client::http_client_config cfg;
      cfg.set_timeout(timeout);
      cfg.set_validate_certificates(true);
      auto base = web::uri_builder(uri).set_path("").set_query("").set_fragment("").set_user_info("").to_uri();
      it = clients_.emplace(key, std::make_unique<whttp::client::http_client>(base, cfg)).first;
    }
    return *it->second;
  }

  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<whttp::client::http_client>> clients_;
};

}  // namespace

std::unique_ptr<HttpClient> make_http_client(int pool_threads) {
  static std::once_flag once;
  std::call_once(once, [&] {
    crossplat::threadpool::initialize_with_threads(static_cast<size_t>(pool_threads));
  });
  return std::make_unique<CpprestClient>();
}

}  // namespace relais
