// The coaches' API over HTTP on loopback: authentication, scoping, participants,
// sessions, conversations, group messages, alerts and the audit log.
#include <catch2/catch.hpp>

#include "api_support.hpp"
#include "support/wait.hpp"

using namespace relais;
using namespace std::chrono_literals;
using test::json;

namespace {

using test::wait_until;

std::vector<std::string> names(const json& participants) {
  std::vector<std::string> out;
  for (const auto& p : participants) out.push_back(p["first_name"]);
  return out;
}

}  // namespace

TEST_CASE("the API wants a valid token, and answers failed attempts ever more slowly", "[api]") {
  test::ServedApi api;
  auto none = api.call("GET", "/api/me", "");
  CHECK(none.status == 401);
  CHECK(none.raw.find("WWW-Authenticate: Bearer") != std::string::npos);
  CHECK(api.call("GET", "/api/me", "rl_not_a_real_token").status == 401);

  const auto third_started = std::chrono::steady_clock::now();
  CHECK(api.call("GET", "/api/participants", "rl_still_wrong").status == 401);
  // Third failure from this address: 0.5 s, 1 s, then 2 s.
  CHECK(std::chrono::steady_clock::now() - third_started >= 1900ms);

  auto me = api.call("GET", "/api/me", api.g1);
  REQUIRE(me.status == 200);
  CHECK(me.raw.find("Cache-Control: no-store") != std::string::npos);
  CHECK(me.body["name"] == "Nadia");
  CHECK(me.body["cohorts"] == json::array({"g1"}));
  CHECK(me.body["admin"] == false);

  // A revoked token no longer opens anything.
  const auto tokens = list_tokens(api.app->config());
  revoke_token(api.app->config(), tokens.front().id, api.clock.now());
  CHECK(api.call("GET", "/api/me", api.g1).status == 401);

  const auto metrics = api.call("GET", "/metrics", "").raw;
  CHECK(metrics.find("relais_api_auth_failed_total 4") != std::string::npos);
}

TEST_CASE("a coach's token sees and acts on her cohorts only, and cannot learn that others exist", "[api]") {
  test::ServedApi api;
  const auto fatima = api.id_of("Fatima");  // g2
  const auto amina = api.id_of("Amina");    // g1
  const auto fatima_messages = api.reader()->outbox_of_participant(fatima).size();

  auto list = api.call("GET", "/api/participants", api.g1);
  REQUIRE(list.status == 200);
  CHECK(names(list.body["participants"]) == std::vector<std::string>{"Amina", "Sylvie", "Leïla"});
  CHECK(names(api.call("GET", "/api/participants", api.admin).body["participants"]).size() == 6);

  // Another cohort's participant looks exactly like one that does not exist.
  auto other = api.call("GET", "/api/participants/" + std::to_string(fatima), api.g1);
  auto missing = api.call("GET", "/api/participants/999999", api.g1);
  CHECK(other.status == 404);
  CHECK(missing.status == 404);
  CHECK(other.body["error"].get<std::string>().find("not found") != std::string::npos);
  CHECK(api.call("GET", "/api/participants/" + std::to_string(amina), api.g1).status == 200);

  // Nor can she write to her, erase her, or message her cohort.
  CHECK(api.call("POST", "/api/participants/" + std::to_string(fatima) + "/messages", api.g1,
                 json{{"text", "Bonjour"}}).status == 404);
  CHECK(api.call("DELETE", "/api/participants/" + std::to_string(fatima), api.g1).status == 404);
  auto to_g2 = api.call("POST", "/api/broadcasts", api.g1, json{{"cohort", "g2"}, {"text", "Bonjour"}});
  auto to_nowhere = api.call("POST", "/api/broadcasts", api.g1, json{{"cohort", "g9"}, {"text", "Bonjour"}});
  CHECK(to_g2.status == 400);
  CHECK(to_g2.body["error"].get<std::string>() == "cohort: no cohort \"g2\"");
  CHECK(to_nowhere.body["error"].get<std::string>() == "cohort: no cohort \"g9\"");
  auto by_list = api.call("POST", "/api/broadcasts", api.g1,
                          json{{"participants", {amina, fatima}}, {"text", "Bonjour"}, {"preview", true}});
  CHECK(by_list.status == 404);
  CHECK(api.call("GET", "/api/indicators?cohort=g2", api.g1).status == 400);
  CHECK(api.call("GET", "/api/participants?cohort=g2", api.g1).status == 400);

  // Her cohorts list and the sessions she sees.
  auto cohorts = api.call("GET", "/api/cohorts", api.g1);
  REQUIRE(cohorts.body["cohorts"].size() == 1);
  CHECK(cohorts.body["cohorts"][0]["id"] == "g1");
  REQUIRE(wait_until([&] { return !api.reader()->sessions_of_source("ateliers").empty(); }));
  auto sessions = api.call("GET", "/api/sessions", api.g1);
  REQUIRE(sessions.status == 200);
  for (const auto& s : sessions.body["sessions"]) CHECK(s["cohorts"].dump().find("g1") != std::string::npos);

  // Nothing of g2 was touched.
  CHECK(api.reader()->outbox_of_participant(fatima).size() == fatima_messages);
  CHECK(api.reader()->find_participant(fatima)->first_name == "Fatima");
}

TEST_CASE("participants are created, changed and imported through the API with the CSV's rules", "[api]") {
  test::ServedApi api;
  auto created = api.call("POST", "/api/participants", api.g1,
                          json{{"first_name", "Nora"}, {"phone", "06 12 34 56 40"}, {"cohort", "g1"},
                               {"consent", true}, {"consent_tips", true}, {"barriers", {"garde-enfants"}}});
  REQUIRE(created.status == 201);
  CHECK(created.body["phone"] == "+33612345640");
  CHECK(created.body["barriers"] == json::array({"childcare"}));
  const std::int64_t nora = created.body["id"];
  // Her welcome is planned and, inside the window, already queued.
  CHECK(wait_until([&] { return !api.reader()->outbox_of_participant(nora).empty(); }));

  // Bad input names the field and changes nothing.
  auto bad = api.call("POST", "/api/participants", api.g1,
                      json{{"first_name", "X"}, {"phone", "12"}, {"cohort", "g1"}, {"consent", true}});
  CHECK(bad.status == 400);
  CHECK(bad.body["error"].get<std::string>().rfind("phone:", 0) == 0);
  CHECK(api.call("POST", "/api/participants", api.g1,
                 json{{"first_name", "Nora"}, {"phone", "+33612345640"}, {"cohort", "g1"}, {"consent", true}})
            .status == 409);
  CHECK(api.call("POST", "/api/participants", api.g1,
                 json{{"first_name", "Nora"}, {"phone", "+33612345641"}, {"cohort", "g1"}, {"consent", true},
                      {"colour", "blue"}})
            .body["error"] == "colour: unknown field (expected: first_name, phone, cohort, consent, consent_tips, "
                              "language, channel, barriers, buddy_phone, external_id, opted_out)");
  CHECK(api.call("POST", "/api/participants", api.g1, std::string("{not json")).status == 400);
  // A landline cannot receive the SMS of the console channel; consent to tips follows consent.
  auto landline = api.call("POST", "/api/participants", api.g1,
                           json{{"first_name", "Rose"}, {"phone", "03 80 12 34 56"}, {"cohort", "g1"}, {"consent", true}});
  CHECK(landline.status == 400);
  CHECK(landline.body["error"].get<std::string>().find("landline") != std::string::npos);
  auto tips = api.call("POST", "/api/participants", api.g1,
                       json{{"first_name", "Rose"}, {"phone", "06 12 34 56 41"}, {"cohort", "g1"}, {"consent", true}});
  CHECK(tips.body["consent_tips"] == true);
  // Query parameters are checked too.
  CHECK(api.call("GET", "/api/participants?after=abc", api.g1).body["error"] == "after: a whole number is expected");
  CHECK(api.call("GET", "/api/participants?cohort=%zz", api.g1).status == 400);

  // Changing her: barriers; opting her out stops her dialogs; only she opts back in.
  auto changed = api.call("PATCH", "/api/participants/" + std::to_string(nora), api.g1,
                          json{{"barriers", {"mobilité"}}});
  REQUIRE(changed.status == 200);
  CHECK(changed.body["barriers"] == json::array({"mobility"}));
  CHECK(api.call("PATCH", "/api/participants/" + std::to_string(nora), api.g1, json{{"opted_out", true}}).status == 200);
  CHECK(api.reader()->find_participant(nora)->opted_out);
  auto back = api.call("PATCH", "/api/participants/" + std::to_string(nora), api.g1, json{{"opted_out", false}});
  CHECK(back.status == 409);
  CHECK(api.reader()->find_participant(nora)->opted_out);
  // A coach cannot move her into a cohort she does not see.
  CHECK(api.call("PATCH", "/api/participants/" + std::to_string(nora), api.g1, json{{"cohort", "g2"}}).status == 400);

  // Filters.
  auto opted = api.call("GET", "/api/participants?opted_out=true", api.g1);
  CHECK(names(opted.body["participants"]) == std::vector<std::string>{"Nora"});
  auto childcare = api.call("GET", "/api/participants?barrier=childcare", api.admin);
  CHECK(names(childcare.body["participants"]) == std::vector<std::string>{"Amina", "Céline"});

  // CSV import: a g1 coach's file with a g2 line is refused whole; skip_invalid keeps the rest.
  const std::string csv = "Prénom;Téléphone;Groupe;Consentement\nRose;06 12 34 56 50;g1;oui\nIris;06 12 34 56 51;g2;oui\n";
  auto refused = api.call("POST", "/api/participants/import", api.g1, csv, "text/csv");
  REQUIRE(refused.status == 200);
  CHECK(refused.body["written"] == false);
  CHECK(refused.body["errors"][0]["line"] == 3);
  CHECK_FALSE(api.reader()->find_participant_by_phone("+33612345650"));
  auto dry = api.call("POST", "/api/participants/import?skip_invalid=true&dry_run=true", api.g1, csv, "text/csv");
  CHECK(dry.body["created"] == 1);
  CHECK_FALSE(api.reader()->find_participant_by_phone("+33612345650"));
  auto kept = api.call("POST", "/api/participants/import?skip_invalid=true", api.g1, csv, "text/csv");
  CHECK(kept.body["written"] == true);
  CHECK(kept.body["created"] == 1);
  CHECK(api.reader()->find_participant_by_phone("+33612345650"));
  CHECK_FALSE(api.reader()->find_participant_by_phone("+33612345651"));
}

TEST_CASE("sessions Relais owns are created, moved and cancelled; calendar ones are refused with 409", "[api]") {
  test::ServedApi api;
  const auto start = std::chrono::floor<std::chrono::minutes>(api.clock.now() + std::chrono::hours(24 * 10));
  auto created = api.call("POST", "/api/sessions", api.g1,
                          json{{"title", "Atelier CV"}, {"kind", "collective-coaching"}, {"cohorts", {"g1"}},
                               {"start", format_utc(start)}, {"end", format_utc(start + std::chrono::hours(2))},
                               {"venue", "cedre-chenove"}});
  REQUIRE(created.status == 201);
  CHECK(created.body["editable"] == true);
  const std::int64_t id = created.body["id"];
  auto jobs_of_session = [&] {
    int n = 0;
    for (const auto& p : api.reader()->all_participants())
      for (const auto& j : api.reader()->jobs_of_participant(p.id))
        n += j.job.session_id == id && j.status == "planned";
    return n;
  };
  // Each g1 participant who consented gets this session's messages planned.
  CHECK(jobs_of_session() > 0);

  auto moved = api.call("PATCH", "/api/sessions/" + std::to_string(id), api.g1,
                        json{{"start", format_utc(start + std::chrono::hours(24))},
                             {"end", format_utc(start + std::chrono::hours(26))}});
  REQUIRE(moved.status == 200);
  const auto row = api.reader()->session(id);
  CHECK(row->session.start == start + std::chrono::hours(24));

  const auto amina = api.id_of("Amina");
  // A g2 coach cannot see it.
  CHECK(api.call("GET", "/api/sessions/" + std::to_string(id), api.g2).status == 404);
  CHECK(api.call("PATCH", "/api/sessions/" + std::to_string(id), api.g2, json{{"title", "x"}}).status == 404);

  // Attendance: a coach's mark.
  auto mark = api.call("PUT", "/api/sessions/" + std::to_string(id) + "/attendance/" + std::to_string(amina), api.g1,
                       json{{"status", "present"}});
  CHECK(mark.status == 200);
  CHECK(api.reader()->attendance_of(id, amina) == "present");
  CHECK(api.call("PUT", "/api/sessions/" + std::to_string(id) + "/attendance/" + std::to_string(api.id_of("Fatima")),
                 api.admin, json{{"status", "present"}}).status == 404);
  auto sheet = api.call("GET", "/api/sessions/" + std::to_string(id) + "/attendance", api.g1);
  REQUIRE(sheet.body["attendance"].size() == 3);
  CHECK(sheet.body["attendance"][0]["status"] == "present");
  CHECK(sheet.body["attendance"][0]["source"] == "coach");

  auto cancelled = api.call("DELETE", "/api/sessions/" + std::to_string(id), api.g1);
  CHECK(cancelled.status == 200);
  CHECK(cancelled.body["cancelled"] == true);
  CHECK(jobs_of_session() == 0);

  // A session without a place, 3 days ahead, moved: her notice says "au lieu habituel".
  const auto soon = std::chrono::floor<std::chrono::minutes>(api.clock.now() + std::chrono::hours(24 * 3));
  auto near = api.call("POST", "/api/sessions", api.g1,
                       json{{"title", "Atelier CV"}, {"kind", "collective-coaching"}, {"cohorts", {"g1"}},
                            {"start", format_utc(soon)}, {"end", format_utc(soon + std::chrono::hours(2))}});
  REQUIRE(near.status == 201);
  auto near_moved = api.call("PATCH", "/api/sessions/" + near.body["id"].dump(), api.g1,
                             json{{"start", format_utc(soon + std::chrono::hours(1))},
                                  {"end", format_utc(soon + std::chrono::hours(3))}});
  REQUIRE(near_moved.status == 200);
  CHECK(near_moved.body["participants_told"] == 3);
  bool told = false;
  for (const auto& row : api.reader()->outbox_of_participant(amina))
    told |= row.kind == "notice" && row.text.find("au lieu habituel") != std::string::npos;
  CHECK(told);

  // A session shared with g2 is not a g1 coach's to change.
  auto shared = api.call("POST", "/api/sessions", api.admin,
                         json{{"title", "Forum"}, {"kind", "collective-coaching"}, {"cohorts", {"g1", "g2"}},
                              {"start", format_utc(start)}, {"end", format_utc(start + std::chrono::hours(2))}});
  REQUIRE(shared.status == 201);
  CHECK(api.call("PATCH", "/api/sessions/" + shared.body["id"].dump(), api.g1, json{{"title", "x"}}).status == 403);
  CHECK(api.call("GET", "/api/sessions/" + shared.body["id"].dump(), api.g1).status == 200);

  // A calendar's session is changed in its calendar.
  REQUIRE(wait_until([&] { return !api.reader()->sessions_of_source("ateliers").empty(); }));
  const auto calendar_id = api.reader()->sessions_of_source("ateliers").front().id;
  auto refused = api.call("PATCH", "/api/sessions/" + std::to_string(calendar_id), api.admin, json{{"title", "x"}});
  CHECK(refused.status == 409);
  CHECK(refused.body["error"].get<std::string>().find("ateliers") != std::string::npos);
  CHECK(api.call("DELETE", "/api/sessions/" + std::to_string(calendar_id), api.admin).status == 409);
}

TEST_CASE("a coach reads a conversation and writes to her; group messages are previewed, then sent", "[api]") {
  test::ServedApi api;
  const auto amina = api.id_of("Amina");
  auto written = api.call("POST", "/api/participants/" + std::to_string(amina) + "/messages", api.g1,
                          json{{"text", "Bonjour Amina, pouvez-vous me rappeler ?"}});
  REQUIRE(written.status == 201);
  const std::int64_t message_id = written.body["message_id"];
  auto row = api.reader()->outbox_row(message_id);
  CHECK(row->origin == Origin::coach);
  CHECK(row->kind == "coach");
  CHECK(wait_until([&] { return api.reader()->outbox_row(message_id)->status == MessageStatus::sent; }));

  auto conversation = api.call("GET", "/api/participants/" + std::to_string(amina) + "/messages", api.g1);
  REQUIRE(conversation.status == 200);
  bool seen = false;
  for (const auto& m : conversation.body["messages"])
    seen |= m["id"] == message_id && m["direction"] == "out" && m["status"] == "sent";
  CHECK(seen);

  // Preview: recipients, exclusions and cost, nothing queued.
  const auto before = api.reader()->outbox_counts();
  api.call("PATCH", "/api/participants/" + std::to_string(api.id_of("Céline")), api.g2, json{{"opted_out", true}});
  auto preview = api.call("POST", "/api/broadcasts", api.g2,
                          json{{"cohort", "g2"}, {"text", "Bonjour {first_name}, atelier demain à 14h."}, {"preview", true}});
  REQUIRE(preview.status == 200);
  CHECK(preview.body["recipients"].size() == 1);  // Fatima; Céline opted out, Marie-Claire has no consent
  CHECK(preview.body["recipients"][0]["text"] == "Bonjour Fatima, atelier demain à 14h.");
  std::map<std::string, std::string> why;
  for (const auto& e : preview.body["excluded"]) why[e["first_name"]] = e["reason"];
  CHECK(why == std::map<std::string, std::string>{{"Céline", "opted_out"}, {"Marie-Claire", "no_consent"}});
  CHECK(preview.body["encoding"] == "GSM-7");
  CHECK(preview.body["segments"] == 1);
  CHECK(preview.body["cost_eur"] == Approx(0.05));
  CHECK(preview.body["warnings"].empty());
  auto after_preview = api.reader()->outbox_counts();
  CHECK(after_preview[MessageStatus::queued] + after_preview[MessageStatus::sent] ==
        before.at(MessageStatus::queued) + before.at(MessageStatus::sent));

  auto sent = api.call("POST", "/api/broadcasts", api.g2,
                       json{{"cohort", "g2"}, {"text", "Bonjour {first_name}, atelier demain à 14h."}});
  REQUIRE(sent.status == 201);
  CHECK(sent.body["broadcast_id"].is_number());
  const auto fatima = api.id_of("Fatima");
  CHECK(wait_until([&] {
    for (const auto& r : api.reader()->outbox_of_participant(fatima))
      if (r.kind == "broadcast" && r.status == MessageStatus::sent) return true;
    return false;
  }));
  auto listed = api.call("GET", "/api/broadcasts", api.g2);
  CHECK(listed.body["broadcasts"].size() == 1);
  CHECK(api.call("GET", "/api/broadcasts", api.g1).body["broadcasts"].empty());
}

TEST_CASE("a group message outside the sending window carries a warning", "[api]") {
  test::ServedApi api([](Config& c) {
    c.sending_window.days.fill(false);
    c.sending_window.days[1] = true;  // Mondays only, 09:00–09:01
    c.sending_window.start_minute = 9 * 60;
    c.sending_window.end_minute = 9 * 60 + 1;
  });
  auto preview = api.call("POST", "/api/broadcasts", api.g1,
                          json{{"cohort", "g1"}, {"text", "Bonjour"}, {"preview", true},
                               {"send_at", "2026-12-02T21:00"}});  // a Wednesday evening
  REQUIRE(preview.status == 200);
  REQUIRE(preview.body["warnings"].size() == 1);
  CHECK(preview.body["warnings"][0].get<std::string>().find("outside the sending window (2026-12-02 21:00)") !=
        std::string::npos);
  CHECK(preview.body["warnings"][0].get<std::string>().find("2026-12-07 09:00") != std::string::npos);
}

TEST_CASE("alerts are read and acknowledged, and every change is in the audit log", "[api]") {
  test::ServedApi api;
  const auto amina = api.id_of("Amina");
  {
    auto store = api.reader();
    store->add_alert({.kind = "blocker", .participant_id = amina, .cohort = "g1", .detail = "dialog checkin"},
                     api.clock.now());
    store->add_alert({.kind = "checkin_low", .participant_id = api.id_of("Fatima"), .cohort = "g2", .detail = "x"},
                     api.clock.now());
  }
  auto unread = api.call("GET", "/api/alerts?state=unread", api.g1);
  REQUIRE(unread.status == 200);
  std::int64_t blocker = 0;
  for (const auto& a : unread.body["alerts"]) {
    CHECK(a["cohort"] == "g1");
    if (a["kind"] == "blocker") blocker = a["id"];
  }
  REQUIRE(blocker != 0);
  CHECK(api.call("GET", "/api/participants/" + std::to_string(amina), api.g1).body["unread_alerts"] == 1);
  auto read = api.call("PATCH", "/api/alerts/" + std::to_string(blocker), api.g1, json{{"state", "acknowledged"}});
  CHECK(read.body["state"] == "acknowledged");
  CHECK(read.body["handled_by"] == "Nadia");
  CHECK(api.call("GET", "/api/participants/" + std::to_string(amina), api.g1).body["unread_alerts"] == 0);
  // Never back to unread.
  CHECK(api.call("PATCH", "/api/alerts/" + std::to_string(blocker), api.g1, json{{"state", "unread"}}).status == 400);
  CHECK(api.call("PATCH", "/api/alerts/" + std::to_string(blocker), api.g2, json{{"state", "read"}}).status == 404);

  api.call("PATCH", "/api/participants/" + std::to_string(amina), api.g1, json{{"first_name", "Amina B."}});
  auto audit = api.call("GET", "/api/audit", api.g1);
  REQUIRE(audit.status == 200);
  std::vector<std::string> actions, actors;
  for (const auto& e : audit.body["entries"]) {
    actions.push_back(e["action"]);
    actors.push_back(e["actor"]);
    CHECK(e["cohort"] == "g1");
  }
  // Newest first; the import of g1's participants from the command line is g1's too.
  CHECK(actions == std::vector<std::string>{"participant_update", "alert_acknowledged", "import_participants"});
  CHECK(actors[0].rfind("Nadia (token ", 0) == 0);
  CHECK(actors[1].rfind("Nadia (token ", 0) == 0);
  CHECK(actors[2] == "cli");
  // The tokens made from the command line are the admin's to see.
  auto all = api.call("GET", "/api/audit", api.admin);
  CHECK(all.body["entries"].size() > actions.size());
}

TEST_CASE("erasing a participant removes her words and identity; the audit says only that it happened", "[api]") {
  test::ServedApi api;
  const auto leila = api.id_of("Leïla");
  api.store_inbound(leila, "+33612345603", "Je cherche un emploi de caissière", "in-1");
  auto erased = api.call("DELETE", "/api/participants/" + std::to_string(leila), api.g1);
  REQUIRE(erased.status == 200);
  CHECK(erased.body["removed"]["messages_received"] == 1);
  auto after = api.call("GET", "/api/participants/" + std::to_string(leila), api.g1);
  CHECK(after.body["first_name"] == "");
  CHECK(after.body["phone"].is_null());
  CHECK(after.body["erased_at"].is_string());
  CHECK(api.call("GET", "/api/participants/" + std::to_string(leila) + "/messages", api.g1).body["messages"].empty());
  // She is no longer in lists, and cannot be changed.
  CHECK(names(api.call("GET", "/api/participants", api.g1).body["participants"]) ==
        std::vector<std::string>{"Amina", "Sylvie"});
  CHECK(api.call("PATCH", "/api/participants/" + std::to_string(leila), api.g1, json{{"first_name", "L"}}).status ==
        409);
  CHECK(api.call("POST", "/api/participants/" + std::to_string(leila) + "/messages", api.g1,
                 json{{"text", "Bonjour"}}).status == 409);
  auto audit = api.call("GET", "/api/audit", api.g1);
  REQUIRE(!audit.body["entries"].empty());
  const auto entry = audit.body["entries"][0];
  CHECK(entry["action"] == "participant_erase");
  CHECK(entry["detail"] == "participant " + std::to_string(leila));
  CHECK(audit.raw.find("Leïla") == std::string::npos);
  CHECK(audit.raw.find("caissière") == std::string::npos);
}

TEST_CASE("the indicators over HTTP: figures worked out by hand, each token its cohorts, and a CSV", "[api][indicators]") {
  test::ServedApi api;
  // A workshop of g1 yesterday, with its attendance marked by the coach.
  const auto start = std::chrono::floor<std::chrono::minutes>(api.clock.now() - std::chrono::hours(26));
  auto session = api.call("POST", "/api/sessions", api.g1,
                          json{{"title", "Atelier CV"}, {"kind", "collective-coaching"}, {"cohorts", {"g1"}},
                               {"start", format_utc(start)}, {"end", format_utc(start + std::chrono::hours(2))}});
  REQUIRE(session.status == 201);
  const std::string sheet = "/api/sessions/" + session.body["id"].dump() + "/attendance/";
  for (const auto& [name, status] : std::vector<std::pair<std::string, std::string>>{
           {"Amina", "present"}, {"Sylvie", "absent"}, {"Leïla", "excused"}})
    REQUIRE(api.call("PUT", sheet + std::to_string(api.id_of(name)), api.g1, json{{"status", status}}).status == 200);

  auto g1 = api.call("GET", "/api/indicators", api.g1);
  REQUIRE(g1.status == 200);
  REQUIRE(g1.body["cohorts"].size() == 1);
  const auto& c = g1.body["cohorts"][0];
  CHECK(c["cohort"] == "g1");
  // Amina, Sylvie and Leïla, all three consenting (config/participants-example.csv).
  CHECK(c["participants"]["enrolled"] == 3);
  CHECK(c["participants"]["consenting"] == 3);
  CHECK(c["participants"]["opted_out"] == 0);
  // 1 present, 1 absent, 1 excused apart: 1 ÷ (1 + 1).
  CHECK(c["attendance"]["present"] == 1);
  CHECK(c["attendance"]["absent"] == 1);
  CHECK(c["attendance"]["excused"] == 1);
  CHECK(c["attendance"]["rate"] == Approx(0.5));
  // Barriers: Amina childcare + mobility, Sylvie confidence, Leïla digital + isolation.
  for (const char* b : {"childcare", "mobility", "confidence", "digital", "isolation"}) CHECK(c["barriers"][b]["named"] == 1);
  // The session kind counts the one workshop held.
  bool kind_seen = false;
  for (const auto& k : g1.body["session_kinds"])
    if (k["kind"] == "collective-coaching") {
      kind_seen = true;
      CHECK(k["sessions"] == 1);
      CHECK(k["attendance"]["rate"] == Approx(0.5));
    }
  CHECK(kind_seen);

  // g2's coach sees g2 only: Fatima, Céline and Marie-Claire (who did not consent).
  auto g2 = api.call("GET", "/api/indicators", api.g2);
  REQUIRE(g2.body["cohorts"].size() == 1);
  CHECK(g2.body["cohorts"][0]["cohort"] == "g2");
  CHECK(g2.body["cohorts"][0]["participants"]["enrolled"] == 3);
  CHECK(g2.body["cohorts"][0]["participants"]["consenting"] == 2);
  CHECK(g2.body["cohorts"][0]["attendance"]["present"] == 0);

  auto csv = api.call("GET", "/api/indicators.csv?cohort=g1", api.g1);
  REQUIRE(csv.status == 200);
  CHECK(csv.raw.find("Content-Type: text/csv") != std::string::npos);
  const auto text = test::body_of(csv.raw);
  CHECK(text.rfind("section,cohort,session_kind,channel,item,measure,value", 0) == 0);
  CHECK(text.find("participants,g1,,,,enrolled,3") != std::string::npos);
  CHECK(text.find("g2") == std::string::npos);
}
