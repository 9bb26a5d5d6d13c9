#include "bot/http_client.hpp"

#include <cpprest/http_client.h>
#include <pplx/threadpool.h>

#include <mutex>

namespace relais {
namespace {

namespace whttp = web::http;

class CpprestClient final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    try {
      whttp::client::http_client_config cfg;
      cfg.set_timeout(request.timeout);
      web::uri uri(request.url);
      whttp::client::http_client client(web::uri_builder(uri).set_path("").set_query("").set_fragment("").to_uri(), cfg);
      whttp::http_request req(request.method);
      req.set_request_uri(web::uri_builder().set_path(uri.path()).set_query(uri.query()).to_uri());
      std::string content_type;
      for (const auto& [k, v] : request.headers) {
        if (k == "Content-Type" || k == "content-type") content_type = v;
        else req.headers().add(k, v);
      }
      if (!request.body.empty() || request.method == "POST" || request.method == "PUT")
        req.set_body(request.body, content_type.empty() ? "application/octet-stream" : content_type);
      whttp::http_response res = client.request(req).get();
      HttpResponse out;
      out.status = res.status_code();
      for (const auto& [k, v] : res.headers()) {
        std::string key = k;
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[key] = v;
      }
      auto bytes = res.extract_vector().get();
      out.body.assign(bytes.begin(), bytes.end());
      return out;
    } catch (const std::exception& e) {
      return Err(std::string(e.what()));
    }
  }
};

}  // namespace

std::unique_ptr<HttpClient> make_http_client(int pool_threads) {
  static std::once_flag once;
  std::call_once(once, [&] { crossplat::threadpool::initialize_with_threads(static_cast<size_t>(pool_threads)); });
  return std::make_unique<CpprestClient>();
}

}  // namespace relais
