#include "adapters/telegram.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "adapters/json_body.hpp"
#include "bot/core/phone.hpp"

namespace relais {
namespace {

using nlohmann::json;

constexpr std::string_view kDefaultApiBase = "https://api.telegram.org";

// Bot API errors (core.telegram.org/bots/api#making-requests): error_code plus a fragment
// of `description`, matched case-insensitively in order; "" matches any description.
// Telegram documents no list: these are the descriptions it is known to return.
struct ErrorRow {
  int code;
  std::string_view fragment;
  SendError error;
  std::string_view meaning;
};
constexpr std::array<ErrorRow, 12> kErrors{{
    {403, "bot was blocked by the user", SendError::blocked, "she blocked the bot"},
    {403, "bot was kicked", SendError::blocked, "the bot was removed from the chat"},
    {403, "user is deactivated", SendError::invalid_recipient, "her account was deleted"},
    {403, "bot can't initiate conversation", SendError::invalid_recipient, "she never started the bot"},
    {403, "", SendError::rejected, "forbidden for this chat"},
    {400, "chat not found", SendError::invalid_recipient, "unknown chat id"},
    {400, "peer_id_invalid", SendError::invalid_recipient, "unknown chat id"},
    {400, "", SendError::rejected, "bad request (text too long, empty…)"},
    {401, "", SendError::bad_credentials, "bot token refused"},
    {404, "", SendError::bad_credentials, "bot token malformed"},
    {429, "", SendError::rate_limited, "flood control: retry after the delay given"},
    {500, "", SendError::unavailable, "Telegram internal error"},
}};

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const ErrorRow* find_error(int code, std::string_view description) {
  const std::string d = ascii_lower(description);
  for (const auto& row : kErrors)
    if (row.code == code && d.find(row.fragment) != std::string::npos) return &row;
  return nullptr;
}

// Gateway texts reach logs and coaches: no phone number in them.
std::string scrub_numbers(std::string_view text, std::size_t max_length = 300) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && out.size() < max_length;) {
    std::size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i) {
      out += text[i++];
      continue;
    }
    if (j - i >= 8) out += "***";
    else out.append(text.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_start_code(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (char c : code)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

std::optional<std::int64_t> parse_chat_id(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Invalid UTF-8 in a text is replaced rather than thrown from the dispatcher's thread.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json chat_id_json(std::string_view chat_id) {
  if (auto n = parse_chat_id(chat_id)) return *n;
  return std::string(chat_id);
}

// --- inbound ---------------------------------------------------------------------------

Result<std::int64_t> required_integer(const json& object, const std::string& path, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return Err(path + "." + key + ": missing");
  if (!it->is_number_integer()) return Err(path + "." + key + ": must be an integer");
  return it->get<std::int64_t>();
}

std::string optional_string(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Message fields that carry something other than text (a file, a place, a card…).
constexpr std::array<const char*, 11> kMediaFields{"photo", "video", "video_note", "animation",
                                                    "audio", "voice", "document", "sticker",
                                                    "location", "venue", "poll"};

// Telegram gives contact numbers in international form, usually without '+'.
std::string normalise_shared_phone(std::string_view raw, std::string_view region) {
  std::string digits;
  for (char c : raw)
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  if (digits.empty()) return {};
  const bool national = !raw.starts_with('+') && digits.starts_with('0');
  auto phone = national ? Phone::parse(raw, region) : Phone::parse("+" + digits, region);
  return phone ? phone->e164() : std::string();
}

// A shared contact: her own number when the card is hers (user_id is her Telegram id).
// Anyone else's card is just something she sent.
void read_contact(const json& message, std::int64_t sender, std::string_view region, InboundMessage& m) {
  const json& contact = message.at("contact");
  if (!contact.is_object()) return;
  auto user = contact.find("user_id");
  const bool own = user != contact.end() && user->is_number_integer() && user->get<std::int64_t>() == sender;
  if (own) m.shared_phone = normalise_shared_phone(optional_string(contact, "phone_number"), region);
  if (m.shared_phone.empty()) m.media_count += 1;
}

Result<std::optional<InboundMessage>> read_message(const json& message, const std::string& channel,
                                                   std::string_view region) {
  const std::string path = "$.message";
  if (!message.is_object()) return Err(path + ": expected an object");
  auto id = required_integer(message, path, "message_id");
  if (!id) return Err(id.error());
  auto chat = message.find("chat");
  if (chat == message.end() || !chat->is_object()) return Err(path + ".chat: missing or not an object");
  auto chat_id = required_integer(*chat, path + ".chat", "id");
  if (!chat_id) return Err(chat_id.error());
  // Relais talks to one person per chat; groups and channels are not participants.
  // (Private chats have positive ids, which also covers a test update without a type.)
  const std::string type = optional_string(*chat, "type");
  if (type.empty() ? *chat_id <= 0 : type != "private") return std::optional<InboundMessage>();

  InboundMessage m;
  m.channel = channel;
  m.from = std::to_string(*chat_id);
  m.provider_id = m.from + ":" + std::to_string(*id);
  m.text = optional_string(message, "text");
  if (m.text.empty()) m.text = optional_string(message, "caption");
  for (const char* field : kMediaFields)
    if (message.contains(field)) m.media_count += 1;
  if (message.contains("contact")) {
    std::int64_t sender = *chat_id;
    if (auto from = message.find("from"); from != message.end() && from->is_object()) {
      auto from_id = required_integer(*from, path + ".from", "id");
      if (!from_id) return Err(from_id.error());
      sender = *from_id;
    }
    read_contact(message, sender, region, m);
  }
  // "/start CODE" from her t.me link: the engine links her chat with the code.
  if (auto code = telegram_start_code(m.text)) m.link_code = *code;
  // Service messages (a pinned message, a new title…) carry nothing from her.
  if (m.text.empty() && m.media_count == 0 && m.shared_phone.empty()) return std::optional<InboundMessage>();
  return std::optional<InboundMessage>(std::move(m));
}

}  // namespace

std::string telegram_start_link(std::string_view bot_username, std::string_view code) {
  if (bot_username.starts_with('@')) bot_username.remove_prefix(1);
  bool username_ok = !bot_username.empty() && bot_username.size() <= 32;
  for (char c : bot_username) username_ok = username_ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!username_ok) throw std::invalid_argument("not a Telegram bot username: \"" + std::string(bot_username) + "\"");
  if (!is_start_code(code)) throw std::invalid_argument("a Telegram start code is 1-64 of [A-Za-z0-9_-]");
  return "https://t.me/" + std::string(bot_username) + "?start=" + std::string(code);
}

std::optional<std::string> telegram_start_code(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  constexpr std::string_view kCommand = "/start";
  if (!text.starts_with(kCommand)) return std::nullopt;
  text.remove_prefix(kCommand.size());
  if (text.starts_with('@')) {  // "/start@relais_bot CODE"
    auto space = text.find_first_of(" \t");
    if (space == std::string_view::npos) return std::nullopt;
    text.remove_prefix(space);
  }
  if (text.empty() || !std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
  text = trim(text);
  if (!is_start_code(text)) return std::nullopt;
  return std::string(text);
}

std::string telegram_contact_request_body(std::string_view chat_id, std::string_view text,
                                          std::string_view button_label) {
  json keyboard = {{"keyboard", json::array({json::array({{{"text", button_label}, {"request_contact", true}}})})},
                   {"resize_keyboard", true},
                   {"one_time_keyboard", true}};
  json body = {{"chat_id", chat_id_json(chat_id)}, {"text", text}, {"reply_markup", keyboard}};
  return dump(body);
}

TelegramAdapter::TelegramAdapter(const ChannelConfig& channel, const AdapterContext& context)
    : HttpGateway(channel.id, *context.http),
      channel_id_(channel.id),
      api_base_url_(channel.option("api_base_url").empty() ? std::string(kDefaultApiBase)
                                                          : channel.option("api_base_url")),
      default_region_(context.default_region.empty() ? "FR" : context.default_region) {
  while (api_base_url_.ends_with('/')) api_base_url_.pop_back();
  if (context.secret) {
    bot_token_ = context.secret(channel.option("bot_token_env"));
    secret_token_ = context.secret(channel.option("secret_token_env"));
  }
}

Verdict TelegramAdapter::verify(const WebhookRequest& request) const {
  if (secret_token_.empty()) return Verdict::forbidden;
  auto it = request.headers.find("x-telegram-bot-api-secret-token");
  if (it == request.headers.end()) return Verdict::forbidden;
  return constant_time_equal(it->second, secret_token_) ? Verdict::accepted : Verdict::forbidden;
}

WebhookReply TelegramAdapter::acknowledge(const std::string&) const {
  return WebhookReply{200, "application/json", "{}"};
}

Result<std::vector<InboundEvent>> TelegramAdapter::parse(const WebhookRequest& request) const {
  const auto body = parse_json_body(request.body);
  if (!body) return Err(body.error());
  const json& update = *body;
  if (!update.is_object()) return Err(std::string("$: expected a JSON object"));
  auto update_id = required_integer(update, "$", "update_id");
  if (!update_id) return Err(update_id.error());
  std::vector<InboundEvent> events;
  // edited_message, callback_query, my_chat_member…: nothing for the engine.
  if (!update.contains("message")) return events;
  try {  // every access is checked first; this is the net under a shape nobody foresaw
    auto m = read_message(update.at("message"), channel_id_, default_region_);
    if (!m) return Err(m.error());
    if (*m) events.emplace_back(std::move(**m));
  } catch (const json::exception& e) {
    return Err(std::string("unexpected JSON shape: ") + e.what());
  }
  return events;
}

Result<HttpRequest, SendOutcome> TelegramAdapter::build_send(const OutgoingMessage& message) const {
  if (bot_token_.empty())
    return Err(SendOutcome::failure(SendError::bad_credentials, "", "no bot token configured"));
  // A participant whose record holds a phone number, not a linked chat, cannot be reached.
  if (!parse_chat_id(message.to))
    return Err(SendOutcome::failure(SendError::invalid_recipient, "",
                                    "recipient " + mask_phone(message.to) + " is not a Telegram chat id"));
  HttpRequest r;
  r.method = "POST";
  r.url = api_base_url_ + "/bot" + bot_token_ + "/sendMessage";
  r.headers = {{"Content-Type", "application/json"}};
  if (message.template_id == kTelegramAskContactTemplate) {
    r.body = telegram_contact_request_body(message.to, message.text);
  } else {
    r.body = dump(json{{"chat_id", chat_id_json(message.to)}, {"text", message.text}});
  }
  return r;
}

SendOutcome TelegramAdapter::read_send_response(const HttpResponse& response) const {
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  const std::string status = "http " + std::to_string(response.status);
  const bool success = response.status >= 200 && response.status < 300;
  // A 2xx we cannot read may hide a sent message: retried, like a timeout (at least once).
  if (!body.is_object())
    return SendOutcome::failure(success ? SendError::unavailable : classify_http_status(response.status), status,
                                "answer is not JSON");
  if (body.contains("ok") && body.at("ok").is_boolean() && body.at("ok").get<bool>()) {
    const json& result = body.value("result", json::object());
    if (result.is_object() && result.contains("message_id") && result.at("message_id").is_number_integer()) {
      const std::string id = std::to_string(result.at("message_id").get<std::int64_t>());
      const json& chat = result.value("chat", json::object());
      // Message ids are unique per chat only; every real answer names the chat.
      if (chat.is_object() && chat.contains("id") && chat.at("id").is_number_integer())
        return SendOutcome::success(std::to_string(chat.at("id").get<std::int64_t>()) + ":" + id);
      return SendOutcome::success(id);
    }
    // ok without a message id: it may be out; retried at least once.
    return SendOutcome::failure(SendError::unavailable, status, "answer without a message id");
  }
  const int code = body.contains("error_code") && body.at("error_code").is_number_integer()
                       ? body.at("error_code").get<int>()
                       : response.status;
  const std::string description = optional_string(body, "description");
  const ErrorRow* row = find_error(code, description);
  const SendError error = row ? row->error : classify_http_status(code);
  std::optional<Millis> retry_after;
  const json& parameters = body.value("parameters", json::object());
  if (parameters.is_object() && parameters.contains("retry_after") && parameters.at("retry_after").is_number_integer())
    retry_after = Millis(parameters.at("retry_after").get<std::int64_t>() * 1000);
  std::string text = description.empty() && row ? std::string(row->meaning) : scrub_numbers(description);
  return SendOutcome::failure(error, std::to_string(code), std::move(text), retry_after);
}

std::unique_ptr<ChannelAdapter> make_telegram_adapter(const ChannelConfig& channel,
                                                      const AdapterContext& context) {
  return std::make_unique<TelegramAdapter>(channel, context);
}

}  // namespace relais
