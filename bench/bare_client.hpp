#pragma once
// The outbound bench's baseline: a bare cpprestsdk http_client posting prepared requests
// to one gateway, `concurrency` at a time (each worker waits for its answer before the
// next, as a dispatcher's sender does), with nothing else around it: no database, no
// adapter, no logging.
#include <vector>

#include "bot/core/http_client.hpp"

namespace relais::bench {

// Posts every request (all to the same scheme, host and port); returns how many failed
// (transport error or a status other than 2xx).
int post_all(const std::vector<HttpRequest>& requests, int concurrency);

}  // namespace relais::bench
