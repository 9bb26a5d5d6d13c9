#include "adapters/brevo.hpp"

#include "adapters/gateway_util.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "bot/core/mask.hpp"
#include "bot/core/sms.hpp"

namespace relais {
namespace {

using nlohmann::json;

constexpr std::string_view kDefaultBaseUrl = "https://api.brevo.com/v3";
constexpr std::size_t kMaxErrorText = 200;

// What a webhook's msg_status means for the message. Brevo's documented statuses are
// sent, delivered, soft_bounce and hard_bounce; its SMS event list also names accepted,
// rejected, skip, blacklisted and (un)subscribe, in camelCase in its reports.
enum class EventKind { receipt, ignored, reply };
struct StatusRule {
  std::string_view msg_status;
  EventKind kind;
  MessageStatus status;  // for receipts
};
constexpr std::array kStatusRules = {
    StatusRule{"sent", EventKind::receipt, MessageStatus::sent},
    StatusRule{"accepted", EventKind::receipt, MessageStatus::sent},
    StatusRule{"delivered", EventKind::receipt, MessageStatus::delivered},
    StatusRule{"soft_bounce", EventKind::receipt, MessageStatus::undelivered},
    StatusRule{"softBounce", EventKind::receipt, MessageStatus::undelivered},
    StatusRule{"hard_bounce", EventKind::receipt, MessageStatus::undelivered},
    StatusRule{"hardBounce", EventKind::receipt, MessageStatus::undelivered},
    StatusRule{"rejected", EventKind::receipt, MessageStatus::undelivered},
    // Not sent because Brevo blocklisted the number (she once answered STOP).
    StatusRule{"skip", EventKind::receipt, MessageStatus::undelivered},
    StatusRule{"skipped", EventKind::receipt, MessageStatus::undelivered},
    StatusRule{"blacklisted", EventKind::receipt, MessageStatus::undelivered},
    // About the contact, not about a message.
    StatusRule{"subscribe", EventKind::ignored, MessageStatus::sent},
    StatusRule{"unsubscribe", EventKind::ignored, MessageStatus::sent},
    StatusRule{"unsubscribed", EventKind::ignored, MessageStatus::sent},
    StatusRule{"reply", EventKind::reply, MessageStatus::sent},
    StatusRule{"replied", EventKind::reply, MessageStatus::sent},
};

// Brevo's error codes (ErrorModel.code in its SDKs) for statuses that do not decide alone.
struct ErrorRule {
  std::string_view code;
  std::string_view message_keyword;  // "" = any message
  SendError error;
  std::string_view meaning;
};
constexpr std::array kErrorRules = {
    ErrorRule{"invalid_parameter", "recipient", SendError::invalid_recipient, "recipient refused"},
    ErrorRule{"invalid_parameter", "phone", SendError::invalid_recipient, "phone number refused"},
    ErrorRule{"invalid_parameter", "mobile", SendError::invalid_recipient, "mobile number refused"},
    ErrorRule{"invalid_parameter", "", SendError::rejected, "a parameter is invalid (sender, content)"},
    ErrorRule{"missing_parameter", "", SendError::rejected, "a required parameter is missing"},
    ErrorRule{"out_of_range", "", SendError::rejected, "a value is out of range"},
    ErrorRule{"bad_request", "", SendError::rejected, "malformed request"},
    ErrorRule{"not_acceptable", "", SendError::rejected, "not acceptable"},
    ErrorRule{"method_not_allowed", "", SendError::rejected, "wrong method or path (api_base_url?)"},
    ErrorRule{"document_not_found", "", SendError::rejected, "unknown resource (api_base_url?)"},
    ErrorRule{"duplicate_parameter", "", SendError::rejected, "duplicate parameter"},
    ErrorRule{"duplicate_request", "", SendError::rejected, "duplicate request"},
    ErrorRule{"unauthorized", "", SendError::bad_credentials, "API key wrong or missing"},
    ErrorRule{"permission_denied", "", SendError::bad_credentials, "key not allowed (authorised IPs?)"},
    ErrorRule{"reseller_permission_denied", "", SendError::bad_credentials, "reseller permission"},
    ErrorRule{"account_under_validation", "", SendError::bad_credentials, "account not validated yet"},
    ErrorRule{"not_enough_credits", "", SendError::bad_credentials, "no SMS credits left"},
};

// Statuses that decide whatever the body says. 402 (SMS credits exhausted) is an account
// problem, permanent until someone buys credits, and the same for every message: it is
// classed with a wrong key (bad_credentials), not as a refusal of this one message.
struct StatusDecision {
  int status;
  SendError error;
};
constexpr std::array kStatusDecisions = {
    StatusDecision{401, SendError::bad_credentials},
    StatusDecision{402, SendError::bad_credentials},
    StatusDecision{403, SendError::bad_credentials},
    StatusDecision{429, SendError::rate_limited},
};

// Provider texts may quote the number: masked, and kept short for logs and coaches.
std::string safe_text(std::string_view text) {
  std::string out = mask_phones(text);
  if (out.size() > kMaxErrorText) out = out.substr(0, kMaxErrorText) + "...";
  return out;
}

// messageId is a JSON number in Brevo's examples; accept a string too.
std::optional<std::string> id_text(const json& value) {
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_string() && !value.get<std::string>().empty()) return value.get<std::string>();
  return std::nullopt;
}

std::string string_or_empty(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const StatusRule* find_status_rule(std::string_view msg_status) {
  for (const auto& rule : kStatusRules)
    if (rule.msg_status == msg_status) return &rule;
  return nullptr;
}

// One webhook event; `path` names it in errors ("$" or "$[1]").
Result<std::optional<DeliveryReceipt>> parse_event(const json& event, const std::string& path,
                                                   const std::string& channel_id) {
  if (!event.is_object()) return Err(path + ": expected a JSON object");
  std::string msg_status = string_or_empty(event, "msg_status");
  std::string status_field = "msg_status";
  if (msg_status.empty()) {
    msg_status = string_or_empty(event, "event");
    status_field = "event";
  }
  if (msg_status.empty()) return Err(path + ".msg_status: missing");
  const StatusRule* rule = find_status_rule(msg_status);
  if (!rule) return Err(path + "." + status_field + ": unknown status \"" + msg_status + "\"");
  if (rule->kind == EventKind::ignored) return std::optional<DeliveryReceipt>();
  if (rule->kind == EventKind::reply)
    return Err(path + "." + status_field +
               ": a reply event, but a Brevo channel is send-only (do not subscribe to replies)");
  auto id = event.find("messageId");
  if (id == event.end()) return Err(path + ".messageId: missing");
  auto provider_id = id_text(*id);
  if (!provider_id) return Err(path + ".messageId: must be a number or a non-empty string");

  DeliveryReceipt receipt;
  receipt.channel = channel_id;
  receipt.provider_id = *provider_id;
  receipt.status = rule->status;
  if (rule->status == MessageStatus::undelivered) {
    receipt.error_code = msg_status;
    std::string why = string_or_empty(event, "reason");
    if (why.empty()) why = string_or_empty(event, "description");
    receipt.error_text = safe_text(why);
  }
  return std::optional<DeliveryReceipt>(std::move(receipt));
}

std::optional<Millis> brevo_reset_hint(const HttpResponse& response) {
  // Brevo sends no Retry-After (HttpGateway reads it when present) but x-sib-ratelimit-reset,
  // the seconds until its window resets.
  if (response.headers.count("retry-after")) return std::nullopt;
  auto it = response.headers.find("x-sib-ratelimit-reset");
  if (it == response.headers.end() || it->second.empty() || it->second.size() > 8 ||
      it->second.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return Millis(std::stoll(it->second) * 1000);
}

SendError classify(int status, std::string_view code, std::string_view message) {
  for (const auto& d : kStatusDecisions)
    if (d.status == status) return d.error;
  if (status >= 500 || status == 408) return classify_http_status(status);
  for (const auto& rule : kErrorRules)
    if (rule.code == code && contains_ci(message, rule.message_keyword)) return rule.error;
  return classify_http_status(status);
}

}  // namespace

BrevoAdapter::BrevoAdapter(const ChannelConfig& channel, const AdapterContext& context)
    : HttpGateway(channel.id, context.http
                                  ? *context.http
                                  : throw std::invalid_argument("channel " + channel.id +
                                                                ": brevo needs an HTTP client")),
      channel_id_(channel.id),
      api_base_url_(without_trailing_slash(channel.option("api_base_url").empty()
                                               ? std::string(kDefaultBaseUrl)
                                               : channel.option("api_base_url"))),
      api_key_(read_secret(context, channel.option("api_key_env"))),
      sender_(channel.option("sender")),
      basic_auth_user_(channel.basic_auth_user),
      basic_auth_password_(read_secret(context, channel.basic_auth_password_env)) {}

Verdict BrevoAdapter::verify(const WebhookRequest& request) const {
  // Brevo signs nothing: the user and password ride in the webhook URL registered there.
  return check_basic_auth(request, basic_auth_user_, basic_auth_password_);
}

Result<std::vector<InboundEvent>> BrevoAdapter::parse(const WebhookRequest& request) const {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return Err(std::string("body is not valid JSON"));
  std::vector<InboundEvent> events;
  auto add = [&](const json& event, const std::string& path) -> std::optional<std::string> {
    auto receipt = parse_event(event, path, channel_id_);
    if (!receipt) return receipt.error();
    if (*receipt) events.emplace_back(std::move(**receipt));
    return std::nullopt;
  };
  if (body.is_array()) {
    // A batched webhook: every event of the batch, or none if one is bad.
    for (std::size_t i = 0; i < body.size(); ++i)
      if (auto error = add(body[i], "$[" + std::to_string(i) + "]")) return Err(*error);
  } else if (auto error = add(body, "$")) {
    return Err(*error);
  }
  return events;
}

WebhookReply BrevoAdapter::acknowledge(const std::string&) const {
  return WebhookReply{200, "application/json", "{}"};
}

Result<HttpRequest, SendOutcome> BrevoAdapter::build_send(const OutgoingMessage& message) const {
  if (api_key_.empty())
    return Err(SendOutcome::failure(SendError::bad_credentials, "no_api_key",
                                    "the API key variable is not set"));
  if (!is_e164(message.to))
    return Err(SendOutcome::failure(SendError::invalid_recipient, "not_e164",
                                    "recipient is not an E.164 phone number"));
  if (message.text.empty())
    return Err(SendOutcome::failure(SendError::rejected, "empty_text", "nothing to send"));

  json body = {
      {"sender", sender_},
      {"recipient", message.to.substr(1)},  // Brevo wants 33612345678, without '+'
      {"content", message.text},
      {"type", "transactional"},
      {"tag", "relais-" + std::to_string(message.id)},
      // Without it Brevo would send a text GSM-7 cannot carry (an emoji, Arabic) garbled.
      {"unicodeEnabled", analyse_sms(message.text).encoding == SmsEncoding::ucs2},
  };
  HttpRequest request;
  request.method = "POST";
  request.url = api_base_url_ + "/transactionalSMS/send";
  request.headers = {{"api-key", api_key_},
                     {"content-type", "application/json"},
                     {"accept", "application/json"}};
  request.body = body.dump();
  return request;
}

SendOutcome BrevoAdapter::read_send_response(const HttpResponse& response) const {
  json body = json::parse(response.body, nullptr, false);
  if (response.status >= 200 && response.status < 300) {
    if (body.is_object() && body.contains("messageId"))
      if (auto id = id_text(body["messageId"])) return SendOutcome::success(*id);
    // Accepted but unnamed: retrying could send it twice, so no retry.
    return SendOutcome::failure(SendError::rejected, "no_message_id",
                                "Brevo accepted the SMS without a messageId");
  }
  std::string code, text;
  if (body.is_object()) {
    code = string_or_empty(body, "code");
    text = string_or_empty(body, "message");
  }
  const SendError error = classify(response.status, code, text);
  if (code.empty()) code = std::to_string(response.status);
  if (text.empty()) text = "HTTP " + std::to_string(response.status);
  std::optional<Millis> retry_after;
  if (error == SendError::rate_limited) retry_after = brevo_reset_hint(response);
  return SendOutcome::failure(error, code, safe_text(text), retry_after);
}

std::unique_ptr<ChannelAdapter> make_brevo_adapter(const ChannelConfig& channel,
                                                   const AdapterContext& context) {
  return std::make_unique<BrevoAdapter>(channel, context);
}

}  // namespace relais
