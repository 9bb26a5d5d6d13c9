#include "bench/bare_client.hpp"

#include <cpprest/http_client.h>

#include <atomic>
#include <thread>

namespace relais::bench {

namespace whttp = web::http;

int post_all(const std::vector<HttpRequest>& requests, int concurrency) {
  if (requests.empty()) return 0;
  const web::uri first(requests.front().url);
  whttp::client::http_client_config config;
  config.set_timeout(requests.front().timeout);
  whttp::client::http_client client(web::uri_builder(first).set_path("").set_query("").to_uri(), config);
  std::atomic<std::size_t> next{0};
  std::atomic<int> failures{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < requests.size(); i = next++) {
      const HttpRequest& r = requests[i];
      whttp::http_request req(r.method);
      req.set_request_uri(web::uri(r.url).resource());
      std::string content_type;
      for (const auto& [name, value] : r.headers) {
        if (name == "content-type") content_type = value;
        else req.headers().add(name, value);
      }
      req.set_body(r.body, content_type);
      try {
        auto response = client.request(req).get();
        response.extract_vector().get();
        if (response.status_code() < 200 || response.status_code() >= 300) ++failures;
      } catch (const std::exception&) {
        ++failures;
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, concurrency); ++i) workers.emplace_back(worker);
  for (auto& w : workers) w.join();
  return failures;
}

}  // namespace relais::bench
