#include <catch2/catch.hpp>

#include <string>

#include "bot/core/text.hpp"
#include "dialogs/understand.hpp"

using namespace relais;
using namespace relais::dialogs;

namespace Catch {
template <>
struct StringMaker<YesNo> {
  static std::string convert(YesNo v) {
    return v == YesNo::yes ? "yes" : v == YesNo::no ? "no" : "unclear";
  }
};
}  // namespace Catch

namespace {
constexpr int kNone = -1;  // expected "no number"
struct YesNoCase {
  const char* text;
  YesNo expected;
};
struct NumberCase {
  const char* text;
  int expected;
};
struct ChoiceCase {
  const char* text;
  const char* expected;  // "" for none
};

const std::vector<Choice> kNeeds = {
    {"childcare", {"garde", "enfant", "nounou", "crèche", "assistante maternelle"}},
    {"transport", {"transport", "bus", "tram", "voiture", "permis"}},
    {"health", {"santé", "médecin", "docteur", "bureau"}},
};
}  // namespace

TEST_CASE("replies are normalised: case, accents, punctuation, repeated letters, keycaps",
          "[dialogs][understand]") {
  struct Case { const char* text; const char* expected; };
  auto c = GENERATE(values<Case>({
      {"OUI!!!", "oui"}, {"Oui.", "oui"}, {"  Ouiii  ", "oui"}, {"Ouuuiiii", "oui"},
      {"nonnn", "non"}, {"okkk", "ok"}, {"Okk", "ok"}, {"ouii", "oui"}, {"nn", "nn"},
      {"nnnn", "nn"}, {"dacc", "dac"}, {"daccord", "daccord"}, {"appelle", "appelle"},
      {"cool", "cool"}, {"1000", "1000"}, {"D'accord 👍", "d accord 👍"},
      {"d’accord", "d accord"}, {"Bien sûr !", "bien sur"}, {"ÇA   MARCHE", "ca marche"},
      {"«oui»", "oui"}, {"oui… merci", "oui merci"}, {"4/5", "4 5"}, {"3️⃣", "3"},
      {"1️⃣0️⃣", "10"}, {"🔟", "10"}, {"٤", "4"}, {"۵", "5"}, {"👍👍👍", "👍"},
      {"👍 👍", "👍"}, {"ok👍", "ok 👍"}, {"👍🏽", "👍"}, {"2enfants", "2 enfants"},
      {"le 1er", "le 1 er"}, {"نعممم", "نعم"}, {"نعـــم", "نعم"}, {"أيوه", "ايوه"},
      {"ثلاثة", "ثلاثه"}, {"لا، شكرا؟", "لا شكرا"}, {"", ""}, {"?!...", ""},
  }));
  CAPTURE(c.text);
  CHECK(normalise_reply(c.text) == c.expected);
}

TEST_CASE("yes and no are understood the way participants text them", "[dialogs][understand]") {
  auto c = GENERATE(values<YesNoCase>({
      {"oui", YesNo::yes}, {"OUI!!!", YesNo::yes}, {"Oui.", YesNo::yes}, {"ouiii", YesNo::yes},
      {"ouii", YesNo::yes}, {"Ouais", YesNo::yes}, {"ouai", YesNo::yes}, {"wi", YesNo::yes},
      {"ok", YesNo::yes}, {"OK !", YesNo::yes}, {"okkk", YesNo::yes}, {"oki", YesNo::yes},
      {"okay", YesNo::yes}, {"dac", YesNo::yes}, {"d'ac", YesNo::yes}, {"d'accord", YesNo::yes},
      {"daccord", YesNo::yes}, {"D'accord 👍", YesNo::yes}, {"bien sûr", YesNo::yes},
      {"Bien sur", YesNo::yes}, {"yes", YesNo::yes}, {"yep", YesNo::yes}, {"👍", YesNo::yes},
      {"👍🏽👍🏽", YesNo::yes}, {"✅", YesNo::yes}, {"volontiers", YesNo::yes},
      {"c'est bon", YesNo::yes}, {"je viens", YesNo::yes}, {"je serai là", YesNo::yes},
      {"j'y serai", YesNo::yes}, {"pas de souci", YesNo::yes}, {"ça marche", YesNo::yes},
      {"Bonjour oui merci", YesNo::yes}, {"oui inchallah", YesNo::yes}, {"ok👍", YesNo::yes},
      {"oui je serai là demain à 10h merci", YesNo::yes},
      {"Bonjour madame, oui bien sûr, merci beaucoup bonne journée 😊", YesNo::yes},
      {"non", YesNo::no}, {"NON!", YesNo::no}, {"nonnn", YesNo::no}, {"Noooon", YesNo::no},
      {"nn", YesNo::no}, {"nan", YesNo::no}, {"no", YesNo::no}, {"nope", YesNo::no}, {"pas possible", YesNo::no},
      {"je peux pas", YesNo::no}, {"je ne peux pas", YesNo::no}, {"j'peux pas", YesNo::no},
      {"impossible", YesNo::no}, {"👎", YesNo::no}, {"❌", YesNo::no}, {"non merci", YesNo::no},
      {"je viens pas", YesNo::no}, {"je ne viendrai pas", YesNo::no},
      {"je serai pas là", YesNo::no}, {"j'y serai pas", YesNo::no},
      {"ça me va pas", YesNo::no}, {"pas d'accord", YesNo::no},
      {"désolée je suis malade donc non", YesNo::no},
      {"Non désolée mon fils est malade", YesNo::no},
  }));
  CAPTURE(c.text);
  CHECK(understand_yes_no(c.text, "fr", false) == c.expected);
}

TEST_CASE("a reply that hesitates, contradicts itself or mentions no only in passing is unclear",
          "[dialogs][understand]") {
  auto text = GENERATE(as<std::string>{}, "", "   ", "😊", "🙏🏽😊", "merci", "Bonjour",
                       "oui mais non", "ok mais je peux pas", "👍👎",
                       "je ne sais pas si je peux venir non plus", "peut-être", "oui peut-être",
                       "je sais pas", "jsp", "pas sûre", "on verra", "ça marche pas",
                       "je viens de voir votre message", "c'est à quelle heure ?",
                       "je suis non seulement fatiguée mais aussi en retard", "1", "2",
                       "sure", "لا", "wah");
  CAPTURE(text);
  CHECK(understand_yes_no(text, "fr", false) == YesNo::unclear);
}

TEST_CASE("1 and 2 answer a yes/no question only when the question offered them",
          "[dialogs][understand]") {
  auto c = GENERATE(values<YesNoCase>({
      {"1", YesNo::yes}, {"2", YesNo::no}, {"1️⃣", YesNo::yes}, {"2️⃣", YesNo::no},
      {"١", YesNo::yes}, {"٢", YesNo::no}, {"1 merci", YesNo::yes}, {"1 ou 2", YesNo::unclear},
      {"3", YesNo::unclear}, {"1 non", YesNo::unclear}, {"oui", YesNo::yes},
  }));
  CAPTURE(c.text);
  CHECK(understand_yes_no(c.text, "fr", true) == c.expected);
  if (c.expected != YesNo::unclear && std::string(c.text) != "oui")
    CHECK(understand_yes_no(c.text, "fr", false) == YesNo::unclear);
}

TEST_CASE("English and Arabic replies are understood for participants using those languages",
          "[dialogs][understand]") {
  struct Case { const char* text; const char* language; YesNo expected; };
  auto c = GENERATE(values<Case>({
      {"Yes", "en", YesNo::yes}, {"yeah!", "en", YesNo::yes}, {"sure", "en", YesNo::yes},
      {"of course 👍", "en", YesNo::yes}, {"I can't wait!", "EN", YesNo::yes},
      {"no", "en", YesNo::no}, {"nope", "en", YesNo::no}, {"I can't", "en", YesNo::no},
      {"sorry, can't", "en", YesNo::no}, {"not sure", "en", YesNo::unclear},
      {"maybe", "en", YesNo::unclear}, {"oui", "en", YesNo::yes},
      {"نعم", "ar", YesNo::yes}, {"أيوه", "ar", YesNo::yes}, {"ايوه", "ar", YesNo::yes},
      {"آه", "ar", YesNo::yes}, {"نعممم", "ar-MA", YesNo::yes}, {"لا بأس", "ar", YesNo::yes},
      {"نعم إن شاء الله", "ar", YesNo::yes}, {"لا", "ar", YesNo::no},
      {"لا، شكرا", "ar", YesNo::no}, {"ممكن", "ar", YesNo::unclear},
      {"نعم لا", "ar", YesNo::unclear}, {"oui", "ar", YesNo::yes}, {"non", "ar_DZ", YesNo::no},
      {"wah", "ar", YesNo::unclear},
  }));
  CAPTURE(c.text, c.language);
  CHECK(understand_yes_no(c.text, c.language, false) == c.expected);
}

TEST_CASE("numbers are read from digits, keycaps, Arabic digits and words",
          "[dialogs][understand]") {
  auto c = GENERATE(values<NumberCase>({
      {"4", 4}, {"4/5", 4}, {"4 / 5", 4}, {"4 sur 5", 4}, {"5/5", 5}, {"je dirais 4", 4},
      {"Je dirais 4, oui 4 !", 4}, {"4️⃣", 4}, {"٤", 4}, {"٤/٥", 4}, {"quatre", 4},
      {"Quatre !", 4}, {"cinq", 5}, {"un", 1}, {"Une.", 1}, {"le 1er", 1}, {"1", 1},
      {"4 ou 5", kNone}, {"3/4", kNone}, {"4,5", kNone}, {"6", kNone}, {"0", kNone},
      {"six", kNone}, {"bof", kNone}, {"", kNone}, {"j'ai une question", kNone},
      {"2 enfants et je dirais 4", kNone}, {"0612345678", kNone},
      {"99999999999999999999999999", kNone}, {"four", kNone},
  }));
  CAPTURE(c.text);
  CHECK(understand_number(c.text, 1, 5, "fr").value_or(kNone) == c.expected);
}

TEST_CASE("numbers follow the range and the participant's language", "[dialogs][understand]") {
  struct Case { const char* text; int min, max; const char* language; int expected; };
  auto c = GENERATE(values<Case>({
      {"10/10", 0, 10, "fr", 10}, {"dix", 0, 10, "fr", 10}, {"zéro", 0, 10, "fr", 0},
      {"🔟", 0, 10, "fr", 10}, {"8", 0, 10, "fr", 8}, {"11", 0, 10, "fr", kNone},
      {"4", 5, 1, "fr", kNone}, {"four", 1, 5, "en", 4}, {"one", 1, 5, "en", 1},
      {"4 out of 5", 1, 5, "en", 4}, {"٣", 1, 5, "ar", 3}, {"ثلاثة", 1, 5, "ar", 3},
      {"ثلاثه", 1, 5, "ar", 3}, {"أربعة", 1, 5, "ar", 4}, {"خمسة", 1, 5, "ar", 5},
      {"واحد", 1, 5, "ar", 1}, {"عشرة", 0, 10, "ar", 10}, {"ثلاثة", 1, 5, "fr", kNone},
  }));
  CAPTURE(c.text, c.min, c.max, c.language);
  CHECK(understand_number(c.text, c.min, c.max, c.language).value_or(kNone) == c.expected);
}

TEST_CASE("a choice is understood by its number or by one of its words", "[dialogs][understand]") {
  auto c = GENERATE(values<ChoiceCase>({
      {"2", "transport"}, {"2️⃣", "transport"}, {"deux", "transport"}, {"le 2", "transport"},
      {"2 le bus", "transport"}, {"la garde", "childcare"}, {"GARDE des enfants", "childcare"},
      {"enfants", "childcare"}, {"nounous", "childcare"}, {"Crèches", "childcare"},
      {"une assistante maternelle", "childcare"}, {"les bus", "transport"},
      {"3 : santé", "health"}, {"Médecin!", "health"}, {"docteurs", "health"},
      {"bureaux", "health"}, {"Bonjour, le permis merci", "transport"},
  }));
  CAPTURE(c.text);
  CHECK(understand_choice(c.text, kNeeds, "fr").value_or("") == c.expected);
}

TEST_CASE("naming two choices, both or none gives no choice", "[dialogs][understand]") {
  auto text = GENERATE(as<std::string>{}, "bus et garde", "1 et 2", "1 le bus", "les deux",
                       "4", "0", "rien", "", "👍", "tramway", "j'ai une voiture et 2 enfants");
  CAPTURE(text);
  CHECK_FALSE(understand_choice(text, kNeeds, "fr"));
}

TEST_CASE("choices read numbers in the participant's language", "[dialogs][understand]") {
  CHECK(understand_choice("two", kNeeds, "en") == std::optional<std::string>("transport"));
  CHECK(understand_choice("both", kNeeds, "en") == std::nullopt);
  CHECK(understand_choice("اثنين", kNeeds, "ar") == std::optional<std::string>("transport"));
  CHECK(understand_choice("2", {}, "fr") == std::nullopt);
}

TEST_CASE("empty, emoji-only, very long and malformed messages are handled",
          "[dialogs][understand]") {
  SECTION("very long texts") {
    std::string oui;
    while (oui.size() < 10'000) oui += "oui ";
    CHECK(understand_yes_no(oui, "fr", false) == YesNo::yes);
    std::string rambling;
    while (rambling.size() < 10'000) rambling += "je ne sais pas trop, 2 ou 3 enfants 👍 ";
    CHECK(understand_yes_no(rambling, "fr", true) == YesNo::unclear);
    CHECK_FALSE(understand_number(rambling, 1, 5, "fr"));
    CHECK_FALSE(understand_choice(rambling, kNeeds, "fr"));
    const std::string letters(10'000, 'o');
    CHECK(normalise_reply(letters) == "o");
    const std::string digits(10'000, '7');
    CHECK_FALSE(understand_number(digits, 0, 10, "fr"));
    std::string thumbs;
    while (thumbs.size() < 10'000) thumbs += "👍";
    CHECK(normalise_reply(thumbs) == "👍");
  }
  SECTION("invalid UTF-8 is dropped, never a crash") {
    auto text = GENERATE(as<std::string>{}, "oui\xff\xfe", "\xc3", "\xe2\x82", "\xf0\x9f\x91",
                         "\x80\x80non", "o\xc0\xafui");
    CAPTURE(text);
    CHECK(is_valid_utf8(normalise_reply(text)));
    (void)understand_yes_no(text, "fr", true);
    (void)understand_number(text, 0, 10, "ar");
    (void)understand_choice(text, kNeeds, "en");
  }
  CHECK(understand_yes_no("oui\xff", "fr", false) == YesNo::yes);
  CHECK(understand_yes_no("\x80\x80non", "fr", false) == YesNo::no);
}
