// A coach's phone: "#g1 PIN text" answered with recipients and cost, sent on OUI; a wrong
// PIN or an unknown number sends nothing and raises an alert.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "api_support.hpp"

using namespace relais;
using test::json;

namespace {

constexpr const char* kNadia = "+33612349911";

test::ServedApi served() {
  ::setenv("RELAIS_TEST_PIN_NADIA", "4827", 1);
  return test::ServedApi([](Config& c) {
    c.cohorts[0].coaches[0].phone = kNadia;
    c.cohorts[0].coaches[0].pin_env = "RELAIS_TEST_PIN_NADIA";
  });
}

// Texts the service from `from` on the console channel; returns the reply's text.
std::string text(test::ServedApi& api, const std::string& from, const std::string& body) {
  static int n = 0;
  auto r = api.call("POST", "/webhooks/console", "",
                    json{{"from", from}, {"text", body}, {"id", "coach-" + std::to_string(++n)}});
  REQUIRE(r.status == 200);
  REQUIRE(r.body["replies"].size() == 1);
  return r.body["replies"][0]["text"];
}

std::size_t broadcast_rows(test::ServedApi& api) {
  std::size_t n = 0;
  for (const auto& p : api.reader()->all_participants())
    for (const auto& row : api.reader()->outbox_of_participant(p.id)) n += row.kind == "broadcast";
  return n;
}

std::int64_t alerts(test::ServedApi& api) { return api.reader()->count_alerts("coach_sms_refused"); }

}  // namespace

TEST_CASE("a coach texts a group message with her PIN, sees who gets it and what it costs, and sends it with OUI",
          "[api][coach_sms]") {
  auto api = served();
  const auto answer = text(api, kNadia, "#g1 4827 Rendez-vous demain 14h salle B");
  // Amina, Sylvie and Leïla consented: 3 SMS of one segment at 0.05 €. (The SMS keeps
  // to GSM-7: "coût" loses its accent.)
  CHECK(answer == "Message pour g1 : 3 destinataires, cout 0,15 €. Répondez OUI pour envoyer (valable 30 min).");
  CHECK(broadcast_rows(api) == 0);
  // Her PIN is never stored.
  for (const auto& in : api.reader()->recent_inbound(5)) CHECK(in.text.find("4827") == std::string::npos);

  CHECK(text(api, kNadia, "OUI") == "Envoyé à 3 personnes (0,15 €).");
  CHECK(broadcast_rows(api) == 3);
  const auto amina = api.id_of("Amina");
  bool got = false;
  for (const auto& row : api.reader()->outbox_of_participant(amina))
    got |= row.kind == "broadcast" && row.text == "Rendez-vous demain 14h salle B" && row.origin == Origin::coach;
  CHECK(got);
  // A second OUI sends nothing more.
  CHECK(text(api, kNadia, "oui").rfind("Aucun message en attente", 0) == 0);
  CHECK(broadcast_rows(api) == 3);
  CHECK(alerts(api) == 0);
}

TEST_CASE("a wrong PIN, another cohort or an unknown number sends nothing and raises an alert", "[api][coach_sms]") {
  auto api = served();
  CHECK(text(api, kNadia, "#g1 0000 Rendez-vous demain") == "Code incorrect : rien n'a été envoyé.");
  CHECK(alerts(api) == 1);
  CHECK(text(api, kNadia, "OUI").rfind("Aucun message en attente", 0) == 0);

  CHECK(text(api, kNadia, "#g2 4827 Rendez-vous demain") == "Groupe inconnu : rien n'a été envoyé.");
  CHECK(alerts(api) == 2);

  // An unknown number gets the neutral answer anyone unknown gets, and the coaches an alert.
  const auto stranger = text(api, "+33612340000", "#g1 4827 Rendez-vous demain");
  CHECK(stranger.find("g1") == std::string::npos);
  CHECK(alerts(api) == 3);
  CHECK(broadcast_rows(api) == 0);

  // NON cancels a draft.
  text(api, kNadia, "#g1 4827 Atelier annulé");
  CHECK(text(api, kNadia, "non") == "Message annulé : rien n'a été envoyé.");
  CHECK(text(api, kNadia, "oui").rfind("Aucun message en attente", 0) == 0);
  CHECK(broadcast_rows(api) == 0);
}

TEST_CASE("after five wrong PINs in a day even the right one is refused", "[api][coach_sms]") {
  auto api = served();
  for (int i = 0; i < 5; ++i) CHECK(text(api, kNadia, "#g1 111" + std::to_string(i) + " Essai") == "Code incorrect : rien n'a été envoyé.");
  CHECK(text(api, kNadia, "#g1 4827 Rendez-vous demain").rfind("Trop de codes faux", 0) == 0);
  CHECK(text(api, kNadia, "OUI").rfind("Aucun message en attente", 0) == 0);
  CHECK(broadcast_rows(api) == 0);
}
