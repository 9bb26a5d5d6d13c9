#pragma once
// The real outgoing HTTP client (cpprestsdk underneath, kept out of this header).
#include <memory>

#include "bot/core/http_client.hpp"

namespace relais {

// Sizes cpprestsdk's thread pool on first use (its default of 40 threads hurts latency on
// 2 cores). TLS certificates are verified.
std::unique_ptr<HttpClient> make_http_client(int pool_threads = 2);

}  // namespace relais
