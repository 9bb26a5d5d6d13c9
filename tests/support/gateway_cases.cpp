#include "support/gateway_cases.hpp"

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "adapters/android.hpp"
#include "adapters/twilio.hpp"
#include "adapters/vonage.hpp"
#include "adapters/whatsapp.hpp"

namespace relais::test {
namespace {

using nlohmann::json;
using Received = FakeGateway::Received;
using Params = std::vector<std::pair<std::string, std::string>>;

// Amina's number as most providers write it: digits, no '+'.
const std::string kAminaDigits = std::string(kAminaPhone).substr(1);

std::string padded(int n, std::size_t width) {
  std::string digits = std::to_string(n);
  return std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
}

std::string unix_seconds_now() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

std::string header(const Received& r, const std::string& lower_name) {
  auto it = r.headers.find(lower_name);
  return it == r.headers.end() ? "" : it->second;
}

// A JSON value as a plain string: strings as they are, anything else as JSON text.
std::string scalar(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string value_of(const Params& params, const std::string& name) {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return "";
}

void set_param(Params& params, const std::string& name, const std::string& value) {
  bool found = false;
  for (auto& [k, v] : params)
    if (k == name) v = value, found = true;
  if (!found) params.emplace_back(name, value);
}

Webhook json_webhook(const json& body) {
  Webhook w;
  w.headers["Content-Type"] = "application/json";
  w.body = body.dump();
  return w;
}

// ---- Twilio: form posts signed with X-Twilio-Signature (HMAC-SHA1 of URL + params) ----

class TwilioCase final : public GatewayCase {
 public:
  explicit TwilioCase(const std::filesystem::path& fixtures)
      : GatewayCase("twilio", fixtures), token_env_(secret_env("AUTH_TOKEN", kToken)) {}

  ChannelConfig channel(const std::string& url) const override {
    ChannelConfig c;
    c.id = c.type = type();
    c.options = {{"account_sid", kSid}, {"auth_token_env", token_env_}, {"from", kFrom}, {"api_base_url", url}};
    return c;
  }
  std::string send_route() const override { return "/2010-04-01/Accounts/{sid}/Messages.json"; }
  std::string send_path() const override { return "/2010-04-01/Accounts/" + std::string(kSid) + "/Messages.json"; }
  http::Response send_ok(const Received&, int n) const override {
    json body = json::parse(fixture("send_created.http"));
    body["sid"] = sid(n);
    body["account_sid"] = kSid;
    body["to"] = kAminaPhone;
    return http::json_response(201, body.dump());
  }
  std::string provider_id(const Received&, int n) const override { return sid(n); }

  std::map<std::string, std::string> sent_fields(const Received& r) const override {
    const auto p = form_decode(r.body);
    return {{"auth", header(r, "authorization")}, {"to", value_of(p, "To")}, {"text", value_of(p, "Body")},
            {"From", value_of(p, "From")}, {"StatusCallback", value_of(p, "StatusCallback")}};
  }
  std::map<std::string, std::string> expected_fields(std::int64_t, const std::string& text,
                                                     const std::string& webhook_url) const override {
    return {{"auth", "Basic " + base64(std::string(kSid) + ":" + kToken)}, {"to", kAminaPhone}, {"text", text},
            {"From", kFrom}, {"StatusCallback", webhook_url}};
  }

  std::optional<Webhook> receipt(const std::string& provider_id, const std::string& url) const override {
    auto params = form_decode(fixture("status_delivered.http"));
    set_param(params, "MessageSid", provider_id);
    return signed_form(params, url);
  }
  std::optional<Webhook> inbound(const std::string& text, int n, const std::string& url) const override {
    auto params = form_decode(fixture("inbound_sms.http"));
    for (const char* id : {"MessageSid", "SmsSid", "SmsMessageSid"}) set_param(params, id, sid(1000 + n));
    set_param(params, "AccountSid", kSid);
    set_param(params, "From", kAminaPhone);
    set_param(params, "To", kFrom);
    set_param(params, "Body", text);
    return signed_form(params, url);
  }
  // Twilio signs a GET's URL, query included, with no parameters after it.
  std::optional<Webhook> inbound_get(const std::string& text, int n, const std::string& url) const override {
    Webhook w;
    w.method = "GET";
    w.query = inbound(text, n, url)->body;
    w.headers["X-Twilio-Signature"] = twilio_signature(kToken, url + "?" + w.query, {});
    return w;
  }
  std::string signature_header() const override { return "X-Twilio-Signature"; }

 private:
  static constexpr const char* kSid = "AC0123456789abcdef0123456789abcdef";
  static constexpr const char* kToken = "twilio-test-token-6d1f";
  static constexpr const char* kFrom = "+33612345690";

  static std::string sid(int n) { return "SM" + padded(n, 32); }
  static Webhook signed_form(const Params& params, const std::string& url) {
    Webhook w;
    w.headers["Content-Type"] = "application/x-www-form-urlencoded";
    w.headers["X-Twilio-Signature"] = twilio_signature(kToken, url, params);
    w.body = form_encode(params);
    return w;
  }
  std::string token_env_;
};

// ---- Vonage (SMS API): JSON posts signed with sig/timestamp/nonce (md5hash) ----------

class VonageCase final : public GatewayCase {
 public:
  explicit VonageCase(const std::filesystem::path& fixtures)
      : GatewayCase("vonage", fixtures),
        key_env_(secret_env("API_KEY", kKey)),
        secret_env_(secret_env("API_SECRET", kSecret)),
        signature_env_(secret_env("SIGNATURE_SECRET", kSignatureSecret)) {}

  ChannelConfig channel(const std::string& url) const override {
    ChannelConfig c;
    c.id = c.type = type();
    c.options = {{"api_key_env", key_env_}, {"api_secret_env", secret_env_},
                 {"signature_secret_env", signature_env_}, {"from", "+33612345690"}, {"api_base_url", url}};
    return c;
  }
  std::string send_route() const override { return "/sms/json"; }
  std::string send_path() const override { return "/sms/json"; }
  http::Response send_ok(const Received& r, int n) const override {
    json body = json::parse(fixture("send_success.http"));
    auto& m = body["messages"][0];
    m["message-id"] = message_id(n);
    m["to"] = kAminaDigits;
    m["client-ref"] = json::parse(r.body).value("client-ref", "");
    return http::json_response(200, body.dump());
  }
  std::string provider_id(const Received&, int n) const override { return message_id(n); }

  std::map<std::string, std::string> sent_fields(const Received& r) const override {
    const json b = json::parse(r.body);
    return {{"auth", b.value("api_key", "") + ":" + b.value("api_secret", "")},
            {"to", b.value("to", "")}, {"text", b.value("text", "")}, {"from", b.value("from", "")},
            {"type", b.value("type", "")}, {"client-ref", b.value("client-ref", "")},
            {"callback", b.value("callback", "")}};
  }
  std::map<std::string, std::string> expected_fields(std::int64_t row_id, const std::string& text,
                                                     const std::string& webhook_url) const override {
    return {{"auth", std::string(kKey) + ":" + kSecret}, {"to", kAminaDigits}, {"text", text},
            {"from", "33612345690"}, {"type", "text"}, {"client-ref", std::to_string(row_id)},
            {"callback", webhook_url}};
  }

  std::optional<Webhook> receipt(const std::string& provider_id, const std::string&) const override {
    json body = json::parse(fixture("dlr_post_json.http"));
    body["messageId"] = provider_id;
    body["msisdn"] = kAminaDigits;
    return signed_json(body);
  }
  std::optional<Webhook> inbound(const std::string& text, int n, const std::string&) const override {
    json body = json::parse(fixture("inbound_post_json.http"));
    body["msisdn"] = kAminaDigits;
    body["messageId"] = "02000000" + padded(n, 8);
    body["text"] = text;
    body["keyword"] = "OUI";
    body.erase("sig");
    return signed_json(body);
  }
  // The "GET" webhook format: the same signed fields in the query.
  std::optional<Webhook> inbound_get(const std::string& text, int n, const std::string& url) const override {
    const json body = json::parse(inbound(text, n, url)->body);
    Params params;
    for (const auto& [k, v] : body.items()) params.emplace_back(k, scalar(v));
    Webhook w;
    w.method = "GET";
    w.query = form_encode(params);
    return w;
  }
  std::string signature_header() const override { return ""; }
  Webhook without_signature(Webhook w) const override {
    json body = json::parse(w.body);
    body.erase("sig");
    w.body = body.dump();
    return w;
  }

 private:
  static constexpr const char* kKey = "a1234567";
  static constexpr const char* kSecret = "vonage-api-Secret9";
  static constexpr const char* kSignatureSecret = "vonage-signature-secret-2f7a";

  static std::string message_id(int n) { return "0A000000" + padded(n, 9); }
  // Vonage signs every parameter but `sig`, with a fresh timestamp and nonce.
  static Webhook signed_json(json body) {
    body["timestamp"] = unix_seconds_now();
    body["nonce"] = "5f0c1d2e-relais-" + unix_seconds_now();
    Params params;
    for (const auto& [k, v] : body.items()) params.emplace_back(k, scalar(v));
    body["sig"] = vonage_signature(VonageSignatureMethod::md5hash, kSignatureSecret, params);
    return json_webhook(body);
  }
  std::string key_env_, secret_env_, signature_env_;
};

// ---- Brevo: send-only; its webhooks sign nothing, relais wants basic auth ------------

class BrevoCase final : public GatewayCase {
 public:
  explicit BrevoCase(const std::filesystem::path& fixtures)
      : GatewayCase("brevo", fixtures),
        key_env_(secret_env("API_KEY", kKey)),
        password_env_(secret_env("WEBHOOK_PASSWORD", kPassword)) {}

  ChannelConfig channel(const std::string& url) const override {
    ChannelConfig c;
    c.id = c.type = type();
    c.basic_auth_password_env = password_env_;
    c.options = {{"api_key_env", key_env_}, {"sender", "Relais"}, {"api_base_url", url + "/v3"}};
    return c;
  }
  std::string send_route() const override { return "/v3/transactionalSMS/send"; }
  std::string send_path() const override { return "/v3/transactionalSMS/send"; }
  http::Response send_ok(const Received&, int n) const override {
    json body = json::parse(fixture("send_ok.json"));
    body["messageId"] = message_id(n);
    return http::json_response(201, body.dump());
  }
  std::string provider_id(const Received&, int n) const override { return std::to_string(message_id(n)); }

  std::map<std::string, std::string> sent_fields(const Received& r) const override {
    const json b = json::parse(r.body);
    std::map<std::string, std::string> f{{"auth", header(r, "api-key")}};
    for (const char* key : {"recipient", "content", "sender", "type", "tag", "unicodeEnabled"})
      f[key] = b.contains(key) ? scalar(b[key]) : "";
    f["to"] = f["recipient"], f["text"] = f["content"];
    f.erase("recipient"), f.erase("content");
    return f;
  }
  std::map<std::string, std::string> expected_fields(std::int64_t row_id, const std::string& text,
                                                     const std::string&) const override {
    return {{"auth", kKey}, {"to", kAminaDigits}, {"text", text}, {"sender", "Relais"},
            {"type", "transactional"}, {"tag", "relais-" + std::to_string(row_id)}, {"unicodeEnabled", "false"}};
  }

  std::optional<Webhook> receipt(const std::string& provider_id, const std::string&) const override {
    json body = json::parse(fixture("webhook_sms_delivered.json"));
    body["messageId"] = std::stoll(provider_id);  // a number, as Brevo writes it
    body["to"] = kAminaDigits;
    Webhook w = json_webhook(body);
    w.headers["Authorization"] = "Basic " + base64(std::string("relais:") + kPassword);
    return w;
  }
  std::optional<Webhook> inbound(const std::string&, int, const std::string&) const override {
    return std::nullopt;
  }
  bool signs_body() const override { return false; }
  std::string signature_header() const override { return "Authorization"; }
  int refused_status() const override { return 401; }

 private:
  static constexpr const char* kKey = "xkeysib-0123456789abcdef-relais";
  static constexpr const char* kPassword = "brevo-Hook-pw4";

  static long long message_id(int n) { return 1511882900176220LL + n; }
  std::string key_env_, password_env_;
};

// ---- WhatsApp Cloud API: JSON signed with X-Hub-Signature-256 -------------------------

class WhatsAppCase final : public GatewayCase {
 public:
  explicit WhatsAppCase(const std::filesystem::path& fixtures)
      : GatewayCase("whatsapp", fixtures),
        token_env_(secret_env("ACCESS_TOKEN", kToken)),
        app_secret_env_(secret_env("APP_SECRET", kAppSecret)),
        verify_env_(secret_env("VERIFY_TOKEN", "whatsapp-verify-1")) {}

  ChannelConfig channel(const std::string& url) const override {
    ChannelConfig c;
    c.id = c.type = type();
    c.options = {{"phone_number_id", kPhoneNumberId}, {"access_token_env", token_env_},
                 {"app_secret_env", app_secret_env_}, {"verify_token_env", verify_env_},
                 {"api_base_url", url + "/v21.0"}};  // the Graph API version is part of the base URL
    return c;
  }
  std::string send_route() const override { return "/v21.0/{phone_number_id}/messages"; }
  std::string send_path() const override { return "/v21.0/" + std::string(kPhoneNumberId) + "/messages"; }
  http::Response send_ok(const Received&, int n) const override {
    json body = json::parse(fixture("send_ok.json"));
    body["contacts"][0]["input"] = kAminaDigits;
    body["contacts"][0]["wa_id"] = kAminaDigits;
    body["messages"][0]["id"] = wamid(n);
    return http::json_response(200, body.dump());
  }
  std::string provider_id(const Received&, int n) const override { return wamid(n); }

  std::map<std::string, std::string> sent_fields(const Received& r) const override {
    const json b = json::parse(r.body);
    return {{"auth", header(r, "authorization")}, {"to", b.value("to", "")},
            {"text", b.value("text", json::object()).value("body", "")}, {"type", b.value("type", "")},
            {"messaging_product", b.value("messaging_product", "")},
            {"biz_opaque_callback_data", b.value("biz_opaque_callback_data", "")}};
  }
  std::map<std::string, std::string> expected_fields(std::int64_t row_id, const std::string& text,
                                                     const std::string&) const override {
    return {{"auth", "Bearer " + std::string(kToken)}, {"to", kAminaDigits}, {"text", text}, {"type", "text"},
            {"messaging_product", "whatsapp"}, {"biz_opaque_callback_data", "relais-outbox-" + std::to_string(row_id)}};
  }

  std::optional<Webhook> receipt(const std::string& provider_id, const std::string&) const override {
    json body = json::parse(fixture("status_read.json"));
    auto& status = body["entry"][0]["changes"][0]["value"]["statuses"][0];
    status["id"] = provider_id;
    status["recipient_id"] = kAminaDigits;
    return signed_json(body);
  }
  MessageStatus receipt_status() const override { return MessageStatus::read; }
  std::optional<Webhook> inbound(const std::string& text, int n, const std::string&) const override {
    json body = json::parse(fixture("text.json"));
    auto& value = body["entry"][0]["changes"][0]["value"];
    value["contacts"][0]["wa_id"] = kAminaDigits;
    value["contacts"][0]["profile"]["name"] = "Amina";
    auto& message = value["messages"][0];
    message["from"] = kAminaDigits;
    message["id"] = "wamid.IN" + padded(n, 8);
    message["text"]["body"] = text;
    return signed_json(body);
  }
  std::string signature_header() const override { return "X-Hub-Signature-256"; }
  bool needs_open_window() const override { return true; }

 private:
  static constexpr const char* kPhoneNumberId = "106540352242922";  // the fixtures' number id
  static constexpr const char* kToken = "EAAGwhatsappTestToken0123";
  static constexpr const char* kAppSecret = "whatsapp-app-secret-51c";

  static std::string wamid(int n) { return "wamid.HBgLMzM2MTIzNDUwMDEVAgARGBI" + padded(n, 6); }
  static Webhook signed_json(const json& body) {
    Webhook w = json_webhook(body);
    w.headers["X-Hub-Signature-256"] = whatsapp_signature(kAppSecret, w.body);
    return w;
  }
  std::string token_env_, app_secret_env_, verify_env_;
};

// ---- Telegram Bot API: the token in the path; webhooks carry a shared secret token ----

class TelegramCase final : public GatewayCase {
 public:
  explicit TelegramCase(const std::filesystem::path& fixtures)
      : GatewayCase("telegram", fixtures),
        token_env_(secret_env("BOT_TOKEN", kToken)),
        secret_token_env_(secret_env("SECRET_TOKEN", kSecretToken)) {}

  ChannelConfig channel(const std::string& url) const override {
    ChannelConfig c;
    c.id = c.type = type();
    c.options = {{"bot_token_env", token_env_}, {"secret_token_env", secret_token_env_},
                 {"bot_username", "relais_dijon_bot"}, {"api_base_url", url}};
    return c;
  }
  std::string send_route() const override { return "/{bot}/sendMessage"; }
  std::string send_path() const override { return "/bot" + std::string(kToken) + "/sendMessage"; }
  http::Response send_ok(const Received& r, int n) const override {
    json body = json::parse(fixture("send_ok.json"));
    body["result"]["message_id"] = 100 + n;
    body["result"]["chat"] = {{"id", chat()}, {"first_name", "Amina"}, {"type", "private"}};
    body["result"]["text"] = json::parse(r.body).value("text", "");
    return http::json_response(200, body.dump());
  }
  std::string provider_id(const Received&, int n) const override {
    return std::string(kAminaChat) + ":" + std::to_string(100 + n);
  }

  std::map<std::string, std::string> sent_fields(const Received& r) const override {
    const json b = json::parse(r.body);
    std::string token = r.path;
    if (token.rfind("/bot", 0) == 0 && token.size() > 16) token = token.substr(4, token.size() - 16);
    return {{"auth", token}, {"to", b.contains("chat_id") ? scalar(b["chat_id"]) : ""},
            {"text", b.value("text", "")}};
  }
  std::map<std::string, std::string> expected_fields(std::int64_t, const std::string& text,
                                                     const std::string&) const override {
    return {{"auth", kToken}, {"to", kAminaChat}, {"text", text}};
  }

  std::string address() const override { return kAminaChat; }
  // The Bot API reports no delivery.
  std::optional<Webhook> receipt(const std::string&, const std::string&) const override { return std::nullopt; }
  std::optional<Webhook> inbound(const std::string& text, int n, const std::string&) const override {
    json body = json::parse(fixture("text.json"));
    body["update_id"] = 174114370 + n;
    auto& message = body["message"];
    message["message_id"] = 40 + n;
    message["from"] = {{"id", chat()}, {"is_bot", false}, {"first_name", "Amina"}, {"language_code", "fr"}};
    message["chat"] = {{"id", chat()}, {"first_name", "Amina"}, {"type", "private"}};
    message["text"] = text;
    Webhook w = json_webhook(body);
    w.headers["X-Telegram-Bot-Api-Secret-Token"] = kSecretToken;
    return w;
  }
  bool signs_body() const override { return false; }
  std::string signature_header() const override { return "X-Telegram-Bot-Api-Secret-Token"; }

 private:
  static constexpr const char* kToken = "7012345678:AAH-relais_Test-Token0123456789ab";
  static constexpr const char* kSecretToken = "telegram-Secret_token-3";

  static long long chat() { return std::stoll(kAminaChat); }
  std::string token_env_, secret_token_env_;
};

// ---- SMS Gateway for Android (cloud API): basic auth out, X-Signature in ------------

class AndroidCase final : public GatewayCase {
 public:
  explicit AndroidCase(const std::filesystem::path& fixtures)
      : GatewayCase("android", fixtures),
        password_env_(secret_env("PASSWORD", kPassword)),
        signing_env_(secret_env("SIGNING_KEY", kSigningKey)) {}

  ChannelConfig channel(const std::string& url) const override {
    ChannelConfig c;
    c.id = c.type = type();
    c.options = {{"api_base_url", url + "/3rdparty/v1"}, {"username", kUser}, {"password_env", password_env_},
                 {"signing_key_env", signing_env_}};
    return c;
  }
  std::string send_route() const override { return "/3rdparty/v1/messages"; }
  std::string send_path() const override { return "/3rdparty/v1/messages"; }
  // The app keeps the id the message was sent with.
  http::Response send_ok(const Received& r, int) const override {
    const json sent = json::parse(r.body);
    json body = json::parse(fixture("send_accepted.json"));
    body["id"] = sent.value("id", "");
    body["recipients"][0]["phoneNumber"] = sent["phoneNumbers"][0];
    return http::json_response(202, body.dump());
  }
  std::string provider_id(const Received& r, int) const override { return json::parse(r.body).value("id", ""); }

  std::map<std::string, std::string> sent_fields(const Received& r) const override {
    const json b = json::parse(r.body);
    const json numbers = b.value("phoneNumbers", json::array());
    return {{"auth", header(r, "authorization")}, {"to", numbers.size() == 1 ? scalar(numbers[0]) : numbers.dump()},
            {"text", b.value("textMessage", json::object()).value("text", "")}, {"id", b.value("id", "")},
            {"withDeliveryReport", b.contains("withDeliveryReport") ? scalar(b["withDeliveryReport"]) : ""}};
  }
  std::map<std::string, std::string> expected_fields(std::int64_t row_id, const std::string& text,
                                                     const std::string&) const override {
    return {{"auth", "Basic " + base64(std::string(kUser) + ":" + kPassword)}, {"to", kAminaPhone},
            {"text", text}, {"id", android_message_id(row_id)}, {"withDeliveryReport", "true"}};
  }

  std::optional<Webhook> receipt(const std::string& provider_id, const std::string&) const override {
    json body = json::parse(fixture("webhook_sms_delivered.json"));
    body["payload"]["messageId"] = provider_id;
    body["payload"]["phoneNumber"] = kAminaPhone;
    return signed_json(body);
  }
  std::optional<Webhook> inbound(const std::string& text, int n, const std::string&) const override {
    json body = json::parse(fixture("webhook_sms_received.json"));
    body["id"] = "Ey6ECgOkVVFjz3CL4" + padded(n, 4);
    auto& payload = body["payload"];
    payload["messageId"] = "in" + padded(n, 6);
    payload["message"] = text;
    payload["phoneNumber"] = "0612345001";  // phones report the sender as the network gives it
    return signed_json(body);
  }
  std::string signature_header() const override { return "X-Signature"; }

 private:
  static constexpr const char* kUser = "relais-phone";
  static constexpr const char* kPassword = "android-Pass-8q";
  static constexpr const char* kSigningKey = "android-signing-key-c3";

  static Webhook signed_json(const json& body) {
    Webhook w = json_webhook(body);
    const std::string ts = unix_seconds_now();
    w.headers["X-Timestamp"] = ts;
    w.headers["X-Signature"] = android_signature(kSigningKey, w.body, ts);
    return w;
  }
  std::string password_env_, signing_env_;
};

}  // namespace

GatewayCase::GatewayCase(std::string type, std::filesystem::path fixtures)
    : type_(std::move(type)), fixtures_(std::move(fixtures)) {}

GatewayCase::~GatewayCase() {
  for (const auto& name : env_names_) ::unsetenv(name.c_str());
}

Webhook GatewayCase::without_signature(Webhook webhook) const {
  webhook.headers.erase(signature_header());
  return webhook;
}

std::string GatewayCase::secret_env(const std::string& key, const std::string& value) {
  std::string name = "RELAIS_GWTEST_" + type_ + "_" + key;
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ::setenv(name.c_str(), value.c_str(), 1);
  env_names_.push_back(name);
  secrets_.push_back(value);
  return name;
}

std::string GatewayCase::fixture(const std::string& name) const {
  const auto path = fixtures_ / type_ / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read fixture " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  if (path.extension() == ".http") {
    const auto crlf = text.find("\r\n\r\n"), lf = text.find("\n\n");
    if (crlf != std::string::npos && (lf == std::string::npos || crlf < lf)) text = text.substr(crlf + 4);
    else if (lf != std::string::npos) text = text.substr(lf + 2);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::vector<std::string> gateway_types() {
  return {"twilio", "vonage", "brevo", "whatsapp", "telegram", "android"};
}

std::unique_ptr<GatewayCase> make_gateway_case(const std::string& type, const std::filesystem::path& fixtures) {
  if (type == "twilio") return std::make_unique<TwilioCase>(fixtures);
  if (type == "vonage") return std::make_unique<VonageCase>(fixtures);
  if (type == "brevo") return std::make_unique<BrevoCase>(fixtures);
  if (type == "whatsapp") return std::make_unique<WhatsAppCase>(fixtures);
  if (type == "telegram") return std::make_unique<TelegramCase>(fixtures);
  if (type == "android") return std::make_unique<AndroidCase>(fixtures);
  throw std::invalid_argument("no gateway case for type \"" + type + "\"");
}

std::vector<std::pair<std::string, std::string>> form_decode(const std::string& body) {
  auto decode = [](const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') out += ' ';
      else if (s[i] == '%' && i + 2 < s.size()) out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)), i += 2;
      else out += s[i];
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> params;
  std::istringstream in(body);
  for (std::string piece; std::getline(in, piece, '&');) {
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    params.emplace_back(decode(piece.substr(0, eq)), eq == std::string::npos ? "" : decode(piece.substr(eq + 1)));
  }
  return params;
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](std::size_t k) { return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u; };
    const unsigned triple = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (std::size_t k = 0; k < 4; ++k)
      out += i + k <= bytes.size() ? kAlphabet[(triple >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

}  // namespace relais::test
