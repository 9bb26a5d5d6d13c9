#include "adapters/channel.hpp"

#include <openssl/evp.h>

namespace relais {
namespace {

std::string base64_decode(std::string_view in) {
  if (in.size() % 4 != 0 || in.empty()) return {};
  std::string out(in.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return {};
  // EVP_DecodeBlock counts padding as zero bytes: drop them.
  if (in.ends_with("==")) n -= 2;
  else if (in.ends_with("=")) n -= 1;
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

std::string_view to_string(SendError e) {
  switch (e) {
    case SendError::none: return "none";
    case SendError::invalid_recipient: return "invalid_recipient";
    case SendError::blocked: return "blocked";
    case SendError::outside_window: return "outside_window";
    case SendError::bad_credentials: return "bad_credentials";
    case SendError::rejected: return "rejected";
    case SendError::rate_limited: return "rate_limited";
    case SendError::timeout: return "timeout";
    case SendError::unavailable: return "unavailable";
    case SendError::network: return "network";
  }
  return "unknown";
}

bool is_retryable(SendError e) {
  return e == SendError::rate_limited || e == SendError::timeout || e == SendError::unavailable ||
         e == SendError::network;
}

SendOutcome SendOutcome::success(std::string provider_id) {
  SendOutcome o;
  o.ok = true;
  o.provider_id = std::move(provider_id);
  return o;
}

SendOutcome SendOutcome::failure(SendError error, std::string code, std::string text,
                                 std::optional<Millis> retry_after) {
  SendOutcome o;
  o.error = error;
  o.error_code = std::move(code);
  o.error_text = std::move(text);
  o.retry_after = retry_after;
  return o;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // The length is not secret (it leaks through timing anyway); the content is.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Verdict check_basic_auth(const WebhookRequest& request, std::string_view user,
                         std::string_view password) {
  if (password.empty()) return Verdict::unauthenticated;
  auto it = request.headers.find("authorization");
  constexpr std::string_view scheme = "Basic ";
  if (it == request.headers.end() || !it->second.starts_with(scheme)) return Verdict::unauthenticated;
  const std::string expected = std::string(user) + ":" + std::string(password);
  const std::string given = base64_decode(std::string_view(it->second).substr(scheme.size()));
  return constant_time_equal(given, expected) ? Verdict::accepted : Verdict::unauthenticated;
}

}  // namespace relais
