#pragma once
// The channel adapter interface. An adapter turns a gateway's webhook into events and an
// outgoing message into a gateway call. verify(), parse(), handshake() and acknowledge()
// are pure functions of their input (thread-safe, one request per thread: a request keeps
// its decoded body); send() may block on the network and
// is called from the dispatcher thread only.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "adapters/encoding.hpp"
#include "bot/core/domain.hpp"
#include "bot/core/result.hpp"
#include "bot/core/time.hpp"

namespace relais {

// An inbound HTTP request as the server received it; header names lower-cased.
struct WebhookRequest {
  std::string method;
  std::string path;   // "/webhooks/twilio-sms"
  std::string query;  // without '?'
  std::map<std::string, std::string> headers;
  std::string body;

  // The body decoded as a form (nullopt: a bad %-escape), decoded at the first call and
  // kept: verify() and parse() both read it. A request is not shared between threads.
  const std::optional<FormParams>& body_form() const {
    if (!body_form_) body_form_.emplace(parse_form(body));
    return *body_form_;
  }
  mutable std::optional<std::optional<FormParams>> body_form_{};
};

// What the server answers a gateway.
struct WebhookReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body = "{}";
};

enum class Verdict {
  accepted,
  unauthenticated,  // 401: credentials missing or wrong (basic auth)
  forbidden,        // 403: bad or missing signature, or not allowed at all
};

using InboundEvent = std::variant<InboundMessage, DeliveryReceipt>;

// The closed set of reasons a send fails. Provider error codes map onto these in each
// adapter's data tables.
enum class SendError {
  none,
  invalid_recipient,  // not a valid or reachable number / chat: permanent
  blocked,            // the person unsubscribed or blocked the sender: permanent
  outside_window,     // WhatsApp: a free-form message outside the 24-hour window: permanent
  bad_credentials,    // our account or token is wrong: permanent until fixed
  rejected,           // any other refusal of this message (content, sender…): permanent
  rate_limited,       // 429 and the like: retry, after Retry-After when given
  timeout,            // no answer in time: retry (the gateway may have sent it)
  unavailable,        // 5xx: retry
  network,            // refused, reset, DNS, TLS: retry
};
std::string_view to_string(SendError e);
bool is_retryable(SendError e);

struct SendOutcome {
  bool ok = false;
  std::string provider_id;                  // when ok
  SendError error = SendError::none;        // when not ok
  std::optional<Millis> retry_after;        // from the gateway, when it says
  std::string error_code;                   // the provider's own code, for coaches and logs
  std::string error_text;                   // short, no secret, no phone number in clear

  static SendOutcome success(std::string provider_id);
  static SendOutcome failure(SendError error, std::string code, std::string text,
                             std::optional<Millis> retry_after = std::nullopt);
};

// A message for a gateway. `to` is an E.164 phone or the channel's address (a chat id).
struct OutgoingMessage {
  std::int64_t id = 0;  // the outbox row id
  // Unique across databases too ("<install id>-<row id>"): row ids start again at 1 in a
  // new database, so a gateway that remembers ids (the Android app) would take a new
  // message for an old duplicate. Empty in tests that build messages by hand.
  std::string idempotency_key;
  std::string channel;
  std::string to;
  std::string text;  // already normalised for the channel
  // For channels that need a pre-approved template outside a conversation (WhatsApp):
  // the Relais template id (e.g. "reminder") and its variables by name.
  std::string template_id;
  std::map<std::string, std::string> variables;
  // When she last wrote on this channel (WhatsApp's 24-hour window), and now.
  std::optional<Utc> last_inbound_at;
  Utc now{};
};

class ChannelAdapter {
 public:
  virtual ~ChannelAdapter() = default;
  virtual const std::string& id() const = 0;
  // False for a send-only channel (a provider or sender type that cannot receive).
  virtual bool receives() const { return true; }
  virtual Verdict verify(const WebhookRequest& request) const = 0;
  // An error names what is wrong in the body (field, position).
  virtual Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const = 0;
  // A GET on the webhook URL (WhatsApp's subscription handshake). nullopt: 405.
  virtual std::optional<WebhookReply> handshake(const WebhookRequest&) const { return std::nullopt; }
  // The answer once the events are stored; `summary` is Relais's own JSON account of
  // what was stored and replied (the console channel returns it; Twilio wants TwiML).
  virtual WebhookReply acknowledge(const std::string& summary_json) const {
    return WebhookReply{200, "application/json", summary_json};
  }
  // False when acknowledge() ignores the summary: it is then not built (a webhook's answer
  // is on every request's path).
  virtual bool wants_summary() const { return true; }
  virtual SendOutcome send(const OutgoingMessage& message) = 0;
};

// Compares two secrets in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

// Checks an `Authorization: Basic …` header against user and password (for providers that
// sign nothing). An empty password means no credentials are configured: unauthenticated.
Verdict check_basic_auth(const WebhookRequest& request, std::string_view user,
                         std::string_view password);

}  // namespace relais
