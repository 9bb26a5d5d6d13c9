#include <catch2/catch.hpp>

#include "bot/import/csv.hpp"

using relais::CsvTable;
using relais::parse_csv;

namespace {

CsvTable parse_ok(std::string_view text) {
  auto table = parse_csv(text);
  if (!table) FAIL("line " << table.error().line << ": " << table.error().message);
  return *table;
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("the separator is the one the header line uses, ';' winning a tie", "[csv]") {
  auto [text, separator] = GENERATE(table<std::string, char>({
      {"a,b,c\n1,2,3\n", ','},
      {"a;b;c\n1;2;3\n", ';'},
      {"a;b,c;d\n1;2,5;3\n", ';'},  // more ';' than ','
      {"a,b;c,d\n1,2;5,3\n", ','},  // more ',' than ';'
      {"a;b,c\n1;2,3\n", ';'},      // one of each: ';'
      {"\"a,b\";c\n1;2\n", ';'},    // the comma inside quotes does not count
      {"single\nvalue\n", ','},
      {"\n;;\n a;b\n1;2\n", ';'},  // empty rows above the header are not the header
  }));
  CAPTURE(text);
  CHECK(parse_ok(text).separator == separator);
}

TEST_CASE("a BOM is skipped and CRLF, LF and CR line ends all end records", "[csv]") {
  auto text =
      GENERATE(as<std::string>{}, "\xEF\xBB\xBFname;phone\r\nAmina;0612\r\n",
               "name;phone\nAmina;0612\n", "name;phone\rAmina;0612\r", "name;phone\nAmina;0612");
  CAPTURE(text);
  auto table = parse_ok(text);
  CHECK(table.header == Fields{"name", "phone"});
  REQUIRE(table.rows.size() == 1);
  CHECK(table.rows[0].fields == Fields{"Amina", "0612"});
  CHECK(table.rows[0].line == 2);
}

TEST_CASE("quoted fields keep separators, doubled quotes and line breaks", "[csv]") {
  auto table = parse_ok(
      "name,notes,id\r\n"
      "\"Doe, Jane\",\"said \"\"hello\"\"\r\nthen left\",7\r\n"
      "Amina,\"\",8\r\n");
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0].fields == Fields{"Doe, Jane", "said \"hello\"\nthen left", "7"});
  CHECK(table.rows[0].line == 2);
  // The record after a two-line cell starts on physical line 4.
  CHECK(table.rows[1].line == 4);
  CHECK(table.rows[1].fields == Fields{"Amina", "", "8"});
}

TEST_CASE("spaces around a quoted field are allowed and not kept", "[csv]") {
  auto table = parse_ok("a,b\n  \"x, y\"  ,z\n");
  REQUIRE(table.rows.size() == 1);
  CHECK(table.rows[0].fields == Fields{"x, y", "z"});
}

TEST_CASE("blank lines and rows of empty cells are skipped", "[csv]") {
  auto table = parse_ok("\r\na;b;c\r\n\r\n1;2;3\r\n;;\r\n   \r\n4;5;6\r\n\r\n\r\n");
  CHECK(table.header_line == 2);
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0].line == 4);
  CHECK(table.rows[1].line == 7);
  CHECK(table.rows[1].fields == Fields{"4", "5", "6"});
}

TEST_CASE("a short record is padded and empty extra cells are dropped", "[csv]") {
  auto table = parse_ok("a;b;c;;\n1\n1;2;3;;;\n");
  CHECK(table.header == Fields{"a", "b", "c"});
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0].fields == Fields{"1", "", ""});
  CHECK(table.rows[1].fields == Fields{"1", "2", "3"});
}

TEST_CASE("malformed CSV is refused with the line of the problem", "[csv]") {
  auto [text, line, reason] = GENERATE(table<std::string, int, std::string>({
      {"a,b\n1,2\n\"open,3\n4,5\n", 3, "unterminated quote"},
      {"a,b\n1,\"two\nlines\n", 2, "unterminated quote"},
      {"a,b\n1,ab\"c\n", 2, "quote inside an unquoted field"},
      {"a,b\n1,\"ab\"c\n", 2, "text after a closing quote"},
      {"a,b\n1,2\n1,2,3\n", 3, "3 fields but the header has 2"},
      {"a;b\n1;2\nPr\xE9nom;x\n", 3, "invalid UTF-8"},
      {"a;b\n1;\"x\ny\"\n\xC3\x28;z\n", 4, "invalid UTF-8"},
      {"", 0, "empty"},
      {"\xEF\xBB\xBF\r\n;;\r\n", 0, "empty"},
  }));
  CAPTURE(text);
  auto result = parse_csv(text);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().line == line);
  CHECK_THAT(result.error().message, Catch::Contains(reason));
}

TEST_CASE("a header-only file has no rows", "[csv]") {
  auto table = parse_ok("a,b\n");
  CHECK(table.header == Fields{"a", "b"});
  CHECK(table.rows.empty());
}
