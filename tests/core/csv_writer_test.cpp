#include <catch2/catch.hpp>

#include <string>

#include "bot/core/csv_writer.hpp"

using relais::csv_cell;
using relais::csv_line;

TEST_CASE("a cell a spreadsheet would run as a formula is written as text", "[csv]") {
  auto [value, expected] = GENERATE(table<std::string, std::string>({
      {"=HYPERLINK(\"http://x.example\";\"clic\")", "\"'=HYPERLINK(\"\"http://x.example\"\";\"\"clic\"\")\""},
      {"=1+2", "'=1+2"},
      {"+33612345678", "'+33612345678"},
      {"-2+3", "'-2+3"},
      {"@SUM(A1:A2)", "'@SUM(A1:A2)"},
      {"\t=1+2", "'\t=1+2"},
      {"\r=1+2", "\"'\r=1+2\""},
  }));
  CAPTURE(value);
  CHECK(csv_cell(value) == expected);
}

TEST_CASE("ordinary cells are left as they are, quoted only when they hold a separator", "[csv]") {
  auto [value, expected] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"Amina", "Amina"},
      {"12.5", "12.5"},
      {"a=b", "a=b"},  // only a leading '=' makes a formula
      {"Dupont, Amina", "\"Dupont, Amina\""},
      {"dit \"oui\"", "\"dit \"\"oui\"\"\""},
      {"deux\nlignes", "\"deux\nlignes\""},
      {"Élodie", "Élodie"},
  }));
  CAPTURE(value);
  CHECK(csv_cell(value) == expected);
}

TEST_CASE("a line joins its cells with commas and ends in CRLF", "[csv]") {
  CHECK(csv_line({"section", "cohort", "value"}) == "section,cohort,value\r\n");
  CHECK(csv_line({"=cmd|' /C calc'!A0", "a,b", ""}) == "'=cmd|' /C calc'!A0,\"a,b\",\r\n");
  CHECK(csv_line({}) == "\r\n");
}
