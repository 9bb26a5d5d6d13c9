#pragma once
// Vonage SMS API (the legacy rest.nexmo.com/sms/json API, not the Messages API). Sends with
// one JSON POST per message (api_key/api_secret in the body, the outbox row id as
// client-ref, the channel's webhook URL as DLR callback); receives inbound SMS and delivery
// receipts on that URL as a GET query, a form POST or a JSON POST, signed with the account's
// signature secret ("sig" + "timestamp" + "nonce" parameters).
//
// verify(), parse(), build_send() and read_send_response() are thread-safe; send() goes
// through HttpGateway. Secrets are read once in the constructor and never put in an error
// text; phone numbers in Vonage's error texts are masked.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/encoding.hpp"
#include "adapters/http_gateway.hpp"
#include "adapters/registry.hpp"
#include "bot/config/config.hpp"
#include "bot/core/time.hpp"

namespace relais {

// The dashboard's "signature method": MD5 hash (of the parameters + secret, the default)
// or an HMAC keyed by the secret.
enum class VonageSignatureMethod { md5hash, md5, sha1, sha256, sha512 };

// "md5hash", "md5", "sha1", "sha256", "sha512" (the config's signature_method); "" is md5hash.
std::optional<VonageSignatureMethod> parse_vonage_signature_method(std::string_view name);

// Request parameters in arrival order, percent-decoded (JSON values as strings).
using VonageParams = FormParams;

// The signature as Vonage's SDKs compute it (Java RequestSigning, PHP Signature): the
// parameters but `sig`, sorted by name, each as "&name=value" with '&' and '=' inside names
// and values replaced by '_'; md5hash = MD5(that + secret), the others HMAC(secret, that).
// Lower-case hex. A repeated name counts once (its first value). `skip_empty` leaves out
// parameters whose value is blank, as the Java SDK does (the PHP and Python SDKs keep them).
std::string vonage_signature(VonageSignatureMethod method, std::string_view secret,
                             const VonageParams& params, bool skip_empty = false);

// The Java SDK refuses a signed request whose `timestamp` is further than this from now.
inline constexpr std::chrono::minutes kVonageMaxClockSkew{5};

class VonageAdapter final : public HttpGateway {
 public:
  // Throws std::runtime_error naming the channel for an unknown signature_method or a null
  // context.http. The two-argument form checks webhook timestamps against the system clock.
  VonageAdapter(const ChannelConfig& channel, const AdapterContext& context);
  VonageAdapter(const ChannelConfig& channel, const AdapterContext& context, const Clock& clock);

  // Accepted only with a valid `sig` whose `timestamp` is within kVonageMaxClockSkew of now.
  Verdict verify(const WebhookRequest& request) const override;
  // An inbound SMS (one part of a long one carries concat-*) or a delivery receipt.
  Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const override;

  Result<HttpRequest, SendOutcome> build_send(const OutgoingMessage& message) const override;
  SendOutcome read_send_response(const HttpResponse& response) const override;

 private:
  std::string api_key_;
  std::string api_secret_;
  std::string signature_secret_;
  VonageSignatureMethod signature_method_;
  std::string from_;
  std::string api_base_url_;
  std::string webhook_url_;
  const Clock& clock_;
};

std::unique_ptr<ChannelAdapter> make_vonage_adapter(const ChannelConfig& channel,
                                                    const AdapterContext& context);

}  // namespace relais
