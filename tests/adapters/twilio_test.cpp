#include <catch2/catch.hpp>

#include "adapters/twilio.hpp"
#include "tests/adapters/support.hpp"

using namespace relais;
using namespace relais::test;

namespace {

constexpr const char* kSid = "AC00000000000000000000000000000001";
constexpr const char* kToken = "test-auth-token-0123";
constexpr const char* kWebhook = "https://relais.example.org/webhooks/twilio-sms";

// ---- A channel with fake secrets and a scripted HTTP client ------------------------------

ChannelConfig channel(const std::map<std::string, std::string>& overrides = {}) {
  return test_channel("twilio-sms", "twilio",
                      {{"account_sid", kSid}, {"auth_token_env", "TWILIO_TOKEN"}, {"from", "+33612345690"}},
                      overrides);
}

AdapterContext context(FakeHttp& http, std::string public_url = "https://relais.example.org",
                       std::string token = kToken) {
  return test_context(http, {{"TWILIO_TOKEN", std::move(token)}}, std::move(public_url));
}

OutgoingMessage message_to(std::string to, std::string text = "Bonjour Amina") {
  OutgoingMessage m;
  m.id = 42;
  m.channel = "twilio-sms";
  m.to = std::move(to);
  m.text = std::move(text);
  m.now = from_epoch_ms(1'764'000'000'000);
  return m;
}

// A small signed webhook: the decoded params are written out by hand, so a decoding slip in
// the adapter shows as a refused signature.
constexpr const char* kSignedBody = "MessageSid=SM1&From=%2B33612345601&Body=Bonjour+%C3%A0+tous";
const TwilioParams kSignedParams = {
    {"MessageSid", "SM1"}, {"From", "+33612345601"}, {"Body", "Bonjour \xC3\xA0 tous"}};

WebhookRequest signed_post(const std::string& url = kWebhook) {
  WebhookRequest r{"POST", "/webhooks/twilio-sms", "",
                   {{"content-type", "application/x-www-form-urlencoded"}}, kSignedBody};
  r.headers["x-twilio-signature"] = twilio_signature(kToken, url, kSignedParams);
  return r;
}

}  // namespace

// ---- Webhooks ------------------------------------------------------------------------------

TEST_CASE("Twilio webhook fixtures parse into messages, receipts or named errors", "[twilio]") {
  enum Kind { message, receipt, error };
  struct Case {
    const char* file;
    Kind kind;
    const char* id_or_error;  // provider id, or a part of the error
    const char* text = "";
    int media = 0;
    MessageStatus status = MessageStatus::sent;
    const char* code = "";
    const char* error_text = "";
  };
  auto c = GENERATE(values<Case>({
      {"inbound_sms.http", message, "SMe287d7109a5a925f182f0e07fe5b223b", "Msg"},
      {"inbound_sms_french.http", message, "SMe287d7109a5a925f182f0e07fe5b223b",
       "Oui je viens \xC3\xA0 14h, merci \xC3\xA9\xC3\xA8\xE2\x80\x99"},
      {"inbound_mms.http", message, "SMe287d7109a5a925f182f0e07fe5b223b", "Msg", 2},
      {"inbound_no_params.http", error, "MessageSid: missing"},
      {"status_delivered.http", receipt, "SMe287d7109a5a925f182f0e07fe5b223b", "", 0,
       MessageStatus::delivered},
      {"status_read.http", receipt, "SMe287d7109a5a925f182f0e07fe5b223b", "", 0, MessageStatus::read},
      {"status_failed_unsubscribed.http", receipt, "SMe287d7109a5a925f182f0e07fe5b223b", "", 0,
       MessageStatus::failed, "21610", "unsubscribed"},
      {"status_sent_messaging_service.http", receipt, "SM0b6e2697aae04182a9f5b5c7a8994c7f", "", 0,
       MessageStatus::sent},
      {"status_undelivered.http", receipt, "SMe287d7109a5a925f182f0e07fe5b223b", "", 0,
       MessageStatus::undelivered, "30003", "unreachable destination handset"},
      {"status_unknown.http", error, "MessageStatus: unknown value \"huh\""},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto events = adapter.parse(http_fixture("twilio", c.file).request());

  if (c.kind == error) {
    REQUIRE_FALSE(events);
    CHECK_THAT(events.error(), Catch::Contains(c.id_or_error));
    return;
  }
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  if (c.kind == message) {
    const auto& m = std::get<InboundMessage>(events->front());
    CHECK(m.channel == "twilio-sms");
    CHECK(m.from == "+33612345601");
    CHECK(m.text == c.text);
    CHECK(m.provider_id == c.id_or_error);
    CHECK(m.media_count == c.media);
    CHECK(m.concat_ref.empty());  // Twilio reassembles long SMS itself
  } else {
    const auto& r = std::get<DeliveryReceipt>(events->front());
    CHECK(r.channel == "twilio-sms");
    CHECK(r.provider_id == c.id_or_error);
    CHECK(r.status == c.status);
    CHECK(r.error_code == c.code);
    CHECK_THAT(r.error_text, Catch::Contains(c.error_text));
  }
}

TEST_CASE("a Twilio webhook sent as GET is read from its query", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  WebhookRequest get{"GET", "/webhooks/twilio-sms", "MessageSid=SM9&From=%2B33612345601&Body=Oui", {}, ""};
  auto events = adapter.parse(get);
  REQUIRE(events);
  CHECK(std::get<InboundMessage>(events->front()).text == "Oui");
}

TEST_CASE("a Twilio webhook names what is wrong in its body", "[twilio]") {
  struct Case { std::string body, error; };
  auto c = GENERATE(values<Case>({
      {"MessageSid=SM1&Body=x", "From: missing"},
      {"MessageSid=SM1&From=whatsapp%3A%2B33612345601", "From: not a phone number"},
      {"MessageSid=SM1&From=12", "From:"},
      {"MessageSid=SM1&From=%2B33612345601&NumMedia=two", "NumMedia: not a count"},
      {"MessageSid=SM1&From=%ZZ33612345601", "body: bad %-escape"},
  }));
  CAPTURE(c.body);
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto events = adapter.parse(WebhookRequest{"POST", "/webhooks/twilio-sms", "", {}, c.body});
  REQUIRE_FALSE(events);
  CHECK_THAT(events.error(), Catch::Contains(c.error));
}

TEST_CASE("Twilio gets empty TwiML so that it sends no automatic reply", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto reply = adapter.acknowledge(R"({"stored": 1})");
  CHECK(reply.status == 200);
  CHECK(reply.content_type == "text/xml");
  CHECK(reply.body == R"(<?xml version="1.0" encoding="UTF-8"?><Response></Response>)");
}

// ---- Signatures ----------------------------------------------------------------------------

namespace {
// twilio-python tests/unit/test_request_validator.py
constexpr const char* kSdkToken = "12345";
constexpr const char* kSdkUri = "https://mycompany.com/myapp.php?foo=1&bar=2";
const TwilioParams kSdkParams = {{"CallSid", "CA1234567890ABCDE"}, {"Digits", "1234"},
                                 {"From", "+14158675309"},       {"To", "+18005551212"},
                                 {"Caller", "+14158675309"}};
}  // namespace

TEST_CASE("Twilio signatures match the vectors of Twilio's own SDK", "[twilio]") {
  CHECK(twilio_signature(kSdkToken, kSdkUri, kSdkParams) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  // A repeated parameter: names sorted, then each name's values sorted.
  const TwilioParams repeated = {
      {"Sid", "CA123"}, {"SidAccount", "AC123"}, {"Digits", "5678"}, {"Digits", "1234"}};
  CHECK(twilio_signature(kSdkToken, kSdkUri, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU=");
}

TEST_CASE("Twilio request validation accepts the URL with or without its port", "[twilio]") {
  struct Case { std::string url, signature; bool valid; };
  auto c = GENERATE(values<Case>({
      {kSdkUri, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
      {"https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
      {"http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", true},
      {kSdkUri, "kvajT1Ptam85bY51eRf/AJRuM3w=", true},  // signed with :443
      {"http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=", true},  // :80
      {"https://mycompany.com:8443/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=", false},
      {"https://mycompany.com/myapp.php?foo=1&bar=3", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
      {"https://mycompany.com/other.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
      {kSdkUri, "", false},
  }));
  CAPTURE(c.url, c.signature);
  CHECK(twilio_form_request_valid(kSdkToken, c.url, kSdkParams, c.signature) == c.valid);
  CHECK_FALSE(twilio_form_request_valid("54321", c.url, kSdkParams, c.signature));
}

TEST_CASE("a JSON-bodied Twilio request is valid only with its body hash and URL signature", "[twilio]") {
  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string uri =
      std::string(kSdkUri) + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  CHECK(twilio_json_request_valid(kSdkToken, uri, body, "a9nBmqA0ju/hNViExpshrM61xv4="));
  CHECK_FALSE(twilio_json_request_valid(kSdkToken, uri, R"({"property": "value", "boolean": false})",
                                        "a9nBmqA0ju/hNViExpshrM61xv4="));
  CHECK_FALSE(twilio_json_request_valid(kSdkToken, kSdkUri, body, "a9nBmqA0ju/hNViExpshrM61xv4="));
  CHECK_FALSE(twilio_json_request_valid(kSdkToken, uri, body, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
}

TEST_CASE("the Twilio adapter accepts a webhook signed for its own URL", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  CHECK(adapter.verify(signed_post()) == Verdict::accepted);
  // Twilio may have signed the URL with the default port.
  CHECK(adapter.verify(signed_post("https://relais.example.org:443/webhooks/twilio-sms")) ==
        Verdict::accepted);
  auto events = adapter.parse(signed_post());
  REQUIRE(events);
  CHECK(std::get<InboundMessage>(events->front()).text == "Bonjour \xC3\xA0 tous");
}

TEST_CASE("the Twilio adapter refuses a tampered or unsigned webhook", "[twilio]") {
  struct Tamper {
    const char* label;
    void (*apply)(WebhookRequest&);
  };
  auto t = GENERATE(values<Tamper>({
      {"a changed parameter", [](WebhookRequest& r) { r.body.replace(r.body.find("tous"), 4, "toi"); }},
      {"an added parameter", [](WebhookRequest& r) { r.body += "&NumMedia=1"; }},
      {"a removed parameter", [](WebhookRequest& r) { r.body.erase(0, r.body.find('&') + 1); }},
      {"a query added to the URL", [](WebhookRequest& r) { r.query = "channel=other"; }},
      {"another body replayed under the signature",
       [](WebhookRequest& r) { r.body = "MessageSid=SM2&MessageStatus=delivered"; }},
      {"a missing signature header", [](WebhookRequest& r) { r.headers.erase("x-twilio-signature"); }},
      {"an empty signature", [](WebhookRequest& r) { r.headers["x-twilio-signature"] = ""; }},
      {"a signature made with another token",
       [](WebhookRequest& r) {
         r.headers["x-twilio-signature"] = twilio_signature("another-token", kWebhook, kSignedParams);
       }},
      {"a signature for another port",
       [](WebhookRequest& r) {
         r.headers["x-twilio-signature"] = twilio_signature(
             kToken, "https://relais.example.org:8443/webhooks/twilio-sms", kSignedParams);
       }},
      {"a signature for another channel's URL",
       [](WebhookRequest& r) {
         r.headers["x-twilio-signature"] = twilio_signature(
             kToken, "https://relais.example.org/webhooks/twilio-other", kSignedParams);
       }},
  }));
  CAPTURE(t.label);
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  WebhookRequest request = signed_post();
  t.apply(request);
  CHECK(adapter.verify(request) == Verdict::forbidden);
}

TEST_CASE("the Twilio adapter checks query, GET and JSON-body webhooks against the full URL", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));

  WebhookRequest with_query = signed_post(std::string(kWebhook) + "?cohort=g1");
  with_query.query = "cohort=g1";
  CHECK(adapter.verify(with_query) == Verdict::accepted);

  const std::string query = "MessageSid=SM9&From=%2B33612345601&Body=Oui";
  WebhookRequest get{"GET", "/webhooks/twilio-sms", query, {}, ""};
  get.headers["x-twilio-signature"] = twilio_signature(kToken, std::string(kWebhook) + "?" + query, {});
  CHECK(adapter.verify(get) == Verdict::accepted);
  get.query = "MessageSid=SM9&From=%2B33612345601&Body=Non";
  CHECK(adapter.verify(get) == Verdict::forbidden);

  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string hashed = "bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  WebhookRequest json{"POST", "/webhooks/twilio-sms", hashed, {{"content-type", "application/json"}}, body};
  json.headers["x-twilio-signature"] = twilio_signature(kToken, std::string(kWebhook) + "?" + hashed, {});
  CHECK(adapter.verify(json) == Verdict::accepted);
  json.body = R"({"property": "other", "boolean": true})";
  CHECK(adapter.verify(json) == Verdict::forbidden);
}

TEST_CASE("a Twilio channel whose public URL has a port accepts signatures without it", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http, "https://relais.example.org:8443"));
  CHECK(adapter.verify(signed_post()) == Verdict::accepted);
  CHECK(adapter.verify(signed_post("https://relais.example.org:8443/webhooks/twilio-sms")) ==
        Verdict::accepted);
}

TEST_CASE("a Twilio channel without its auth token refuses every webhook", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http, "https://relais.example.org", ""));
  WebhookRequest request = signed_post();
  request.headers["x-twilio-signature"] = twilio_signature("", kWebhook, kSignedParams);
  CHECK(adapter.verify(request) == Verdict::forbidden);
}

// ---- Sending -------------------------------------------------------------------------------

TEST_CASE("a Twilio send is a form POST to the account's Messages resource", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto request = adapter.build_send(message_to("+33612345601", "Bonjour Amina \xE2\x80\x94 \xC3\xA0 demain"));
  REQUIRE(request);
  CHECK(request->method == "POST");
  CHECK(request->url == std::string("https://api.twilio.com/2010-04-01/Accounts/") + kSid + "/Messages.json");
  CHECK(request->headers.at("authorization") ==
        "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMTp0ZXN0LWF1dGgtdG9rZW4tMDEyMw==");
  CHECK(request->headers.at("content-type") == "application/x-www-form-urlencoded");
  for (const char* field : {"To=%2B33612345601", "From=%2B33612345690",
                            "Body=Bonjour+Amina+%E2%80%94+%C3%A0+demain",
                            "StatusCallback=https%3A%2F%2Frelais.example.org%2Fwebhooks%2Ftwilio-sms"}) {
    CAPTURE(field);
    CHECK_THAT(request->body, Catch::Contains(field));
  }
  CHECK_THAT(request->body, !Catch::Contains("MessagingServiceSid"));
}

TEST_CASE("a Twilio channel with a Messaging Service sends through it", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel({{"from", ""}, {"messaging_service_sid", "MG0001"},
                                 {"api_base_url", "http://127.0.0.1:9999/"}}),
                        context(http));
  auto request = adapter.build_send(message_to("+33612345601"));
  REQUIRE(request);
  CHECK(request->url == std::string("http://127.0.0.1:9999/2010-04-01/Accounts/") + kSid + "/Messages.json");
  CHECK_THAT(request->body, Catch::Contains("MessagingServiceSid=MG0001"));
  CHECK_THAT(request->body, !Catch::Contains("From="));
}

TEST_CASE("a Twilio send refuses a recipient that is not E.164 before any call", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto request = adapter.build_send(message_to("0612345601"));
  REQUIRE_FALSE(request);
  CHECK(request.error().error == SendError::invalid_recipient);
  CHECK_THAT(request.error().error_text, !Catch::Contains("0612345601"));
}

TEST_CASE("a Twilio channel needs a sender", "[twilio]") {
  FakeHttp http;
  CHECK_THROWS_WITH(TwilioAdapter(channel({{"from", ""}}), context(http)),
                    Catch::Contains("twilio-sms") && Catch::Contains("messaging_service_sid"));
}

TEST_CASE("Twilio send answers map to outcomes keeping Twilio's code", "[twilio]") {
  struct Case {
    const char* file;
    bool ok;
    const char* id_or_code;
    SendError error = SendError::none;
  };
  auto c = GENERATE(values<Case>({
      {"send_created.http", true, "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
      {"send_invalid_to.http", false, "21211", SendError::invalid_recipient},
      {"send_unsubscribed.http", false, "21610", SendError::blocked},
      {"send_not_mobile.http", false, "21614", SendError::invalid_recipient},
      {"send_bad_auth.http", false, "20003", SendError::bad_credentials},
      {"send_too_many_requests.http", false, "20429", SendError::rate_limited},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto outcome = adapter.read_send_response(http_fixture("twilio", c.file).response());
  CHECK(outcome.ok == c.ok);
  if (c.ok) {
    CHECK(outcome.provider_id == c.id_or_code);
    return;
  }
  CHECK(outcome.error == c.error);
  CHECK(outcome.error_code == c.id_or_code);
  CHECK_FALSE(outcome.error_text.empty());
  CHECK_THAT(outcome.error_text, !Catch::Contains(kToken));
}

TEST_CASE("a phone number in Twilio's error text is masked", "[twilio]") {
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto outcome = adapter.read_send_response(http_fixture("twilio", "send_invalid_to.http").response());
  CHECK_THAT(outcome.error_text, !Catch::Contains("+33612345678"));
  CHECK_THAT(outcome.error_text, Catch::Contains("+33 6 ** ** ** 78"));
}

TEST_CASE("an unknown Twilio code or body falls back on the HTTP status", "[twilio]") {
  struct Case { int status; std::string body; SendError error; };
  auto c = GENERATE(values<Case>({
      {400, R"({"code": 99999, "message": "Something new"})", SendError::rejected},
      {503, "", SendError::unavailable},
      {502, "<html>Bad Gateway</html>", SendError::unavailable},
      {401, "", SendError::bad_credentials},
      {200, "<html>captive portal</html>", SendError::unavailable},
  }));
  CAPTURE(c.status, c.body);
  FakeHttp http;
  TwilioAdapter adapter(channel(), context(http));
  auto outcome = adapter.read_send_response(HttpResponse{c.status, {}, c.body});
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == c.error);
  CHECK_FALSE(outcome.error_text.empty());
}

TEST_CASE("a Twilio send through the gateway classifies transport failures and throttling", "[twilio]") {
  struct Case {
    const char* label;
    Result<HttpResponse> answer;
    SendError error;
    std::optional<Millis> retry_after;
  };
  auto c = GENERATE(values<Case>({
      {"connection refused", Err(std::string("connection refused")), SendError::network, std::nullopt},
      {"timeout", Err(std::string("request timed out")), SendError::timeout, std::nullopt},
      {"server error", HttpResponse{500, {}, ""}, SendError::unavailable, std::nullopt},
      {"429 with Retry-After",
       HttpResponse{429, {{"retry-after", "30"}}, http_fixture("twilio", "send_too_many_requests.http").body},
       SendError::rate_limited, Millis(30'000)},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  http.answer_with(c.answer);
  TwilioAdapter adapter(channel(), context(http));
  auto outcome = adapter.send(message_to("+33612345601"));
  REQUIRE(http.seen.size() == 1);
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == c.error);
  CHECK(is_retryable(outcome.error));
  CHECK(outcome.retry_after == c.retry_after);
}

TEST_CASE("a Twilio send through the gateway returns the message sid", "[twilio]") {
  FakeHttp http;
  http.answer_with(http_fixture("twilio", "send_created.http").response());
  TwilioAdapter adapter(channel(), context(http));
  auto outcome = adapter.send(message_to("+33612345601"));
  CHECK(outcome.ok);
  CHECK(outcome.provider_id == "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  REQUIRE(http.seen.size() == 1);
  CHECK_THAT(http.seen[0].url, Catch::EndsWith("/Messages.json"));
}

TEST_CASE("make_twilio_adapter builds a Twilio channel", "[twilio]") {
  FakeHttp http;
  auto adapter = make_twilio_adapter(channel(), context(http));
  REQUIRE(adapter);
  CHECK(adapter->id() == "twilio-sms");
  CHECK(adapter->receives());
}
