#include "adapters/android.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cctype>
#include <optional>
#include <stdexcept>

#include "adapters/encoding.hpp"
#include "adapters/gateway_util.hpp"
#include "bot/core/mask.hpp"
#include "bot/core/phone.hpp"

namespace relais {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxErrorText = 200;

// What each webhook event becomes (the app's WebHookEvent enum).
enum class EventKind { message, message_batch, mms, mms_batch, receipt, failure, ignored };
struct EventRule {
  std::string_view event;
  EventKind kind;
  MessageStatus status;  // for receipts
};
constexpr std::array kEventRules = {
    EventRule{"sms:received", EventKind::message, MessageStatus::sent},
    EventRule{"sms:batch:received", EventKind::message_batch, MessageStatus::sent},
    EventRule{"mms:downloaded", EventKind::mms, MessageStatus::sent},
    EventRule{"mms:batch:downloaded", EventKind::mms_batch, MessageStatus::sent},
    EventRule{"sms:sent", EventKind::receipt, MessageStatus::sent},
    EventRule{"sms:delivered", EventKind::receipt, MessageStatus::delivered},
    EventRule{"sms:failed", EventKind::failure, MessageStatus::failed},
    // Cancelled on the phone or its dashboard: it will not be sent.
    EventRule{"sms:cancelled", EventKind::receipt, MessageStatus::failed},
    // Binary SMS to an application port: not a participant's words.
    EventRule{"sms:data-received", EventKind::ignored, MessageStatus::sent},
    EventRule{"sms:batch:data-received", EventKind::ignored, MessageStatus::sent},
    // A notice before the download; the text comes with mms:downloaded.
    EventRule{"mms:received", EventKind::ignored, MessageStatus::sent},
    EventRule{"mms:batch:received", EventKind::ignored, MessageStatus::sent},
    EventRule{"system:ping", EventKind::ignored, MessageStatus::sent},
    EventRule{"app:started", EventKind::ignored, MessageStatus::sent},
};

// The send API has no error codes, only {"message": ...}: the status decides, refined by
// a word of the message where one status covers several cases.
struct ErrorRule {
  int status;
  std::string_view message_keyword;  // "" = any message
  SendError error;
  std::string_view meaning;
};
constexpr std::array kErrorRules = {
    ErrorRule{400, "phone number", SendError::invalid_recipient, "number refused (invalid, not mobile)"},
    ErrorRule{400, "", SendError::rejected, "request refused"},
    ErrorRule{401, "", SendError::bad_credentials, "user name or password wrong"},
    ErrorRule{403, "", SendError::bad_credentials, "not allowed for these credentials"},
    ErrorRule{404, "", SendError::bad_credentials, "no such API: api_base_url wrong"},
    ErrorRule{413, "", SendError::rejected, "request too large"},
    ErrorRule{429, "", SendError::rate_limited, "too many requests"},
    ErrorRule{503, "", SendError::unavailable, "queue full, or no device online"},
};

// Provider texts may quote a number (the SMS centre's): masked, and kept short.
std::string safe_text(std::string_view text) {
  std::string out = mask_phones(text);
  if (out.size() > kMaxErrorText) out = out.substr(0, kMaxErrorText) + "...";
  return out;
}

// A string field: its value, "" when absent or null, an error when of another type.
Result<std::string> optional_string(const json& object, const char* key, const std::string& path) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Err(path + "." + key + ": must be a string");
  return it->get<std::string>();
}

Result<std::string> required_string(const json& object, const char* key, const std::string& path) {
  auto value = optional_string(object, key, path);
  if (value && value->empty()) return Err(path + "." + key + ": missing");
  return value;
}

std::string string_or_empty(const json& value, const char* key) {
  if (!value.is_object()) return "";
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const EventRule* find_rule(std::string_view event) {
  for (const auto& rule : kEventRules)
    if (rule.event == event) return &rule;
  return nullptr;
}

// "Send result: RESULT_ERROR_GENERIC_FAILURE (...)" → RESULT_ERROR_GENERIC_FAILURE;
// "Delivery result from SC +33…: 64" → the TP-Status, "tp_status_64".
std::string failure_code(std::string_view reason) {
  for (std::string_view prefix : {"RESULT_", "MMS_ERROR_"}) {
    auto at = reason.find(prefix);
    if (at == std::string_view::npos) continue;
    auto end = reason.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", at);
    return std::string(reason.substr(at, end == std::string_view::npos ? end : end - at));
  }
  if (reason.starts_with("Delivery result")) {
    auto colon = reason.rfind(':');
    auto digits = colon == std::string_view::npos ? std::string_view() : reason.substr(colon + 1);
    while (digits.starts_with(' ')) digits.remove_prefix(1);
    if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string_view::npos)
      return "tp_status_" + std::string(digits);
  }
  return "";
}

}  // namespace

std::string android_signature(std::string_view signing_key, std::string_view body,
                              std::string_view timestamp) {
  std::string message;
  message.reserve(body.size() + timestamp.size());
  message.append(body).append(timestamp);
  return hex(hmac(HashAlgorithm::sha256, signing_key, message));
}

std::string android_message_id(std::int64_t outbox_id) { return "relais-" + std::to_string(outbox_id); }

std::string android_message_id(const OutgoingMessage& message) {
  return message.idempotency_key.empty() ? android_message_id(message.id)
                                         : "relais-" + message.idempotency_key;
}

AndroidAdapter::AndroidAdapter(const ChannelConfig& channel, const AdapterContext& context,
                               const Clock& clock)
    : HttpGateway(channel.id, context.http
                                  ? *context.http
                                  : throw std::invalid_argument("channel " + channel.id +
                                                                ": android needs an HTTP client")),
      clock_(clock),
      channel_id_(channel.id),
      default_region_(context.default_region.empty() ? "FR" : context.default_region),
      api_base_url_(without_trailing_slash(channel.option("api_base_url"))),
      username_(channel.option("username")),
      password_(read_secret(context, channel.option("password_env"))),
      signing_key_(read_secret(context, channel.option("signing_key_env"))),
      make_id_(context.make_id) {}

AndroidAdapter::AndroidAdapter(const ChannelConfig& channel, const AdapterContext& context)
    : AndroidAdapter(channel, context, system_clock_) {}

Verdict AndroidAdapter::verify(const WebhookRequest& request) const {
  // No key configured: nothing can prove a webhook comes from the phone.
  if (signing_key_.empty()) return Verdict::forbidden;
  auto signature = request.headers.find("x-signature");
  auto timestamp = request.headers.find("x-timestamp");
  if (signature == request.headers.end() || timestamp == request.headers.end())
    return Verdict::forbidden;
  const std::string& ts = timestamp->second;
  if (ts.empty() || ts.size() > 12 || ts.find_first_not_of("0123456789") != std::string::npos)
    return Verdict::forbidden;
  // The timestamp is signed with the body, so an old request replayed whole is refused.
  const auto sent = std::chrono::seconds(std::stoll(ts));
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch());
  if (now - sent > kAndroidSignatureWindow || sent - now > kAndroidSignatureWindow)
    return Verdict::forbidden;
  std::string given = signature->second;
  for (char& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return constant_time_equal(android_signature(signing_key_, request.body, ts), given)
             ? Verdict::accepted
             : Verdict::forbidden;
}

namespace {

// One received SMS or MMS of a payload; `path` names it in errors.
Result<InboundMessage> read_message(const json& payload, const std::string& path, bool mms,
                                    const std::string& channel_id, const std::string& region) {
  if (!payload.is_object()) return Err(path + ": expected a JSON object");
  // `sender` since 2026; `phoneNumber` (deprecated) carries the same for inbound events.
  auto sender = optional_string(payload, "sender", path);
  if (!sender) return Err(sender.error());
  if (sender->empty()) {
    sender = optional_string(payload, "phoneNumber", path);
    if (!sender) return Err(sender.error());
  }
  if (sender->empty()) return Err(path + ".sender: missing");
  auto text = mms ? optional_string(payload, "body", path) : optional_string(payload, "message", path);
  if (!text) return Err(text.error());
  if (!mms && !payload.contains("message")) return Err(path + ".message: missing");
  auto id = optional_string(payload, "messageId", path);
  if (!id) return Err(id.error());
  auto received_at = optional_string(payload, "receivedAt", path);
  if (!received_at) return Err(received_at.error());

  InboundMessage m;
  m.channel = channel_id;
  // A phone number becomes E.164; a sender that is none (a short code, "ORANGE") stays as
  // it is: it can match no participant, but the message is kept.
  auto phone = Phone::parse(*sender, region);
  m.from = phone ? phone->e164() : *sender;
  m.text = std::move(*text);
  // messageId is a hash of the message, not unique on its own: with the reception time it
  // stays the same when the phone retries, and apart for two different messages.
  if (!id->empty()) m.provider_id = std::string(mms ? "mms:" : "sms:") + *id + "@" + *received_at;
  if (mms) {
    auto it = payload.find("attachments");
    if (it != payload.end() && !it->is_null() && !it->is_array())
      return Err(path + ".attachments: must be an array");
    if (it != payload.end() && it->is_array())
      for (const auto& part : *it) {
        // The text and the layout travel as parts too; only media count.
        std::string type = string_or_empty(part, "contentType");
        if (!type.starts_with("text/plain") && !type.starts_with("application/smil")) ++m.media_count;
      }
  }
  return m;
}

Result<DeliveryReceipt> read_receipt(const json& payload, const EventRule& rule,
                                     const std::string& channel_id) {
  if (!payload.is_object()) return Err(std::string("$.payload: expected a JSON object"));
  auto id = required_string(payload, "messageId", "$.payload");
  if (!id) return Err(id.error());
  DeliveryReceipt r;
  r.channel = channel_id;
  r.provider_id = *id;
  r.status = rule.status;
  if (rule.event == "sms:cancelled") r.error_code = "cancelled";
  if (rule.kind == EventKind::failure) {
    auto reason = optional_string(payload, "reason", "$.payload");
    if (!reason) return Err(reason.error());
    // A failed delivery report comes after the network took the SMS; any other failure
    // (radio off, no SIM, expired TTL) means it never left the phone.
    if (reason->starts_with("Delivery result")) r.status = MessageStatus::undelivered;
    r.error_code = failure_code(*reason);
    r.error_text = safe_text(*reason);
  }
  return r;
}

}  // namespace

Result<std::vector<InboundEvent>> AndroidAdapter::parse(const WebhookRequest& request) const {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return Err(std::string("body is not valid JSON"));
  if (!body.is_object()) return Err(std::string("$: expected a JSON object"));
  auto event = required_string(body, "event", "$");
  if (!event) return Err(event.error());
  const EventRule* rule = find_rule(*event);
  if (!rule) return Err("$.event: unknown event \"" + *event + "\"");
  std::vector<InboundEvent> events;
  if (rule->kind == EventKind::ignored) return events;
  auto payload = body.find("payload");
  if (payload == body.end() || !payload->is_object()) return Err(std::string("$.payload: missing"));

  if (rule->kind == EventKind::receipt || rule->kind == EventKind::failure) {
    auto receipt = read_receipt(*payload, *rule, channel_id_);
    if (!receipt) return Err(receipt.error());
    events.emplace_back(std::move(*receipt));
    return events;
  }
  const bool mms = rule->kind == EventKind::mms || rule->kind == EventKind::mms_batch;
  std::vector<std::pair<const json*, std::string>> items;
  if (rule->kind == EventKind::message || rule->kind == EventKind::mms) {
    items.emplace_back(&*payload, "$.payload");
  } else {
    auto list = payload->find("messages");
    if (list == payload->end() || !list->is_array()) return Err(std::string("$.payload.messages: missing"));
    for (std::size_t i = 0; i < list->size(); ++i)
      items.emplace_back(&(*list)[i], "$.payload.messages[" + std::to_string(i) + "]");
  }
  auto envelope_id = optional_string(body, "id", "$");
  if (!envelope_id) return Err(envelope_id.error());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto m = read_message(*items[i].first, items[i].second, mms, channel_id_, default_region_);
    if (!m) return Err(m.error());
    // Older app versions send no messageId: the event id names the message instead.
    if (m->provider_id.empty() && !envelope_id->empty())
      m->provider_id = "event:" + *envelope_id + (items.size() > 1 ? "#" + std::to_string(i) : "");
    if (m->provider_id.empty()) {
      if (!make_id_) return Err(items[i].second + ".messageId: missing");
      m->provider_id = make_id_();
    }
    events.emplace_back(std::move(*m));
  }
  return events;
}

WebhookReply AndroidAdapter::acknowledge(const std::string&) const {
  return WebhookReply{200, "application/json", "{}"};
}

Result<HttpRequest, SendOutcome> AndroidAdapter::build_send(const OutgoingMessage& message) const {
  if (password_.empty())
    return Err(SendOutcome::failure(SendError::bad_credentials, "no_password",
                                    "the password variable is not set"));
  if (!is_e164(message.to))
    return Err(SendOutcome::failure(SendError::invalid_recipient, "not_e164",
                                    "recipient is not an E.164 phone number"));
  if (message.text.empty())
    return Err(SendOutcome::failure(SendError::rejected, "empty_text", "nothing to send"));
  json body = {
      {"id", android_message_id(message)},
      {"textMessage", {{"text", message.text}}},
      {"phoneNumbers", json::array({message.to})},
      {"withDeliveryReport", true},
  };
  HttpRequest request;
  request.method = "POST";
  request.url = api_base_url_ + "/messages";
  request.headers = {{"authorization", "Basic " + base64(username_ + ":" + password_)},
                     {"content-type", "application/json"},
                     {"accept", "application/json"}};
  request.body = body.dump();
  return request;
}

SendOutcome AndroidAdapter::read_send_response(const HttpResponse& response) const {
  json body = json::parse(response.body, nullptr, false);
  if (response.status >= 200 && response.status < 300) {
    if (body.is_object() && body.contains("id") && body["id"].is_string() &&
        !body["id"].get<std::string>().empty())
      return SendOutcome::success(body["id"].get<std::string>());
    // Queued but unnamed: retrying could send it twice, so no retry.
    return SendOutcome::failure(SendError::rejected, "no_id", "the gateway queued the SMS without an id");
  }
  // An earlier try, cut off by a timeout, did reach the phone: the SMS is queued there.
  // Its id (ours, android_message_id) is not in this answer, so the outcome has none.
  if (response.status == 409) return SendOutcome::success("");
  std::string text = string_or_empty(body, "message");
  SendError error = classify_http_status(response.status);
  for (const auto& rule : kErrorRules)
    if (rule.status == response.status && contains_ci(text, rule.message_keyword)) {
      error = rule.error;
      break;
    }
  if (text.empty()) text = "HTTP " + std::to_string(response.status);
  return SendOutcome::failure(error, std::to_string(response.status), safe_text(text));
}

std::string AndroidAdapter::own_provider_id(const OutgoingMessage& m) const {
  return android_message_id(m);
}

std::unique_ptr<ChannelAdapter> make_android_adapter(const ChannelConfig& channel,
                                                     const AdapterContext& context) {
  if (context.clock) return std::make_unique<AndroidAdapter>(channel, context, *context.clock);
  return std::make_unique<AndroidAdapter>(channel, context);
}

}  // namespace relais
