#include <catch2/catch.hpp>

#include <cctype>
#include <functional>
#include <nlohmann/json.hpp>

#include "adapters/android.hpp"
#include "tests/adapters/support.hpp"

using namespace relais;
using namespace relais::test;
using nlohmann::json;

namespace {

constexpr const char* kPassword = "gw-Pass-7s9Q";
constexpr const char* kSigningKey = "Zm9vYmFyLXNpZ25pbmcta2V5";

ChannelConfig channel(std::string api_base_url = "http://192.168.1.20:8080") {
  return test_channel("phone", "android",
                      {{"api_base_url", api_base_url},
                       {"username", "sms"},
                       {"password_env", "GW_PASSWORD"},
                       {"signing_key_env", "GW_SIGNING_KEY"}});
}

AdapterContext context(FakeHttp& http, std::map<std::string, std::string> secrets = {
                                           {"GW_PASSWORD", kPassword}, {"GW_SIGNING_KEY", kSigningKey}}) {
  return test_context(http, std::move(secrets));
}

constexpr std::int64_t kSentAt = 1'719'045'971;  // 2024-06-22T08:46:11Z, the fixture's receivedAt

SimulatedClock clock_at(std::int64_t unix_seconds) { return SimulatedClock(from_epoch_ms(unix_seconds * 1000)); }

WebhookRequest signed_post(const std::string& body, std::int64_t timestamp = kSentAt,
                           const std::string& key = kSigningKey) {
  const std::string ts = std::to_string(timestamp);
  return WebhookRequest{"POST", "/webhooks/phone", "",
                        {{"x-signature", android_signature(key, body, ts)}, {"x-timestamp", ts}}, body};
}

OutgoingMessage message(std::string text = "Bonjour Amina, atelier CV demain à 14h.") {
  OutgoingMessage m;
  m.id = 42;
  m.channel = "phone";
  m.to = "+33612345601";
  m.text = std::move(text);
  m.now = from_epoch_ms(kSentAt * 1000);
  return m;
}

struct ExpectedEvent {
  bool message;  // else a receipt
  std::string from_or_id;  // sender (message) or provider id (receipt)
  std::string text_or_status;
  std::string provider_id_or_code;
  int media_count = 0;
};

}  // namespace

TEST_CASE("the app's webhook signature is HMAC-SHA256 over body and timestamp, in lower-case hex", "[android]") {
  // Computed independently with the Python snippet of the app's documentation:
  // hmac.new(b"secret", ('{"event":"sms:received"}' + "1700000000").encode(), hashlib.sha256).hexdigest()
  CHECK(android_signature("secret", R"({"event":"sms:received"})", "1700000000") ==
        "f5296c3e56c905bb4c50801a973249d173e4d05cfef6bbb6ca7cc86d8b150115");
  // And over the bytes of a fixture file, with the test signing key.
  CHECK(android_signature(kSigningKey, fixture("android", "webhook_sms_received.json"), "1719045971") ==
        "17a17a258e9ff753954d63aea994492d3cd017633d351fe181ada0a0b6e22bc2");
}

TEST_CASE("the app's webhook fixtures become messages and receipts", "[android]") {
  struct Case {
    std::string file;
    std::vector<ExpectedEvent> events;
  };
  auto c = GENERATE(values<Case>({
      {"webhook_sms_received.json",
       {{true, "+33612345601", "Android is always a sweet treat!", "sms:abc123@2024-06-22T15:46:11.000+07:00"}}},
      {"webhook_sms_received_sender_recipient.json",
       {{true, "+33612345602", "Hello World", "sms:abc123@2026-02-17T12:00:00.000+07:00"}}},
      {"webhook_sms_received_legacy.json",
       {{true, "+33612345603", "Android is always a sweet treat!", "event:Ey6ECgOkVVFjz3CL48B8C"}}},
      {"webhook_sms_batch_received.json",
       {{true, "+33612345604", "First", "sms:msg_1@2026-08-18T07:00:00Z"},
        {true, "+33612345605", "Second", "sms:msg_2@2026-08-18T07:01:00Z"}}},
      {"webhook_mms_downloaded.json",
       {{true, "+33612345606", "Full MMS body", "mms:mms_dl_1@2026-08-18T11:00:00Z", 1}}},
      {"webhook_sms_sent.json", {{false, "zXDYfTmTVf3iMd16zzdBj", "sent", ""}}},
      {"webhook_sms_delivered.json", {{false, "zXDYfTmTVf3iMd16zzdBj", "delivered", ""}}},
      {"webhook_sms_failed.json", {{false, "zXDYfTmTVf3iMd16zzdBj", "failed", ""}}},
      {"webhook_sms_failed_send_result.json",
       {{false, "zXDYfTmTVf3iMd16zzdBj", "failed", "RESULT_ERROR_GENERIC_FAILURE"}}},
      {"webhook_sms_failed_delivery_report.json",
       {{false, "zXDYfTmTVf3iMd16zzdBj", "undelivered", "tp_status_64"}}},
      {"webhook_system_ping.json", {}},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  auto clock = clock_at(kSentAt);
  AndroidAdapter a(channel(), context(http), clock);
  const auto request = signed_post(fixture("android", c.file));
  REQUIRE(a.verify(request) == Verdict::accepted);
  auto events = a.parse(request);
  REQUIRE(events);
  REQUIRE(events->size() == c.events.size());
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    CAPTURE(i);
    const auto& want = c.events[i];
    if (want.message) {
      const auto* m = std::get_if<InboundMessage>(&(*events)[i]);
      REQUIRE(m != nullptr);
      CHECK(m->channel == "phone");
      CHECK(m->from == want.from_or_id);
      CHECK(m->text == want.text_or_status);
      CHECK(m->provider_id == want.provider_id_or_code);
      CHECK(m->media_count == want.media_count);
      // The phone joins the parts of a long SMS itself.
      CHECK(m->concat_ref.empty());
    } else {
      const auto* r = std::get_if<DeliveryReceipt>(&(*events)[i]);
      REQUIRE(r != nullptr);
      CHECK(r->channel == "phone");
      CHECK(r->provider_id == want.from_or_id);
      CHECK(to_string(r->status) == want.text_or_status);
      CHECK(r->error_code == want.provider_id_or_code);
    }
  }
}

TEST_CASE("an Android failure keeps the app's reason with the SMS centre's number masked", "[android]") {
  FakeHttp http;
  auto clock = clock_at(kSentAt);
  AndroidAdapter a(channel(), context(http), clock);
  auto events = a.parse(signed_post(fixture("android", "webhook_sms_failed_delivery_report.json")));
  REQUIRE(events);
  const auto& r = std::get<DeliveryReceipt>(events->front());
  CHECK_THAT(r.error_text, Catch::StartsWith("Delivery result from SC"));
  CHECK_THAT(r.error_text, !Catch::Contains("+33695000695"));
  CHECK_THAT(r.error_text, Catch::EndsWith(": 64"));
}

TEST_CASE("an Android SMS from a sender that is no phone number is kept as it is", "[android]") {
  FakeHttp http;
  auto clock = clock_at(kSentAt);
  AndroidAdapter a(channel(), context(http), clock);
  json body = json::parse(fixture("android", "webhook_sms_received_sender_recipient.json"));
  body["payload"]["sender"] = "ORANGE";
  body["payload"]["message"] = "Votre forfait est renouvelé";
  auto events = a.parse(signed_post(body.dump()));
  REQUIRE(events);
  const auto& m = std::get<InboundMessage>(events->front());
  CHECK(m.from == "ORANGE");
  CHECK(m.text == "Votre forfait est renouvelé");
}

TEST_CASE("Android webhooks are refused when tampered, replayed, late or unsigned", "[android]") {
  FakeHttp http;
  const std::string body = fixture("android", "webhook_sms_received.json");
  auto clock = clock_at(kSentAt + 30);
  AndroidAdapter a(channel(), context(http), clock);
  REQUIRE(a.verify(signed_post(body)) == Verdict::accepted);

  struct Case {
    std::string label;
    std::function<void(WebhookRequest&)> change;
    Verdict verdict;
  };
  auto c = GENERATE(values<Case>({
      {"unchanged", [](WebhookRequest&) {}, Verdict::accepted},
      {"signature in upper case", [](WebhookRequest& r) {
         for (char& ch : r.headers["x-signature"]) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
       }, Verdict::accepted},
      {"a changed text", [](WebhookRequest& r) {
         r.body.replace(r.body.find("sweet"), 5, "sour!");
       }, Verdict::forbidden},
      {"a changed sender", [](WebhookRequest& r) {
         r.body.replace(r.body.find("0612345601"), 10, "0612345699");
       }, Verdict::forbidden},
      {"another timestamp, same signature", [](WebhookRequest& r) {
         r.headers["x-timestamp"] = std::to_string(kSentAt + 1);
       }, Verdict::forbidden},
      {"signed with another key", [](WebhookRequest& r) {
         r.headers["x-signature"] = android_signature("another-key", r.body, r.headers["x-timestamp"]);
       }, Verdict::forbidden},
      {"no X-Signature", [](WebhookRequest& r) { r.headers.erase("x-signature"); }, Verdict::forbidden},
      {"no X-Timestamp", [](WebhookRequest& r) { r.headers.erase("x-timestamp"); }, Verdict::forbidden},
      {"a timestamp that is no number", [](WebhookRequest& r) { r.headers["x-timestamp"] = "1719045971.5"; },
       Verdict::forbidden},
      {"an empty signature", [](WebhookRequest& r) { r.headers["x-signature"] = ""; }, Verdict::forbidden},
  }));
  CAPTURE(c.label);
  auto request = signed_post(body);
  c.change(request);
  CHECK(a.verify(request) == c.verdict);
}

TEST_CASE("an Android signature is valid for five minutes either way", "[android]") {
  FakeHttp http;
  const std::string body = fixture("android", "webhook_sms_delivered.json");
  struct Case {
    std::int64_t now_minus_sent;
    Verdict verdict;
  };
  auto c = GENERATE(values<Case>({
      {0, Verdict::accepted},
      {300, Verdict::accepted},
      {-300, Verdict::accepted},
      {301, Verdict::forbidden},   // the same request replayed later
      {-301, Verdict::forbidden},  // dated in the future
      {86'400, Verdict::forbidden},
  }));
  CAPTURE(c.now_minus_sent);
  auto clock = clock_at(kSentAt + c.now_minus_sent);
  AndroidAdapter a(channel(), context(http), clock);
  CHECK(a.verify(signed_post(body)) == c.verdict);
}

TEST_CASE("an Android channel without a signing key refuses every webhook", "[android]") {
  FakeHttp http;
  auto clock = clock_at(kSentAt);
  AndroidAdapter a(channel(), context(http, {{"GW_PASSWORD", kPassword}}), clock);
  CHECK(a.verify(signed_post(fixture("android", "webhook_sms_received.json"), kSentAt, "")) == Verdict::forbidden);
}

TEST_CASE("an Android webhook body that cannot be read names the bad field", "[android]") {
  struct Case {
    std::string body, error;
  };
  auto c = GENERATE(values<Case>({
      {"", "body is not valid JSON"},
      {"[]", "$: expected a JSON object"},
      {R"({"payload": {}})", "$.event: missing"},
      {R"({"event": 3, "payload": {}})", "$.event: must be a string"},
      {R"({"event": "sms:exploded", "payload": {}})", "$.event: unknown event \"sms:exploded\""},
      {R"({"event": "sms:received"})", "$.payload: missing"},
      {R"({"event": "sms:received", "payload": {"message": "Oui", "receivedAt": "x"}})", "$.payload.sender: missing"},
      {R"({"event": "sms:received", "payload": {"sender": "+33612345601"}})", "$.payload.message: missing"},
      {R"({"event": "sms:received", "payload": {"sender": 33612345601, "message": "Oui"}})",
       "$.payload.sender: must be a string"},
      {R"({"event": "sms:received", "payload": {"sender": "+33612345601", "message": 7}})",
       "$.payload.message: must be a string"},
      {R"({"event": "sms:batch:received", "payload": {}})", "$.payload.messages: missing"},
      {R"({"event": "sms:batch:received", "payload": {"messages": [{"sender": "+33612345601", "message": "a"}, 5]}})",
       "$.payload.messages[1]: expected a JSON object"},
      {R"({"event": "mms:downloaded", "payload": {"sender": "+33612345601", "attachments": {}}})",
       "$.payload.attachments: must be an array"},
      {R"({"event": "sms:delivered", "payload": {"phoneNumber": "+33612345601"}})", "$.payload.messageId: missing"},
      {R"({"event": "sms:failed", "payload": {"messageId": "x", "reason": 5}})", "$.payload.reason: must be a string"},
  }));
  CAPTURE(c.body);
  FakeHttp http;
  auto clock = clock_at(kSentAt);
  AndroidAdapter a(channel(), context(http), clock);
  auto r = a.parse(signed_post(c.body));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error(), Catch::Contains(c.error));
  // Errors are logged and sent back to the phone: never a number in clear.
  CHECK_THAT(r.error(), !Catch::Contains("612345601"));
}

TEST_CASE("an Android message without any id gets a generated one", "[android]") {
  FakeHttp http;
  auto clock = clock_at(kSentAt);
  AndroidAdapter a(channel(), context(http), clock);
  auto events = a.parse(signed_post(R"({"event":"sms:received","payload":{"phoneNumber":"+33612345601","message":"Oui"}})"));
  REQUIRE(events);
  CHECK(std::get<InboundMessage>(events->front()).provider_id == "generated-1");
}

TEST_CASE("an Android send is a POST to /messages with basic auth and our id", "[android]") {
  struct Case {
    std::string base, url;
  };
  auto c = GENERATE(values<Case>({
      {"http://192.168.1.20:8080", "http://192.168.1.20:8080/messages"},
      {"http://192.168.1.20:8080/", "http://192.168.1.20:8080/messages"},
      {"https://api.sms-gate.app/3rdparty/v1", "https://api.sms-gate.app/3rdparty/v1/messages"},
  }));
  CAPTURE(c.base);
  FakeHttp http;
  AndroidAdapter a(channel(c.base), context(http));
  auto r = a.build_send(message());
  REQUIRE(r);
  CHECK(r->method == "POST");
  CHECK(r->url == c.url);
  CHECK(r->headers.at("authorization") == "Basic c21zOmd3LVBhc3MtN3M5UQ==");  // sms:gw-Pass-7s9Q
  CHECK(r->headers.at("content-type") == "application/json");
  json body = json::parse(r->body);
  CHECK(body["id"] == "relais-42");
  CHECK(body["textMessage"]["text"] == "Bonjour Amina, atelier CV demain à 14h.");
  CHECK(body["phoneNumbers"] == json::array({"+33612345601"}));
  CHECK(body["withDeliveryReport"] == true);
  CHECK_FALSE(body.contains("message"));  // the deprecated field
  CHECK(android_message_id(42) == "relais-42");
}

TEST_CASE("an Android send that cannot succeed fails before any call", "[android]") {
  struct Case {
    std::string label, to, text;
    bool with_password;
    SendError error;
  };
  auto c = GENERATE(values<Case>({
      {"no password", "+33612345601", "Bonjour", false, SendError::bad_credentials},
      {"national number", "0612345601", "Bonjour", true, SendError::invalid_recipient},
      {"empty text", "+33612345601", "", true, SendError::rejected},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  std::map<std::string, std::string> secrets = {{"GW_SIGNING_KEY", kSigningKey}};
  if (c.with_password) secrets["GW_PASSWORD"] = kPassword;
  AndroidAdapter a(channel(), context(http, secrets));
  auto m = message(c.text);
  m.to = c.to;
  auto out = a.send(m);
  CHECK_FALSE(out.ok);
  CHECK(out.error == c.error);
  CHECK(http.seen.empty());
}

TEST_CASE("the app's send answers become outcomes", "[android]") {
  struct Case {
    std::string label;  // a fixture file, or "inline:"
    int status;
    std::string body;
    bool ok;
    std::string provider_id;
    SendError error;
  };
  auto c = GENERATE(values<Case>({
      {"send_accepted.json", 202, "", true, "zXDYfTmTVf3iMd16zzdBj", SendError::none},
      // A retry of a message the phone already has: not sent twice, not failed.
      {"send_409_duplicate_cloud.json", 409, "", true, "", SendError::none},
      {"send_409_duplicate_local.json", 409, "", true, "", SendError::none},
      {"send_400_invalid_phone.json", 400, "", false, "", SendError::invalid_recipient},
      {"send_400_not_mobile.json", 400, "", false, "", SendError::invalid_recipient},
      {"send_400_empty_phone_numbers.json", 400, "", false, "", SendError::rejected},
      {"send_503_queue_limit.json", 503, "", false, "", SendError::unavailable},
      {"send_500_unknown.json", 500, "", false, "", SendError::unavailable},
      {"inline:401 from Ktor basic auth", 401, "", false, "", SendError::bad_credentials},
      {"inline:404 wrong base URL", 404, "", false, "", SendError::bad_credentials},
      {"inline:2xx without id", 202, "{}", false, "", SendError::rejected},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  AndroidAdapter a(channel(), context(http));
  const std::string body = c.label.starts_with("inline:") ? c.body : fixture("android", c.label);
  auto out = a.read_send_response(HttpResponse{c.status, {}, body});
  CHECK(out.ok == c.ok);
  CHECK(out.provider_id == c.provider_id);
  CHECK(out.error == c.error);
  if (!c.ok) {
    CHECK(out.error_code == (c.label == "inline:2xx without id" ? "no_id" : std::to_string(c.status)));
    CHECK_FALSE(out.error_text.empty());
    CHECK_THAT(out.error_text, !Catch::Contains(kPassword));
  }
}

TEST_CASE("an Android send goes through HttpGateway::send with transport errors and 429 classified", "[android]") {
  struct Case {
    std::string label;
    Result<HttpResponse> answer;
    bool ok;
    SendError error;
    std::optional<Millis> retry_after;
  };
  auto c = GENERATE(values<Case>({
      {"accepted", HttpResponse{202, {}, fixture("android", "send_accepted.json")}, true, SendError::none,
       std::nullopt},
      {"phone off Wi-Fi: timeout", Err(std::string("operation timed out")), false, SendError::timeout, std::nullopt},
      {"refused", Err(std::string("connection refused")), false, SendError::network, std::nullopt},
      {"500", HttpResponse{500, {}, fixture("android", "send_500_unknown.json")}, false, SendError::unavailable,
       std::nullopt},
      {"429 Retry-After: 30", HttpResponse{429, {{"retry-after", "30"}}, R"({"message":"Too Many Requests"})"}, false,
       SendError::rate_limited, Millis(30'000)},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  http.answer_with(c.answer);
  AndroidAdapter a(channel(), context(http));
  auto out = a.send(message());
  REQUIRE(http.seen.size() == 1);
  CHECK(http.seen[0].url == "http://192.168.1.20:8080/messages");
  CHECK(out.ok == c.ok);
  CHECK(out.error == c.error);
  CHECK(is_retryable(out.error) == !c.ok);
  CHECK(out.retry_after == c.retry_after);
  CHECK_THAT(out.error_text, !Catch::Contains(kPassword));
}

TEST_CASE("the Android channel receives and answers webhooks with an empty body", "[android]") {
  FakeHttp http;
  auto a = make_android_adapter(channel(), context(http));
  REQUIRE(a != nullptr);
  CHECK(a->id() == "phone");
  CHECK(a->receives());
  auto ack = a->acknowledge(R"({"replies":[{"to":"+33612345601","text":"Merci Amina"}]})");
  CHECK(ack.status == 200);
  CHECK(ack.body == "{}");
  AdapterContext none = context(http);
  none.http = nullptr;
  CHECK_THROWS_AS(make_android_adapter(channel(), none), std::invalid_argument);
}

TEST_CASE("an Android 409 duplicate confirms the message under the id we gave it", "[android]") {
  FakeHttp http(HttpResponse{409, {}, fixture("android", "send_409_duplicate_local.json")});
  AndroidAdapter a(channel(), context(http));
  auto m = message();
  auto out = a.send(m);
  CHECK(out.ok);
  CHECK(out.provider_id == android_message_id(m.id));
}
