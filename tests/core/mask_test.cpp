#include <catch2/catch.hpp>

#include <string>

#include "bot/core/mask.hpp"
#include "bot/core/phone.hpp"

using relais::mask_phones;

TEST_CASE("every way of writing a French mobile number is masked in a log line", "[mask]") {
  auto [line, expected] = GENERATE(table<std::string, std::string>({
      {"to=+33612345678 status=sent", "to=+33 6 ** ** ** 78 status=sent"},
      {"to=+33 6 12 34 56 78", "to=+33 6 ** ** ** 78"},
      {"to=+33 (0)6 12 34 56 78", "to=+33 6 ** ** ** 78"},
      {"from 06 12 34 56 78 replied", "from +33 6 ** ** ** 78 replied"},
      {"from 06.12.34.56.78", "from +33 6 ** ** ** 78"},
      {"from 06-12-34-56-78", "from +33 6 ** ** ** 78"},
      {"from 0612345678", "from +33 6 ** ** ** 78"},
      {"from 0033 6 12 34 56 78", "from +33 6 ** ** ** 78"},
      {"from 0033612345678", "from +33 6 ** ** ** 78"},
      {"from 06\u00A012\u00A034\u00A056\u00A078", "from +33 6 ** ** ** 78"},
      {"body=From=%2B33712345678&Body=OUI", "body=From=+33 7 ** ** ** 78&Body=OUI"},
      {"msisdn=33612345678 text=STOP", "msisdn=+33 6 ** ** ** 78 text=STOP"},
      {"{\"phone\":\"+33612345678\"}", "{\"phone\":\"+33 6 ** ** ** 78\"}"},
      {"tel:+33612345678", "tel:+33 6 ** ** ** 78"},
      {"Appelez le 0612345678.", "Appelez le +33 6 ** ** ** 78."},
      {"0612345678", "+33 6 ** ** ** 78"},
      {"coach=03 80 12 34 56", "coach=+33 3 ** ** ** 56"},
  }));
  CAPTURE(line);
  CHECK(mask_phones(line) == expected);
}

TEST_CASE("several numbers in one line are all masked", "[mask]") {
  CHECK(mask_phones("merge from=0612345678 into=+33798765432 count=2") ==
        "merge from=+33 6 ** ** ** 78 into=+33 7 ** ** ** 32 count=2");
  CHECK(mask_phones("count=10 0612345678") == "count=10 +33 6 ** ** ** 78");
}

TEST_CASE("foreign numbers are masked like mask_phone does", "[mask]") {
  const std::string number = GENERATE(as<std::string>{}, "+447700900123", "+212612345678",
                                      "+14155552671");
  CAPTURE(number);
  const std::string masked = mask_phones("to=" + number + " ok");
  CHECK(masked == "to=" + relais::mask_phone(number) + " ok");
  CHECK(masked.find(number.substr(4, 5)) == std::string::npos);
}

TEST_CASE("numbers that cannot be phone numbers are left alone", "[mask]") {
  const std::string line = GENERATE(as<std::string>{},
      "date=2026-11-25",
      "at 2026-11-25T14:30:00Z",
      "session le 25/11/2026 à 14h30",
      "time=14:30:00",
      "count=42 retries=3",
      "amount=1234.56 EUR",
      "amount=1 234,56 €",
      "job=12345678",
      "ts=1764028800 ms=1764028800123",
      "ip=192.168.0.61",
      "ratio=0.0612345678",
      "ref=A0612345678 hash=ab0612345678cd",
      "uuid=550e8400-e29b-41d4-a716-446655440000",
      "id=0612345678901",
      "short=06 12 34 56",
      "mixed=05 2026-11-25",
      "version 0.1.0 cohort 2026",
      "masked=+33 6 ** ** ** 78",
      "sum=1+2+3",
      "");
  CAPTURE(line);
  CHECK(mask_phones(line) == line);
}

TEST_CASE("masking a line twice changes nothing more", "[mask]") {
  const std::string once = mask_phones("from 06 12 34 56 78 to +33612345678 at 14:30");
  CHECK(once == "from +33 6 ** ** ** 78 to +33 6 ** ** ** 78 at 14:30");
  CHECK(mask_phones(once) == once);
}

TEST_CASE("no digit of a masked number's middle reaches the line", "[mask]") {
  const std::string masked = mask_phones("a=0612345678 b=+33612345678 c=06.12.34.56.78");
  CHECK(masked.find("1234") == std::string::npos);
  CHECK(masked.find("12.34") == std::string::npos);
  CHECK(masked.find("6123") == std::string::npos);
}
