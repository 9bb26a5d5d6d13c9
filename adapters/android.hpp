#pragma once
// SMS Gateway for Android (github.com/capcom6/android-sms-gateway): an Android phone sends
// and receives the SMS with its own SIM. Its local server (http://PHONE:8080) and its cloud
// server (https://api.sms-gate.app/3rdparty/v1) take the same API; the channel's
// api_base_url says which.
//
// Outbound: POST {api_base_url}/messages with HTTP basic auth (the app's user name and
// password) and JSON {id, textMessage {text}, phoneNumbers [E.164], withDeliveryReport
// true}. The id is "relais-{outbox row id}": a retry after a timeout is refused with 409
// ("message with the same ID already exists") instead of sending twice. The phone splits a
// long text into parts itself. Answer: 202 {id, state "Pending", recipients, ...} or
// {"message": "..."}.
//
// Inbound: the phone POSTs one webhook per registered event, signed with
// X-Signature = lower-case hex HMAC-SHA256(signing key, raw body + X-Timestamp), where
// X-Timestamp is Unix seconds. A signature older or newer than 5 minutes is refused (a
// replay). Events: sms:received and sms:batch:received (messages), mms:downloaded (text
// and attachments), sms:sent / sms:delivered / sms:failed / sms:cancelled (receipts keyed
// by our id). Android hands the app a long SMS already joined from its parts, so messages
// are always whole (no concat_*). sms:data-received, mms:received (a notice before the
// download), system:ping and app:started are acknowledged and ignored.
//
// Thread-safety: everything is read once in the constructor; verify(), parse() and the
// request builders are const and safe from any thread (the Clock must be too).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/http_gateway.hpp"
#include "adapters/registry.hpp"
#include "bot/config/config.hpp"
#include "bot/core/time.hpp"

namespace relais {

// How far X-Timestamp may be from now, either way (the app's documentation advises 5 min).
inline constexpr std::chrono::seconds kAndroidSignatureWindow{300};

class AndroidAdapter final : public HttpGateway {
 public:
  // Reads api_base_url, username and the secrets named by password_env and
  // signing_key_env; `clock` dates webhook signatures (tests pass a simulated one). A
  // missing secret is not an error here (the config check reports it): sends then fail
  // with bad_credentials and every webhook is refused. Throws std::invalid_argument when
  // the context has no HTTP client.
  AndroidAdapter(const ChannelConfig& channel, const AdapterContext& context, const Clock& clock);
  // The same with the system clock.
  AndroidAdapter(const ChannelConfig& channel, const AdapterContext& context);
  AndroidAdapter(const AndroidAdapter&) = delete;
  AndroidAdapter& operator=(const AndroidAdapter&) = delete;
  // A 409 (the phone already has this id) confirms without repeating the id.
  std::string own_provider_id(const OutgoingMessage& m) const override;

  Verdict verify(const WebhookRequest& request) const override;
  Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const override;
  // The app only needs a 2xx; Relais's summary (names, texts) is not sent back to it.
  WebhookReply acknowledge(const std::string& summary_json) const override;
  bool wants_summary() const override { return false; }

  Result<HttpRequest, SendOutcome> build_send(const OutgoingMessage& message) const override;
  SendOutcome read_send_response(const HttpResponse& response) const override;

 private:
  SystemClock system_clock_;  // used when no clock is given
  const Clock& clock_;
  std::string channel_id_;
  std::string default_region_;
  std::string api_base_url_;  // no trailing slash
  std::string username_;
  std::string password_;
  std::string signing_key_;
  std::function<std::string()> make_id_;
};

// Lower-case hex HMAC-SHA256 of body + timestamp keyed with the signing key: the app's
// X-Signature (also what a fake phone in tests must send).
std::string android_signature(std::string_view signing_key, std::string_view body,
                              std::string_view timestamp);

// The id a message is sent with, and that its receipts carry: "relais-42", or
// "relais-<idempotency key>" when the message has one.
std::string android_message_id(std::int64_t outbox_id);
std::string android_message_id(const OutgoingMessage& message);

std::unique_ptr<ChannelAdapter> make_android_adapter(const ChannelConfig& channel,
                                                     const AdapterContext& context);

}  // namespace relais
