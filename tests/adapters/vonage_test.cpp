#include <catch2/catch.hpp>

#include <cctype>
#include <cstdio>

#include "adapters/vonage.hpp"
#include "tests/adapters/support.hpp"

using namespace relais;
using namespace relais::test;

namespace {

constexpr const char* kApiKey = "key-1";
constexpr const char* kApiSecret = "api-secret-1";
constexpr const char* kPhpSecret = "my_secret_key_for_testing";  // the PHP SDK's test secret

// Form/query encoding of test parameters (space as '+', the rest %XX).
std::string encode(const VonageParams& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    for (const std::string* s : {&name, &value}) {
      for (unsigned char c : *s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_') out += static_cast<char>(c);
        else if (c == ' ') out += '+';
        else {
          char buf[4];
          std::snprintf(buf, sizeof buf, "%%%02X", c);
          out += buf;
        }
      }
      if (s == &name) out += '=';
    }
  }
  return out;
}

std::string json_of(const VonageParams& params) {
  std::string out = "{";
  for (const auto& [name, value] : params)
    out += (out.size() > 1 ? "," : "") + std::string("\"") + name + "\":\"" + value + "\"";
  return out + "}";
}

// ---- A channel with fake secrets, a fake clock and a scripted HTTP client -----------------

ChannelConfig channel(const std::map<std::string, std::string>& overrides = {}) {
  return test_channel("vonage-sms", "vonage",
                      {{"api_key_env", "VONAGE_KEY"},
                       {"api_secret_env", "VONAGE_SECRET"},
                       {"signature_secret_env", "VONAGE_SIG"},
                       {"from", "+33612345690"}},
                      overrides);
}

AdapterContext context(FakeHttp& http, std::string signature_secret = kPhpSecret,
                       std::string api_key = kApiKey) {
  return test_context(http, {{"VONAGE_KEY", std::move(api_key)},
                             {"VONAGE_SECRET", kApiSecret},
                             {"VONAGE_SIG", std::move(signature_secret)}});
}

Utc at_seconds(std::int64_t s) { return Utc(std::chrono::seconds(s)); }

OutgoingMessage message_to(std::string to, std::string text = "Bonjour Amina") {
  OutgoingMessage m;
  m.id = 42;
  m.channel = "vonage-sms";
  m.to = std::move(to);
  m.text = std::move(text);
  m.now = from_epoch_ms(1'764'000'000'000);
  return m;
}

// The Java SDK's RequestSigningTest and the (v3) Python SDK's tests/test_signature.py.
const VonageParams kJava = {{"a", "alphabet"}, {"b", "bananas"}, {"timestamp", "2100"}};
const VonageParams kPython = {{"a", "1"}, {"b", "2"}, {"timestamp", "1461605396"}};

// Inbound webhooks signed by Vonage, from the PHP SDK's test/Client/SignatureTest.php.
const VonageParams kPhpInbound = {{"message-timestamp", "2013-11-21 15:27:30"},
                                  {"messageId", "020000001B0FE827"},
                                  {"msisdn", "14843472194"},
                                  {"text", "Test again"},
                                  {"timestamp", "1385047698"},
                                  {"to", "13239877404"},
                                  {"type", "text"}};
const VonageParams kPhpInboundNonce = {{"keyword", "TESTINGS"},
                                       {"message-timestamp", "2017-04-04 23:05:22"},
                                       {"messageId", "0C00000027217D5B"},
                                       {"msisdn", "14843472194"},
                                       {"nonce", "c4ab6ed2-9bf5-48a0-af91-107e29bdd399"},
                                       {"text", "Testings"},
                                       {"timestamp", "1491347122"},
                                       {"to", "12192259404"},
                                       {"type", "text"}};
const VonageParams kPhpInboundAmpersand = {{"keyword", "TEST"},
                                           {"message-timestamp", "2017-04-04 22:57:47"},
                                           {"messageId", "0B00000042AC53BD"},
                                           {"msisdn", "14843472194"},
                                           {"nonce", "929d6744-bd28-42c8-b6cf-31d5b4f43732"},
                                           {"text", "Test with & and ="},
                                           {"timestamp", "1491346667"},
                                           {"to", "12192259404"},
                                           {"type", "text"}};

VonageParams with_sig(VonageParams params, std::string sig) {
  params.emplace_back("sig", std::move(sig));
  return params;
}

WebhookRequest get_request(const VonageParams& params) {
  return WebhookRequest{"GET", "/webhooks/vonage-sms", encode(params), {}, ""};
}

}  // namespace

// ---- Signatures ----------------------------------------------------------------------------

TEST_CASE("Vonage signatures match the vectors of Vonage's SDKs", "[vonage]") {
  using M = VonageSignatureMethod;
  struct Case {
    const char* source;
    M method;
    const char* secret;
    const VonageParams* params;
    std::string expected;
  };
  auto c = GENERATE(values<Case>({
      {"java md5hash", M::md5hash, "abcde", &kJava, "7d43241108912b32cc315b48ce681acf"},
      {"java md5", M::md5, "abcde", &kJava, "e0afe267aefd6dd18a848c1681517a19"},
      {"java sha1", M::sha1, "abcde", &kJava, "b7f749de27b4adcf736cc95c9a7e059a16c85127"},
      {"java sha256", M::sha256, "abcde", &kJava,
       "8d1b0428276b6a070578225914c3502cc0687a454dfbbbb370c76a14234cb546"},
      {"java sha512", M::sha512, "abcde", &kJava,
       "1c834a1f6a377d4473971387b065cb38e2ad6c4869ba77b7b53e207a344e87ba04b456dfc697b371a2d1ce476d01dafd4394aa97525eff23badad39d2389a710"},
      {"python md5hash", M::md5hash, "secret", &kPython, "6af838ef94998832dbfc29020b564830"},
      {"python md5", M::md5, "secret", &kPython, "c15c21ced558c93a226c305f58f902f2"},
      {"python sha1", M::sha1, "secret", &kPython, "3e19a4e6880fdc2c1426bfd0587c98b9532f0210"},
      {"python sha256", M::sha256, "secret", &kPython,
       "a321e824b9b816be7c3f28859a31749a098713d39f613c80d455bbaffae1cd24"},
      {"python sha512", M::sha512, "secret", &kPython,
       "812a18f76680fa0fe1b8bd9ee1625466ceb1bd96242e4d050d2cfd9a7b40166c63ed26ec9702168781b6edcf1633db8ff95af9341701004eec3fcf9550572ee8"},
      {"php inbound md5hash", M::md5hash, kPhpSecret, &kPhpInbound, "d2e7b1dc968737c5998ad624e02f90b7"},
      {"php inbound with nonce", M::md5hash, kPhpSecret, &kPhpInboundNonce, "ff933bf31c79ab3fc6a38d100191c48f"},
      {"php inbound with & and =", M::md5hash, kPhpSecret, &kPhpInboundAmpersand,
       "e06d9763e3fd0b9c31beb5fc2fcb011c"},
  }));
  CAPTURE(c.source);
  CHECK(vonage_signature(c.method, c.secret, *c.params) == c.expected);
  // The signature never covers `sig` itself.
  CHECK(vonage_signature(c.method, c.secret, with_sig(*c.params, c.expected)) == c.expected);
}

TEST_CASE("Vonage's Java SDK drops blank values from the signature", "[vonage]") {
  const VonageParams params = {{"a", "alphabet"}, {"b", ""}, {"timestamp", "2100"}};
  CHECK(vonage_signature(VonageSignatureMethod::md5hash, "abcde", params, true) ==
        "a3368bf718ba104dcb392d8877e8eb2b");
  CHECK(vonage_signature(VonageSignatureMethod::md5hash, "abcde", params) !=
        "a3368bf718ba104dcb392d8877e8eb2b");
}

TEST_CASE("the Vonage adapter accepts webhooks signed with each signature method", "[vonage]") {
  struct Case {
    const char* method;
    const char* sig;  // as the PHP SDK publishes it: HMACs in upper case
  };
  auto c = GENERATE(values<Case>({
      {"md5hash", "d2e7b1dc968737c5998ad624e02f90b7"},
      {"md5", "DDEBD46008C2D4E93CCE578A332A52D5"},
      {"sha1", "27D0D05C2876C7CB1720DBCDBA4D492E1E55C09A"},
      {"sha256", "DDB8397C2B90AAC7F3882D306475C9A5058C92322EEF43C92B298B6E0FC0D330"},
      {"sha512",
       "E0D3C650F8C9D1A5C174D10DDDBFB003E561F59B265616208B0487C5D819481CD3C311D59CF6165ECD1139622D5BA3A256C0D763AC4A9AD9144B5A426B94FE82"},
  }));
  CAPTURE(c.method);
  FakeHttp http;
  SimulatedClock clock(at_seconds(1385047698 + 60));
  VonageAdapter adapter(channel({{"signature_method", c.method}}), context(http), clock);
  CHECK(adapter.verify(get_request(with_sig(kPhpInbound, c.sig))) == Verdict::accepted);
  // The same signature under another method is not valid.
  VonageAdapter other(channel({{"signature_method", std::string(c.method) == "md5hash" ? "md5" : "md5hash"}}),
                      context(http), clock);
  CHECK(other.verify(get_request(with_sig(kPhpInbound, c.sig))) == Verdict::forbidden);
}

TEST_CASE("a signed Vonage webhook is accepted as a form POST or a JSON POST", "[vonage]") {
  FakeHttp http;
  SimulatedClock clock(at_seconds(1491347122));
  VonageAdapter adapter(channel(), context(http), clock);
  const auto form = with_sig(kPhpInboundNonce, "ff933bf31c79ab3fc6a38d100191c48f");
  CHECK(adapter.verify(WebhookRequest{"POST", "/webhooks/vonage-sms", "",
                                      {{"content-type", "application/x-www-form-urlencoded"}},
                                      encode(form)}) == Verdict::accepted);

  clock.set(at_seconds(1491346667));
  const auto json = with_sig(kPhpInboundAmpersand, "e06d9763e3fd0b9c31beb5fc2fcb011c");
  WebhookRequest post{"POST", "/webhooks/vonage-sms", "", {{"content-type", "application/json"}}, json_of(json)};
  CHECK(adapter.verify(post) == Verdict::accepted);
  auto events = adapter.parse(post);
  REQUIRE(events);
  CHECK(std::get<InboundMessage>(events->front()).text == "Test with & and =");
}

TEST_CASE("a Vonage webhook must be signed within five minutes of now", "[vonage]") {
  struct Case { std::int64_t offset_s; Verdict verdict; };
  auto c = GENERATE(values<Case>({
      {0, Verdict::accepted},
      {299, Verdict::accepted},
      {-299, Verdict::accepted},
      {301, Verdict::forbidden},
      {-301, Verdict::forbidden},
      {86'400 * 365, Verdict::forbidden},
  }));
  CAPTURE(c.offset_s);
  FakeHttp http;
  SimulatedClock clock(at_seconds(1385047698 + c.offset_s));
  VonageAdapter adapter(channel(), context(http), clock);
  CHECK(adapter.verify(get_request(with_sig(kPhpInbound, "d2e7b1dc968737c5998ad624e02f90b7"))) == c.verdict);
}

TEST_CASE("the Vonage adapter refuses a tampered or unsigned webhook", "[vonage]") {
  struct Tamper {
    const char* label;
    void (*apply)(VonageParams&);
  };
  auto t = GENERATE(values<Tamper>({
      {"a changed text", [](VonageParams& p) { p[3].second = "Test again!"; }},
      {"a changed sender", [](VonageParams& p) { p[2].second = "33612345602"; }},
      {"an added parameter", [](VonageParams& p) { p.emplace_back("keyword", "STOP"); }},
      {"a removed parameter", [](VonageParams& p) { p.erase(p.begin()); }},
      {"a missing sig", [](VonageParams& p) { p.pop_back(); }},
      {"an empty sig", [](VonageParams& p) { p.back().second = ""; }},
      {"a missing timestamp", [](VonageParams& p) { p.erase(p.begin() + 4); }},
      {"a timestamp that is not a number", [](VonageParams& p) { p[4].second = "1385047698.5"; }},
      {"a sig made with another secret",
       [](VonageParams& p) {
         p.back().second = vonage_signature(VonageSignatureMethod::md5hash, "another-secret", p);
       }},
  }));
  CAPTURE(t.label);
  FakeHttp http;
  SimulatedClock clock(at_seconds(1385047698));
  VonageAdapter adapter(channel(), context(http), clock);
  auto params = with_sig(kPhpInbound, "d2e7b1dc968737c5998ad624e02f90b7");
  t.apply(params);
  CHECK(adapter.verify(get_request(params)) == Verdict::forbidden);
}

TEST_CASE("a Vonage channel without a signature secret refuses every webhook", "[vonage]") {
  FakeHttp http;
  SimulatedClock clock(at_seconds(1385047698));
  VonageAdapter adapter(channel(), context(http, ""), clock);
  const auto params = with_sig(kPhpInbound, vonage_signature(VonageSignatureMethod::md5hash, "", kPhpInbound));
  CHECK(adapter.verify(get_request(params)) == Verdict::forbidden);
}

TEST_CASE("a Vonage webhook with a blank value verifies however the signer treated blanks", "[vonage]") {
  FakeHttp http;
  SimulatedClock clock(at_seconds(2100));
  VonageAdapter adapter(channel(), context(http, "abcde"), clock);
  const VonageParams params = {{"a", "alphabet"}, {"b", ""}, {"timestamp", "2100"}};
  // Java SDK: blank values left out.
  CHECK(adapter.verify(get_request(with_sig(params, "a3368bf718ba104dcb392d8877e8eb2b"))) == Verdict::accepted);
  // PHP and Python SDKs: blank values kept as "&b=".
  const auto kept = vonage_signature(VonageSignatureMethod::md5hash, "abcde", params);
  CHECK(adapter.verify(get_request(with_sig(params, kept))) == Verdict::accepted);
}

TEST_CASE("an unknown Vonage signature method is a configuration error", "[vonage]") {
  FakeHttp http;
  CHECK_THROWS_WITH(VonageAdapter(channel({{"signature_method", "sha384"}}), context(http)),
                    Catch::Contains("vonage-sms") && Catch::Contains("sha384"));
  CHECK(parse_vonage_signature_method("") == VonageSignatureMethod::md5hash);
  CHECK(parse_vonage_signature_method("sha512") == VonageSignatureMethod::sha512);
}

// ---- Webhooks ------------------------------------------------------------------------------

TEST_CASE("Vonage webhook fixtures parse into messages, receipts or named errors", "[vonage]") {
  enum Kind { message, receipt, error };
  struct Case {
    const char* file;
    Kind kind;
    const char* id_or_error;
    const char* text = "";
    MessageStatus status = MessageStatus::sent;
    const char* code = "";
    const char* error_text = "";
  };
  auto c = GENERATE(values<Case>({
      {"inbound_get.http", message, "02000000DA7C52E7", "Test this."},
      {"inbound_post_json.http", message, "02000000DA7C52E7", "Test this."},
      {"inbound_long_part.http", message, "02000000DA7C52E7",
       "y for a non-functionality-adding upgrading can be a hard sell.\n\nI understand the "
       "reasoning. I had two clients that were on PHP 5.2 for a very, very long "},
      {"inbound_no_msisdn.http", error, "msisdn: missing"},
      {"dlr_get_delivered.http", receipt, "14000000F9DBBBBB", "", MessageStatus::delivered},
      {"dlr_post_form.http", receipt, "14000000F9DBBBBB", "", MessageStatus::delivered},
      {"dlr_post_json.http", receipt, "14000000F9DBBBBB", "", MessageStatus::delivered},
      {"dlr_failed_opted_out.http", receipt, "aaaaaaaa-bbbb-cccc-dddd-0123456789ab", "",
       MessageStatus::undelivered, "9", "asked not to receive"},
      {"dlr_unknown_status.http", error, "status: unknown value \"lost\""},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto events = adapter.parse(http_fixture("vonage", c.file).request());

  if (c.kind == error) {
    REQUIRE_FALSE(events);
    CHECK_THAT(events.error(), Catch::Contains(c.id_or_error));
    return;
  }
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  if (c.kind == message) {
    const auto& m = std::get<InboundMessage>(events->front());
    CHECK(m.channel == "vonage-sms");
    CHECK(m.from == "+33612345602");
    CHECK(m.text == c.text);
    CHECK(m.provider_id == c.id_or_error);
    CHECK(m.media_count == 0);
  } else {
    const auto& r = std::get<DeliveryReceipt>(events->front());
    CHECK(r.channel == "vonage-sms");
    CHECK(r.provider_id == c.id_or_error);
    CHECK(r.status == c.status);
    CHECK(r.error_code == c.code);
    CHECK_THAT(r.error_text, Catch::Contains(c.error_text));
  }
}

TEST_CASE("one part of a long Vonage SMS keeps its concatenation reference", "[vonage]") {
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto events = adapter.parse(http_fixture("vonage", "inbound_long_part.http").request());
  REQUIRE(events);
  const auto& m = std::get<InboundMessage>(events->front());
  CHECK(m.concat_ref == "4");
  CHECK(m.concat_total == 4);
  CHECK(m.concat_part == 3);

  auto whole = adapter.parse(http_fixture("vonage", "inbound_get.http").request());
  REQUIRE(whole);
  CHECK(std::get<InboundMessage>(whole->front()).concat_ref.empty());
  CHECK(std::get<InboundMessage>(whole->front()).concat_total == 1);
}

TEST_CASE("Vonage delivery receipt statuses map onto message statuses", "[vonage]") {
  struct Case { const char* vonage; MessageStatus status; };
  auto c = GENERATE(values<Case>({
      {"delivered", MessageStatus::delivered}, {"accepted", MessageStatus::sent},
      {"buffered", MessageStatus::sent},       {"unknown", MessageStatus::sent},
      {"expired", MessageStatus::undelivered}, {"failed", MessageStatus::undelivered},
      {"rejected", MessageStatus::failed},
  }));
  CAPTURE(c.vonage);
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto events = adapter.parse(WebhookRequest{
      "GET", "/webhooks/vonage-sms",
      std::string("msisdn=33612345602&to=33612345690&messageId=0B00000127FDBC63&status=") + c.vonage +
          "&err-code=2",
      {}, ""});
  REQUIRE(events);
  const auto& r = std::get<DeliveryReceipt>(events->front());
  CHECK(r.status == c.status);
  CHECK(r.error_code == "2");
  CHECK(r.error_text == "absent subscriber (temporary)");
}

TEST_CASE("a Vonage webhook names what is wrong in its body", "[vonage]") {
  struct Case { std::string query, error; };
  auto c = GENERATE(values<Case>({
      {"msisdn=33612345602&text=x", "messageId: missing"},
      {"msisdn=33612345602&messageId=1", "text: missing"},
      {"msisdn=Relais&messageId=1&text=x", "msisdn: not a phone number"},
      {"msisdn=33612345602&messageId=1&text=x&concat=true&concat-total=2&concat-part=1", "concat-ref: missing"},
      {"msisdn=33612345602&messageId=1&text=x&concat=true&concat-ref=7&concat-part=1", "concat-total: missing"},
      {"msisdn=33612345602&messageId=1&text=x&concat=true&concat-ref=7&concat-total=2&concat-part=3",
       "concat-part: out of range"},
      {"msisdn=33612345602&messageId=1&text=x&concat=true&concat-ref=7&concat-total=two&concat-part=1",
       "concat-total: not a number"},
      {"msisdn=33612345602&messageId=1&text=%E", "query: bad %-escape"},
  }));
  CAPTURE(c.query);
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto events = adapter.parse(WebhookRequest{"GET", "/webhooks/vonage-sms", c.query, {}, ""});
  REQUIRE_FALSE(events);
  CHECK_THAT(events.error(), Catch::Contains(c.error));
}

TEST_CASE("a Vonage webhook with a body that is not a JSON object is refused", "[vonage]") {
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto events = adapter.parse(
      WebhookRequest{"POST", "/webhooks/vonage-sms", "", {{"content-type", "application/json"}}, "[1,2"});
  REQUIRE_FALSE(events);
  CHECK_THAT(events.error(), Catch::Contains("body: expected a JSON object"));
}

TEST_CASE("a binary Vonage SMS arrives as a message with one attachment", "[vonage]") {
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto events = adapter.parse(WebhookRequest{
      "GET", "/webhooks/vonage-sms",
      "msisdn=33612345602&to=33612345690&messageId=0A00000001&type=binary&data=424547494e3a5643415244&udh=050003CC0201",
      {}, ""});
  REQUIRE(events);
  const auto& m = std::get<InboundMessage>(events->front());
  CHECK(m.text.empty());
  CHECK(m.media_count == 1);
}

// ---- Sending -------------------------------------------------------------------------------

TEST_CASE("a Vonage send is a JSON POST to /sms/json with the row id as client-ref", "[vonage]") {
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto request = adapter.build_send(message_to("+33612345601", "Bonjour Amina, à demain"));
  REQUIRE(request);
  CHECK(request->method == "POST");
  CHECK(request->url == "https://rest.nexmo.com/sms/json");
  CHECK(request->headers.at("content-type") == "application/json");
  for (const char* field : {R"("api_key":"key-1")", R"("api_secret":"api-secret-1")",
                            R"("from":"33612345690")", R"("to":"33612345601")",
                            "\"text\":\"Bonjour Amina, \xC3\xA0 demain\"", R"("type":"text")",
                            R"("client-ref":"42")",
                            R"("callback":"https://relais.example.org/webhooks/vonage-sms")"}) {
    CAPTURE(field);
    CHECK_THAT(request->body, Catch::Contains(field));
  }
}

TEST_CASE("a Vonage send says unicode when the text is not GSM-7", "[vonage]") {
  struct Case { const char* text; const char* type; };
  auto c = GENERATE(values<Case>({
      {"Rendez-vous \xC3\xA0 14h, \xC3\xA9t\xC3\xA9 \xE2\x82\xAC", "\"type\":\"text\""},  // à é € are GSM-7
      {"Merci \xF0\x9F\x99\x82", "\"type\":\"unicode\""},                                 // an emoji
      {"Re\xC3\xA7u", "\"type\":\"unicode\""},  // ç: counted as UCS-2 (bot/core/sms.hpp)
  }));
  CAPTURE(c.text);
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto request = adapter.build_send(message_to("+33612345601", c.text));
  REQUIRE(request);
  CHECK_THAT(request->body, Catch::Contains(c.type));
}

TEST_CASE("a Vonage channel's base URL and alphanumeric sender are used as configured", "[vonage]") {
  FakeHttp http;
  VonageAdapter adapter(channel({{"api_base_url", "http://127.0.0.1:9999/"}, {"from", "Relais"}}),
                        context(http));
  auto request = adapter.build_send(message_to("+33612345601"));
  REQUIRE(request);
  CHECK(request->url == "http://127.0.0.1:9999/sms/json");
  CHECK_THAT(request->body, Catch::Contains(R"("from":"Relais")"));
}

TEST_CASE("a Vonage send fails before any call without a recipient number or credentials", "[vonage]") {
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto bad_to = adapter.build_send(message_to("0612345601"));
  REQUIRE_FALSE(bad_to);
  CHECK(bad_to.error().error == SendError::invalid_recipient);
  CHECK_THAT(bad_to.error().error_text, !Catch::Contains("0612345601"));

  VonageAdapter no_key(channel(), context(http, kPhpSecret, ""));
  auto no_credentials = no_key.build_send(message_to("+33612345601"));
  REQUIRE_FALSE(no_credentials);
  CHECK(no_credentials.error().error == SendError::bad_credentials);
}

TEST_CASE("Vonage send answers map to outcomes keeping Vonage's status", "[vonage]") {
  struct Case {
    const char* file;
    bool ok;
    const char* id_or_code;
    SendError error = SendError::none;
    std::optional<Millis> retry_after = std::nullopt;
  };
  auto c = GENERATE(values<Case>({
      {"send_success.http", true, "0A0000000123ABCD1"},
      {"send_multi.http", true, "00000124"},
      {"send_missing_param.http", false, "2", SendError::rejected},
      {"send_server_error.http", false, "5", SendError::unavailable},
      {"send_throttled.http", false, "1", SendError::rate_limited, Millis(702)},
      {"send_mt_limit.http", false, "1", SendError::rate_limited},
      {"send_shortcode_campaign.http", false, "101", SendError::rejected},
  }));
  CAPTURE(c.file);
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto outcome = adapter.read_send_response(http_fixture("vonage", c.file).response());
  CHECK(outcome.ok == c.ok);
  if (c.ok) {
    CHECK(outcome.provider_id == c.id_or_code);
    return;
  }
  CHECK(outcome.error == c.error);
  CHECK(outcome.error_code == c.id_or_code);
  CHECK(outcome.retry_after == c.retry_after);
  CHECK_FALSE(outcome.error_text.empty());
  CHECK_THAT(outcome.error_text, !Catch::Contains(kApiSecret));
}

TEST_CASE("a failed part of a long Vonage send fails the whole message", "[vonage]") {
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto outcome = adapter.read_send_response(HttpResponse{
      200, {},
      R"({"message-count":"2","messages":[{"status":"0","message-id":"A1"},)"
      R"({"status":"7","error-text":"Number 33612345602 barred"}]})"});
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == SendError::blocked);
  CHECK(outcome.error_code == "7");
  CHECK_THAT(outcome.error_text, !Catch::Contains("33612345602"));
}

TEST_CASE("a Vonage answer that is not the SMS API's falls back on the HTTP status", "[vonage]") {
  struct Case { int status; std::string body; SendError error; };
  auto c = GENERATE(values<Case>({
      {401, R"({"type":"https://developer.nexmo.com/api-errors#unauthorized","title":"Unauthorized"})",
       SendError::bad_credentials},
      {500, "", SendError::unavailable},
      {200, "<html>captive portal</html>", SendError::unavailable},
      {200, R"({"message-count":"0","messages":[]})", SendError::unavailable},
      {200, R"({"messages":[{"status":"0"}]})", SendError::unavailable},
  }));
  CAPTURE(c.status, c.body);
  FakeHttp http;
  VonageAdapter adapter(channel(), context(http));
  auto outcome = adapter.read_send_response(HttpResponse{c.status, {}, c.body});
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == c.error);
}

TEST_CASE("a Vonage send through the gateway classifies transport failures and throttling", "[vonage]") {
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
      {"429 with Retry-After", HttpResponse{429, {{"retry-after", "30"}}, ""}, SendError::rate_limited,
       Millis(30'000)},
  }));
  CAPTURE(c.label);
  FakeHttp http;
  http.answer_with(c.answer);
  VonageAdapter adapter(channel(), context(http));
  auto outcome = adapter.send(message_to("+33612345601"));
  REQUIRE(http.seen.size() == 1);
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.error == c.error);
  CHECK(is_retryable(outcome.error));
  CHECK(outcome.retry_after == c.retry_after);
}

TEST_CASE("a Vonage send through the gateway returns the message id", "[vonage]") {
  FakeHttp http;
  http.answer_with(http_fixture("vonage", "send_success.http").response());
  auto adapter = make_vonage_adapter(channel(), context(http));
  REQUIRE(adapter);
  CHECK(adapter->id() == "vonage-sms");
  auto outcome = adapter->send(message_to("+33612345601"));
  CHECK(outcome.ok);
  CHECK(outcome.provider_id == "0A0000000123ABCD1");
  REQUIRE(http.seen.size() == 1);
  CHECK(http.seen[0].url == "https://rest.nexmo.com/sms/json");
}
