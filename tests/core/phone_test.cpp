#include <catch2/catch.hpp>

#include <string>

#include "bot/core/phone.hpp"

using relais::LineType;
using relais::Phone;

TEST_CASE("the ways people write a French mobile all parse to one E.164 number", "[phone]") {
  const std::string text = GENERATE(as<std::string>{}, "06 12 34 56 78", "+33 6 12 34 56 78",
                                    "0033 6 12 34 56 78", "06.12.34.56.78", "0612345678",
                                    "+33612345678", " 06-12-34-56-78 ", "+33 (0)6 12 34 56 78");
  CAPTURE(text);
  const auto phone = Phone::parse(text);
  REQUIRE(phone.ok());
  CHECK(phone->e164() == "+33612345678");
  CHECK(phone->line_type() == LineType::mobile);
  CHECK(phone->can_receive_sms());
}

TEST_CASE("a 07 number is a mobile too", "[phone]") {
  const auto phone = Phone::parse("07 81 23 45 67");
  REQUIRE(phone.ok());
  CHECK(phone->e164() == "+33781234567");
  CHECK(phone->can_receive_sms());
}

TEST_CASE("a Dijon landline parses but cannot receive SMS", "[phone]") {
  const auto phone = Phone::parse("03 80 12 34 56");
  REQUIRE(phone.ok());
  CHECK(phone->e164() == "+33380123456");
  CHECK(phone->line_type() == LineType::fixed_line);
  CHECK_FALSE(phone->can_receive_sms());
}

TEST_CASE("the default region decides what a national form means", "[phone]") {
  const auto phone = Phone::parse("0612345678", "MA");
  REQUIRE(phone.ok());
  CHECK(phone->e164() == "+212612345678");
}

TEST_CASE("garbage, short numbers and letters are refused with a reason", "[phone]") {
  const std::string text = GENERATE(as<std::string>{}, "", "   ", "bonjour", "06 12 34",
                                    "12", "06 12 34 56 7a", "+33 6 12 34 56 78 90 12",
                                    "--", "+999 1234567");
  CAPTURE(text);
  const auto phone = Phone::parse(text);
  REQUIRE_FALSE(phone.ok());
  CHECK_FALSE(phone.error().empty());
}

TEST_CASE("a number read back from the database keeps its E.164 form", "[phone]") {
  const auto phone = Phone::from_e164("+33612345678");
  CHECK(phone.e164() == "+33612345678");
  CHECK(phone == Phone::parse("06 12 34 56 78").value());
}

TEST_CASE("mask_phone keeps the country code, first digit and last two digits", "[phone]") {
  CHECK(relais::mask_phone("+33612345678") == "+33 6 ** ** ** 78");
  CHECK(Phone::parse("06 12 34 56 78")->masked() == "+33 6 ** ** ** 78");
  CHECK(relais::mask_phone("+33380123456") == "+33 3 ** ** ** 56");
}

TEST_CASE("mask_phone never shows the middle digits of a number", "[phone]") {
  const std::string e164 = GENERATE(as<std::string>{}, "+33612345678", "+447700900123",
                                    "+212612345678", "+14155552671", "+123");
  CAPTURE(e164);
  const std::string masked = relais::mask_phone(e164);
  CAPTURE(masked);
  CHECK(masked.find("1234") == std::string::npos);
  CHECK(masked.find("5555") == std::string::npos);
  CHECK(masked.find("7009") == std::string::npos);
  CHECK(masked.rfind("+", 0) == 0);
}

TEST_CASE("a number is displayed the way people of its country read it", "[phone]") {
  CHECK(relais::Phone::from_e164("+33353010011").display("FR") == "03 53 01 00 11");
  CHECK(relais::Phone::from_e164("+33612345678").display("FR") == "06 12 34 56 78");
  CHECK(relais::Phone::from_e164("+442079460958").display("FR") == "+44 20 7946 0958");
}
