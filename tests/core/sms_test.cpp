#include <catch2/catch.hpp>

#include <string>
#include <tuple>

#include "bot/core/sms.hpp"

using relais::analyse_sms;
using relais::normalise_for_sms;
using relais::SmsEncoding;
using relais::split_sms;

namespace {

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p;
  return out;
}

// "ê" is not GSM-7: one of it makes a text UCS-2 at one unit per character.
const std::string kUcs = "ê";
const std::string kEmoji = "😀";  // U+1F600, a surrogate pair in UTF-16

}  // namespace

TEST_CASE("encodings are named as gateways and operators write them", "[sms]") {
  CHECK(relais::to_string(SmsEncoding::gsm7) == "GSM-7");
  CHECK(relais::to_string(SmsEncoding::ucs2) == "UCS-2");
}

TEST_CASE("an everyday French reminder fits in GSM-7", "[sms]") {
  const auto info =
      analyse_sms("Bonjour Amina, votre atelier mobilité est demain à 14h au centre social.");
  CHECK(info.encoding == SmsEncoding::gsm7);
  CHECK(info.units == 72);
  CHECK(info.segments == 1);
}

TEST_CASE("real French sentences get the right encoding, raw and normalised", "[sms][normalise]") {
  auto [text, raw, normalised, expected] = GENERATE(table<std::string, SmsEncoding, SmsEncoding, std::string>({
      {"Rendez-vous à l’atelier", SmsEncoding::ucs2, SmsEncoding::gsm7, "Rendez-vous à l'atelier"},
      {"Ça commence à 9h, salle Éluard.", SmsEncoding::gsm7, SmsEncoding::gsm7,
       "Ça commence à 9h, salle Éluard."},
      {"Reçu, merci !", SmsEncoding::ucs2, SmsEncoding::gsm7, "Recu, merci !"},
      {"« Atelier CV » mardi\u202F: pensez à votre pièce d’identité…", SmsEncoding::ucs2,
       SmsEncoding::gsm7, "\" Atelier CV \" mardi : pensez à votre pièce d'identité..."},
      {"Ticket de bus : 1,80 € — gratuit pour vous", SmsEncoding::ucs2, SmsEncoding::gsm7,
       "Ticket de bus : 1,80 € - gratuit pour vous"},
      {"À demain, Chloé ! Œuvre collective à 10h", SmsEncoding::ucs2, SmsEncoding::gsm7,
       "A demain, Chloé ! OEuvre collective à 10h"},
      {"Bravo pour ton entretien 🎉 à l’agence", SmsEncoding::ucs2, SmsEncoding::ucs2,
       "Bravo pour ton entretien 🎉 à l’agence"},
      {"مرحبا، موعدك غدا", SmsEncoding::ucs2, SmsEncoding::ucs2, "مرحبا، موعدك غدا"},
  }));
  CAPTURE(text);
  CHECK(analyse_sms(text).encoding == raw);
  const std::string out = normalise_for_sms(text);
  CHECK(out == expected);
  CHECK(analyse_sms(out).encoding == normalised);
}

TEST_CASE("an empty text is one empty GSM-7 segment", "[sms]") {
  const auto info = analyse_sms("");
  CHECK(info.encoding == SmsEncoding::gsm7);
  CHECK(info.units == 0);
  CHECK(info.segments == 1);
  CHECK(split_sms("") == std::vector<std::string>{""});
  CHECK(normalise_for_sms("").empty());
}

TEST_CASE("GSM-7 segment boundaries are 160 then 153 septets", "[sms][segments]") {
  auto [length, segments] = GENERATE(table<int, int>({
      {1, 1}, {160, 1}, {161, 2}, {306, 2}, {307, 3}, {459, 3}, {460, 4}}));
  CAPTURE(length);
  const auto info = analyse_sms(repeat("a", length));
  CHECK(info.encoding == SmsEncoding::gsm7);
  CHECK(info.units == length);
  CHECK(info.segments == segments);
}

TEST_CASE("UCS-2 segment boundaries are 70 then 67 units", "[sms][segments]") {
  auto [length, segments] = GENERATE(table<int, int>({
      {1, 1}, {70, 1}, {71, 2}, {134, 2}, {135, 3}, {201, 3}, {202, 4}}));
  CAPTURE(length);
  const auto info = analyse_sms(kUcs + repeat("a", length - 1));
  CHECK(info.encoding == SmsEncoding::ucs2);
  CHECK(info.units == length);
  CHECK(info.segments == segments);
}

TEST_CASE("every extension-table character counts two septets", "[sms]") {
  const std::string ch = GENERATE(as<std::string>{}, "^", "{", "}", "\\", "[", "~", "]", "|",
                                  "€", "\f");
  CAPTURE(ch);
  const auto info = analyse_sms("a" + ch);
  CHECK(info.encoding == SmsEncoding::gsm7);
  CHECK(info.units == 3);
}

TEST_CASE("the basic table's non-ASCII characters count one septet each", "[sms]") {
  // The 39 non-ASCII characters of the TS 23.038 default alphabet, plus CR and LF.
  const std::string basic = "£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\r\n";
  const auto info = analyse_sms(basic);
  CHECK(info.encoding == SmsEncoding::gsm7);
  CHECK(info.units == 41);
  CHECK(normalise_for_sms(basic) == basic);
}

TEST_CASE("characters outside both GSM-7 tables make the text UCS-2", "[sms]") {
  const std::string ch = GENERATE(as<std::string>{}, "`", "\t", std::string(1, '\x1B'),
                                  std::string(1, '\0'), "ç", "â", "’", "\u00A0", "α", "中");
  CAPTURE(ch);
  const auto info = analyse_sms("a" + ch);
  CHECK(info.encoding == SmsEncoding::ucs2);
  CHECK(info.units == 2);
}

TEST_CASE("capital Ç is GSM-7 and small ç is not, as TS 23.038 puts Ç at 0x09", "[sms][normalise]") {
  // Handsets disagree on how they show 0x09, so ç is written c rather than sent as 0x09.
  CHECK(analyse_sms("Ç").encoding == SmsEncoding::gsm7);
  CHECK(analyse_sms("ç").encoding == SmsEncoding::ucs2);
  CHECK(normalise_for_sms("Ça, c’est reçu") == "Ça, c'est recu");
}

TEST_CASE("a 160-septet text may end with an extension character", "[sms][segments]") {
  CHECK(analyse_sms(repeat("a", 158) + "€").segments == 1);
  CHECK(analyse_sms(repeat("a", 158) + "€").units == 160);
  CHECK(analyse_sms(repeat("a", 159) + "€").segments == 2);
}

TEST_CASE("an extension character straddling the 153 boundary moves to the next segment",
          "[sms][segments]") {
  const std::string text = repeat("a", 152) + "€" + repeat("b", 10);
  const auto parts = split_sms(text);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0] == repeat("a", 152));
  CHECK(parts[1] == "€" + repeat("b", 10));
  // 306 septets would fit two segments by division, but packing needs three.
  const auto info = analyse_sms(repeat("a", 152) + "€" + repeat("b", 152));
  CHECK(info.units == 306);
  CHECK(info.segments == 3);
}

TEST_CASE("an emoji at position 67 is not split across segments", "[sms][segments]") {
  const std::string text = kUcs + repeat("a", 65) + kEmoji + repeat("b", 10);
  const auto info = analyse_sms(text);
  CHECK(info.encoding == SmsEncoding::ucs2);
  CHECK(info.units == 78);
  const auto parts = split_sms(text);
  REQUIRE(parts.size() == 2);
  CHECK(parts[0] == kUcs + repeat("a", 65));
  CHECK(parts[1] == kEmoji + repeat("b", 10));
  // 134 units would fit two segments by division, but packing needs three.
  const auto longer = analyse_sms(kUcs + repeat("a", 65) + kEmoji + repeat("b", 66));
  CHECK(longer.units == 134);
  CHECK(longer.segments == 3);
}

TEST_CASE("an emoji counts two UTF-16 units", "[sms]") {
  CHECK(analyse_sms(kEmoji).units == 2);
  CHECK(analyse_sms(kEmoji + repeat("a", 68)).segments == 1);
  CHECK(analyse_sms(kEmoji + repeat("a", 69)).segments == 2);
}

TEST_CASE("split segments join back to the text and match the segment count", "[sms][segments]") {
  const std::string text = GENERATE(as<std::string>{}, "Bonjour",
                                    repeat("Atelier mobilité à 14h. ", 20),
                                    repeat("{[€]}", 70), repeat("Réunion 🎉 ", 30),
                                    repeat("ê", 200));
  CAPTURE(text);
  const auto info = analyse_sms(text);
  const auto parts = split_sms(text);
  CHECK(join(parts) == text);
  CHECK(static_cast<int>(parts.size()) == info.segments);
  const int capacity = info.encoding == SmsEncoding::gsm7 ? 153 : 67;
  for (const auto& part : parts) {
    CAPTURE(part);
    CHECK(analyse_sms(part).encoding == info.encoding);
    if (parts.size() > 1) CHECK(analyse_sms(part).units <= capacity);
  }
}

TEST_CASE("invalid UTF-8 is counted as UCS-2 replacement characters", "[sms]") {
  auto [text, units] = GENERATE(table<std::string, int>({
      {"caf\xE9", 4},               // Latin-1 é
      {"\xE2\x80", 2},              // truncated sequence
      {"\xC0\xAF", 2},              // overlong '/'
      {"\xED\xA0\x80", 3},          // UTF-16 surrogate
      {"\xF4\x90\x80\x80", 4},      // above U+10FFFF
      {"ok\xFF", 3},
  }));
  CAPTURE(text);
  const auto info = analyse_sms(text);
  CHECK(info.encoding == SmsEncoding::ucs2);
  CHECK(info.units == units);
  CHECK(normalise_for_sms(text) == text);
}

TEST_CASE("split replaces invalid bytes by U+FFFD", "[sms]") {
  CHECK(split_sms("caf\xE9") == std::vector<std::string>{"caf\xEF\xBF\xBD"});
}

TEST_CASE("the normaliser maps each character GSM-7 lacks to a faithful equivalent",
          "[sms][normalise]") {
  auto [from, to] = GENERATE(table<std::string, std::string>({
      {"’", "'"}, {"‘", "'"}, {"‚", "'"}, {"′", "'"}, {"‛", "'"}, {"`", "'"},
      {"«", "\""}, {"»", "\""}, {"“", "\""}, {"”", "\""}, {"„", "\""}, {"″", "\""},
      {"…", "..."},
      {"\u00A0", " "}, {"\u202F", " "}, {"\u2009", " "}, {"\u2002", " "}, {"\u2003", " "},
      {"\u2007", " "}, {"\u200A", " "}, {"\u205F", " "}, {"\u3000", " "}, {"\t", " "},
      {"–", "-"}, {"—", "-"}, {"‐", "-"}, {"‑", "-"}, {"−", "-"}, {"•", "-"},
      {"œ", "oe"}, {"Œ", "OE"},
      {"â", "a"}, {"ê", "e"}, {"î", "i"}, {"ô", "o"}, {"û", "u"}, {"ë", "e"}, {"ï", "i"},
      {"Â", "A"}, {"Ê", "E"}, {"Î", "I"}, {"Ô", "O"}, {"Û", "U"}, {"Ë", "E"}, {"Ï", "I"},
      {"ç", "c"},
      {"á", "a"}, {"í", "i"}, {"ó", "o"}, {"ú", "u"}, {"ÿ", "y"},
      {"À", "A"}, {"È", "E"}, {"Ù", "U"}, {"Ì", "I"}, {"Ò", "O"}, {"Ÿ", "Y"},
      {"ã", "a"}, {"õ", "o"}, {"Ý", "Y"},
      {"\u2028", "\n"},
      {"\u00AD", ""}, {"\u200B", ""}, {"\uFEFF", ""},
  }));
  CAPTURE(from, to);
  REQUIRE(analyse_sms(from).encoding == SmsEncoding::ucs2);
  const std::string out = normalise_for_sms("x" + from + "y");
  CHECK(out == "x" + to + "y");
  CHECK(analyse_sms(out).encoding == SmsEncoding::gsm7);
}

TEST_CASE("the normaliser keeps every character GSM-7 has", "[sms][normalise]") {
  const std::string text =
      "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
      "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\r\n\f";
  REQUIRE(analyse_sms(text).encoding == SmsEncoding::gsm7);
  CHECK(normalise_for_sms(text) == text);
}

TEST_CASE("the normaliser leaves a text with an emoji exactly as written", "[sms][normalise]") {
  const std::string text = "Félicitations\u202F! « Bravo » pour l’entretien 👏";
  CHECK(normalise_for_sms(text) == text);
  CHECK(analyse_sms(normalise_for_sms(text)).encoding == SmsEncoding::ucs2);
}

TEST_CASE("normalising can bring a long text from UCS-2 segments down to GSM-7 ones",
          "[sms][normalise]") {
  const std::string text = repeat("L’atelier a lieu à 14 h. ", 6);  // 150 characters
  CHECK(analyse_sms(text).segments == 3);
  const auto info = analyse_sms(normalise_for_sms(text));
  CHECK(info.encoding == SmsEncoding::gsm7);
  CHECK(info.segments == 1);
}
