#pragma once
// The Telegram Bot API gateway.
//
// Telegram knows chats, not phone numbers: an inbound message's `from` is the decimal chat
// id, and a participant is reached at the chat id her record was linked to. Linking uses
// a t.me deep link (telegram_start_link) whose code comes back as "/start CODE"
// (telegram_start_code), or her own number, shared with the keyboard button of
// kTelegramAskContactTemplate (InboundMessage::shared_phone).
//
// Inbound: Telegram POSTs one Update per request, with the secret token given to setWebhook
// in X-Telegram-Bot-Api-Secret-Token. Only new messages in private chats become events.
// Edited messages are ignored on purpose: the first version was already handled (a dialog
// may have moved on), and an edit taken as a new answer would answer twice.
//
// Outbound: POST {api_base_url}/bot<token>/sendMessage. The token is part of the URL, so
// no URL ever goes into an error text.
//
// Thread-safety: everything is read once in the constructor; all const members are safe
// from any thread.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http_gateway.hpp"
#include "adapters/registry.hpp"
#include "bot/config/config.hpp"

namespace relais {

// An OutgoingMessage with this template id is sent with a one-button reply keyboard that
// asks her to share her own phone number (the welcome of a chat not linked yet).
inline constexpr std::string_view kTelegramAskContactTemplate = "telegram_ask_contact";
// The button's label, read by participants.
inline constexpr std::string_view kTelegramShareNumberLabel = "Partager mon numéro";

class TelegramAdapter final : public HttpGateway {
 public:
  // Reads api_base_url and the secrets named by bot_token_env and secret_token_env; a
  // missing secret refuses every webhook and fails sends with bad_credentials.
  TelegramAdapter(const ChannelConfig& channel, const AdapterContext& context);

  Verdict verify(const WebhookRequest& request) const override;
  Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const override;
  // An empty JSON object: a JSON answer holding "method" would be run by Telegram as a call.
  WebhookReply acknowledge(const std::string& summary_json) const override;
  bool wants_summary() const override { return false; }

  Result<HttpRequest, SendOutcome> build_send(const OutgoingMessage& message) const override;
  SendOutcome read_send_response(const HttpResponse& response) const override;

 private:
  std::string channel_id_;
  std::string api_base_url_;  // no trailing slash
  std::string bot_token_;
  std::string secret_token_;
  std::string default_region_;
};

// "https://t.me/<bot>?start=<code>". A leading '@' of the username is dropped. Throws
// std::invalid_argument for a username or code Telegram would not accept (a code is
// [A-Za-z0-9_-]{1,64}): both come from Relais itself, so that is a bug, not input.
std::string telegram_start_link(std::string_view bot_username, std::string_view code);

// The code of a deep-link start ("/start CODE", or "/start@bot CODE"), or nullopt for any
// other text, a bare "/start" and a code Telegram could not have sent.
std::optional<std::string> telegram_start_code(std::string_view text);

// The sendMessage JSON body for `chat_id` with a reply keyboard of one button that shares
// her own contact (request_contact), shown once and sized to fit.
std::string telegram_contact_request_body(std::string_view chat_id, std::string_view text,
                                          std::string_view button_label = kTelegramShareNumberLabel);

std::unique_ptr<ChannelAdapter> make_telegram_adapter(const ChannelConfig& channel,
                                                      const AdapterContext& context);

}  // namespace relais
