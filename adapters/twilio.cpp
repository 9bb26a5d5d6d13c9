#include "adapters/twilio.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "adapters/encoding.hpp"
#include "bot/core/mask.hpp"
#include "bot/core/phone.hpp"

namespace relais {
namespace {

// ---- Twilio's own vocabulary, as data ------------------------------------------------

struct TwilioErrorRow {
  int code;
  SendError error;
  const char* meaning;  // used when Twilio gives no text (status callbacks carry none)
};

// Codes from https://www.twilio.com/docs/api/errors that a Messages send or its status
// callback may carry. Anything else falls back to the HTTP status.
constexpr TwilioErrorRow kTwilioErrors[] = {
    {20003, SendError::bad_credentials, "authentication failed (AccountSid or AuthToken)"},
    {20005, SendError::bad_credentials, "account not active"},
    {20404, SendError::bad_credentials, "resource not found (wrong AccountSid?)"},
    {20429, SendError::rate_limited, "too many requests"},
    {20500, SendError::unavailable, "Twilio internal error"},
    {20503, SendError::unavailable, "Twilio service unavailable"},
    {14107, SendError::rate_limited, "SMS send rate limit exceeded"},
    {21211, SendError::invalid_recipient, "invalid 'To' phone number"},
    {21212, SendError::rejected, "invalid 'From' phone number"},
    {21214, SendError::invalid_recipient, "'To' number cannot be reached"},
    {21265, SendError::invalid_recipient, "'To' number cannot be a short code"},
    {21266, SendError::rejected, "'To' and 'From' are the same number"},
    {21401, SendError::invalid_recipient, "invalid phone number"},
    {21408, SendError::rejected, "sending to this region is not enabled (geo permissions)"},
    {21602, SendError::rejected, "message body is required"},
    {21603, SendError::rejected, "'From' is required"},
    {21604, SendError::invalid_recipient, "'To' is required"},
    {21606, SendError::rejected, "'From' is not a valid message-capable Twilio number"},
    {21608, SendError::rejected, "trial account: 'To' number is not verified"},
    {21610, SendError::blocked, "recipient unsubscribed (replied STOP)"},
    {21611, SendError::rate_limited, "'From' number's queue is full"},
    {21612, SendError::invalid_recipient, "'To' number cannot be routed from this 'From'"},
    {21614, SendError::invalid_recipient, "'To' number is not a mobile number"},
    {21617, SendError::rejected, "message body exceeds 1600 characters"},
    {21618, SendError::rejected, "message body is invalid"},
    {21703, SendError::rejected, "Messaging Service has no phone number for this destination"},
    {21704, SendError::rejected, "Messaging Service contains no phone numbers"},
    {21705, SendError::rejected, "invalid Messaging Service"},
    {30001, SendError::rate_limited, "queue overflow"},
    {30002, SendError::bad_credentials, "account suspended"},
    {30003, SendError::invalid_recipient, "unreachable destination handset"},
    {30004, SendError::blocked, "message blocked (by the recipient or her carrier)"},
    {30005, SendError::invalid_recipient, "unknown destination handset"},
    {30006, SendError::invalid_recipient, "landline or unreachable carrier"},
    {30007, SendError::rejected, "carrier violation (message filtered)"},
    {30008, SendError::unavailable, "unknown error"},
    {30032, SendError::rejected, "toll-free number not verified"},
    {30034, SendError::rejected, "unregistered US A2P 10DLC number"},
};

const TwilioErrorRow* find_twilio_error(std::string_view code) {
  for (const auto& row : kTwilioErrors)
    if (std::to_string(row.code) == code) return &row;
  return nullptr;
}

// MessageStatus values of status callbacks (docs: "Outbound Message Status in Status
// Callbacks"). The steps before "sent" all mean the gateway holds the message.
struct TwilioStatusRow {
  const char* twilio;
  MessageStatus status;
};
constexpr TwilioStatusRow kTwilioStatuses[] = {
    {"accepted", MessageStatus::sent},  {"scheduled", MessageStatus::sent},
    {"queued", MessageStatus::sent},    {"sending", MessageStatus::sent},
    {"sent", MessageStatus::sent},      {"delivered", MessageStatus::delivered},
    {"read", MessageStatus::read},      {"undelivered", MessageStatus::undelivered},
    {"failed", MessageStatus::failed},  {"canceled", MessageStatus::failed},
};

// ---- Encodings ---------------------------------------------------------------------------


// ---- The port rule ---------------------------------------------------------------------

// {url with an explicit port, url without a port}, as RequestValidator's add_port and
// remove_port build them (443 for https, 80 otherwise).
std::pair<std::string, std::string> port_variants(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {std::string(url), std::string(url)};
  const auto host_start = scheme_end + 3;
  const auto host_end = std::min(url.find_first_of("/?#", host_start), url.size());
  const auto authority = url.substr(host_start, host_end - host_start);
  // The port's colon comes after any user info and any IPv6 literal.
  std::size_t after = 0;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) after = at + 1;
  if (const auto br = authority.rfind(']'); br != std::string_view::npos && br + 1 > after) after = br + 1;
  const auto colon = authority.find(':', after);
  const std::string head(url.substr(0, host_start)), tail(url.substr(host_end));
  if (colon != std::string_view::npos) {
    const std::string host(authority.substr(0, colon));
    return {std::string(url), head + host + tail};
  }
  const std::string port = url.substr(0, scheme_end) == "https" ? ":443" : ":80";
  return {head + std::string(authority) + port + tail, std::string(url)};
}

std::optional<std::string> query_value(std::string_view url, std::string_view name) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  auto params = parse_form(url.substr(q + 1));
  if (!params || !form_has(*params, name)) return std::nullopt;
  return std::string(form_value(*params, name));
}

// What Twilio signs after the URL: each parameter's name and value, sorted by name, a
// repeated name's values sorted.
std::string sorted_params(const TwilioParams& params) {
  std::vector<const std::pair<std::string, std::string>*> order;
  order.reserve(params.size());
  std::size_t size = 0;
  for (const auto& p : params) {
    order.push_back(&p);
    size += p.first.size() + p.second.size();
  }
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return *a < *b; });
  std::string out;
  out.reserve(size);
  for (const auto* p : order) out.append(p->first).append(p->second);
  return out;
}

std::string sign(const HmacKey& key, std::string_view url, std::string_view sorted) {
  return base64(key.sign({url, sorted}));
}

bool signature_matches(const HmacKey& key, std::string_view url, std::string_view sorted,
                       std::string_view signature) {
  const auto [with_port, without_port] = port_variants(url);
  // The second form is tried only when the first does not match. Stopping early tells a
  // caller nothing it did not know: it only happens when its signature was valid.
  if (constant_time_equal(sign(key, without_port, sorted), signature)) return true;
  return constant_time_equal(sign(key, with_port, sorted), signature);
}

bool form_request_valid(const HmacKey& key, std::string_view url, const TwilioParams& params,
                        std::string_view signature) {
  return signature_matches(key, url, sorted_params(params), signature);
}

bool json_request_valid(const HmacKey& key, std::string_view url, std::string_view body,
                        std::string_view signature) {
  const auto claimed = query_value(url, "bodySHA256");
  if (!claimed) return false;
  const bool body_ok = constant_time_equal(sha256_hex(body), *claimed);
  const bool signature_ok = signature_matches(key, url, "", signature);
  return body_ok && signature_ok;
}

// ---- Webhook bodies ----------------------------------------------------------------------

// The webhook's parameters: a GET's query (decoded into `query`), else the body (decoded
// once per request, for verify() too).
Result<const TwilioParams*> webhook_params(const WebhookRequest& request, std::optional<TwilioParams>& query) {
  if (request.method == "GET") {
    query = parse_form(request.query);
    if (!query) return Err(std::string("query: bad %-escape"));
    return &*query;
  }
  auto ct = request.headers.find("content-type");
  if (ct != request.headers.end() && ct->second.find("json") != std::string::npos)
    return Err(std::string("body: expected application/x-www-form-urlencoded, got JSON"));
  const auto& body = request.body_form();
  if (!body) return Err(std::string("body: bad %-escape"));
  return &*body;
}

std::string error_text_for(std::string_view code, std::string_view given) {
  std::string text(given);
  if (text.empty()) {
    const auto* row = find_twilio_error(code);
    text = row ? row->meaning : (code.empty() ? "" : "Twilio error " + std::string(code));
  }
  if (text.size() > 200) text.resize(200);
  return mask_phones(text);
}

Result<std::vector<InboundEvent>> parse_receipt(const std::string& channel,
                                                const TwilioParams& params,
                                                std::string_view status_name) {
  const TwilioStatusRow* row = nullptr;
  for (const auto& r : kTwilioStatuses)
    if (status_name == r.twilio) row = &r;
  if (!row) return Err("MessageStatus: unknown value \"" + std::string(status_name) + "\"");
  DeliveryReceipt receipt;
  receipt.channel = channel;
  receipt.provider_id = std::string(form_value(params, "MessageSid"));
  receipt.status = row->status;
  receipt.error_code = std::string(form_value(params, "ErrorCode"));
  if (!receipt.error_code.empty() || form_has(params, "ErrorMessage"))
    receipt.error_text = error_text_for(receipt.error_code, form_value(params, "ErrorMessage"));
  return std::vector<InboundEvent>{std::move(receipt)};
}

Result<int> count_field(const TwilioParams& params, std::string_view name) {
  const std::string value(form_value(params, name));
  if (value.empty()) return 0;
  if (value.size() > 3 || value.find_first_not_of("0123456789") != std::string::npos)
    return Err(std::string(name) + ": not a count: \"" + value + "\"");
  return std::stoi(value);
}

}  // namespace

// ---- Signatures ----------------------------------------------------------------------------

std::string twilio_signature(std::string_view auth_token, std::string_view url,
                             const TwilioParams& params) {
  return sign(HmacKey(HashAlgorithm::sha1, auth_token), url, sorted_params(params));
}

bool twilio_form_request_valid(std::string_view auth_token, std::string_view url,
                               const TwilioParams& params, std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  return form_request_valid(HmacKey(HashAlgorithm::sha1, auth_token), url, params, signature);
}

bool twilio_json_request_valid(std::string_view auth_token, std::string_view url,
                               std::string_view body, std::string_view signature) {
  if (auth_token.empty() || signature.empty()) return false;
  return json_request_valid(HmacKey(HashAlgorithm::sha1, auth_token), url, body, signature);
}

// ---- The adapter ---------------------------------------------------------------------------

namespace {
HttpClient& require_client(const ChannelConfig& channel, const AdapterContext& context) {
  if (!context.http) throw std::runtime_error("channel " + channel.id + ": no HTTP client");
  return *context.http;
}
}  // namespace

TwilioAdapter::TwilioAdapter(const ChannelConfig& channel, const AdapterContext& context)
    : HttpGateway(channel.id, require_client(channel, context)),
      account_sid_(channel.option("account_sid")),
      auth_token_(context.secret ? context.secret(channel.option("auth_token_env")) : ""),
      signing_key_(HashAlgorithm::sha1, auth_token_),
      from_(channel.option("from")),
      messaging_service_sid_(channel.option("messaging_service_sid")),
      api_base_url_(channel.option("api_base_url").empty() ? "https://api.twilio.com"
                                                           : channel.option("api_base_url")),
      webhook_url_(context.webhook_url(channel.id)),
      default_region_(context.default_region.empty() ? "FR" : context.default_region) {
  if (from_.empty() && messaging_service_sid_.empty())
    throw std::runtime_error("channel " + channel.id +
                             ": twilio needs `from` or `messaging_service_sid`");
  while (api_base_url_.ends_with('/')) api_base_url_.pop_back();
}

Verdict TwilioAdapter::verify(const WebhookRequest& request) const {
  auto header = request.headers.find("x-twilio-signature");
  if (auth_token_.empty() || header == request.headers.end() || header->second.empty())
    return Verdict::forbidden;
  const std::string url = webhook_url_ + (request.query.empty() ? "" : "?" + request.query);
  if (!request.query.empty() && query_value(url, "bodySHA256"))
    return json_request_valid(signing_key_, url, request.body, header->second) ? Verdict::accepted
                                                                              : Verdict::forbidden;
  static const TwilioParams kNone;  // a GET's parameters are in the URL
  const TwilioParams* params = &kNone;
  if (request.method != "GET") {
    const auto& decoded = request.body_form();
    if (!decoded) return Verdict::forbidden;
    params = &*decoded;
  }
  return form_request_valid(signing_key_, url, *params, header->second) ? Verdict::accepted
                                                                        : Verdict::forbidden;
}

Result<std::vector<InboundEvent>> TwilioAdapter::parse(const WebhookRequest& request) const {
  std::optional<TwilioParams> query;
  auto found = webhook_params(request, query);
  if (!found) return Err(found.error());
  const TwilioParams& params = **found;
  if (form_value(params, "MessageSid").empty()) return Err(std::string("MessageSid: missing"));

  // Status callbacks and inbound messages share the URL; only callbacks carry a
  // MessageStatus other than received/receiving.
  const auto status = form_value(params, "MessageStatus");
  if (!status.empty() && status != "received" && status != "receiving")
    return parse_receipt(id(), params, status);

  const std::string from(form_value(params, "From"));
  if (from.empty()) return Err(std::string("From: missing"));
  auto phone = Phone::parse(from, default_region_);
  if (!phone) return Err("From: " + phone.error());
  auto media = count_field(params, "NumMedia");
  if (!media) return Err(media.error());

  InboundMessage m;
  m.channel = id();
  m.from = phone->e164();
  m.text = std::string(form_value(params, "Body"));
  m.provider_id = std::string(form_value(params, "MessageSid"));
  m.media_count = *media;
  // Twilio reassembles long inbound SMS itself: the concat_* fields keep their defaults.
  return std::vector<InboundEvent>{std::move(m)};
}

WebhookReply TwilioAdapter::acknowledge(const std::string&) const {
  return WebhookReply{200, "text/xml",
                      R"(<?xml version="1.0" encoding="UTF-8"?><Response></Response>)"};
}

Result<HttpRequest, SendOutcome> TwilioAdapter::build_send(const OutgoingMessage& message) const {
  if (message.to.empty() || message.to.front() != '+')
    return Err(SendOutcome::failure(SendError::invalid_recipient, "",
                                    "recipient is not an E.164 number: " + mask_phone(message.to)));
  HttpRequest request;
  request.method = "POST";
  request.url = api_base_url_ + "/2010-04-01/Accounts/" + account_sid_ + "/Messages.json";
  request.headers["authorization"] = "Basic " + base64(account_sid_ + ":" + auth_token_);
  request.headers["content-type"] = "application/x-www-form-urlencoded";
  request.headers["accept"] = "application/json";
  // Twilio's Messages resource takes no client reference nor idempotency key.
  request.body = "To=" + form_encode(message.to);
  request.body += messaging_service_sid_.empty()
                      ? "&From=" + form_encode(from_)
                      : "&MessagingServiceSid=" + form_encode(messaging_service_sid_);
  request.body += "&Body=" + form_encode(message.text);
  request.body += "&StatusCallback=" + form_encode(webhook_url_);
  return request;
}

SendOutcome TwilioAdapter::read_send_response(const HttpResponse& response) const {
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (response.status >= 200 && response.status < 300) {
    if (body.is_object() && body.contains("sid") && body["sid"].is_string() &&
        !body["sid"].get<std::string>().empty())
      return SendOutcome::success(body["sid"].get<std::string>());
    // A 2xx without a sid is not Twilio's answer (a proxy page?): worth another try.
    return SendOutcome::failure(SendError::unavailable, "",
                                "HTTP " + std::to_string(response.status) + " without a message sid");
  }
  std::string code, message;
  if (body.is_object()) {
    if (auto c = body.find("code"); c != body.end())
      code = c->is_number_integer() ? std::to_string(c->get<long long>())
                                    : (c->is_string() ? c->get<std::string>() : "");
    if (auto m = body.find("message"); m != body.end() && m->is_string()) message = *m;
  }
  const auto* row = find_twilio_error(code);
  const SendError error = row ? row->error : classify_http_status(response.status);
  std::string text = error_text_for(code, message);
  if (text.empty()) text = "HTTP " + std::to_string(response.status);
  return SendOutcome::failure(error, code, text);
}

std::unique_ptr<ChannelAdapter> make_twilio_adapter(const ChannelConfig& channel,
                                                    const AdapterContext& context) {
  return std::make_unique<TwilioAdapter>(channel, context);
}

}  // namespace relais
