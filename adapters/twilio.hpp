#pragma once
// Twilio Programmable Messaging. Sends with the Messages resource of the 2010-04-01 API
// (form-encoded POST, HTTP basic auth AccountSid:AuthToken); receives inbound SMS and the
// status callbacks of its own sends on the channel's one webhook URL, both form-encoded
// and signed with X-Twilio-Signature (HMAC-SHA1 keyed by the auth token).
//
// verify(), parse(), build_send() and read_send_response() are pure (thread-safe); send()
// goes through HttpGateway. The auth token is read once in the constructor and never
// appears in an error text; phone numbers in Twilio's error texts are masked.
#include <memory>
#include <string>
#include <string_view>

#include "adapters/encoding.hpp"
#include "adapters/http_gateway.hpp"
#include "adapters/registry.hpp"
#include "bot/config/config.hpp"

namespace relais {

// Request parameters in arrival order (a name may repeat), already percent-decoded.
using TwilioParams = FormParams;

// compute_signature() of Twilio's RequestValidator: base64(HMAC-SHA1(auth_token, url +
// name + value for each parameter)), names sorted, a repeated name's values sorted.
std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const TwilioParams& params);

// validate() of Twilio's RequestValidator for a form-encoded POST (or a GET: no params).
// Twilio signs the URL sometimes with its port and sometimes without, so both are tried
// ("https://h/p" is also tried as "https://h:443/p" and "https://h:8443/p" as "https://h/p").
bool twilio_form_request_valid(std::string_view auth_token, std::string_view url,
                               const TwilioParams& params, std::string_view signature);

// The JSON-body variant: Twilio adds bodySHA256 (hex SHA-256 of the body) to the URL's
// query and signs the URL alone. Both the body hash and the signature must match.
bool twilio_json_request_valid(std::string_view auth_token, std::string_view url,
                               std::string_view body, std::string_view signature);

class TwilioAdapter final : public HttpGateway {
 public:
  // Throws std::runtime_error naming the channel when it has neither `from` nor
  // `messaging_service_sid`, or when context.http is null.
  TwilioAdapter(const ChannelConfig& channel, const AdapterContext& context);

  Verdict verify(const WebhookRequest& request) const override;
  // An inbound SMS (SmsStatus=received) or a status callback (MessageStatus=…).
  Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const override;
  // Empty TwiML: Twilio sends no automatic reply (replies go through the outbox).
  WebhookReply acknowledge(const std::string& summary_json) const override;
  bool wants_summary() const override { return false; }

  Result<HttpRequest, SendOutcome> build_send(const OutgoingMessage& message) const override;
  SendOutcome read_send_response(const HttpResponse& response) const override;

 private:
  std::string account_sid_;
  std::string auth_token_;
  HmacKey signing_key_;  // the auth token, ready to check webhooks' signatures
  std::string from_;
  std::string messaging_service_sid_;
  std::string api_base_url_;
  std::string webhook_url_;
  std::string default_region_;
};

std::unique_ptr<ChannelAdapter> make_twilio_adapter(const ChannelConfig& channel,
                                                    const AdapterContext& context);

}  // namespace relais
