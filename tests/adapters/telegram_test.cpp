#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "adapters/telegram.hpp"
#include "tests/adapters/support.hpp"

using namespace relais;
using namespace relais::test;
using nlohmann::json;

namespace {

constexpr const char* kBotToken = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
constexpr const char* kSecretToken = "s3cret_Token-for-webhooks";

ChannelConfig channel(std::string api_base_url = "") {
  return test_channel("tg", "telegram",
                      {{"bot_token_env", "TG_TOKEN"},
                       {"secret_token_env", "TG_SECRET"},
                       {"bot_username", "relais_dijon_bot"},
                       {"api_base_url", api_base_url}});
}

AdapterContext context(FakeHttp& http, std::map<std::string, std::string> secrets = {
                                           {"TG_TOKEN", kBotToken}, {"TG_SECRET", kSecretToken}}) {
  return test_context(http, std::move(secrets));
}

WebhookRequest post(std::string body, std::string secret = kSecretToken) {
  WebhookRequest r{"POST", "/webhooks/tg", "", {}, std::move(body)};
  if (!secret.empty()) r.headers["x-telegram-bot-api-secret-token"] = secret;
  return r;
}

OutgoingMessage message_to(std::string chat) {
  OutgoingMessage m;
  m.id = 88;
  m.channel = "tg";
  m.to = std::move(chat);
  m.text = "Bonjour Amina, à demain 14 h !";
  m.now = from_epoch_ms(1'764'000'000'000);
  return m;
}

}  // namespace

TEST_CASE("a Telegram webhook is accepted only with the secret token set on setWebhook", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  const std::string body = fixture("telegram", "text.json");
  CHECK(a.verify(post(body)) == Verdict::accepted);
  struct Case { std::string label, secret; };
  auto c = GENERATE(values<Case>({
      {"no header", ""},
      {"a wrong token", "s3cret_Token-for-webhookz"},
      {"a prefix of the token", "s3cret_Token"},
      {"the token with a trailing space", std::string(kSecretToken) + " "},
      {"the bot token instead", kBotToken},
  }));
  CAPTURE(c.label);
  CHECK(a.verify(post(body, c.secret)) == Verdict::forbidden);

  TelegramAdapter unset(channel(), context(http, {{"TG_TOKEN", kBotToken}}));
  CHECK(unset.verify(post(body, "")) == Verdict::forbidden);
  CHECK(unset.verify(post(body, "anything")) == Verdict::forbidden);
}

TEST_CASE("Telegram fixtures parse into the expected messages, or none", "[telegram]") {
  struct Case {
    std::string file;
    bool message;
    std::string from, provider_id, text;
    int media_count = 0;
    std::string shared_phone;
  };
  auto c = GENERATE(values<Case>({
      {"guide_start.json", true, "1111111", "1111111:1365", "/start", 0, ""},
      {"guide_start_with_code.json", true, "1111111", "1111111:1365", "/start rl_K7qa2-xZ", 0, ""},
      {"text.json", true, "3527065", "3527065:41", "Hello World", 0, ""},
      {"photo_caption.json", true, "3527065", "3527065:85", "Photo Caption", 1, ""},
      {"voice.json", true, "3527065", "3527065:91", "", 1, ""},
      {"location.json", true, "3527065", "3527065:94", "", 1, ""},
      {"contact_own.json", true, "3527065", "3527065:96", "", 0, "+33612345603"},
      // Someone else's card is not her number: recorded as something she sent.
      {"contact_other.json", true, "3527065", "3527065:96", "", 1, ""},
      {"guide_edited_message.json", false, "", "", "", 0, ""},
      {"guide_callback_query.json", false, "", "", "", 0, ""},
      {"empty_update.json", false, "", "", "", 0, ""},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  const auto request = post(fixture("telegram", c.file));
  REQUIRE(a.verify(request) == Verdict::accepted);
  auto events = a.parse(request);
  REQUIRE(events);
  if (!c.message) {
    CHECK(events->empty());
    return;
  }
  REQUIRE(events->size() == 1);
  const auto& m = std::get<InboundMessage>(events->front());
  CHECK(m.channel == "tg");
  CHECK(m.from == c.from);
  CHECK(m.provider_id == c.provider_id);
  CHECK(m.text == c.text);
  CHECK(m.media_count == c.media_count);
  CHECK(m.shared_phone == c.shared_phone);
}

TEST_CASE("a shared Telegram contact becomes E.164 in every form Telegram writes it", "[telegram]") {
  struct Case { std::string phone; std::string expected; };
  auto c = GENERATE(values<Case>({
      {"33612345603", "+33612345603"},
      {"+33612345603", "+33612345603"},
      {"+33 6 12 34 56 03", "+33612345603"},
      {"0612345603", "+33612345603"},
      {"32470123456", "+32470123456"},
      {"12", ""},
  }));
  CAPTURE(c.phone);
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  json body = json::parse(fixture("telegram", "contact_own.json"));
  body["message"]["contact"]["phone_number"] = c.phone;
  auto events = a.parse(post(body.dump()));
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  const auto& m = std::get<InboundMessage>(events->front());
  CHECK(m.shared_phone == c.expected);
  CHECK(m.media_count == (c.expected.empty() ? 1 : 0));
}

TEST_CASE("a contact card with someone else's user id is not her number", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  json body = json::parse(fixture("telegram", "contact_own.json"));
  body["message"]["contact"]["user_id"] = 3527066;
  auto events = a.parse(post(body.dump()));
  REQUIRE(events);
  CHECK(std::get<InboundMessage>(events->front()).shared_phone.empty());
}

TEST_CASE("Telegram messages from groups and channels are not participants' messages", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  auto c = GENERATE(as<std::string>{}, "group", "supergroup", "channel");
  CAPTURE(c);
  json body = json::parse(fixture("telegram", "text.json"));
  body["message"]["chat"]["type"] = c;
  body["message"]["chat"]["id"] = -1001234567890;
  auto events = a.parse(post(body.dump()));
  REQUIRE(events);
  CHECK(events->empty());
}

TEST_CASE("a bad Telegram update is refused with the path of the bad field", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  struct Case { std::string body, error; };
  auto c = GENERATE(values<Case>({
      {"foo", "not valid JSON"},
      {"[]", "$: expected a JSON object"},
      {R"({"message": {}})", "$.update_id: missing"},
      {R"({"update_id": "1"})", "$.update_id: must be an integer"},
      {R"({"update_id": 1, "message": []})", "$.message: expected an object"},
      {R"({"update_id": 1, "message": {"chat": {"id": 5, "type": "private"}, "text": "x"}})", "$.message.message_id: missing"},
      {R"({"update_id": 1, "message": {"message_id": 2, "text": "x"}})", "$.message.chat: missing"},
      {R"({"update_id": 1, "message": {"message_id": 2, "chat": {"type": "private"}, "text": "x"}})", "$.message.chat.id: missing"},
  }));
  CAPTURE(c.body);
  auto r = a.parse(post(c.body));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains(c.error));
}

TEST_CASE("deep links carry a start code that comes back as /start CODE", "[telegram]") {
  CHECK(telegram_start_link("relais_dijon_bot", "rl_K7qa2-xZ") == "https://t.me/relais_dijon_bot?start=rl_K7qa2-xZ");
  CHECK(telegram_start_link("@relais_dijon_bot", "abc") == "https://t.me/relais_dijon_bot?start=abc");
  CHECK_THROWS_AS(telegram_start_link("relais_dijon_bot", ""), std::invalid_argument);
  CHECK_THROWS_AS(telegram_start_link("relais_dijon_bot", "a b"), std::invalid_argument);
  CHECK_THROWS_AS(telegram_start_link("relais_dijon_bot", std::string(65, 'a')), std::invalid_argument);
  CHECK_THROWS_AS(telegram_start_link("relais bot", "abc"), std::invalid_argument);
  CHECK_THROWS_AS(telegram_start_link("", "abc"), std::invalid_argument);

  struct Case { std::string text; std::optional<std::string> code; };
  auto c = GENERATE(values<Case>({
      {"/start rl_K7qa2-xZ", "rl_K7qa2-xZ"},
      {"  /start   rl_K7qa2-xZ \n", "rl_K7qa2-xZ"},
      {"/start@relais_dijon_bot rl_K7qa2-xZ", "rl_K7qa2-xZ"},
      {"/start " + std::string(64, 'z'), std::string(64, 'z')},
      {"/start " + std::string(65, 'z'), std::nullopt},
      {"/start", std::nullopt},
      {"/start ", std::nullopt},
      {"/startrl_K7qa2", std::nullopt},
      {"/start rl K7qa2", std::nullopt},
      {"/start rl_K7qa2!", std::nullopt},
      {"/stop rl_K7qa2", std::nullopt},
      {"Bonjour /start abc", std::nullopt},
      {"", std::nullopt},
  }));
  CAPTURE(c.text);
  CHECK(telegram_start_code(c.text) == c.code);
}

TEST_CASE("the welcome keyboard asks for her own number with a French label", "[telegram]") {
  const json body = json::parse(telegram_contact_request_body("3527065", "Bienvenue !"));
  CHECK(body["chat_id"] == 3527065);
  CHECK(body["text"] == "Bienvenue !");
  const json& markup = body["reply_markup"];
  REQUIRE(markup["keyboard"].size() == 1);
  REQUIRE(markup["keyboard"][0].size() == 1);
  CHECK(markup["keyboard"][0][0]["text"] == "Partager mon numéro");
  CHECK(markup["keyboard"][0][0]["request_contact"] == true);
  CHECK(markup["one_time_keyboard"] == true);
  CHECK(markup["resize_keyboard"] == true);
}

TEST_CASE("a Telegram send posts sendMessage to the chat with the token in the URL only", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  auto r = a.build_send(message_to("3527065"));
  REQUIRE(r);
  CHECK(r->method == "POST");
  CHECK(r->url == std::string("https://api.telegram.org/bot") + kBotToken + "/sendMessage");
  CHECK(r->headers.at("Content-Type") == "application/json");
  CHECK(r->headers.count("Authorization") == 0);
  const json body = json::parse(r->body);
  CHECK(body["chat_id"] == 3527065);
  CHECK(body["text"] == "Bonjour Amina, à demain 14 h !");
  CHECK_FALSE(body.contains("reply_markup"));
  CHECK_THAT(r->body, !Catch::Contains(kBotToken));

  OutgoingMessage welcome = message_to("3527065");
  welcome.template_id = std::string(kTelegramAskContactTemplate);
  const json with_keyboard = json::parse(a.build_send(welcome)->body);
  CHECK(with_keyboard["reply_markup"]["keyboard"][0][0]["request_contact"] == true);

  TelegramAdapter custom(channel("http://127.0.0.1:9098/"), context(http));
  CHECK(custom.build_send(message_to("-1001234567890"))->url ==
        std::string("http://127.0.0.1:9098/bot") + kBotToken + "/sendMessage");
}

TEST_CASE("a Telegram send to a phone number or without a token fails before any call", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  SendOutcome to_phone = a.send(message_to("+33612345601"));
  CHECK(to_phone.error == SendError::invalid_recipient);
  CHECK_THAT(to_phone.error_text, !Catch::Contains("612345601"));

  TelegramAdapter no_token(channel(), context(http, {{"TG_SECRET", kSecretToken}}));
  CHECK(no_token.send(message_to("3527065")).error == SendError::bad_credentials);
  CHECK(http.seen.empty());
}

TEST_CASE("Telegram send answers map onto outcomes through the error table", "[telegram]") {
  struct Case {
    std::string file;
    int status;
    bool ok;
    std::string id_or_code;
    SendError error;
    std::optional<Millis> retry_after;
  };
  auto c = GENERATE(values<Case>({
      {"send_ok.json", 200, true, "-578912345:9", SendError::none, std::nullopt},
      {"send_ok_minimal.json", 200, true, "133", SendError::none, std::nullopt},
      {"send_blocked.json", 403, false, "403", SendError::blocked, std::nullopt},
      {"send_chat_not_found.json", 400, false, "400", SendError::invalid_recipient, std::nullopt},
      {"send_unauthorized.json", 401, false, "401", SendError::bad_credentials, std::nullopt},
      {"send_throttled.json", 429, false, "429", SendError::rate_limited, Millis(30'000)},
      // courier's mock answers this body with HTTP 403: the body's error_code decides.
      {"send_bot_domain_invalid.json", 403, false, "400", SendError::rejected, std::nullopt},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  SendOutcome out = a.read_send_response(HttpResponse{c.status, {}, fixture("telegram", c.file)});
  CHECK(out.ok == c.ok);
  if (c.ok) {
    CHECK(out.provider_id == c.id_or_code);
    return;
  }
  CHECK(out.error == c.error);
  CHECK(out.error_code == c.id_or_code);
  CHECK(out.retry_after == c.retry_after);
  CHECK(out.error_text == json::parse(fixture("telegram", c.file))["description"].get<std::string>());
}

TEST_CASE("Telegram descriptions pick the right error for the same code", "[telegram]") {
  struct Case { int code; std::string description; SendError error; };
  auto c = GENERATE(values<Case>({
      {403, "Forbidden: bot was blocked by the user", SendError::blocked},
      {403, "Forbidden: BOT WAS BLOCKED BY THE USER", SendError::blocked},
      {403, "Forbidden: user is deactivated", SendError::invalid_recipient},
      {403, "Forbidden: bot can't initiate conversation with a user", SendError::invalid_recipient},
      {403, "Forbidden: bot was kicked from the group chat", SendError::blocked},
      {403, "Forbidden: something else", SendError::rejected},
      {400, "Bad Request: chat not found", SendError::invalid_recipient},
      {400, "Bad Request: PEER_ID_INVALID", SendError::invalid_recipient},
      {400, "Bad Request: message is too long", SendError::rejected},
      {404, "Not Found", SendError::bad_credentials},
      {502, "Bad Gateway", SendError::unavailable},
  }));
  CAPTURE(c.code, c.description);
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  json body = {{"ok", false}, {"error_code", c.code}, {"description", c.description}};
  CHECK(a.read_send_response(HttpResponse{c.code, {}, body.dump()}).error == c.error);
}

TEST_CASE("Telegram send() through the HTTP gateway never lets the bot token out", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  struct Case { std::string label; Result<HttpResponse> answer; SendError error; std::optional<Millis> retry_after; };
  auto c = GENERATE(values<Case>({
      {"connection refused", Err(std::string("connection refused")), SendError::network, std::nullopt},
      {"timeout", Err(std::string("timeout")), SendError::timeout, std::nullopt},
      {"500 with HTML", HttpResponse{500, {}, "<html>oops</html>"}, SendError::unavailable, std::nullopt},
      {"429 with only a Retry-After header",
       HttpResponse{429, {{"retry-after", "30"}}, R"({"ok":false,"error_code":429,"description":"Too Many Requests"})"},
       SendError::rate_limited, Millis(30'000)},
      {"429 with retry_after in the body",
       HttpResponse{429, {{"retry-after", "5"}}, fixture("telegram", "send_throttled.json")}, SendError::rate_limited,
       Millis(30'000)},
  }));
  CAPTURE(c.label);
  http.answer_with(c.answer);
  SendOutcome out = a.send(message_to("3527065"));
  REQUIRE(http.seen.size() == 1);
  CHECK_FALSE(out.ok);
  CHECK(out.error == c.error);
  CHECK(is_retryable(out.error));
  CHECK(out.retry_after == c.retry_after);
  CHECK_THAT(out.error_text, !Catch::Contains(kBotToken));
  CHECK_THAT(out.error_code, !Catch::Contains(kBotToken));
}

TEST_CASE("a delivered Telegram message is identified by chat and message id", "[telegram]") {
  FakeHttp http(HttpResponse{200, {}, fixture("telegram", "send_ok.json")});
  auto a = make_telegram_adapter(channel(), context(http));
  SendOutcome out = a->send(message_to("-578912345"));
  CHECK(out.ok);
  CHECK(out.provider_id == "-578912345:9");
  CHECK(a->id() == "tg");
  const WebhookReply ack = a->acknowledge(R"({"method": "sendMessage"})");
  CHECK(ack.status == 200);
  CHECK(ack.body == "{}");
}

TEST_CASE("odd Telegram answers and texts never throw out of a send", "[telegram]") {
  FakeHttp http;
  TelegramAdapter a(channel(), context(http));
  struct Case { int status; std::string body; SendError error; };
  auto c = GENERATE(values<Case>({
      {200, R"({"ok": "yes", "result": {"message_id": 1}})", SendError::rejected},
      {200, R"({"ok": true, "result": {}})", SendError::unavailable},
      {502, "<html>Bad Gateway</html>", SendError::unavailable},
      {200, "", SendError::unavailable},
  }));
  CAPTURE(c.status, c.body);
  SendOutcome out = a.read_send_response(HttpResponse{c.status, {}, c.body});
  CHECK_FALSE(out.ok);
  CHECK(out.error == c.error);

  OutgoingMessage broken = message_to("3527065");
  broken.text = "caf\xC3";  // cut in the middle of "é"
  auto r = a.build_send(broken);
  REQUIRE(r);
  CHECK(json::parse(r->body)["text"] == "caf\xEF\xBF\xBD");
}
