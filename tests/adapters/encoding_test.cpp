// HMACs as gateways sign webhooks: the one-shot hmac() and the prepared HmacKey must both
// give the published test vectors (RFC 2202 for HMAC-SHA1, RFC 4231 for HMAC-SHA256).
// And form bodies as gateways post them, decoded.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "adapters/channel.hpp"
#include "adapters/encoding.hpp"

using namespace relais;

TEST_CASE("hmac gives the RFC test vectors") {
  // RFC 2202, test case 1: a key of twenty 0x0b bytes.
  CHECK(hex(hmac(HashAlgorithm::sha1, std::string(20, '\x0b'), "Hi There")) ==
        "b617318655057264e28bc0b6fb378c8ef146be00");
  // RFC 2202 and RFC 4231, test case 2.
  CHECK(hex(hmac(HashAlgorithm::sha1, "Jefe", "what do ya want for nothing?")) ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(hex(hmac(HashAlgorithm::sha256, "Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // An empty key is a key (to OpenSSL a null key would mean "the previous one").
  CHECK(hex(hmac(HashAlgorithm::sha1, "", "")) == "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  CHECK(hex(hmac(HashAlgorithm::sha256, "", "")) ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("a prepared HMAC key signs parts as one text, again and again") {
  const HmacKey key(HashAlgorithm::sha1, "Jefe");
  const std::string expected = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
  CHECK(hex(key.sign({"what do ya want for nothing?"})) == expected);
  CHECK(hex(key.sign({"what do ya ", "want for ", "", "nothing?"})) == expected);
  CHECK(hex(key.sign({"what do ya want for nothing?"})) == expected);  // the key is not used up
  CHECK(hex(key.sign({"what do ya want for nothing!"})) != expected);
  CHECK(hex(HmacKey(HashAlgorithm::sha1, "").sign({})) == "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
}

TEST_CASE("one HMAC key signs from several threads at once") {
  // The server's HTTP threads share a channel's key.
  const HmacKey key(HashAlgorithm::sha256, "Jefe");
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i)
        if (hex(key.sign({"what do ya want ", "for nothing?"})) !=
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
          ++wrong[t];
    });
  for (auto& t : threads) t.join();
  CHECK(wrong == std::vector<int>(4, 0));
}

TEST_CASE("percent-decoding: escapes, '+' as a space, text without either as it is") {
  CHECK(percent_decode("SM0123456789abcdef") == "SM0123456789abcdef");
  CHECK(percent_decode("") == "");
  CHECK(percent_decode("Bonjour+Claire") == "Bonjour Claire");
  CHECK(percent_decode("%2B33612345678") == "+33612345678");
  CHECK(percent_decode("caf%C3%A9+%26+cr%C3%A8che") == "caf\xC3\xA9 & cr\xC3\xA8" "che");
  CHECK(percent_decode("100%25") == "100%");
  CHECK(percent_decode("a%2b") == "a+");  // lower-case hex too
  CHECK_FALSE(percent_decode("50%"));     // cut
  CHECK_FALSE(percent_decode("50%2"));
  CHECK_FALSE(percent_decode("%G1"));     // not hex
  CHECK_FALSE(percent_decode("ok+then%zz"));
}

TEST_CASE("a form body decodes into its pairs, in order, repeated names kept") {
  // Twilio's inbound SMS parameters (tests/fixtures/twilio), shortened.
  const auto params = parse_form(
      "ToCountry=FR&SmsMessageSid=SM1a2b&NumMedia=0&Body=Je+serai+l%C3%A0+mardi+%21"
      "&From=%2B33612345678&&flag&MediaUrl0=a&MediaUrl0=b");
  REQUIRE(params);
  const FormParams expected{{"ToCountry", "FR"},      {"SmsMessageSid", "SM1a2b"},
                            {"NumMedia", "0"},        {"Body", "Je serai l\xC3\xA0 mardi !"},
                            {"From", "+33612345678"}, {"flag", ""},
                            {"MediaUrl0", "a"},       {"MediaUrl0", "b"}};
  CHECK(*params == expected);
  CHECK_FALSE(parse_form("Body=ok&From=%2"));  // a bad escape anywhere fails the whole body
  FormParams kept{{"a", "1"}};
  CHECK_FALSE(append_form("b=2&c=%", kept));
}

TEST_CASE("a webhook's form body is decoded once, at the first reading", "[form]") {
  WebhookRequest request{"POST", "/webhooks/twilio", "", {}, "From=%2B33612345678&Body=Oui"};
  const auto& first = request.body_form();
  REQUIRE(first);
  CHECK(*first == FormParams{{"From", "+33612345678"}, {"Body", "Oui"}});
  CHECK(&request.body_form() == &first);  // kept, not decoded again

  WebhookRequest broken{"POST", "/webhooks/twilio", "", {}, "Body=50%"};
  CHECK_FALSE(broken.body_form());
  CHECK_FALSE(broken.body_form());
}
