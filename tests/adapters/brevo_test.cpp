#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "adapters/brevo.hpp"
#include "tests/adapters/support.hpp"

using namespace relais;
using namespace relais::test;
using nlohmann::json;

namespace {

constexpr const char* kApiKey = "xkeysib-test-0123456789abcdef-XYZ";
constexpr const char* kWebhookPassword = "brevo-hook-Pw-42";

ChannelConfig channel(std::string api_base_url = "") {
  ChannelConfig c = test_channel("sms-brevo", "brevo",
                                 {{"api_key_env", "BREVO_KEY"}, {"sender", "Relais21"}, {"api_base_url", api_base_url}});
  c.basic_auth_user = "relais";
  c.basic_auth_password_env = "BREVO_HOOK_PW";
  return c;
}

AdapterContext context(FakeHttp& http, std::map<std::string, std::string> secrets = {
                                           {"BREVO_KEY", kApiKey}, {"BREVO_HOOK_PW", kWebhookPassword}}) {
  return test_context(http, std::move(secrets));
}

// "relais:brevo-hook-Pw-42" in base64.
const std::string kGoodAuth = "Basic cmVsYWlzOmJyZXZvLWhvb2stUHctNDI=";

WebhookRequest post(std::string body, std::string authorization = kGoodAuth) {
  WebhookRequest r{"POST", "/webhooks/sms-brevo", "", {}, std::move(body)};
  if (!authorization.empty()) r.headers["authorization"] = authorization;
  return r;
}

const Utc kNow = from_epoch_ms(1'764'000'000'000);  // 2025-11-24

OutgoingMessage message(std::string text = "Bonjour Amina, atelier CV demain à 14h.") {
  OutgoingMessage m;
  m.id = 42;
  m.channel = "sms-brevo";
  m.to = "+33612345601";
  m.text = std::move(text);
  m.now = kNow;
  return m;
}

struct ExpectedReceipt {
  std::string provider_id;
  MessageStatus status;
  std::string error_code;
};

}  // namespace

TEST_CASE("Brevo's webhook payloads become delivery receipts keyed by messageId", "[brevo]") {
  struct Case {
    std::string file;
    std::vector<ExpectedReceipt> receipts;
  };
  auto c = GENERATE(values<Case>({
      {"webhook_sms_sent.json", {{"123", MessageStatus::sent, ""}}},
      {"webhook_sms_delivered.json", {{"123", MessageStatus::delivered, ""}}},
      {"webhook_sms_soft_bounce.json", {{"123", MessageStatus::undelivered, "soft_bounce"}}},
      {"webhook_sms_hard_bounce.json", {{"123", MessageStatus::undelivered, "hard_bounce"}}},
      {"webhook_sms_batched.json",
       {{"123", MessageStatus::sent, ""}, {"123", MessageStatus::delivered, ""}}},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  BrevoAdapter a(channel(), context(http));
  const auto request = post(fixture("brevo", c.file));
  REQUIRE(a.verify(request) == Verdict::accepted);
  auto events = a.parse(request);
  REQUIRE(events);
  REQUIRE(events->size() == c.receipts.size());
  for (std::size_t i = 0; i < c.receipts.size(); ++i) {
    CAPTURE(i);
    const auto* r = std::get_if<DeliveryReceipt>(&(*events)[i]);
    REQUIRE(r != nullptr);
    CHECK(r->channel == "sms-brevo");
    CHECK(r->provider_id == c.receipts[i].provider_id);
    CHECK(r->status == c.receipts[i].status);
    CHECK(r->error_code == c.receipts[i].error_code);
  }
}

TEST_CASE("Brevo's other SMS events are mapped, ignored or refused as documented", "[brevo]") {
  // Events of Brevo's SMS event list whose webhook payload Brevo does not publish: the
  // documented payload shape with another status (camelCase as in Brevo's reports).
  struct Case {
    std::string msg_status;
    std::size_t receipts;
    MessageStatus status;
    std::string code;   // kept on failures only
    std::string error;  // "" = parsed
  };
  auto c = GENERATE(values<Case>({
      {"accepted", 1, MessageStatus::sent, "", ""},
      {"softBounce", 1, MessageStatus::undelivered, "softBounce", ""},
      {"hardBounce", 1, MessageStatus::undelivered, "hardBounce", ""},
      {"rejected", 1, MessageStatus::undelivered, "rejected", ""},
      {"skip", 1, MessageStatus::undelivered, "skip", ""},
      {"blacklisted", 1, MessageStatus::undelivered, "blacklisted", ""},
      {"unsubscribed", 0, MessageStatus::sent, "", ""},
      {"subscribe", 0, MessageStatus::sent, "", ""},
      {"replied", 0, MessageStatus::sent, "", "$.msg_status: a reply event, but a Brevo channel is send-only"},
      {"opened", 0, MessageStatus::sent, "", "$.msg_status: unknown status \"opened\""},
  }));
  CAPTURE(c.msg_status);
  FakeHttp http;
  BrevoAdapter a(channel(), context(http));
  json body = json::parse(fixture("brevo", "webhook_sms_sent.json"));
  body["msg_status"] = c.msg_status;
  body["reason"] = "Numéro 33612345601 injoignable";
  auto events = a.parse(post(body.dump()));
  if (!c.error.empty()) {
    REQUIRE_FALSE(events);
    CHECK_THAT(events.error(), Catch::StartsWith(c.error));
    return;
  }
  REQUIRE(events);
  REQUIRE(events->size() == c.receipts);
  if (c.receipts == 0) return;
  const auto& r = std::get<DeliveryReceipt>(events->front());
  CHECK(r.provider_id == "123");
  CHECK(r.status == c.status);
  CHECK(r.error_code == c.code);
  if (c.status == MessageStatus::undelivered) {
    // The provider's text is kept for coaches, with the number masked.
    CHECK_THAT(r.error_text, Catch::Contains("injoignable"));
    CHECK_THAT(r.error_text, !Catch::Contains("33612345601"));
  } else {
    CHECK(r.error_text.empty());
  }
}

TEST_CASE("a Brevo webhook body that is not a receipt names the bad field", "[brevo]") {
  struct Case {
    std::string body, error;
  };
  auto c = GENERATE(values<Case>({
      {"", "body is not valid JSON"},
      {"{\"msg_status\": ", "body is not valid JSON"},
      {"\"sent\"", "$: expected a JSON object"},
      {R"({"messageId": 123})", "$.msg_status: missing"},
      {R"({"msg_status": "delivered"})", "$.messageId: missing"},
      {R"({"msg_status": "delivered", "messageId": ""})", "$.messageId: must be a number or a non-empty string"},
      {R"({"msg_status": "delivered", "messageId": [1]})", "$.messageId: must be a number"},
      {R"([{"msg_status": "sent", "messageId": 1}, {"msg_status": "sent"}])", "$[1].messageId: missing"},
      {R"([{"msg_status": "sent", "messageId": 1}, 7])", "$[1]: expected a JSON object"},
  }));
  CAPTURE(c.body);
  FakeHttp http;
  BrevoAdapter a(channel(), context(http));
  auto r = a.parse(post(c.body));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains(c.error));
}

TEST_CASE("Brevo webhooks are accepted only with the channel's basic auth", "[brevo]") {
  FakeHttp http;
  const std::string body = fixture("brevo", "webhook_sms_delivered.json");
  BrevoAdapter a(channel(), context(http));
  CHECK(a.verify(post(body)) == Verdict::accepted);
  CHECK(a.verify(post(body, "")) == Verdict::unauthenticated);
  CHECK(a.verify(post(body, "Basic cmVsYWlzOndyb25n")) == Verdict::unauthenticated);      // relais:wrong
  CHECK(a.verify(post(body, "Basic YWRtaW46YnJldm8taG9vay1Qdy00Mg==")) == Verdict::unauthenticated);  // admin:…
  CHECK(a.verify(post(body, "Bearer brevo-hook-Pw-42")) == Verdict::unauthenticated);

  // No password configured: every webhook is refused, even one with credentials.
  BrevoAdapter open(channel(), context(http, {{"BREVO_KEY", kApiKey}}));
  CHECK(open.verify(post(body)) == Verdict::unauthenticated);
}

TEST_CASE("the Brevo channel is send-only and answers webhooks with an empty body", "[brevo]") {
  FakeHttp http;
  BrevoAdapter a(channel(), context(http));
  CHECK_FALSE(a.receives());
  auto ack = a.acknowledge(R"({"replies":[{"to":"+33612345601","text":"Merci Amina"}]})");
  CHECK(ack.status == 200);
  CHECK(ack.body == "{}");
}

TEST_CASE("a Brevo send is a POST to transactionalSMS/send with the key and the documented body", "[brevo]") {
  FakeHttp http;
  SECTION("default base URL, GSM-7 text") {
    BrevoAdapter a(channel(), context(http));
    auto r = a.build_send(message());
    REQUIRE(r);
    CHECK(r->method == "POST");
    CHECK(r->url == "https://api.brevo.com/v3/transactionalSMS/send");
    CHECK(r->headers.at("api-key") == kApiKey);
    CHECK(r->headers.at("content-type") == "application/json");
    json body = json::parse(r->body);
    CHECK(body["sender"] == "Relais21");
    CHECK(body["recipient"] == "33612345601");
    CHECK(body["content"] == "Bonjour Amina, atelier CV demain à 14h.");
    CHECK(body["type"] == "transactional");
    CHECK(body["tag"] == "relais-42");
    CHECK(body["unicodeEnabled"] == false);
  }
  SECTION("a configured base URL, a text GSM-7 cannot carry") {
    BrevoAdapter a(channel("http://127.0.0.1:9999/v3/"), context(http));
    auto r = a.build_send(message("Bravo Amina 🎉"));
    REQUIRE(r);
    CHECK(r->url == "http://127.0.0.1:9999/v3/transactionalSMS/send");
    CHECK(json::parse(r->body)["unicodeEnabled"] == true);
  }
}

TEST_CASE("a Brevo send that cannot succeed fails before any call", "[brevo]") {
  struct Case {
    std::string label, to, text;
    bool with_key;
    SendError error;
  };
  auto c = GENERATE(values<Case>({
      {"no API key", "+33612345601", "Bonjour", false, SendError::bad_credentials},
      {"national number", "0612345601", "Bonjour", true, SendError::invalid_recipient},
      {"chat id", "123456789", "Bonjour", true, SendError::invalid_recipient},
      {"empty text", "+33612345601", "", true, SendError::rejected},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  std::map<std::string, std::string> secrets = {{"BREVO_HOOK_PW", kWebhookPassword}};
  if (c.with_key) secrets["BREVO_KEY"] = kApiKey;
  BrevoAdapter a(channel(), context(http, secrets));
  auto m = message(c.text);
  m.to = c.to;
  auto out = a.send(m);
  CHECK_FALSE(out.ok);
  CHECK(out.error == c.error);
  CHECK_FALSE(is_retryable(out.error));
  CHECK(http.seen.empty());
  CHECK_THAT(out.error_text, !Catch::Contains("0612345601"));
}

TEST_CASE("Brevo's send answers become outcomes", "[brevo]") {
  struct Case {
    std::string label;  // a fixture file, or "inline:" for a case built from Brevo's ErrorModel
    int status;
    std::string body;
    std::map<std::string, std::string> headers;
    bool ok;
    std::string provider_id;
    SendError error;
    std::string code;
  };
  auto c = GENERATE(values<Case>({
      {"send_ok.json", 201, "", {}, true, "1511882900176220", SendError::none, ""},
      {"send_ok_deprecated_endpoint.json", 201, "", {}, true, "1511882900176220", SendError::none, ""},
      {"send_401_key_not_found.json", 401, "", {}, false, "", SendError::bad_credentials, "unauthorized"},
      {"send_401_no_key.json", 401, "", {}, false, "", SendError::bad_credentials, "unauthorized"},
      // Brevo's reference shows this same body under 400 and 402: the status decides.
      {"send_4xx_reference_example.json", 400, "", {}, false, "", SendError::rejected, "method_not_allowed"},
      {"send_4xx_reference_example.json", 402, "", {}, false, "", SendError::bad_credentials, "method_not_allowed"},
      {"inline:not_enough_credits", 402, R"({"code":"not_enough_credits","message":"Not enough credits"})", {},
       false, "", SendError::bad_credentials, "not_enough_credits"},
      {"inline:invalid recipient", 400, R"({"code":"invalid_parameter","message":"Invalid recipient 33612345601"})",
       {}, false, "", SendError::invalid_recipient, "invalid_parameter"},
      {"inline:invalid sender", 400, R"({"code":"invalid_parameter","message":"Invalid sender name"})", {},
       false, "", SendError::rejected, "invalid_parameter"},
      {"inline:missing content", 400, R"({"code":"missing_parameter","message":"content is missing"})", {},
       false, "", SendError::rejected, "missing_parameter"},
      {"inline:account under validation", 403,
       R"({"code":"account_under_validation","message":"Your account is under validation"})", {}, false, "",
       SendError::bad_credentials, "account_under_validation"},
      {"inline:rate limited", 429, R"({"code":"too_many_requests","message":"Too many requests"})",
       {{"x-sib-ratelimit-reset", "12"}}, false, "", SendError::rate_limited, "too_many_requests"},
      {"inline:server error", 502, "<html>Bad gateway</html>", {}, false, "", SendError::unavailable, "502"},
      {"inline:2xx without id", 201, "{}", {}, false, "", SendError::rejected, "no_message_id"},
  }));
  CAPTURE(c.label, c.status);
  FakeHttp http;
  BrevoAdapter a(channel(), context(http));
  const std::string body = c.label.starts_with("inline:") ? c.body : fixture("brevo", c.label);
  auto out = a.read_send_response(HttpResponse{c.status, c.headers, body});
  CHECK(out.ok == c.ok);
  CHECK(out.provider_id == c.provider_id);
  CHECK(out.error == c.error);
  CHECK(out.error_code == c.code);
  CHECK_THAT(out.error_text, !Catch::Contains("33612345601"));
  CHECK_THAT(out.error_text, !Catch::Contains(kApiKey));
  if (c.error == SendError::rate_limited) CHECK(out.retry_after == Millis(12'000));
}

TEST_CASE("a Brevo send goes through HttpGateway::send with transport errors and 429 classified", "[brevo]") {
  struct Case {
    std::string label;
    Result<HttpResponse> answer;
    bool ok;
    SendError error;
    std::optional<Millis> retry_after;
  };
  auto c = GENERATE(values<Case>({
      {"accepted", HttpResponse{201, {}, fixture("brevo", "send_ok.json")}, true, SendError::none, std::nullopt},
      {"timeout", Err(std::string("request timed out")), false, SendError::timeout, std::nullopt},
      {"refused", Err(std::string("connection refused")), false, SendError::network, std::nullopt},
      {"500", HttpResponse{500, {}, "{}"}, false, SendError::unavailable, std::nullopt},
      {"429 Retry-After", HttpResponse{429, {{"retry-after", "30"}, {"x-sib-ratelimit-reset", "5"}}, "{}"}, false,
       SendError::rate_limited, Millis(30'000)},
      {"429 Brevo reset", HttpResponse{429, {{"x-sib-ratelimit-reset", "7"}}, "{}"}, false, SendError::rate_limited,
       Millis(7'000)},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  http.answer_with(c.answer);
  BrevoAdapter a(channel(), context(http));
  auto out = a.send(message());
  REQUIRE(http.seen.size() == 1);
  CHECK(http.seen[0].url == "https://api.brevo.com/v3/transactionalSMS/send");
  CHECK(out.ok == c.ok);
  CHECK(out.error == c.error);
  CHECK(is_retryable(out.error) == (!c.ok && c.error != SendError::none));
  CHECK(out.retry_after == c.retry_after);
  if (c.ok) CHECK(out.provider_id == "1511882900176220");
}

TEST_CASE("make_brevo_adapter builds a send-only channel and refuses a context without HTTP", "[brevo]") {
  FakeHttp http;
  auto a = make_brevo_adapter(channel(), context(http));
  REQUIRE(a != nullptr);
  CHECK(a->id() == "sms-brevo");
  CHECK_FALSE(a->receives());
  AdapterContext none = context(http);
  none.http = nullptr;
  CHECK_THROWS_AS(make_brevo_adapter(channel(), none), std::invalid_argument);
}
