#pragma once
// Brevo (ex-Sendinblue) transactional SMS: a send-only SMS gateway.
//
// Outbound: POST {api_base_url}/transactionalSMS/send, the endpoint Brevo documents since
// May 2025 (/transactionalSMS/sms is deprecated), with the `api-key` header and JSON
// {sender, recipient (country code and number, no '+'), content, type "transactional",
// tag, unicodeEnabled}. Brevo answers 201 {"messageId": 1511882900176220} or an error
// {"code": "...", "message": "..."}. It takes no idempotency key: a retry after a timeout
// may send the SMS twice. The outbox row id goes as the tag ("relais-42"), so Brevo's logs
// and webhooks name the row.
//
// Inbound: Brevo forwards no SMS replies from French numbers (an alphanumeric sender
// cannot be answered), so receives() is false. Its transactional SMS webhooks are not
// signed: the channel's webhook is protected by HTTP basic auth (the user and password go
// in the URL registered at Brevo). Each event (msg_status sent, delivered, soft_bounce,
// hard_bounce, ...) becomes a delivery receipt keyed by messageId. A JSON array (taken to
// be a batched webhook, whose body Brevo does not show) gives one receipt per element.
//
// Thread-safety: everything is read once in the constructor; verify(), parse() and the
// request builders are const and safe from any thread.
#include <memory>
#include <string>

#include "adapters/http_gateway.hpp"
#include "adapters/registry.hpp"
#include "bot/config/config.hpp"

namespace relais {

class BrevoAdapter final : public HttpGateway {
 public:
  // Reads sender, api_base_url and the secrets named by api_key_env and
  // basic_auth_password_env. A missing secret is not an error here (the config check
  // reports it): sends then fail with bad_credentials and every webhook is refused.
  // Throws std::invalid_argument when the context has no HTTP client.
  BrevoAdapter(const ChannelConfig& channel, const AdapterContext& context);

  bool receives() const override { return false; }
  Verdict verify(const WebhookRequest& request) const override;
  Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const override;
  // Brevo only needs a 2xx; Relais's summary (names, texts) is not sent back to it.
  WebhookReply acknowledge(const std::string& summary_json) const override;
  bool wants_summary() const override { return false; }

  Result<HttpRequest, SendOutcome> build_send(const OutgoingMessage& message) const override;
  SendOutcome read_send_response(const HttpResponse& response) const override;

 private:
  std::string channel_id_;
  std::string api_base_url_;  // no trailing slash
  std::string api_key_;
  std::string sender_;
  std::string basic_auth_user_;
  std::string basic_auth_password_;
};

std::unique_ptr<ChannelAdapter> make_brevo_adapter(const ChannelConfig& channel,
                                                   const AdapterContext& context);

}  // namespace relais
