#include <catch2/catch.hpp>
#include <chrono>

#include "bot/import/csv.hpp"
#include "import_test_support.hpp"

using namespace relais;
using namespace relais::testing;

namespace {

using Ids = std::vector<std::string>;

ParticipantsFile parse_fixture(const std::string& name) {
  auto file = parse_participants_csv(read_fixture(name), import_config());
  for (const auto& e : file.errors) UNSCOPED_INFO("error " << describe(e));
  for (const auto& w : file.warnings) UNSCOPED_INFO("warning " << describe(w));
  return file;
}

}  // namespace

TEST_CASE("the fixtures kept their BOMs, line ends and encodings", "[import][fixtures]") {
  const std::string bom = "\xEF\xBB\xBF";
  auto excel = read_fixture("excel_fr.csv");
  CHECK(excel.rfind(bom, 0) == 0);
  CHECK(contains(excel, ";\r\n"));
  auto libre = read_fixture("libreoffice_en.csv");
  CHECK_FALSE(contains(libre, "\r"));
  auto sheets = read_fixture("google_sheets.csv");
  CHECK(contains(sheets, "\r\n"));
  CHECK(sheets.back() != '\n');
  CHECK(contains(read_fixture("excel_fr_windows1252.csv"), "Pr\xE9nom"));
}

TEST_CASE("an Excel French export is read: BOM, ';', CRLF, French headers", "[import][fixtures]") {
  auto file = parse_fixture("excel_fr.csv");
  CHECK(file.errors.empty());
  CHECK(file.warnings.empty());
  REQUIRE(file.rows.size() == 5);

  const auto& amina = file.rows[0];
  CHECK(amina.line == 2);
  CHECK(amina.record.first_name == "Amina");
  CHECK(amina.record.phone == "+33612345678");
  CHECK(amina.record.cohort == "g1");
  CHECK(amina.record.consent);
  CHECK(amina.record.consent_tips);
  CHECK(amina.record.barriers == Ids{"childcare", "mobility"});
  CHECK(amina.record.buddy_phone == std::optional<std::string>("+33698765432"));
  CHECK(amina.record.channel == "sms");
  CHECK(amina.record.language == "fr");

  CHECK(file.rows[1].record.first_name == "Élodie");
  CHECK(file.rows[1].record.phone == "+33611223344");
  const auto& fatou = file.rows[2].record;
  CHECK(fatou.phone == "+33622334455");
  CHECK_FALSE(fatou.consent);
  CHECK_FALSE(fatou.consent_tips);
  CHECK(fatou.barriers == Ids{"digital", "confidence"});
  CHECK(file.rows[3].record.first_name == "Marie-Claire");
  CHECK(file.rows[3].record.phone == "+33633445566");
  CHECK(file.rows[3].record.barriers == Ids{"isolation"});
  // Excel dropped the leading 0 of a number typed as a number.
  CHECK(file.rows[4].line == 6);
  CHECK(file.rows[4].record.phone == "+33612345679");
  CHECK(file.rows[4].record.consent);
}

TEST_CASE("a LibreOffice English export is read: ',', quotes, a line break in a cell",
          "[import][fixtures]") {
  auto file = parse_fixture("libreoffice_en.csv");
  CHECK(file.errors.empty());
  REQUIRE(file.warnings.size() == 1);
  CHECK(file.warnings[0].column == "notes");
  REQUIRE(file.rows.size() == 3);

  CHECK(file.rows[0].record.external_id == std::optional<std::string>("FT-001"));
  CHECK(file.rows[0].record.barriers == Ids{"childcare", "mobility"});
  const auto& nour = file.rows[1];
  CHECK(nour.line == 3);
  CHECK(nour.record.language == "ar");
  CHECK(nour.record.external_id == std::optional<std::string>("FT-002"));
  // The notes cell of line 3 spans two lines: the next record starts on line 5.
  const auto& jane = file.rows[2];
  CHECK(jane.line == 5);
  CHECK(jane.record.first_name == "Doe, Jane");
  CHECK(jane.record.channel == "tg");
  CHECK(jane.record.language == "en");
  CHECK_FALSE(jane.record.consent);
}

TEST_CASE("a Google Sheets export is read: headers with spaces, no final line end",
          "[import][fixtures]") {
  auto file = parse_fixture("google_sheets.csv");
  CHECK(file.errors.empty());
  CHECK(file.warnings.empty());
  REQUIRE(file.rows.size() == 3);
  CHECK(file.rows[0].record.consent);
  CHECK_FALSE(file.rows[0].record.consent_tips);
  CHECK(file.rows[0].record.buddy_phone == std::optional<std::string>("+33698765432"));
  CHECK(file.rows[0].record.external_id == std::optional<std::string>("PLIE-17"));
  CHECK(file.rows[1].record.phone == "+33622334455");
  CHECK(file.rows[1].record.consent_tips);  // empty: as consent
  CHECK(file.rows[2].line == 4);
  CHECK(file.rows[2].record.first_name == "Inès");
  CHECK(file.rows[2].record.phone == "+33633445566");
  CHECK_FALSE(file.rows[2].record.consent);
  CHECK(file.rows[2].record.consent_tips);
}

TEST_CASE("every bad line of a file is reported with its line, column and reason",
          "[import][fixtures]") {
  auto file = parse_fixture("bad_lines.csv");
  REQUIRE(file.rows.size() == 1);
  CHECK(file.rows[0].record.first_name == "Amina");

  auto [line, column, reason] = GENERATE(table<int, std::string, std::string>({
      {3, "Téléphone", "\"06 12 34\": not a valid phone number"},
      {4, "Téléphone", "landline 03 80 12 34 56 cannot receive SMS"},
      {5, "Groupe", "unknown cohort \"g9\""},
      {6, "Consentement", "\"peut-être\" is not yes or no"},
      {7, "Prénom", "first name is empty"},
      {8, "Téléphone", "is already the phone of Amina (line 2), not of Sophie (line 8)"},
      {10, "Binôme", "is her own phone"},
  }));
  CAPTURE(line, column);
  auto issues = issues_on(file.errors, line);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].column == column);
  CHECK_THAT(issues[0].message, Catch::Contains(reason));
}

TEST_CASE("a line with four problems gets four errors", "[import][fixtures]") {
  auto file = parse_fixture("bad_lines.csv");
  auto issues = issues_on(file.errors, 9);
  std::vector<std::string> columns;
  for (const auto& i : issues) columns.push_back(i.column);
  CHECK(columns == std::vector<std::string>{"Téléphone", "Groupe", "Consentement", "Freins"});
  CHECK(file.errors.size() == 11);
}

TEST_CASE("an unterminated quote is reported on the line where it opened", "[import][fixtures]") {
  auto file = parse_fixture("unterminated_quote.csv");
  CHECK(file.rows.empty());
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 3);
  CHECK_THAT(file.errors[0].message, Catch::Contains("unterminated quote"));
}

TEST_CASE("a Windows-1252 export is refused with a hint to save as CSV UTF-8",
          "[import][fixtures]") {
  auto file = parse_fixture("excel_fr_windows1252.csv");
  CHECK(file.rows.empty());
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 1);
  CHECK_THAT(file.errors[0].message, Catch::Contains("invalid UTF-8"));
  CHECK_THAT(file.errors[0].message, Catch::Contains("CSV UTF-8"));
}

TEST_CASE("a file without a cohort column is refused as a whole", "[import][fixtures]") {
  auto file = parse_fixture("missing_column.csv");
  CHECK(file.rows.empty());
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 0);
  CHECK_THAT(file.errors[0].message, Catch::Contains("cohort / groupe"));
  CHECK_THAT(file.errors[0].message,
             Catch::Contains("headers found: Prénom, Portable, Consentement, Commentaire"));
  REQUIRE(file.warnings.size() == 1);
  CHECK(file.warnings[0].column == "Commentaire");
}

// Run by hand to see the speed (`import_tests "[perf]"`, in a Release build).
TEST_CASE("100,000 lines are read", "[.][perf]") {
  std::string text = "Prénom;Téléphone;Groupe;Consentement;Freins\r\n";
  for (int i = 0; i < 100'000; ++i)
    text += "Amina;06 1" + std::to_string(1'000'000 + i) + ";g1;oui;mobilité\r\n";
  auto start = std::chrono::steady_clock::now();
  auto file = parse_participants_csv(text, import_config());
  auto elapsed = std::chrono::steady_clock::now() - start;
  WARN("100,000 lines in " << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                           << " ms");
  CHECK(file.errors.empty());
  CHECK(file.rows.size() == 100'000);
}
