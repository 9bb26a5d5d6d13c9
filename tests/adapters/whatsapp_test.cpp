#include <catch2/catch.hpp>

#include <functional>
#include <nlohmann/json.hpp>

#include "adapters/whatsapp.hpp"
#include "tests/adapters/support.hpp"

using namespace relais;
using namespace relais::test;
using nlohmann::json;

namespace {

constexpr const char* kToken = "EAAG-test-access-token-x91";
constexpr const char* kAppSecret = "TEST_APP_SECRET";
constexpr const char* kVerifyToken = "TEST_WEBHOOK_VERIFICATION_TOKEN";
constexpr const char* kPhoneNumberId = "106540352242922";

ChannelConfig channel(std::string api_base_url = "") {
  ChannelConfig c = test_channel("wa", "whatsapp",
                                 {{"phone_number_id", kPhoneNumberId},
                                  {"access_token_env", "WA_TOKEN"},
                                  {"app_secret_env", "WA_APP_SECRET"},
                                  {"verify_token_env", "WA_VERIFY"},
                                  {"api_base_url", api_base_url}});
  c.templates["reminder"] = TemplateMapping{"rappel_atelier", "fr", {"first_name", "time"}};
  c.templates["check_in"] = TemplateMapping{"point_semaine", "fr", {}};
  return c;
}

AdapterContext context(FakeHttp& http, std::map<std::string, std::string> secrets = {
                                           {"WA_TOKEN", kToken},
                                           {"WA_APP_SECRET", kAppSecret},
                                           {"WA_VERIFY", kVerifyToken}}) {
  return test_context(http, std::move(secrets));
}

WebhookRequest signed_post(const std::string& body) {
  return WebhookRequest{"POST", "/webhooks/wa", "", {{"x-hub-signature-256", whatsapp_signature(kAppSecret, body)}}, body};
}

const Utc kNow = from_epoch_ms(1'764'000'000'000);  // 2025-11-24

OutgoingMessage message_in_window() {
  OutgoingMessage m;
  m.id = 4711;
  m.channel = "wa";
  m.to = "+33612345601";
  m.text = "Bonjour Amina, l'atelier commence à 14 h.";
  m.now = kNow;
  m.last_inbound_at = kNow - std::chrono::hours(3);
  return m;
}

}  // namespace

TEST_CASE("the X-Hub-Signature-256 of Meta's own SDK test and of GitHub's docs is reproduced", "[whatsapp]") {
  // WhatsApp/WhatsApp-Nodejs-SDK src/__tests__/utils.test.ts with jest.config.ts's secret.
  CHECK(whatsapp_signature("TEST_APP_SECRET", "test") ==
        "sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221");
  // docs.github.com "Validating webhook deliveries": the same header and scheme.
  CHECK(whatsapp_signature("It's a Secret to Everybody", "Hello, World!") ==
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST_CASE("a WhatsApp webhook is accepted only with the app secret's signature of its exact body", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  const std::string body = fixture("whatsapp", "text.json");
  REQUIRE(a.verify(signed_post(body)) == Verdict::accepted);

  auto upper = signed_post(body);
  std::string& sig = upper.headers["x-hub-signature-256"];
  for (std::size_t i = 7; i < sig.size(); ++i) sig[i] = static_cast<char>(std::toupper(sig[i]));
  CHECK(a.verify(upper) == Verdict::accepted);

  struct Case { std::string name; std::function<void(WebhookRequest&)> tamper; };
  auto c = GENERATE(values<Case>({
      {"a changed field in the body", [](WebhookRequest& r) {
         r.body.replace(r.body.find("another color"), 13, "another colour");
       }},
      {"one byte appended", [](WebhookRequest& r) { r.body += "\n"; }},
      {"a signature replayed from another body", [](WebhookRequest& r) {
         r.headers["x-hub-signature-256"] = whatsapp_signature(kAppSecret, fixture("whatsapp", "status_sent.json"));
       }},
      {"a signature made with another secret", [](WebhookRequest& r) {
         r.headers["x-hub-signature-256"] = whatsapp_signature("other-secret", r.body);
       }},
      {"the hex without its sha256= prefix", [](WebhookRequest& r) {
         r.headers["x-hub-signature-256"] = r.headers["x-hub-signature-256"].substr(7);
       }},
      {"the legacy sha1 header only", [](WebhookRequest& r) {
         r.headers.erase("x-hub-signature-256");
         r.headers["x-hub-signature"] = "sha1=0000";
       }},
      {"no signature header", [](WebhookRequest& r) { r.headers.clear(); }},
      {"an empty signature", [](WebhookRequest& r) { r.headers["x-hub-signature-256"] = ""; }},
  }));
  CAPTURE(c.name);
  auto request = signed_post(body);
  c.tamper(request);
  CHECK(a.verify(request) == Verdict::forbidden);
}

TEST_CASE("a WhatsApp channel without an app secret refuses every webhook", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http, {{"WA_TOKEN", kToken}}));
  const std::string body = fixture("whatsapp", "text.json");
  CHECK(a.verify(WebhookRequest{"POST", "/webhooks/wa", "", {{"x-hub-signature-256", whatsapp_signature("", body)}}, body}) ==
        Verdict::forbidden);
}

TEST_CASE("Meta's subscription handshake echoes the challenge only for the verify token", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  struct Case { std::string query; int status; std::string body; };
  auto c = GENERATE(values<Case>({
      {"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=TEST_WEBHOOK_VERIFICATION_TOKEN", 200, "1158201444"},
      {"hub.verify_token=TEST%5FWEBHOOK%5FVERIFICATION%5FTOKEN&hub.challenge=42&hub.mode=subscribe", 200, "42"},
      {"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong", 403, "forbidden"},
      {"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=", 403, "forbidden"},
      {"hub.mode=subscribe&hub.challenge=1158201444", 403, "forbidden"},
      {"hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=TEST_WEBHOOK_VERIFICATION_TOKEN", 403, "forbidden"},
      {"hub.mode=subscribe&hub.verify_token=TEST_WEBHOOK_VERIFICATION_TOKEN", 403, "forbidden"},
      {"hub.mode=subscribe&hub.challenge=%3Cscript%3E&hub.verify_token=TEST_WEBHOOK_VERIFICATION_TOKEN", 403, "forbidden"},
      {"hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong&hub.verify_token=TEST_WEBHOOK_VERIFICATION_TOKEN", 403, "forbidden"},
      {"", 403, "forbidden"},
  }));
  CAPTURE(c.query);
  auto reply = a.handshake(WebhookRequest{"GET", "/webhooks/wa", c.query, {}, ""});
  REQUIRE(reply);
  CHECK(reply->status == c.status);
  CHECK(reply->body == c.body);
  CHECK(reply->content_type == "text/plain");

  WhatsAppAdapter unset(channel(), context(http, {{"WA_APP_SECRET", kAppSecret}}));
  CHECK(unset.handshake(WebhookRequest{"GET", "/webhooks/wa", "hub.mode=subscribe&hub.challenge=1&hub.verify_token=", {}, ""})->status == 403);
}

TEST_CASE("WhatsApp fixtures parse into the expected messages and receipts", "[whatsapp]") {
  struct Case {
    std::string file;
    char kind;  // 'm' message, 'r' receipt
    std::string provider_id;
    std::string from;  // message: sender
    std::string text;  // message: text; receipt: part of the error text
    int media_count = 0;
    MessageStatus status = MessageStatus::sent;
    std::string error_code;
  };
  auto c = GENERATE(values<Case>({
      {"text.json", 'm', "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "+33612345601",
       "Does it come in another color?", 0, MessageStatus::sent, ""},
      {"image_caption.json", 'm', "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "+33612345601",
       "Taj Mahal", 1, MessageStatus::sent, ""},
      {"interactive_list_reply.json", 'm', "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
       "+33612345601", "Priority Mail Express", 0, MessageStatus::sent, ""},
      {"interactive_button_reply.json", 'm', "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=",
       "+33612345601", "Cancel", 0, MessageStatus::sent, ""},
      {"template_quick_reply.json", 'm', "external_id", "+33612345602", "No", 0, MessageStatus::sent, ""},
      {"status_sent.json", 'r', "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", "", "", 0,
       MessageStatus::sent, ""},
      {"status_read.json", 'r', "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", "", "", 0,
       MessageStatus::read, ""},
      {"status_failed.json", 'r', "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA", "",
       "not delivered to maintain healthy ecosystem engagement", 0, MessageStatus::undelivered, "131049"},
      {"status_failed_media.json", 'r', "external_id", "", "failed with error: 404", 0, MessageStatus::undelivered,
       "131014"},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  const auto request = signed_post(fixture("whatsapp", c.file));
  REQUIRE(a.verify(request) == Verdict::accepted);
  auto events = a.parse(request);
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  if (c.kind == 'm') {
    REQUIRE(std::holds_alternative<InboundMessage>(events->front()));
    const auto& m = std::get<InboundMessage>(events->front());
    CHECK(m.channel == "wa");
    CHECK(m.provider_id == c.provider_id);
    CHECK(m.from == c.from);
    CHECK(m.text == c.text);
    CHECK(m.media_count == c.media_count);
    CHECK(m.shared_phone.empty());
  } else {
    REQUIRE(std::holds_alternative<DeliveryReceipt>(events->front()));
    const auto& r = std::get<DeliveryReceipt>(events->front());
    CHECK(r.channel == "wa");
    CHECK(r.provider_id == c.provider_id);
    CHECK(r.status == c.status);
    CHECK(r.error_code == c.error_code);
    CHECK_THAT(r.error_text, Catch::Contains(c.text));
  }
}

TEST_CASE("WhatsApp statuses map onto Relais statuses, unknown ones are skipped", "[whatsapp]") {
  struct Case { std::string status; std::optional<MessageStatus> expected; };
  auto c = GENERATE(values<Case>({
      {"sent", MessageStatus::sent},
      {"delivered", MessageStatus::delivered},
      {"read", MessageStatus::read},
      {"played", MessageStatus::read},
      {"failed", MessageStatus::undelivered},
      {"deleted", std::nullopt},
      {"something_new", std::nullopt},
  }));
  CAPTURE(c.status);
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  json body = json::parse(fixture("whatsapp", "status_read.json"));
  body["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = c.status;
  auto events = a.parse(signed_post(body.dump()));
  REQUIRE(events);
  if (!c.expected) {
    CHECK(events->empty());
  } else {
    REQUIRE(events->size() == 1);
    CHECK(std::get<DeliveryReceipt>(events->front()).status == *c.expected);
  }
}

TEST_CASE("a WhatsApp notification keeps every message and status of every change, in order", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  json body = json::parse(fixture("whatsapp", "text.json"));
  json& value = body["entry"][0]["changes"][0]["value"];
  json second = value["messages"][0];
  second["id"] = "wamid.second";
  second["text"]["body"] = "Oui";
  value["messages"].push_back(second);
  value["statuses"] = json::parse(fixture("whatsapp", "status_sent.json"))["entry"][0]["changes"][0]["value"]["statuses"];
  // A reaction is not a message from her: skipped.
  value["messages"].push_back({{"from", "33612345601"}, {"id", "wamid.reaction"}, {"type", "reaction"},
                               {"reaction", {{"message_id", "wamid.x"}, {"emoji", "\xF0\x9F\x91\x8D"}}}});
  auto events = a.parse(signed_post(body.dump()));
  REQUIRE(events);
  REQUIRE(events->size() == 3);
  CHECK(std::get<InboundMessage>((*events)[0]).text == "Does it come in another color?");
  CHECK(std::get<InboundMessage>((*events)[1]).provider_id == "wamid.second");
  CHECK(std::get<DeliveryReceipt>((*events)[2]).status == MessageStatus::sent);
}

TEST_CASE("WhatsApp changes for another phone number or another field are skipped", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  json other_number = json::parse(fixture("whatsapp", "text.json"));
  other_number["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999999999999999";
  auto r1 = a.parse(signed_post(other_number.dump()));
  REQUIRE(r1);
  CHECK(r1->empty());

  json other_field = json::parse(fixture("whatsapp", "text.json"));
  other_field["entry"][0]["changes"][0]["field"] = "message_template_status_update";
  auto r2 = a.parse(signed_post(other_field.dump()));
  REQUIRE(r2);
  CHECK(r2->empty());
}

TEST_CASE("a bad WhatsApp body is refused with the path of the bad field", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  const json text = json::parse(fixture("whatsapp", "text.json"));
  auto edit = [&text](const std::function<void(json&)>& f) {
    json copy = text;
    f(copy);
    return copy.dump();
  };
  struct Case { std::string body, error; };
  auto c = GENERATE_REF(values<Case>({
      {"", "not valid JSON"},
      {"[1]", "$: expected a JSON object"},
      {R"({"entry": []})", "$.object: missing"},
      {R"({"object": "page", "entry": []})", "$.object: expected \"whatsapp_business_account\""},
      {R"({"object": "whatsapp_business_account"})", "$.entry: missing"},
      {R"({"object": "whatsapp_business_account", "entry": {}})", "$.entry: must be an array"},
      {edit([](json& b) { b["entry"][0]["changes"][0].erase("value"); }), "$.entry[0].changes[0].value: missing"},
      {edit([](json& b) { b["entry"][0]["changes"][0]["value"]["messages"][0].erase("from"); }),
       "$.entry[0].changes[0].value.messages[0].from: missing"},
      {edit([](json& b) { b["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = 12; }),
       "$.entry[0].changes[0].value.messages[0].id: must be a string"},
      {edit([](json& b) { b["entry"][0]["changes"][0]["value"]["messages"][0]["text"].erase("body"); }),
       "$.entry[0].changes[0].value.messages[0].text.body: missing"},
      {edit([](json& b) { b["entry"][0]["changes"][0]["value"]["messages"][0].erase("type"); }),
       "$.entry[0].changes[0].value.messages[0].type: missing"},
      {edit([](json& b) { b["entry"][0]["changes"][0]["value"]["statuses"] = json::array({{{"id", "x"}}}); }),
       "$.entry[0].changes[0].value.statuses[0].status: missing"},
  }));
  CAPTURE(c.body);
  auto r = a.parse(signed_post(c.body));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains(c.error));
}

TEST_CASE("a WhatsApp reply within 24 hours goes as free text with the bearer token", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  auto r = a.build_send(message_in_window());
  REQUIRE(r);
  CHECK(r->method == "POST");
  CHECK(r->url == "https://graph.facebook.com/v21.0/106540352242922/messages");
  CHECK(r->headers.at("Authorization") == std::string("Bearer ") + kToken);
  CHECK(r->headers.at("Content-Type") == "application/json");
  const json body = json::parse(r->body);
  CHECK(body["messaging_product"] == "whatsapp");
  CHECK(body["recipient_type"] == "individual");
  CHECK(body["to"] == "33612345601");
  CHECK(body["type"] == "text");
  CHECK(body["text"]["body"] == "Bonjour Amina, l'atelier commence à 14 h.");
  CHECK(body["biz_opaque_callback_data"] == "relais-outbox-4711");
  CHECK_FALSE(body.contains("template"));

  WhatsAppAdapter custom(channel("http://127.0.0.1:9099/v21.0/"), context(http));
  CHECK(custom.build_send(message_in_window())->url == "http://127.0.0.1:9099/v21.0/106540352242922/messages");
}

TEST_CASE("the WhatsApp window closes 24 hours after her last message", "[whatsapp]") {
  struct Case { std::optional<Millis> since; bool open; };
  auto c = GENERATE(values<Case>({
      {std::nullopt, false},
      {Millis(0), true},
      {std::chrono::duration_cast<Millis>(std::chrono::hours(23) + std::chrono::minutes(59)), true},
      {std::chrono::duration_cast<Millis>(std::chrono::hours(24)) - Millis(1), true},
      {std::chrono::duration_cast<Millis>(std::chrono::hours(24)), false},
      {std::chrono::duration_cast<Millis>(std::chrono::hours(72)), false},
  }));
  OutgoingMessage m = message_in_window();
  m.last_inbound_at = c.since ? std::optional<Utc>(m.now - *c.since) : std::nullopt;
  CAPTURE(c.since ? c.since->count() : -1);
  CHECK(whatsapp_window_open(m) == c.open);
}

TEST_CASE("outside the window a WhatsApp message goes as its approved template", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  OutgoingMessage m = message_in_window();
  m.last_inbound_at = m.now - std::chrono::hours(30);
  m.template_id = "reminder";
  m.variables = {{"time", "14 h"}, {"first_name", "Amina"}, {"unused", "x"}};
  auto r = a.build_send(m);
  REQUIRE(r);
  const json body = json::parse(r->body);
  CHECK(body["type"] == "template");
  CHECK_FALSE(body.contains("text"));
  CHECK(body["template"]["name"] == "rappel_atelier");
  CHECK(body["template"]["language"]["code"] == "fr");
  const json expected = json::parse(R"([{"type": "body", "parameters": [
      {"type": "text", "text": "Amina"}, {"type": "text", "text": "14 h"}]}])");
  CHECK(body["template"]["components"] == expected);

  m.template_id = "check_in";  // a template without variables has no components
  const json plain = json::parse(a.build_send(m)->body);
  CHECK(plain["template"]["name"] == "point_semaine");
  CHECK_FALSE(plain["template"].contains("components"));
}

TEST_CASE("outside the window without a usable template nothing is sent", "[whatsapp]") {
  struct Case { std::string label, template_id; std::map<std::string, std::string> variables; std::string why; };
  auto c = GENERATE(values<Case>({
      {"no template id", "", {}, "no template id"},
      {"an unmapped template id", "unknown_one", {}, "no approved template is mapped to \"unknown_one\""},
      {"a missing variable", "reminder", {{"first_name", "Amina"}}, "needs variable \"time\""},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  OutgoingMessage m = message_in_window();
  m.last_inbound_at.reset();
  m.template_id = c.template_id;
  m.variables = c.variables;
  SendOutcome out = a.send(m);
  CHECK_FALSE(out.ok);
  CHECK(out.error == SendError::outside_window);
  CHECK_FALSE(is_retryable(out.error));
  CHECK_THAT(out.error_text, Catch::Contains(c.why));
  CHECK(http.seen.empty());
}

TEST_CASE("a WhatsApp send to a non-E.164 address or without a token fails before any call", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  OutgoingMessage m = message_in_window();
  m.to = "0612345601";
  SendOutcome bad_to = a.send(m);
  CHECK(bad_to.error == SendError::invalid_recipient);
  CHECK_THAT(bad_to.error_text, !Catch::Contains("12345601"));

  WhatsAppAdapter no_token(channel(), context(http, {{"WA_APP_SECRET", kAppSecret}}));
  CHECK(no_token.send(message_in_window()).error == SendError::bad_credentials);
  CHECK(http.seen.empty());
}

TEST_CASE("WhatsApp send answers map onto outcomes through the error-code table", "[whatsapp]") {
  struct Case { std::string file; int status; bool ok; std::string id_or_code; SendError error; std::string text; };
  auto c = GENERATE(values<Case>({
      {"send_ok.json", 200, true, "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA", SendError::none, ""},
      {"send_error_rate_limit.json", 400, false, "130429", SendError::rate_limited, "throughput has been reached"},
      {"send_error_reengagement.json", 400, false, "131047", SendError::outside_window, "More than 24 hours"},
      {"send_error_undeliverable.json", 400, false, "131026", SendError::invalid_recipient, "Message undeliverable"},
      {"send_error_token_expired.json", 401, false, "190", SendError::bad_credentials, "expired"},
      {"send_error_not_template.json", 400, false, "100", SendError::rejected, "must be a template message"},
      {"send_error_parameter.json", 400, false, "131009", SendError::rejected, "Parameter value is not valid"},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  SendOutcome out = a.read_send_response(HttpResponse{c.status, {{"content-type", "application/json"}}, fixture("whatsapp", c.file)});
  CHECK(out.ok == c.ok);
  if (c.ok) {
    CHECK(out.provider_id == c.id_or_code);
  } else {
    CHECK(out.error == c.error);
    CHECK(out.error_code == c.id_or_code);
    CHECK_THAT(out.error_text, Catch::Contains(c.text));
  }
}

TEST_CASE("WhatsApp answers without a usable body fall back on the HTTP status", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  struct Case { int status; std::string body; SendError error; };
  auto c = GENERATE(values<Case>({
      {502, "<html>Bad Gateway</html>", SendError::unavailable},
      {401, "", SendError::bad_credentials},
      {400, R"({"error": {"message": "(#999999) Something new", "code": 999999}})", SendError::rejected},
      {503, R"({"error": {"message": "(#999999) Something new", "code": 999999}})", SendError::unavailable},
      {200, R"({"messaging_product": "whatsapp", "messages": []})", SendError::unavailable},
  }));
  CAPTURE(c.status, c.body);
  SendOutcome out = a.read_send_response(HttpResponse{c.status, {}, c.body});
  CHECK_FALSE(out.ok);
  CHECK(out.error == c.error);
}

TEST_CASE("WhatsApp error texts keep no phone number", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  SendOutcome out = a.read_send_response(HttpResponse{
      400, {}, R"({"error": {"message": "(#100) Invalid parameter", "code": 100,
                  "error_data": {"details": "Recipient 33612345601 is not valid"}}})"});
  CHECK(out.error == SendError::rejected);
  CHECK_THAT(out.error_text, Catch::Contains("Recipient *** is not valid"));
  CHECK_THAT(out.error_text, Catch::Contains("(#100)"));
}

TEST_CASE("WhatsApp send() through the HTTP gateway classifies transport failures and 429", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  struct Case { std::string label; Result<HttpResponse> answer; SendError error; std::optional<Millis> retry_after; };
  auto c = GENERATE(values<Case>({
      {"connection refused", Err(std::string("connection refused")), SendError::network, std::nullopt},
      {"timed out", Err(std::string("request timed out")), SendError::timeout, std::nullopt},
      {"500", HttpResponse{500, {}, "oops"}, SendError::unavailable, std::nullopt},
      {"429 with Retry-After", HttpResponse{429, {{"retry-after", "30"}}, fixture("whatsapp", "send_error_rate_limit.json")},
       SendError::rate_limited, Millis(30'000)},
  }));
  CAPTURE(c.label);
  http.answer_with(c.answer);
  SendOutcome out = a.send(message_in_window());
  REQUIRE(http.seen.size() == 1);
  CHECK_FALSE(out.ok);
  CHECK(out.error == c.error);
  CHECK(is_retryable(out.error));
  CHECK(out.retry_after == c.retry_after);
  CHECK_THAT(out.error_text, !Catch::Contains(kToken));
}

TEST_CASE("WhatsApp send() returns the wamid of an accepted message", "[whatsapp]") {
  FakeHttp http(HttpResponse{200, {}, fixture("whatsapp", "send_ok.json")});
  auto a = make_whatsapp_adapter(channel(), context(http));
  SendOutcome out = a->send(message_in_window());
  CHECK(out.ok);
  CHECK(out.provider_id == "wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA");
  CHECK(a->id() == "wa");
  CHECK(a->acknowledge(R"({"stored": 1, "from": "+33612345601"})").body == "{}");
}

TEST_CASE("a WhatsApp text with invalid UTF-8 is sent with a replacement character", "[whatsapp]") {
  FakeHttp http;
  WhatsAppAdapter a(channel(), context(http));
  OutgoingMessage m = message_in_window();
  m.text = "caf\xC3";
  auto r = a.build_send(m);
  REQUIRE(r);
  CHECK(json::parse(r->body)["text"]["body"] == "caf\xEF\xBF\xBD");
}
