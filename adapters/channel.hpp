#pragma once
// The channel adapter interface. An adapter turns a gateway's webhook into events and an
// outgoing message into a gateway call. verify() and parse() are pure functions of the
// request; send() may block on the network and is called from the dispatcher thread only.
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "bot/core/domain.hpp"
#include "bot/core/result.hpp"

namespace relais {

// An inbound HTTP request as the server received it; header names lower-cased.
struct WebhookRequest {
  std::string method;
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;
  std::string body;
};

enum class Verdict { accepted, unauthenticated /* 401: credentials missing or wrong */,
                     forbidden /* 403: bad signature, or not allowed at all */ };

using InboundEvent = std::variant<InboundMessage, DeliveryReceipt>;

struct SendOutcome {
  bool ok = false;
  std::string provider_id;  // when ok
  bool retryable = false;   // when not ok
  std::string error;        // when not ok: short, no secret, no phone number in clear
};

class ChannelAdapter {
 public:
  virtual ~ChannelAdapter() = default;
  virtual const std::string& id() const = 0;
  virtual Verdict verify(const WebhookRequest& request) const = 0;
  // An error names what is wrong in the body (field, position).
  virtual Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const = 0;
  virtual SendOutcome send(const OutgoingMessage& message) = 0;
};

// Compares two secrets in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace relais
