#include <catch2/catch.hpp>

#include "import_test_support.hpp"

using namespace relais;
using namespace relais::testing;

namespace {

const std::string kHeader =
    "Prénom;Téléphone;Groupe;Consentement;Freins;Binôme;Canal;Langue;Consentement_conseils";

// Parses one data row (line 2) under kHeader.
ParticipantsFile parse_row(const std::string& row, const Config& config = import_config()) {
  return parse_participants_csv(kHeader + "\r\n" + row + "\r\n", config);
}

ParticipantRecord only_record(const ParticipantsFile& file) {
  for (const auto& e : file.errors) UNSCOPED_INFO(describe(e));
  REQUIRE(file.errors.empty());
  REQUIRE(file.rows.size() == 1);
  return file.rows[0].record;
}

// The single error of a one-row file, checked for line and column.
ImportIssue only_error(const ParticipantsFile& file, const std::string& column) {
  for (const auto& e : file.errors) UNSCOPED_INFO(describe(e));
  CHECK(file.rows.empty());
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 2);
  CHECK(file.errors[0].column == column);
  return file.errors[0];
}

}  // namespace

TEST_CASE("phones written the usual French ways become E.164", "[import][phone]") {
  auto written =
      GENERATE(as<std::string>{}, "06 12 34 56 78", "+33 6 12 34 56 78", "0033 6 12 34 56 78",
               "06.12.34.56.78", "0612345678", "06-12-34-56-78", "+33612345678", "612345678",
               " 06 12 34 56 78 ", "33612345678", "+33 (0)6 12 34 56 78",
               "06\u00A012\u00A034\u00A056\u00A078",  // no-break spaces
               "06\u202F12\u202F34\u202F56\u202F78",  // narrow no-break spaces
               "\u00A006 12 34 56 78\u00A0");
  CAPTURE(written);
  CHECK(only_record(parse_row("Amina;" + written + ";g1;oui")).phone == "+33612345678");
}

TEST_CASE("a phone that is not a number is an error naming it", "[import][phone]") {
  auto [written, reason] = GENERATE(table<std::string, std::string>({
      {"06 12 34", "not a valid phone number"},
      {"abc", "contains letters"},
      {"", "phone is empty"},
      {"+33 6 12 34 56 78 90", "not a"},
  }));
  CAPTURE(written);
  auto error = only_error(parse_row("Amina;" + written + ";g1;oui"), "Téléphone");
  CHECK_THAT(error.message, Catch::Contains(reason));
}

TEST_CASE("a landline is refused on an SMS channel, accepted on another", "[import][phone]") {
  auto error = only_error(parse_row("Louise;03 80 12 34 56;g1;oui"), "Téléphone");
  CHECK(error.message == "landline 03 80 12 34 56 cannot receive SMS");

  auto record = only_record(parse_row("Louise;03 80 12 34 56;g1;oui;;;tg"));
  CHECK(record.phone == "+33380123456");
  CHECK(record.channel == "tg");
}

TEST_CASE("a number that is not a mobile is refused on an SMS channel", "[import][phone]") {
  auto error = only_error(parse_row("Louise;09 51 23 45 67;g1;oui"), "Téléphone");
  CHECK(error.message == "09 51 23 45 67 cannot receive SMS (not a mobile number)");
}

TEST_CASE("the SMS channel types are the ones that address phones", "[import]") {
  auto [type, sms] = GENERATE(table<std::string, bool>({
      {"console", true},
      {"twilio", true},
      {"vonage", true},
      {"brevo", true},
      {"android", true},
      {"telegram", false},
      {"whatsapp", false},
      {"", false},
      {"Twilio", false},
  }));
  CAPTURE(type);
  CHECK(channel_type_is_sms(type) == sms);
}

TEST_CASE("consent accepts yes and no in English and French, any case", "[import][consent]") {
  auto [written, consent] = GENERATE(table<std::string, bool>({
      {"oui", true},
      {"Oui", true},
      {"OUI", true},
      {"yes", true},
      {"Yes", true},
      {"y", true},
      {"o", true},
      {"O", true},
      {" oui ", true},
      {"non", false},
      {"Non", false},
      {"NO", false},
      {"n", false},
      {"N", false},
  }));
  CAPTURE(written);
  CHECK(only_record(parse_row("Amina;0612345678;g1;" + written)).consent == consent);
}

TEST_CASE("any other consent is an error listing what is accepted", "[import][consent]") {
  auto written = GENERATE(as<std::string>{}, "peut-être", "1", "true", "vrai", "ouii", "");
  CAPTURE(written);
  auto error = only_error(parse_row("Amina;0612345678;g1;" + written), "Consentement");
  CHECK_THAT(error.message, Catch::Contains("accepted: yes, oui, y, o, no, non, n"));
}

TEST_CASE("the cohort is one of the config's, stored as its id", "[import][cohort]") {
  auto written = GENERATE(as<std::string>{}, "g1", "G1", " g1 ");
  CAPTURE(written);
  CHECK(only_record(parse_row("Amina;0612345678;" + written + ";oui")).cohort == "g1");

  auto error = only_error(parse_row("Amina;0612345678;g9;oui"), "Groupe");
  CHECK(error.message == "unknown cohort \"g9\" (cohorts: g1, g2)");
  auto empty = only_error(parse_row("Amina;0612345678;;oui"), "Groupe");
  CHECK_THAT(empty.message, Catch::Contains("cohort is empty"));
}

TEST_CASE("the first name is trimmed, required and at most 60 characters", "[import][name]") {
  CHECK(only_record(parse_row("  Élodie  ;0612345678;g1;oui")).first_name == "Élodie");
  // 60 characters with accents (2 bytes each) is still fine.
  std::string sixty;
  for (int i = 0; i < 60; ++i) sixty += "é";
  CHECK(only_record(parse_row(sixty + ";0612345678;g1;oui")).first_name == sixty);

  auto [written, reason] = GENERATE(table<std::string, std::string>({
      {"", "first name is empty"},
      {"   ", "first name is empty"},
      {std::string(61, 'a'), "61 characters long (at most 60)"},
      {"\"Ami\nna\"", "line break"},
  }));
  CAPTURE(written);
  auto error = only_error(parse_row(written + ";0612345678;g1;oui"), "Prénom");
  CHECK_THAT(error.message, Catch::Contains(reason));
}

TEST_CASE("barriers are read in either language and stored as English ids once",
          "[import][barriers]") {
  auto [written, ids] = GENERATE(table<std::string, std::vector<std::string>>({
      {"", {}},
      {"childcare", {"childcare"}},
      {"Garde-enfants", {"childcare"}},
      {"garde enfants", {"childcare"}},
      {"Mobilité|NUMÉRIQUE", {"mobility", "digital"}},
      {"confiance | isolement", {"confidence", "isolation"}},
      {"digital|numérique|Digital", {"digital"}},
      {"mobility||", {"mobility"}},
      {"isolation|confidence|mobility|digital|childcare",
       {"isolation", "confidence", "mobility", "digital", "childcare"}},
  }));
  CAPTURE(written);
  CHECK(only_record(parse_row("Amina;0612345678;g1;oui;" + written)).barriers == ids);
}

TEST_CASE("an unknown barrier is an error naming it and the accepted ones", "[import][barriers]") {
  auto error = only_error(parse_row("Amina;0612345678;g1;oui;transport|garde, mobilité"), "Freins");
  CHECK_THAT(error.message,
             Catch::StartsWith("unknown barrier \"transport\", \"garde, mobilité\""));
  CHECK_THAT(error.message, Catch::Contains("childcare/garde-enfants"));
}

TEST_CASE("defaults: French, the default channel, tips as consent, no buddy",
          "[import][defaults]") {
  auto consent = GENERATE(as<std::string>{}, "oui", "non");
  CAPTURE(consent);
  auto record = only_record(parse_row("Amina;0612345678;g1;" + consent));
  CHECK(record.language == "fr");
  CHECK(record.channel == "sms");
  CHECK(record.consent_tips == (consent == "oui"));
  CHECK_FALSE(record.buddy_phone);
  CHECK_FALSE(record.external_id);
  CHECK(record.barriers.empty());

  // Without the optional columns at all, the same defaults.
  auto file = parse_participants_csv(
      "prenom,phone,groupe,consent\nAmina,0612345678,g1," + consent + "\n", import_config());
  REQUIRE(file.rows.size() == 1);
  CHECK(file.rows[0].record.language == "fr");
  CHECK(file.rows[0].record.channel == "sms");
  CHECK(file.rows[0].record.consent_tips == (consent == "oui"));
}

TEST_CASE("consent to tips may differ from consent", "[import][defaults]") {
  CHECK_FALSE(only_record(parse_row("Amina;0612345678;g1;oui;;;;;non")).consent_tips);
  CHECK(only_record(parse_row("Amina;0612345678;g1;oui;;;;;Oui")).consent_tips);
  auto error = only_error(parse_row("Amina;0612345678;g1;oui;;;;;bof"), "Consentement_conseils");
  CHECK_THAT(error.message, Catch::Contains("\"bof\" is not yes or no"));
}

TEST_CASE("the language is a 2-letter code stored in lower case", "[import][language]") {
  CHECK(only_record(parse_row("Amina;0612345678;g1;oui;;;;en")).language == "en");
  CHECK(only_record(parse_row("Amina;0612345678;g1;oui;;;;AR")).language == "ar");
  auto written = GENERATE(as<std::string>{}, "français", "fra", "f", "f1");
  CAPTURE(written);
  auto error = only_error(parse_row("Amina;0612345678;g1;oui;;;;" + written), "Langue");
  CHECK_THAT(error.message, Catch::Contains("not a 2-letter language code"));
}

TEST_CASE("the channel is one of the config's, any case", "[import][channel]") {
  CHECK(only_record(parse_row("Amina;0612345678;g1;oui;;;TG")).channel == "tg");
  auto error = only_error(parse_row("Amina;0612345678;g1;oui;;;whatsapp"), "Canal");
  CHECK(error.message == "unknown channel \"whatsapp\" (channels: sms, tg)");
}

TEST_CASE("a file naming no channel needs a default channel in the config", "[import][channel]") {
  Config config = import_config();
  config.default_channel.clear();
  auto error = only_error(parse_row("Amina;0612345678;g1;oui", config), "Canal");
  CHECK_THAT(error.message, Catch::Contains("no usable default channel"));
}

TEST_CASE("the buddy is another participant's phone, normalised", "[import][buddy]") {
  CHECK(only_record(parse_row("Amina;0612345678;g1;oui;;06.98.76.54.32")).buddy_phone ==
        std::optional<std::string>("+33698765432"));
  auto own = only_error(parse_row("Amina;0612345678;g1;oui;;+33 6 12 34 56 78"), "Binôme");
  CHECK_THAT(own.message, Catch::Contains("is her own phone"));
  auto bad = only_error(parse_row("Amina;0612345678;g1;oui;;06 98"), "Binôme");
  CHECK_THAT(bad.message, Catch::Contains("not a valid phone number"));
}

TEST_CASE("the external id is kept as written, trimmed", "[import]") {
  auto file = parse_participants_csv(
      "prénom;téléphone;groupe;consentement;identifiant\nAmina;0612345678;g1;oui; FT 0042 \n",
      import_config());
  REQUIRE(file.rows.size() == 1);
  CHECK(file.rows[0].record.external_id == std::optional<std::string>("FT 0042"));
}

TEST_CASE("every problem of a line is reported, each with its column", "[import]") {
  auto file = parse_row("Karima;abc;g7;bof;transport;;fax;french;peut-être");
  CHECK(file.rows.empty());
  std::vector<std::string> columns;
  for (const auto& e : file.errors) {
    CHECK(e.line == 2);
    columns.push_back(e.column);
  }
  CHECK_THAT(columns, Catch::UnorderedEquals(std::vector<std::string>{
                          "Téléphone", "Groupe", "Consentement", "Consentement_conseils", "Langue",
                          "Freins", "Canal"}));
}

TEST_CASE("one phone for two different people is an error on the later line",
          "[import][duplicates]") {
  auto file = parse_participants_csv(
      "Prénom;Téléphone;Groupe;Consentement\n"
      "Amina;06 12 34 56 78;g1;oui\n"
      "Jade;06 22 33 44 55;g1;oui\n"
      "Sophie;+33 6 12 34 56 78;g2;oui\n",
      import_config());
  REQUIRE(file.rows.size() == 2);
  CHECK(file.rows[0].record.first_name == "Amina");
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 4);
  CHECK(file.errors[0].column == "Téléphone");
  CHECK(file.errors[0].message ==
        "+33 6 12 34 56 78 is already the phone of Amina (line 2), not of Sophie (line 4): "
        "two people on one phone would read each other's messages");
}

TEST_CASE("the same person twice is a warning and the later line wins", "[import][duplicates]") {
  auto file = parse_participants_csv(
      "Prénom;Téléphone;Groupe;Consentement\n"
      "Marie-Claire;06 12 34 56 78;g1;oui\n"
      "Jade;06 22 33 44 55;g1;oui\n"
      "marie claire;0612345678;g2;non\n",
      import_config());
  CHECK(file.errors.empty());
  REQUIRE(file.rows.size() == 2);
  CHECK(file.rows[0].line == 4);
  CHECK(file.rows[0].record.first_name == "marie claire");
  CHECK(file.rows[0].record.cohort == "g2");
  CHECK_FALSE(file.rows[0].record.consent);
  REQUIRE(file.warnings.size() == 1);
  CHECK(file.warnings[0].line == 4);
  CHECK(file.warnings[0].column == "Téléphone");
  CHECK_THAT(file.warnings[0].message, Catch::Contains("same phone and first name as line 2"));
}

TEST_CASE("a third line on a phone is compared with the latest holder", "[import][duplicates]") {
  auto file = parse_participants_csv(
      "prenom,phone,cohort,consent\n"
      "Amina,0612345678,g1,yes\n"
      "AMINA,0612345678,g1,yes\n"
      "Sophie,0612345678,g1,yes\n",
      import_config());
  REQUIRE(file.rows.size() == 1);
  CHECK(file.rows[0].line == 3);
  REQUIRE(file.errors.size() == 1);
  CHECK(file.errors[0].line == 4);
  CHECK_THAT(file.errors[0].message, Catch::Contains("AMINA (line 3), not of Sophie (line 4)"));
}
