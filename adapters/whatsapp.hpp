#pragma once
// The WhatsApp Cloud API (Meta) gateway.
//
// Inbound: Meta POSTs `whatsapp_business_account` notifications to the channel's webhook,
// signed with X-Hub-Signature-256 = "sha256=" + hex(HMAC-SHA256(app secret, raw body)).
// One notification may carry several messages and statuses, and an app subscribed to a
// WhatsApp Business Account receives them for every phone number of that account: only
// those addressed to this channel's phone_number_id are kept. A GET with hub.mode=subscribe
// is Meta's subscription handshake (handshake()).
//
// Outbound: POST {api_base_url}/{phone_number_id}/messages. A free-form text is allowed
// only within 24 hours of her last message; outside it the message goes as the approved
// template the channel maps to the message's template id, or fails (outside_window)
// without any call.
//
// Thread-safety: everything is read once in the constructor; verify(), parse(),
// handshake() and the request builders are const and safe from any thread.
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/http_gateway.hpp"
#include "adapters/registry.hpp"
#include "bot/config/config.hpp"

namespace relais {

class WhatsAppAdapter final : public HttpGateway {
 public:
  // Reads phone_number_id, api_base_url and the secrets named by access_token_env,
  // app_secret_env and verify_token_env. A missing secret is not an error here (the config
  // check reports it): webhooks are then refused and sends fail with bad_credentials.
  WhatsAppAdapter(const ChannelConfig& channel, const AdapterContext& context);

  Verdict verify(const WebhookRequest& request) const override;
  Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const override;
  std::optional<WebhookReply> handshake(const WebhookRequest& request) const override;
  // Meta only needs a 200; Relais's summary (names, numbers) is not echoed back.
  WebhookReply acknowledge(const std::string& summary_json) const override;
  bool wants_summary() const override { return false; }

  Result<HttpRequest, SendOutcome> build_send(const OutgoingMessage& message) const override;
  SendOutcome read_send_response(const HttpResponse& response) const override;

 private:
  std::string channel_id_;
  std::string phone_number_id_;
  std::string api_base_url_;  // no trailing slash
  std::string access_token_;
  std::string app_secret_;
  std::string verify_token_;
  std::map<std::string, TemplateMapping> templates_;
};

// "sha256=" + lower-case hex HMAC-SHA256 of `body` keyed with `app_secret`: the value Meta
// puts in X-Hub-Signature-256 (also what a fake gateway in tests must send).
std::string whatsapp_signature(std::string_view app_secret, std::string_view body);

// True when a free-form message may still be sent: she wrote less than 24 hours ago.
bool whatsapp_window_open(const OutgoingMessage& message);

std::unique_ptr<ChannelAdapter> make_whatsapp_adapter(const ChannelConfig& channel,
                                                      const AdapterContext& context);

}  // namespace relais
