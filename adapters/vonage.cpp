#include "adapters/vonage.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "adapters/encoding.hpp"
#include "bot/core/mask.hpp"
#include "bot/core/phone.hpp"
#include "bot/core/sms.hpp"

namespace relais {
namespace {

// ---- Vonage's own vocabulary, as data ------------------------------------------------

struct VonageErrorRow {
  const char* status;
  SendError error;
  const char* meaning;
};

// The `status` of each message in a send answer, from "Troubleshooting SMS"
// (https://developer.vonage.com/messaging/sms/guides/troubleshooting-sms). Others: rejected.
constexpr VonageErrorRow kVonageErrors[] = {
    {"1", SendError::rate_limited, "throttled: faster than the account's limit"},
    {"2", SendError::rejected, "missing parameters"},
    {"3", SendError::rejected, "invalid parameters"},
    {"4", SendError::bad_credentials, "invalid credentials (API key or secret)"},
    {"5", SendError::unavailable, "Vonage internal error"},
    {"6", SendError::invalid_recipient, "invalid message (e.g. unrecognised number prefix)"},
    {"7", SendError::blocked, "number barred"},
    {"8", SendError::bad_credentials, "partner account barred (account suspended)"},
    {"9", SendError::bad_credentials, "partner quota violation (not enough credit)"},
    {"10", SendError::rate_limited, "too many existing binds"},
    {"11", SendError::bad_credentials, "account not enabled for the HTTP SMS API"},
    {"12", SendError::rejected, "message too long"},
    {"14", SendError::bad_credentials, "invalid signature"},
    {"15", SendError::rejected, "invalid sender address"},
    {"22", SendError::rejected, "invalid network code"},
    {"23", SendError::rejected, "invalid callback URL"},
    {"29", SendError::rejected, "non-whitelisted destination (trial account)"},
    {"32", SendError::bad_credentials, "signature and API secret disallowed"},
    {"33", SendError::invalid_recipient, "number de-activated"},
};

// `status` of a delivery receipt (https://developer.vonage.com/messaging/sms/guides/
// delivery-receipts). "failed"/"expired" come after Vonage accepted the message: not
// delivered; "rejected" is a refusal by the network; "unknown" tells nothing new.
struct VonageDlrRow {
  const char* vonage;
  MessageStatus status;
};
constexpr VonageDlrRow kVonageDlrStatuses[] = {
    {"delivered", MessageStatus::delivered}, {"accepted", MessageStatus::sent},
    {"buffered", MessageStatus::sent},       {"unknown", MessageStatus::sent},
    {"expired", MessageStatus::undelivered}, {"failed", MessageStatus::undelivered},
    {"rejected", MessageStatus::failed},
};

// `err-code` of a delivery receipt (Vonage support article 204014733, "SMS Delivery Error
// Codes and Descriptions").
constexpr std::pair<const char*, const char*> kVonageDlrErrors[] = {
    {"1", "unknown"},
    {"2", "absent subscriber (temporary)"},
    {"3", "absent subscriber (permanent)"},
    {"4", "call barred by user"},
    {"5", "portability error"},
    {"6", "anti-spam rejection"},
    {"7", "handset busy"},
    {"8", "network error"},
    {"9", "illegal number (she asked not to receive messages from this sender)"},
    {"10", "illegal message"},
    {"11", "unroutable"},
    {"12", "destination unreachable"},
    {"13", "subscriber age restriction"},
    {"14", "number blocked by carrier"},
};

// ---- Signature text ----------------------------------------------------------------------

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Java's String.trim(): every character up to the space.
bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; });
}

std::string clean(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '&', '_');
  std::replace(out.begin(), out.end(), '=', '_');
  return out;
}

// ---- Webhook parameters ----------------------------------------------------------------

std::string json_scalar(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

// Vonage sends the same fields as a GET query, a form POST or a JSON POST.
Result<VonageParams> webhook_params(const WebhookRequest& request) {
  VonageParams params;
  if (!append_form(request.query, params)) return Err(std::string("query: bad %-escape"));
  if (request.method == "GET") return params;
  auto ct = request.headers.find("content-type");
  const bool json = (ct != request.headers.end() && ct->second.find("json") != std::string::npos) ||
                    request.body.starts_with('{');
  if (!json) {
    if (!append_form(request.body, params)) return Err(std::string("body: bad %-escape"));
    return params;
  }
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (!body.is_object()) return Err(std::string("body: expected a JSON object"));
  for (const auto& [key, value] : body.items()) params.emplace_back(key, json_scalar(value));
  return params;
}

std::optional<std::int64_t> seconds(std::string_view s) {
  if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return std::stoll(std::string(s));
}

Result<int> part_number(const VonageParams& params, std::string_view name, int max) {
  const std::string value(form_value(params, name));
  if (value.empty()) return Err(std::string(name) + ": missing");
  if (value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos)
    return Err(std::string(name) + ": not a number: \"" + value + "\"");
  const int n = std::stoi(value);
  if (n < 1 || n > max) return Err(std::string(name) + ": out of range: " + value);
  return n;
}

Result<std::vector<InboundEvent>> parse_receipt(const std::string& channel, const VonageParams& params) {
  const std::string status(form_value(params, "status"));
  const VonageDlrRow* row = nullptr;
  for (const auto& r : kVonageDlrStatuses)
    if (status == r.vonage) row = &r;
  if (!row) return Err("status: unknown value \"" + status + "\"");
  DeliveryReceipt receipt;
  receipt.channel = channel;
  receipt.provider_id = std::string(form_value(params, "messageId"));
  receipt.status = row->status;
  const std::string code(form_value(params, "err-code"));
  if (!code.empty() && code != "0") {
    receipt.error_code = code;
    receipt.error_text = "Vonage DLR error " + code;
    for (const auto& [c, meaning] : kVonageDlrErrors)
      if (code == c) receipt.error_text = meaning;
  }
  return std::vector<InboundEvent>{std::move(receipt)};
}

Result<std::vector<InboundEvent>> parse_inbound(const std::string& channel, const VonageParams& params) {
  const std::string msisdn(form_value(params, "msisdn"));
  if (msisdn.empty()) return Err(std::string("msisdn: missing"));
  // Vonage gives international numbers without the '+'.
  auto phone = Phone::parse("+" + msisdn, "ZZ");
  if (!phone) return Err("msisdn: " + phone.error());

  InboundMessage m;
  m.channel = channel;
  m.from = phone->e164();
  m.provider_id = std::string(form_value(params, "messageId"));
  if (form_value(params, "type") == "binary") {
    m.media_count = 1;  // a binary SMS (vCard, ringtone…) has `data`/`udh`, no text
  } else {
    if (!form_has(params, "text")) return Err(std::string("text: missing"));
    m.text = std::string(form_value(params, "text"));
  }
  if (form_value(params, "concat") == "true") {
    m.concat_ref = std::string(form_value(params, "concat-ref"));
    if (m.concat_ref.empty()) return Err(std::string("concat-ref: missing"));
    auto total = part_number(params, "concat-total", 255);
    if (!total) return Err(total.error());
    auto part = part_number(params, "concat-part", *total);
    if (!part) return Err(part.error());
    m.concat_total = *total;
    m.concat_part = *part;
  }
  return std::vector<InboundEvent>{std::move(m)};
}

// "Throughput Rate Exceeded - please wait [ 702 ] and retry": the wait, in milliseconds.
std::optional<Millis> wait_hint(std::string_view text) {
  const auto at = text.find("please wait [");
  if (at == std::string_view::npos) return std::nullopt;
  const auto start = text.find_first_of("0123456789", at);
  const auto end = text.find_first_not_of("0123456789", start);
  if (start == std::string_view::npos || end == std::string_view::npos || end - start > 7)
    return std::nullopt;
  return Millis(std::stoll(std::string(text.substr(start, end - start))));
}

SendOutcome message_failure(const std::string& status, std::string text) {
  const VonageErrorRow* row = nullptr;
  for (const auto& r : kVonageErrors)
    if (status == r.status) row = &r;
  if (text.empty()) text = row ? row->meaning : "Vonage status " + status;
  if (text.size() > 200) text.resize(200);
  const SendError error = row ? row->error : SendError::rejected;
  return SendOutcome::failure(error, status, mask_phones(text),
                              error == SendError::rate_limited ? wait_hint(text) : std::nullopt);
}

HttpClient& require_client(const ChannelConfig& channel, const AdapterContext& context) {
  if (!context.http) throw std::runtime_error("channel " + channel.id + ": no HTTP client");
  return *context.http;
}

VonageSignatureMethod require_method(const ChannelConfig& channel) {
  auto method = parse_vonage_signature_method(channel.option("signature_method"));
  if (!method)
    throw std::runtime_error("channel " + channel.id + ": unknown signature_method \"" +
                             channel.option("signature_method") + "\"");
  return *method;
}

const Clock& system_clock_instance() {
  static const SystemClock clock;  // stateless: reads the system time when asked
  return clock;
}

std::string secret(const AdapterContext& context, const std::string& env_name) {
  return context.secret && !env_name.empty() ? context.secret(env_name) : std::string();
}

}  // namespace

// ---- Signatures ----------------------------------------------------------------------------

std::optional<VonageSignatureMethod> parse_vonage_signature_method(std::string_view name) {
  if (name.empty() || name == "md5hash") return VonageSignatureMethod::md5hash;
  if (name == "md5") return VonageSignatureMethod::md5;
  if (name == "sha1") return VonageSignatureMethod::sha1;
  if (name == "sha256") return VonageSignatureMethod::sha256;
  if (name == "sha512") return VonageSignatureMethod::sha512;
  return std::nullopt;
}

std::string vonage_signature(VonageSignatureMethod method, std::string_view secret,
                             const VonageParams& params, bool skip_empty) {
  std::map<std::string, std::string> sorted;
  for (const auto& [name, value] : params) {
    if (name == "sig" || (skip_empty && blank(value))) continue;
    sorted.emplace(name, value);  // keeps the first value of a repeated name
  }
  std::string data;
  for (const auto& [name, value] : sorted) data += "&" + clean(name) + "=" + clean(value);

  if (method == VonageSignatureMethod::md5hash)  // no HMAC: the secret is hashed after the text
    return hex(digest(HashAlgorithm::md5, data.append(secret)));
  const HashAlgorithm algorithm = method == VonageSignatureMethod::md5      ? HashAlgorithm::md5
                                  : method == VonageSignatureMethod::sha1   ? HashAlgorithm::sha1
                                  : method == VonageSignatureMethod::sha256 ? HashAlgorithm::sha256
                                                                            : HashAlgorithm::sha512;
  return hex(hmac(algorithm, secret, data));
}

// ---- The adapter ---------------------------------------------------------------------------

VonageAdapter::VonageAdapter(const ChannelConfig& channel, const AdapterContext& context)
    : VonageAdapter(channel, context, system_clock_instance()) {}

VonageAdapter::VonageAdapter(const ChannelConfig& channel, const AdapterContext& context,
                             const Clock& clock)
    : HttpGateway(channel.id, require_client(channel, context)),
      api_key_(secret(context, channel.option("api_key_env"))),
      api_secret_(secret(context, channel.option("api_secret_env"))),
      signature_secret_(secret(context, channel.option("signature_secret_env"))),
      signature_method_(require_method(channel)),
      from_(channel.option("from")),
      api_base_url_(channel.option("api_base_url").empty() ? "https://rest.nexmo.com"
                                                           : channel.option("api_base_url")),
      webhook_url_(context.webhook_url(channel.id)),
      clock_(clock) {
  while (api_base_url_.ends_with('/')) api_base_url_.pop_back();
  // Vonage wants numbers without the '+'; an alphanumeric sender stays as it is.
  if (from_.starts_with('+')) from_.erase(0, 1);
}

Verdict VonageAdapter::verify(const WebhookRequest& request) const {
  if (signature_secret_.empty()) return Verdict::forbidden;
  auto params = webhook_params(request);
  if (!params || !form_has(*params, "sig")) return Verdict::forbidden;

  // Replay defence as in the Java SDK: the signed timestamp must be close to now.
  const auto ts = seconds(form_value(*params, "timestamp"));
  if (!ts) return Verdict::forbidden;
  const auto skew = clock_.now() - Utc(std::chrono::seconds(*ts));
  if (skew > kVonageMaxClockSkew || skew < -kVonageMaxClockSkew) return Verdict::forbidden;

  // HMAC signatures come in upper-case hex (PHP SDK), MD5 hashes in lower case.
  const std::string given = lower(form_value(*params, "sig"));
  if (constant_time_equal(vonage_signature(signature_method_, signature_secret_, *params), given))
    return Verdict::accepted;
  // The SDKs disagree on blank values (Java drops them, PHP and Python keep them).
  const bool any_blank = std::any_of(params->begin(), params->end(),
                                     [](const auto& p) { return p.first != "sig" && blank(p.second); });
  if (any_blank &&
      constant_time_equal(vonage_signature(signature_method_, signature_secret_, *params, true), given))
    return Verdict::accepted;
  return Verdict::forbidden;
}

Result<std::vector<InboundEvent>> VonageAdapter::parse(const WebhookRequest& request) const {
  auto params = webhook_params(request);
  if (!params) return Err(params.error());
  if (form_value(*params, "messageId").empty()) return Err(std::string("messageId: missing"));
  // Delivery receipts carry a status; inbound messages never do.
  if (form_has(*params, "status")) return parse_receipt(id(), *params);
  return parse_inbound(id(), *params);
}

Result<HttpRequest, SendOutcome> VonageAdapter::build_send(const OutgoingMessage& message) const {
  if (message.to.size() < 2 || message.to.front() != '+' ||
      message.to.find_first_not_of("0123456789", 1) != std::string::npos)
    return Err(SendOutcome::failure(SendError::invalid_recipient, "",
                                    "recipient is not an E.164 number: " + mask_phone(message.to)));
  if (api_key_.empty() || api_secret_.empty())
    return Err(SendOutcome::failure(SendError::bad_credentials, "",
                                    "the channel's API key or secret is not set"));
  nlohmann::json body = {
      {"api_key", api_key_},
      {"api_secret", api_secret_},
      {"from", from_},
      {"to", message.to.substr(1)},
      {"text", message.text},
      {"type", analyse_sms(message.text).encoding == SmsEncoding::ucs2 ? "unicode" : "text"},
      // The row id comes back in delivery receipts: a reference that survives a lost answer.
      {"client-ref", std::to_string(message.id)},
      {"callback", webhook_url_},
  };
  HttpRequest request;
  request.method = "POST";
  request.url = api_base_url_ + "/sms/json";
  request.headers["content-type"] = "application/json";
  request.headers["accept"] = "application/json";
  request.body = body.dump();
  return request;
}

SendOutcome VonageAdapter::read_send_response(const HttpResponse& response) const {
  if (response.status < 200 || response.status >= 300)
    return SendOutcome::failure(classify_http_status(response.status), "",
                                "HTTP " + std::to_string(response.status));
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const auto messages = body.is_object() ? body.find("messages") : body.end();
  if (!body.is_object() || messages == body.end() || !messages->is_array() || messages->empty())
    return SendOutcome::failure(SendError::unavailable, "", "answer without messages");
  // A long text goes as several messages, one id each; the first stands for the whole.
  std::string first_id;
  for (const auto& m : *messages) {
    const std::string status = m.is_object() && m.contains("status") ? json_scalar(m["status"]) : "";
    if (status != "0")
      return message_failure(status, m.is_object() && m.contains("error-text")
                                         ? json_scalar(m["error-text"])
                                         : "");
    if (first_id.empty() && m.contains("message-id")) first_id = json_scalar(m["message-id"]);
  }
  if (first_id.empty())
    return SendOutcome::failure(SendError::unavailable, "", "answer without a message-id");
  return SendOutcome::success(first_id);
}

std::unique_ptr<ChannelAdapter> make_vonage_adapter(const ChannelConfig& channel,
                                                    const AdapterContext& context) {
  if (context.clock) return std::make_unique<VonageAdapter>(channel, context, *context.clock);
  return std::make_unique<VonageAdapter>(channel, context);
}

}  // namespace relais
