#include "adapters/whatsapp.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "adapters/encoding.hpp"
#include "adapters/json_body.hpp"
#include "bot/core/phone.hpp"

namespace relais {
namespace {

using nlohmann::json;

constexpr std::string_view kDefaultApiBase = "https://graph.facebook.com/v21.0";
constexpr auto kCustomerServiceWindow = std::chrono::hours(24);

// Cloud API error codes (developers.facebook.com/documentation/business-messaging/whatsapp/
// support/error-codes). Codes not listed fall back to the HTTP status.
struct ErrorRow {
  int from, to;  // inclusive range: Meta documents 200-299 as one family
  SendError error;
  std::string_view meaning;
};
constexpr std::array<ErrorRow, 45> kErrors{{
    {0, 0, SendError::bad_credentials, "unable to authenticate the app user"},
    {1, 1, SendError::unavailable, "invalid request or possible server error"},
    {2, 2, SendError::unavailable, "temporary downtime or overload"},
    {3, 3, SendError::bad_credentials, "capability or permissions issue"},
    {4, 4, SendError::rate_limited, "app API call rate limit reached"},
    {10, 10, SendError::bad_credentials, "permission not granted or removed"},
    {33, 33, SendError::bad_credentials, "business phone number deleted"},
    {100, 100, SendError::rejected, "unsupported or misspelled parameter"},
    {190, 190, SendError::bad_credentials, "access token expired"},
    {200, 299, SendError::bad_credentials, "API permission not granted or removed"},
    {368, 368, SendError::bad_credentials, "account restricted for a policy violation"},
    {613, 613, SendError::rate_limited, "calls exceeded the rate limit"},
    {80007, 80007, SendError::rate_limited, "business account rate limit reached"},
    {130403, 130403, SendError::blocked, "the business has blocked this user"},
    {130429, 130429, SendError::rate_limited, "Cloud API throughput reached"},
    {130497, 130497, SendError::rejected, "account may not message this country"},
    {131000, 131000, SendError::unavailable, "unknown error, try again"},
    {131005, 131005, SendError::bad_credentials, "permission not granted or removed"},
    {131008, 131008, SendError::rejected, "required parameter missing"},
    {131009, 131009, SendError::rejected, "parameter value not valid"},
    {131016, 131016, SendError::unavailable, "service temporarily unavailable"},
    {131021, 131021, SendError::invalid_recipient, "recipient is the sender"},
    {131026, 131026, SendError::invalid_recipient, "message undeliverable (not on WhatsApp?)"},
    {131031, 131031, SendError::bad_credentials, "business account locked"},
    {131037, 131037, SendError::bad_credentials, "display name not approved"},
    {131042, 131042, SendError::bad_credentials, "payment method problem"},
    {131045, 131045, SendError::bad_credentials, "phone number registration error"},
    {131047, 131047, SendError::outside_window, "more than 24 hours since her last message"},
    {131048, 131048, SendError::rate_limited, "spam rate limit: quality restrictions"},
    {131049, 131049, SendError::rejected, "not delivered to keep ecosystem engagement"},
    {131050, 131050, SendError::blocked, "she stopped marketing messages"},
    {131051, 131051, SendError::rejected, "unsupported message type"},
    {131053, 131053, SendError::rejected, "media upload failed"},
    {131056, 131056, SendError::rate_limited, "too many messages to this recipient"},
    {131057, 131057, SendError::unavailable, "account in maintenance mode"},
    {131064, 131064, SendError::rejected, "messaging limit for template misclassification"},
    {132000, 132000, SendError::rejected, "template parameter count mismatch"},
    {132001, 132001, SendError::rejected, "template does not exist or not approved"},
    {132005, 132005, SendError::rejected, "translated text too long"},
    {132007, 132007, SendError::rejected, "template violates a policy"},
    {132012, 132012, SendError::rejected, "template parameter format mismatch"},
    {132015, 132016, SendError::rejected, "template paused or disabled for low quality"},
    {133004, 133004, SendError::unavailable, "server temporarily unavailable"},
    {133010, 133010, SendError::bad_credentials, "business number not registered"},
    {135000, 135000, SendError::rejected, "generic user error"},
}};

const ErrorRow* find_error(long long code) {
  for (const auto& row : kErrors)
    if (code >= row.from && code <= row.to) return &row;
  return nullptr;
}

// Texts from the gateway end up in logs and the coaches' view: no phone numbers there.
std::string scrub_numbers(std::string_view text, std::size_t max_length = 300) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && out.size() < max_length;) {
    std::size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j - i >= 8) {
      out += "***";
      i = j;
    } else if (j > i) {
      out.append(text.substr(i, j - i));
      i = j;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string ascii_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// --- handshake query -------------------------------------------------------------------

std::string url_decode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    auto key = url_decode(pair.substr(0, eq));
    // The first value wins: a repeated parameter must not override the checked one.
    if (!key.empty() && !out.count(key))
      out.emplace(key, eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1)));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return out;
}

// Meta's challenge is a number; anything else is not echoed back.
bool plausible_challenge(std::string_view c) {
  if (c.empty() || c.size() > 256) return false;
  for (char ch : c)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') return false;
  return true;
}

// --- inbound parsing -------------------------------------------------------------------

// A JSON value with the path it was found at, so every error names its field.
struct Node {
  const json& value;
  std::string path;

  Node at(const char* key) const { return Node{value.at(key), path + "." + key}; }
  Node at(std::size_t i) const { return Node{value.at(i), path + "[" + std::to_string(i) + "]"}; }
  bool has(const char* key) const { return value.is_object() && value.contains(key); }
};

Result<std::string> required_string(const Node& parent, const char* key) {
  if (!parent.has(key)) return Err(parent.path + "." + key + ": missing");
  const json& v = parent.value.at(key);
  if (!v.is_string()) return Err(parent.path + "." + key + ": must be a string");
  if (v.get_ref<const std::string&>().empty()) return Err(parent.path + "." + key + ": must not be empty");
  return v.get<std::string>();
}

std::string optional_string(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<const json*> optional_array(const Node& parent, const char* key) {
  if (!parent.has(key)) return static_cast<const json*>(nullptr);
  const json& v = parent.value.at(key);
  if (!v.is_array()) return Err(parent.path + "." + key + ": must be an array");
  return &v;
}

// wa_id / from: the country code and number in digits. Meta also announced opaque
// business-scoped user ids for people who hide their number: those are kept as they are
// (the channel's address for her), so her message is still stored.
Result<std::string> sender_address(const Node& message) {
  auto from = required_string(message, "from");
  if (!from) return Err(from.error());
  bool digits = from->size() <= 15;
  for (char c : *from) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  return digits ? "+" + *from : *from;
}

// The media kinds that carry a file; their caption, if any, is the text.
constexpr std::array<std::string_view, 5> kMediaTypes{"image", "audio", "video", "document", "sticker"};

struct Content {
  bool keep = true;  // false: not a message from her (reactions, system notices)
  std::string text;
  int media_count = 0;
};

Result<Content> message_content(const Node& message) {
  auto type = required_string(message, "type");
  if (!type) return Err(type.error());
  const json& m = message.value;
  Content c;
  if (*type == "text") {
    if (!message.has("text")) return Err(message.path + ".text: missing");
    auto body = required_string(message.at("text"), "body");
    if (!body) return Err(body.error());
    c.text = *body;
  } else if (std::find(kMediaTypes.begin(), kMediaTypes.end(), *type) != kMediaTypes.end()) {
    c.media_count = 1;
    if (m.contains(*type)) c.text = optional_string(m.at(*type), "caption");
  } else if (*type == "interactive") {
    // The title she tapped is what dialogs match, like a typed answer.
    const json& i = m.value("interactive", json::object());
    for (const char* kind : {"button_reply", "list_reply"})
      if (i.contains(kind)) c.text = optional_string(i.at(kind), "title");
    if (c.text.empty()) c.media_count = 1;
  } else if (*type == "button") {  // a quick-reply button of a template
    c.text = optional_string(m.value("button", json::object()), "text");
    if (c.text.empty()) c.media_count = 1;
  } else if (*type == "reaction" || *type == "system" || *type == "request_welcome") {
    c.keep = false;
  } else {
    // location, contacts, order, unsupported…: something she sent that is not text.
    c.media_count = 1;
  }
  return c;
}

Result<InboundMessage> read_message(const Node& message, const std::string& channel) {
  if (!message.value.is_object()) return Err(message.path + ": expected an object");
  auto from = sender_address(message);
  if (!from) return Err(from.error());
  auto id = required_string(message, "id");
  if (!id) return Err(id.error());
  InboundMessage m;
  m.channel = channel;
  m.from = std::move(*from);
  m.provider_id = std::move(*id);
  return m;
}

// Meta's statuses onto Relais's. "failed" comes only for a message the API had accepted,
// so it means "accepted, then not delivered".
std::optional<MessageStatus> map_status(std::string_view s) {
  if (s == "sent") return MessageStatus::sent;
  if (s == "delivered") return MessageStatus::delivered;
  if (s == "read" || s == "played") return MessageStatus::read;
  if (s == "failed") return MessageStatus::undelivered;
  return std::nullopt;  // "deleted", "warning" and future values: nothing to record
}

Result<std::optional<DeliveryReceipt>> read_status(const Node& status, const std::string& channel) {
  if (!status.value.is_object()) return Err(status.path + ": expected an object");
  auto id = required_string(status, "id");
  if (!id) return Err(id.error());
  auto state = required_string(status, "status");
  if (!state) return Err(state.error());
  auto mapped = map_status(*state);
  if (!mapped) return std::optional<DeliveryReceipt>();
  DeliveryReceipt r;
  r.channel = channel;
  r.provider_id = std::move(*id);
  r.status = *mapped;
  auto errors = optional_array(status, "errors");
  if (!errors) return Err(errors.error());
  if (*errors && !(*errors)->empty() && (*errors)->at(0).is_object()) {
    const json& e = (*errors)->at(0);
    if (e.contains("code") && e.at("code").is_number_integer())
      r.error_code = std::to_string(e.at("code").get<long long>());
    std::string text = optional_string(e, "title");
    if (text.empty()) text = optional_string(e, "message");
    const std::string details = optional_string(e.value("error_data", json::object()), "details");
    if (!details.empty() && details != text) text += text.empty() ? details : ": " + details;
    r.error_text = scrub_numbers(text);
  }
  return std::optional<DeliveryReceipt>(std::move(r));
}

// One `changes[]` item. Changes for another field or another phone number are skipped.
Result<bool> read_change(const Node& change, const std::string& channel,
                         const std::string& phone_number_id, std::vector<InboundEvent>& out) {
  if (!change.value.is_object()) return Err(change.path + ": expected an object");
  if (optional_string(change.value, "field") != "messages") return false;
  if (!change.has("value") || !change.value.at("value").is_object())
    return Err(change.path + ".value: missing or not an object");
  const Node value = change.at("value");
  const std::string addressed_to = optional_string(value.value.value("metadata", json::object()), "phone_number_id");
  if (!addressed_to.empty() && addressed_to != phone_number_id) return false;

  auto messages = optional_array(value, "messages");
  if (!messages) return Err(messages.error());
  for (std::size_t i = 0; *messages && i < (*messages)->size(); ++i) {
    const Node node = value.at("messages").at(i);
    auto m = read_message(node, channel);
    if (!m) return Err(m.error());
    auto content = message_content(node);
    if (!content) return Err(content.error());
    if (!content->keep) continue;
    m->text = std::move(content->text);
    m->media_count = content->media_count;
    out.emplace_back(std::move(*m));
  }
  auto statuses = optional_array(value, "statuses");
  if (!statuses) return Err(statuses.error());
  for (std::size_t i = 0; *statuses && i < (*statuses)->size(); ++i) {
    auto r = read_status(value.at("statuses").at(i), channel);
    if (!r) return Err(r.error());
    if (*r) out.emplace_back(std::move(**r));
  }
  return true;
}

Result<bool> read_entries(const Node& entries, const std::string& channel,
                          const std::string& phone_number_id, std::vector<InboundEvent>& out) {
  for (std::size_t e = 0; e < entries.value.size(); ++e) {
    const Node entry = entries.at(e);
    if (!entry.value.is_object()) return Err(entry.path + ": expected an object");
    auto changes = optional_array(entry, "changes");
    if (!changes) return Err(changes.error());
    for (std::size_t c = 0; *changes && c < (*changes)->size(); ++c) {
      auto done = read_change(entry.at("changes").at(c), channel, phone_number_id, out);
      if (!done) return Err(done.error());
    }
  }
  return true;
}

// --- sending ---------------------------------------------------------------------------

SendOutcome window_failure(std::string why) {
  return SendOutcome::failure(SendError::outside_window, "", std::move(why));
}

Result<json, SendOutcome> template_payload(const OutgoingMessage& message,
                                           const std::map<std::string, TemplateMapping>& templates) {
  if (message.template_id.empty())
    return Err(window_failure("outside the 24-hour window and the message has no template id"));
  auto it = templates.find(message.template_id);
  if (it == templates.end())
    return Err(window_failure("outside the 24-hour window and no approved template is mapped to \"" +
                              message.template_id + "\""));
  const TemplateMapping& t = it->second;
  json parameters = json::array();
  for (const auto& name : t.parameters) {
    auto v = message.variables.find(name);
    if (v == message.variables.end())
      return Err(window_failure("template \"" + message.template_id + "\" needs variable \"" + name +
                                "\", which the message does not have"));
    parameters.push_back({{"type", "text"}, {"text", v->second}});
  }
  json tmpl = {{"name", t.name}, {"language", {{"code", t.language}}}};
  if (!parameters.empty()) tmpl["components"] = json::array({{{"type", "body"}, {"parameters", parameters}}});
  return tmpl;
}

// "+33612345678" → "33612345678": the API wants digits only.
std::optional<std::string> recipient_digits(std::string_view to) {
  if (!to.starts_with('+')) return std::nullopt;
  std::string digits(to.substr(1));
  if (digits.empty() || digits.size() > 15) return std::nullopt;
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return digits;
}

}  // namespace

std::string whatsapp_signature(std::string_view app_secret, std::string_view body) {
  return "sha256=" + hex(hmac(HashAlgorithm::sha256, app_secret, body));
}

bool whatsapp_window_open(const OutgoingMessage& message) {
  if (!message.last_inbound_at) return false;
  return message.now - *message.last_inbound_at < kCustomerServiceWindow;
}

WhatsAppAdapter::WhatsAppAdapter(const ChannelConfig& channel, const AdapterContext& context)
    : HttpGateway(channel.id, *context.http),
      channel_id_(channel.id),
      phone_number_id_(channel.option("phone_number_id")),
      api_base_url_(channel.option("api_base_url").empty() ? std::string(kDefaultApiBase)
                                                          : channel.option("api_base_url")),
      templates_(channel.templates) {
  while (api_base_url_.ends_with('/')) api_base_url_.pop_back();
  if (context.secret) {
    access_token_ = context.secret(channel.option("access_token_env"));
    app_secret_ = context.secret(channel.option("app_secret_env"));
    verify_token_ = context.secret(channel.option("verify_token_env"));
  }
}

Verdict WhatsAppAdapter::verify(const WebhookRequest& request) const {
  if (app_secret_.empty()) return Verdict::forbidden;
  auto it = request.headers.find("x-hub-signature-256");
  if (it == request.headers.end()) return Verdict::forbidden;
  const std::string expected = whatsapp_signature(app_secret_, request.body);
  return constant_time_equal(ascii_lower(it->second), expected) ? Verdict::accepted : Verdict::forbidden;
}

std::optional<WebhookReply> WhatsAppAdapter::handshake(const WebhookRequest& request) const {
  const auto q = parse_query(request.query);
  auto get = [&q](const char* key) {
    auto it = q.find(key);
    return it == q.end() ? std::string() : it->second;
  };
  const std::string challenge = get("hub.challenge");
  const bool ok = get("hub.mode") == "subscribe" && !verify_token_.empty() &&
                  constant_time_equal(get("hub.verify_token"), verify_token_) &&
                  plausible_challenge(challenge);
  if (!ok) return WebhookReply{403, "text/plain", "forbidden"};
  return WebhookReply{200, "text/plain", challenge};
}

WebhookReply WhatsAppAdapter::acknowledge(const std::string&) const {
  return WebhookReply{200, "application/json", "{}"};
}

Result<std::vector<InboundEvent>> WhatsAppAdapter::parse(const WebhookRequest& request) const {
  const auto body = parse_json_body(request.body);
  if (!body) return Err(body.error());
  const Node root{*body, "$"};
  if (!body->is_object()) return Err(std::string("$: expected a JSON object"));
  auto object = required_string(root, "object");
  if (!object) return Err(object.error());
  if (*object != "whatsapp_business_account")
    return Err("$.object: expected \"whatsapp_business_account\", got \"" + *object + "\"");
  auto entries = optional_array(root, "entry");
  if (!entries) return Err(entries.error());
  if (!*entries) return Err(std::string("$.entry: missing"));

  std::vector<InboundEvent> events;
  // Every access is checked first; this is the net under a shape nobody foresaw.
  try {
    auto done = read_entries(root.at("entry"), channel_id_, phone_number_id_, events);
    if (!done) return Err(done.error());
  } catch (const json::exception& e) {
    return Err(std::string("unexpected JSON shape: ") + e.what());
  }
  return events;
}

Result<HttpRequest, SendOutcome> WhatsAppAdapter::build_send(const OutgoingMessage& message) const {
  if (access_token_.empty())
    return Err(SendOutcome::failure(SendError::bad_credentials, "", "no access token configured"));
  auto to = recipient_digits(message.to);
  if (!to)
    return Err(SendOutcome::failure(SendError::invalid_recipient, "",
                                    "recipient " + mask_phone(message.to) + " is not an E.164 number"));
  json body = {{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", *to},
               // Echoed in status webhooks: ties a receipt to its outbox row.
               {"biz_opaque_callback_data", "relais-outbox-" + std::to_string(message.id)}};
  if (whatsapp_window_open(message)) {
    body["type"] = "text";
    body["text"] = {{"body", message.text}, {"preview_url", false}};
  } else {
    auto tmpl = template_payload(message, templates_);
    if (!tmpl) return Err(tmpl.error());
    body["type"] = "template";
    body["template"] = std::move(*tmpl);
  }
  HttpRequest r;
  r.method = "POST";
  r.url = api_base_url_ + "/" + phone_number_id_ + "/messages";
  r.headers = {{"Authorization", "Bearer " + access_token_}, {"Content-Type", "application/json"}};
  // Invalid UTF-8 in a text is replaced rather than thrown from the dispatcher's thread.
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

SendOutcome WhatsAppAdapter::read_send_response(const HttpResponse& response) const {
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const bool success = response.status >= 200 && response.status < 300;
  if (success && body.is_object()) {
    const json& messages = body.value("messages", json::array());
    if (messages.is_array() && !messages.empty() && messages.at(0).is_object()) {
      const std::string id = optional_string(messages.at(0), "id");
      if (!id.empty()) return SendOutcome::success(id);
    }
  }
  const std::string status = "http " + std::to_string(response.status);
  if (!body.is_object() || !body.contains("error") || !body.at("error").is_object()) {
    // A 2xx without a message id: the message may or may not be out; retried (at least once).
    if (success) return SendOutcome::failure(SendError::unavailable, status, "answer without a message id");
    return SendOutcome::failure(classify_http_status(response.status), status, "no error details in the answer");
  }
  const json& e = body.at("error");
  std::string text = optional_string(e, "message");
  const std::string details = optional_string(e.value("error_data", json::object()), "details");
  if (!details.empty()) text += (text.empty() ? "" : ": ") + details;
  if (!e.contains("code") || !e.at("code").is_number_integer())
    return SendOutcome::failure(classify_http_status(response.status), status, scrub_numbers(text));
  const long long code = e.at("code").get<long long>();
  const ErrorRow* row = find_error(code);
  const SendError error = row ? row->error : classify_http_status(response.status);
  if (text.empty() && row) text = std::string(row->meaning);
  return SendOutcome::failure(error, std::to_string(code), scrub_numbers(text));
}

std::unique_ptr<ChannelAdapter> make_whatsapp_adapter(const ChannelConfig& channel,
                                                      const AdapterContext& context) {
  return std::make_unique<WhatsAppAdapter>(channel, context);
}

}  // namespace relais
