#include "adapters/http_gateway.hpp"

#include <date/date.h>

#include <sstream>

namespace relais {

SendOutcome HttpGateway::send(const OutgoingMessage& message) {
  auto request = build_send(message);
  if (!request) return request.error();
  auto response = client_.send(*request);
  if (!response) {
    const std::string& why = response.error();
    const bool timed_out = why.find("timed out") != std::string::npos ||
                           why.find("timeout") != std::string::npos;
    // A timeout may hide a message the gateway did send: retried all the same
    // (at-least-once), with the row id as idempotency key where the gateway takes one.
    return SendOutcome::failure(timed_out ? SendError::timeout : SendError::network, "", why);
  }
  SendOutcome outcome = read_send_response(*response);
  if (outcome.ok && outcome.provider_id.empty()) outcome.provider_id = own_provider_id(message);
  if (!outcome.ok && !outcome.retry_after) outcome.retry_after = parse_retry_after(*response, message.now);
  return outcome;
}

std::optional<Millis> parse_retry_after(const HttpResponse& response, Utc now) {
  auto it = response.headers.find("retry-after");
  if (it == response.headers.end()) return std::nullopt;
  const std::string& v = it->second;
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos && v.size() < 9)
    return Millis(std::stoll(v) * 1000);
  std::istringstream in(v);
  date::sys_seconds when;
  in >> date::parse("%a, %d %b %Y %T GMT", when);
  if (in.fail()) return std::nullopt;
  auto delta = std::chrono::duration_cast<Millis>(when - now);
  return delta.count() > 0 ? delta : Millis(0);
}

SendError classify_http_status(int status) {
  if (status == 401 || status == 403) return SendError::bad_credentials;
  if (status == 429) return SendError::rate_limited;
  if (status == 408 || status >= 500) return SendError::unavailable;
  return SendError::rejected;
}

}  // namespace relais
