#include <catch2/catch.hpp>

#include <string>

#include "bot/core/text.hpp"

using relais::fold;
using relais::fold_compact;
using relais::trim;

TEST_CASE("fold makes names compare without case, accents or extra spaces", "[text]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"  Élodie  MARTIN ", "elodie martin"},
      {"ÇA VA", "ca va"},
      {"Hélène\u00A0\u00A0Dupré", "helene dupre"},
      {"Straße", "strasse"},
      {"ＡＭＩＮＡ", "amina"},      // full-width forms (NFKC)
      {"Marie-Claire", "marie-claire"},
      {"\tN’Diaye\n", "n’diaye"},
      {"", ""},
      {"   ", ""},
  }));
  CAPTURE(input);
  CHECK(fold(input) == expected);
}

TEST_CASE("fold drops invalid UTF-8 bytes instead of failing", "[text]") {
  CHECK(fold("Caf\xE9 ok") == "caf ok");
  CHECK(fold("\xFF\xFE") == "");
}

TEST_CASE("fold_compact makes hyphenated and spaced names equal", "[text]") {
  const std::string name = GENERATE(as<std::string>{}, "Marie-Claire", "marie claire",
                                    "MARIECLAIRE", "Marie\u2011Claire", " marie - claire ");
  CAPTURE(name);
  CHECK(fold_compact(name) == "marieclaire");
}

TEST_CASE("fold_compact drops apostrophes", "[text]") {
  CHECK(fold_compact("N’Diaye") == "ndiaye");
  CHECK(fold_compact("N'Diaye") == "ndiaye");
  CHECK(fold_compact("d'Alembert") == fold_compact("DALEMBERT"));
}

TEST_CASE("trim removes ASCII and Unicode white space at both ends only", "[text]") {
  auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"  bonjour  ", "bonjour"},
      {"\u00A0\u202Fbonjour à tous\t\r\n", "bonjour à tous"},
      {"\u3000x\u2009", "x"},
      {"a  b", "a  b"},
      {"", ""},
      {" \t\n", ""},
  }));
  CAPTURE(input);
  CHECK(trim(input) == expected);
}

TEST_CASE("is_valid_utf8 tells well-formed text from bad bytes", "[text]") {
  CHECK(relais::is_valid_utf8("Élodie 🎉"));
  CHECK(relais::is_valid_utf8(""));
  CHECK_FALSE(relais::is_valid_utf8("caf\xE9"));
  CHECK_FALSE(relais::is_valid_utf8("\xE2\x80"));
}
