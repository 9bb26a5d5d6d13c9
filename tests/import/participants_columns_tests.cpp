#include <catch2/catch.hpp>

#include "import_test_support.hpp"

using namespace relais;
using namespace relais::testing;

namespace {

// A one-row file with `header` and `row`.
ParticipantsFile parse_one(const std::string& header, const std::string& row) {
  return parse_participants_csv(header + "\n" + row + "\n", import_config());
}

}  // namespace

TEST_CASE("headers are matched in English or French, any case, accents, spaces, _ or -",
          "[import][columns]") {
  auto header = GENERATE(
      as<std::string>{}, "first_name,phone,cohort,consent", "First Name,Phone,Cohort,Consent",
      "FIRST-NAME,PHONE,COHORT,CONSENT", "Prénom,Téléphone,Groupe,Consentement",
      "prenom,telephone,groupe,consentement", "PRÉNOM,Portable,GROUPE,CONSENTEMENT",
      "Prénom , Mobile , Groupe , Consentement", "Prénom,Téléphone portable,Cohorte,Consentement");
  CAPTURE(header);
  auto file = parse_one(header, "Amina,06 12 34 56 78,g1,oui");
  CHECK(file.errors.empty());
  CHECK(file.warnings.empty());
  REQUIRE(file.rows.size() == 1);
  CHECK(file.rows[0].record.first_name == "Amina");
  CHECK(file.rows[0].record.phone == "+33612345678");
  CHECK(file.rows[0].record.cohort == "g1");
  CHECK(file.rows[0].record.consent);
}

TEST_CASE("optional columns are read under either language's name", "[import][columns]") {
  auto header = GENERATE(
      as<std::string>{},
      "first_name;phone;cohort;consent;language;channel;barriers;buddy;consent_tips;external_id",
      "Prénom;Téléphone;Groupe;Consentement;Langue;Canal;Freins;Binôme;Consentement conseils;"
      "Identifiant");
  CAPTURE(header);
  auto file = parse_participants_csv(
      header + "\nAmina;0612345678;g1;oui;ar;tg;numérique;0698765432;non;FT-9\n", import_config());
  CHECK(file.errors.empty());
  CHECK(file.warnings.empty());
  REQUIRE(file.rows.size() == 1);
  const auto& r = file.rows[0].record;
  CHECK(r.language == "ar");
  CHECK(r.channel == "tg");
  CHECK(r.barriers == std::vector<std::string>{"digital"});
  CHECK(r.buddy_phone == std::optional<std::string>("+33698765432"));
  CHECK(r.consent_tips == false);
  CHECK(r.external_id == std::optional<std::string>("FT-9"));
}

TEST_CASE("an unknown column is ignored with a warning naming it", "[import][columns]") {
  auto file = parse_one("Prénom,Téléphone,Groupe,Consentement,Commentaire",
                        "Amina,06 12 34 56 78,g1,oui,à rappeler");
  CHECK(file.errors.empty());
  REQUIRE(file.rows.size() == 1);
  REQUIRE(file.warnings.size() == 1);
  CHECK(file.warnings[0].line == 1);
  CHECK(file.warnings[0].column == "Commentaire");
  CHECK_THAT(file.warnings[0].message, Catch::Contains("unknown column"));
}

TEST_CASE("each missing required column is one file-level error listing the headers found",
          "[import][columns]") {
  auto file = parse_one("Prénom;Portable;Commentaire", "Amina;06 12 34 56 78;x");
  CHECK(file.rows.empty());
  REQUIRE(file.errors.size() == 2);
  CHECK(file.errors[0].line == 0);
  CHECK_THAT(file.errors[0].message, Catch::Contains("missing required column cohort / groupe"));
  CHECK_THAT(file.errors[0].message,
             Catch::Contains("headers found: Prénom, Portable, Commentaire"));
  CHECK_THAT(file.errors[1].message, Catch::Contains("consent / consentement"));
}

TEST_CASE("two columns for the same field are an error and no row is read", "[import][columns]") {
  auto file = parse_one("Prénom;Téléphone;Portable;Groupe;Consentement",
                        "Amina;06 12 34 56 78;06 12 34 56 78;g1;oui");
  CHECK(file.rows.empty());
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 1);
  CHECK(file.errors[0].column == "Portable");
  CHECK_THAT(file.errors[0].message, Catch::Contains("\"Téléphone\" and \"Portable\""));
}

TEST_CASE("a file that is not CSV is one error with its line", "[import][columns]") {
  auto file = parse_participants_csv("prénom;phone\n\"Amina;06\n", import_config());
  CHECK(file.rows.empty());
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 2);
  CHECK(file.errors[0].column.empty());
  CHECK_THAT(file.errors[0].message, Catch::Contains("unterminated quote"));
}

TEST_CASE("issues read as one line for the command line", "[import]") {
  CHECK(describe({4, "Téléphone", "landline 03 80 12 34 56 cannot receive SMS"}) ==
        "line 4, column \"Téléphone\": landline 03 80 12 34 56 cannot receive SMS");
  CHECK(describe({0, "", "missing required column"}) == "file: missing required column");
}
