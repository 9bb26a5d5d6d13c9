#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "dialogs/tips.hpp"

using namespace relais::dialogs;

namespace {
const std::filesystem::path kShipped = std::filesystem::path(RELAIS_SOURCE_DIR) / "config/tips";
const std::vector<std::string> kVenues = {"bib-fontaine-d-ouche", "cedre-chenove"};

// A folder of its own: ctest runs test cases of this file in parallel processes.
std::filesystem::path fresh_dir(const std::string& name) {
  static int n = 0;
  return std::filesystem::temp_directory_path() /
         (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
}

std::string error_of(const std::string& json) {
  auto dir = fresh_dir("relais-tips-test");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "fr");
  std::ofstream(dir / "fr/childcare.json") << json;
  try {
    Tips::load(dir, kVenues);
  } catch (const TipsError& e) {
    std::filesystem::remove_all(dir);
    return e.what();
  }
  std::filesystem::remove_all(dir);
  return "(loaded)";
}
}  // namespace

TEST_CASE("the shipped tips load, each with a source, in French and English", "[tips]") {
  Tips tips = Tips::load(kShipped, kVenues);
  CHECK(tips.all().size() >= 60);
  for (const char* barrier : {"childcare", "mobility", "digital", "confidence", "isolation"}) {
    CAPTURE(barrier);
    CHECK_FALSE(tips.for_barrier(barrier, "fr").empty());
    CHECK_FALSE(tips.for_barrier(barrier, "en").empty());
    CHECK(tips.for_barrier(barrier, "ar") == tips.for_barrier(barrier, "fr"));  // French fallback
  }
  for (const auto& t : tips.all()) {
    CAPTURE(t.id);
    CHECK_FALSE(t.source.empty());
  }
}

TEST_CASE("a tip file with a mistake is refused, naming the file and the tip", "[tips]") {
  struct Case { std::string json, expected; };
  auto c = GENERATE(values<Case>({
      {R"({"barrier": "garde", "language": "fr", "tips": []})", "unknown barrier \"garde\""},
      {R"({"barrier": "childcare", "language": "en", "tips": []})", "\"language\" must be \"fr\""},
      {R"({"barrier": "childcare", "language": "fr", "tips": [{"id": "a", "text": "x", "reviewed": false}]})",
       "tip \"a\": \"source\" is required"},
      {R"({"barrier": "childcare", "language": "fr", "tips": [{"id": "a", "text": "x", "source": "s"}]})",
       "tip \"a\": \"reviewed\" must be true or false"},
      {R"({"barrier": "childcare", "language": "fr", "tips": [{"id": "a", "text": "x", "source": "s", "reviewed": true, "venue": "mairie"}]})",
       "\"venue\": \"mairie\" is not a venue"},
      {R"({"barrier": "childcare", "language": "fr", "tips": [{"id": "a", "text": "x", "source": "s", "reviewed": true, "colour": 1}]})",
       "tip \"a\": unknown key \"colour\""},
      {R"({"barrier": "childcare", "language": "fr", "tips": [{"id": "a", "text": "x", "source": "s", "reviewed": true}, {"id": "a", "text": "y", "source": "s", "reviewed": true}]})",
       "tip \"a\": two tips have this id"},
      {R"({"barrier": "childcare", "language": "fr", "tips": [{"id": "long", "text": ")" + std::string(400, 'a') + R"(", "source": "s", "reviewed": true}]})",
       "tip \"long\": the text is longer than two SMS"},
      {R"({"barrier": "childcare", "language": "fr", "tips": [)", "not valid JSON"},
  }));
  CAPTURE(c.json.substr(0, 120));
  CHECK_THAT(error_of(c.json), Catch::Contains(c.expected));
}

namespace {
// Three childcare tips (b reviewed), a way to the Cèdre and a general way tip, in French.
Tips sample_tips() {
  auto dir = fresh_dir("relais-tips-choose");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "fr");
  std::ofstream(dir / "fr/childcare.json") << R"({"barrier": "childcare", "language": "fr", "tips": [
      {"id": "a", "text": "A", "source": "s", "reviewed": false},
      {"id": "b", "text": "B", "source": "s", "reviewed": true},
      {"id": "c", "text": "C", "source": "s", "reviewed": false}]})";
  std::ofstream(dir / "fr/venues.json") << R"({"barrier": "mobility", "language": "fr", "tips": [
      {"id": "way", "venue": "cedre-chenove", "text": "Tram T2", "source": "s", "reviewed": false},
      {"id": "any", "text": "Divia", "source": "s", "reviewed": false}]})";
  Tips tips = Tips::load(dir, kVenues);
  std::filesystem::remove_all(dir);
  return tips;
}
relais::Utc day(int n) { return relais::from_epoch_ms(n * 86'400'000LL); }
}  // namespace

TEST_CASE("the tip chosen is a reviewed one she never had, then the one she had longest ago", "[tips]") {
  const Tips tips = sample_tips();
  std::map<std::string, relais::Utc> sent;
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) {
    const Tip* t = tips.choose("childcare", "fr", "", sent);
    REQUIRE(t != nullptr);
    order.push_back(t->id);
    sent[t->id] = day(i);
  }
  CHECK(order == std::vector<std::string>{"b", "a", "c", "b", "a"});
  CHECK(tips.choose("digital", "fr", "", sent) == nullptr);  // no tip for that barrier
}

TEST_CASE("a mobility tip gives the way to the session's venue first, in French when her language has none",
          "[tips]") {
  const Tips tips = sample_tips();
  CHECK(tips.choose("mobility", "ar", "cedre-chenove", {})->id == "way");
  CHECK(tips.choose("mobility", "fr", "cedre-chenove", {{"way", day(1)}})->id == "any");
  CHECK(tips.choose("mobility", "fr", "bib-fontaine-d-ouche", {})->id == "any");  // no way there
  CHECK(tips.choose("mobility", "fr", "", {})->id == "any");
  CHECK(tips.way_to("cedre-chenove", "en")->text == "Tram T2");
  CHECK(tips.way_to("", "fr") == nullptr);
  CHECK(tips.choose("childcare", "fr", "cedre-chenove", {})->id == "b");  // a venue is only for the way
}
