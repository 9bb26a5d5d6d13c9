// The real `relais` binary, run as a user would.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>

#include <thread>

#include "bot/commands.hpp"
#include "bot/storage/store.hpp"
#include "support/process.hpp"
#include "support/raw_http.hpp"
#include "support/temp_dir.hpp"

using relais::test::free_port;

using namespace relais;
using namespace std::chrono_literals;

namespace {

const std::string kRelais = RELAIS_BINARY;

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A configuration in `dir` whose database is `dir/relais.db`.
std::string write_config(const test::TempDir& dir, std::uint16_t port = 0) {
  if (port == 0) port = free_port();
  auto path = dir / "relais.json";
  write_file(path, R"({
  // test configuration
  "programme": "Test",
  "server": {"bind": "127.0.0.1", "port": )" + std::to_string(port) + R"(},
  "database": {"path": "relais.db"},
  "cohorts": [{"id": "g1", "name": "Groupe 1", "coaches": [{"name": "Claire"}]},
              {"id": "g2", "name": "Groupe 2", "coaches": []}],
  "channels": [{"id": "console", "type": "console", "price_per_segment_eur": 0.05}],
  "default_channel": "console"
})");
  return path.string();
}

std::int64_t participants_in(const test::TempDir& dir) {
  return open_sqlite_store((dir / "relais.db").string())->count_participants();
}

const char* kGoodCsv =
    "Prénom;Téléphone;Groupe;Consentement;Freins\r\n"
    "Amina;06 12 34 50 01;g1;oui;garde-enfants|mobilité\r\n"
    "Sylvie;+33 6 12 34 50 02;g2;non;\r\n";

}  // namespace

TEST_CASE("relais --version and --help answer and exit 0", "[cli]") {
  test::TempDir dir;
  auto v = test::run({kRelais, "--version"}, dir.path());
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("relais 0.") != std::string::npos);
  for (std::string verb : {"serve", "check-config", "say"}) {
    auto h = test::run({kRelais, verb, "--help"}, dir.path());
    CAPTURE(verb);
    CHECK(h.exit_code == 0);
    CHECK(h.out.find("--config") != std::string::npos);
  }
  CHECK(test::run({kRelais, "import", "participants", "--help"}, dir.path()).exit_code == 0);
}

TEST_CASE("check-config accepts the shipped example and names the path of an error", "[cli]") {
  test::TempDir dir;
  auto ok = test::run({kRelais, "check-config", "--config", std::string(RELAIS_SOURCE_DIR) + "/config/relais.json"}, dir.path());
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("valid") != std::string::npos);
  CHECK(ok.out.find("9 dialog(s); texts in: ar en fr") != std::string::npos);
  CHECK(ok.out.find("8 rule(s): welcome attendance-day-before reminder-2h-before checkin-after") != std::string::npos);  // dialogs and texts were checked
  CHECK(ok.out.find(" tip(s), 0 reviewed by a coach") != std::string::npos);
  CHECK(ok.out.find("calendar ateliers: ") != std::string::npos);
  CHECK(ok.err.empty());  // every text has its translations, every cohort its coach

  // A dialog script with a mistake is refused, naming the file and the node.
  std::filesystem::copy(std::string(RELAIS_SOURCE_DIR) + "/config", dir / "config",
                        std::filesystem::copy_options::recursive);
  write_file(dir / "config/dialogs/broken.json",
             R"({"id": "broken", "start": "a", "nodes": {"a": {"send": "nope.missing", "next": "end"}, "end": {"end": true}}})");
  auto broken = test::run({kRelais, "check-config", "--config", (dir / "config/relais.json").string()}, dir.path());
  CHECK(broken.exit_code == 2);
  CHECK(broken.err.find("broken.json: node \"a\": template \"nope.missing\" has no French text") != std::string::npos);

  write_file(dir / "bad.json", R"({"cohorts": [{"id": "g1", "name": "G"}],
    "channels": [{"id": "console", "type": "console"}], "server": {"port": "eighty"}})");
  auto bad = test::run({kRelais, "check-config", "--config", (dir / "bad.json").string()}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("$.server.port") != std::string::npos);

  auto missing = test::run({kRelais, "check-config", "--config", (dir / "nope.json").string()}, dir.path());
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.json") != std::string::npos);
}

TEST_CASE("import participants writes every line, and a re-import updates", "[cli][import]") {
  test::TempDir dir;
  auto config = write_config(dir);
  write_file(dir / "p.csv", kGoodCsv);
  auto first = test::run({kRelais, "import", "participants", "--config", config, (dir / "p.csv").string()}, dir.path());
  CHECK(first.exit_code == 0);
  CHECK(first.out.find("2 new") != std::string::npos);
  CHECK(participants_in(dir) == 2);

  write_file(dir / "p2.csv", "first_name,phone,cohort,consent\nAmina,0612345001,g2,yes\n");
  auto again = test::run({kRelais, "import", "participants", "--config", config, (dir / "p2.csv").string()}, dir.path());
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("1 updated") != std::string::npos);
  auto amina = open_sqlite_store((dir / "relais.db").string())->find_participant_by_phone("+33612345001");
  REQUIRE(amina);
  CHECK(amina->cohort == "g2");
  CHECK(participants_in(dir) == 2);  // Sylvie, absent from the re-import, stays
}

TEST_CASE("an import with bad lines imports nothing unless --skip-invalid", "[cli][import]") {
  test::TempDir dir;
  auto config = write_config(dir);
  write_file(dir / "p.csv",
             "prenom,telephone,groupe,consentement\n"
             "Amina,06 12 34 50 01,g1,oui\n"
             "Nadia,12,g1,oui\n"
             "Leila,06 12 34 50 03,g9,oui\n");
  auto r = test::run({kRelais, "import", "participants", "--config", config, (dir / "p.csv").string()}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("p.csv:3") != std::string::npos);
  CHECK(r.err.find("p.csv:4") != std::string::npos);
  CHECK(participants_in(dir) == 0);

  auto skip = test::run({kRelais, "import", "participants", "--config", config, "--skip-invalid",
                         (dir / "p.csv").string()}, dir.path());
  CHECK(skip.exit_code == 0);
  CHECK(skip.out.find("1 new") != std::string::npos);
  CHECK(participants_in(dir) == 1);
}

TEST_CASE("a phone already in the database under another first name is refused", "[cli][import]") {
  test::TempDir dir;
  auto config = write_config(dir);
  write_file(dir / "p.csv", kGoodCsv);
  REQUIRE(test::run({kRelais, "import", "participants", "--config", config, (dir / "p.csv").string()}, dir.path()).exit_code == 0);
  write_file(dir / "other.csv", "first_name,phone,cohort,consent\nFatou,06 12 34 50 01,g1,yes\n");
  auto r = test::run({kRelais, "import", "participants", "--config", config, (dir / "other.csv").string()}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("Amina") != std::string::npos);
  CHECK(r.err.find("Fatou") != std::string::npos);
  CHECK(open_sqlite_store((dir / "relais.db").string())->find_participant_by_phone("+33612345001")->first_name == "Amina");
}

TEST_CASE("a SIGKILL in the middle of an import leaves the whole file or nothing", "[cli][import]") {
  test::TempDir dir;
  auto config = write_config(dir);
  const int lines = 20000;
  std::string csv = "first_name,phone,cohort,consent\n";
  for (int i = 0; i < lines; ++i) {
    char phone[16];
    std::snprintf(phone, sizeof phone, "06%08d", 12340000 + i);  // 06 12 34 00 00 onwards
    csv += "P" + std::to_string(i) + "," + phone + ",g1,oui\n";
  }
  write_file(dir / "big.csv", csv);
  // Kill at several moments: while reading, while writing, while committing.
  int killed_mid_way = 0;
  for (int delay_ms : {20, 60, 120, 200, 300, 450}) {
    std::filesystem::remove(dir / "relais.db");
    std::filesystem::remove(dir / "relais.db-wal");
    std::filesystem::remove(dir / "relais.db-shm");
    test::Child child({kRelais, "import", "participants", "--config", config, (dir / "big.csv").string()}, dir.path());
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    child.signal(SIGKILL);
    const bool killed = child.wait().exit_code == 128 + SIGKILL;
    const auto n = std::filesystem::exists(dir / "relais.db") ? participants_in(dir) : 0;
    CAPTURE(delay_ms, killed, n);
    CHECK((n == 0 || n == lines));
    if (killed && n == 0) ++killed_mid_way;
  }
  CHECK(killed_mid_way > 0);  // at least one kill landed before the import finished
}

TEST_CASE("say without a server handles the message in-process and prints the reply", "[cli]") {
  test::TempDir dir;
  auto config = write_config(dir);
  auto r = test::run({kRelais, "say", "--config", config, "06 12 34 50 99", "Bonjour", "!"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("handling the message here") != std::string::npos);
  CHECK(r.out.find("[console -> +33 6 ** ** ** 99]") != std::string::npos);
  auto store = open_sqlite_store((dir / "relais.db").string());
  auto inbound = store->recent_inbound(5);
  REQUIRE(inbound.size() == 1);
  CHECK(inbound[0].text == "Bonjour !");
  CHECK(store->outbox_counts()[MessageStatus::sent] == 1);

  auto bad = test::run({kRelais, "say", "--config", config, "not-a-phone", "x"}, dir.path());
  CHECK(bad.exit_code == 2);
}

TEST_CASE("serve answers /healthz, takes say through its webhook, and stops cleanly on SIGTERM", "[cli][serve]") {
  test::TempDir dir;
  const auto port = free_port();
  auto config = write_config(dir, port);
  test::Child server({kRelais, "serve", "--config", config}, dir.path(), "serve");
  bool listening = false;
  for (int i = 0; i < 200 && !listening; ++i) {
    std::this_thread::sleep_for(25ms);
    listening = server.out_so_far().find("listening") != std::string::npos;
  }
  REQUIRE(listening);
  {
    test::RawConnection c(port);
    c.send_all(test::http_request("GET", "/healthz"));
    CHECK(test::status_of(c.read_response()) == 200);
  }
  auto said = test::run({kRelais, "say", "--config", config, "+33612345099", "Bonjour"}, dir.path());
  CHECK(said.exit_code == 0);
  CHECK(said.out.find("running server") != std::string::npos);
  CHECK(said.out.find("Reply: ") != std::string::npos);

  server.signal(SIGTERM);
  auto r = server.wait();
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Relais stopped") != std::string::npos);
  CHECK(r.out.find("+33 6 ** ** ** 99") != std::string::npos);  // the console printed the reply
  CHECK(open_sqlite_store((dir / "relais.db").string())->outbox_counts()[MessageStatus::sent] == 1);
}

TEST_CASE("link prints a one-time Telegram link for a participant", "[cli][link]") {
  test::TempDir dir;
  write_file(dir / "relais.json", R"({
    "database": {"path": "relais.db"},
    "cohorts": [{"id": "g1", "name": "Groupe 1"}, {"id": "g2", "name": "Groupe 2"}],
    "channels": [{"id": "console", "type": "console"},
                 {"id": "telegram", "type": "telegram", "bot_token_env": "TG_TOKEN",
                  "secret_token_env": "TG_SECRET", "bot_username": "RelaisDijonBot"}],
    "default_channel": "console"
  })");
  const auto config = (dir / "relais.json").string();
  write_file(dir / "p.csv", kGoodCsv);
  REQUIRE(test::run({kRelais, "import", "participants", "--config", config, (dir / "p.csv").string()}, dir.path()).exit_code == 0);

  auto r = test::run({kRelais, "link", "--config", config, "telegram", "06 12 34 50 01"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Link for Amina") != std::string::npos);
  auto at = r.out.find("https://t.me/RelaisDijonBot?start=");
  REQUIRE(at != std::string::npos);
  const std::string code = r.out.substr(at + 34, 16);
  auto store = open_sqlite_store((dir / "relais.db").string());
  CHECK(store->use_link_code(code, "telegram", SystemClock().now()).has_value());

  CHECK(test::run({kRelais, "link", "--config", config, "console", "06 12 34 50 01"}, dir.path()).exit_code == 2);
  CHECK(test::run({kRelais, "link", "--config", config, "telegram", "06 12 34 50 99"}, dir.path()).exit_code == 2);
}

TEST_CASE("import calendar reads a source's sessions; a file that is not iCalendar changes nothing",
          "[cli][calendar]") {
  test::TempDir dir;
  auto config = write_config(dir);
  const std::string example = std::string(RELAIS_SOURCE_DIR) + "/config/calendars/ateliers-exemple.ics";
  auto first = test::run({kRelais, "import", "calendar", "--config", config, example}, dir.path());
  CHECK(first.exit_code == 0);
  // No --source: the calendar's own name (X-WR-CALNAME).
  CHECK(first.out.find("as source \"Ateliers du parcours\"") != std::string::npos);
  CHECK(first.err.find("no cohort tag") == std::string::npos);  // every event of the example is tagged
  auto store = open_sqlite_store((dir / "relais.db").string());
  const auto sessions = store->sessions_of_source("Ateliers du parcours");
  REQUIRE(sessions.size() > 50);  // weekly, a year ahead
  CHECK(sessions.front().session.title == "Atelier mobilité");
  CHECK(sessions.front().session.cohorts == std::vector<std::string>{"g1"});

  // Not iCalendar: an error naming the file, and the sessions stay as they were.
  write_file(dir / "agenda.ics", "<html><body>Sign in to Google</body></html>");
  auto bad = test::run({kRelais, "import", "calendar", "--config", config, (dir / "agenda.ics").string(), "--source",
                        "Ateliers du parcours"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("agenda.ics") != std::string::npos);
  CHECK(bad.err.find("Nothing was imported") != std::string::npos);
  CHECK(store->sessions_of_source("Ateliers du parcours").size() == sessions.size());
  for (const auto& s : store->sessions_of_source("Ateliers du parcours")) CHECK_FALSE(s.session.cancelled);

  // An empty calendar of the same source: its future sessions are cancelled (a snapshot).
  write_file(dir / "empty.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n");
  auto empty = test::run({kRelais, "import", "calendar", "--config", config, (dir / "empty.ics").string(), "--source",
                          "Ateliers du parcours"}, dir.path());
  CHECK(empty.exit_code == 0);
  int cancelled = 0;
  for (const auto& s : store->sessions_of_source("Ateliers du parcours")) cancelled += s.session.cancelled;
  CHECK(cancelled == static_cast<int>(sessions.size()));
}

TEST_CASE("token create prints a token once; list shows who and what, never the token; revoke closes it",
          "[cli][token]") {
  test::TempDir dir;
  auto config = write_config(dir);
  auto created = test::run({kRelais, "token", "create", "--config", config, "--name", "Claire", "--cohort", "g1"}, dir.path());
  REQUIRE(created.exit_code == 0);
  CHECK(created.out.find("shown only this once") != std::string::npos);
  const auto at = created.out.find("rl_");
  REQUIRE(at != std::string::npos);
  const std::string token = created.out.substr(at, 46);
  // Only its hash is stored: the token itself is nowhere in the database file.
  CHECK(test::read_text(dir / "relais.db").find(token) == std::string::npos);
  auto store = open_sqlite_store((dir / "relais.db").string());
  auto found = store->token_by_hash(token_hash(token));
  REQUIRE(found);
  CHECK(found->name == "Claire");
  CHECK(found->cohorts == std::vector<std::string>{"g1"});
  CHECK_FALSE(found->admin);
  CHECK_FALSE(store->token_by_hash(token_hash(token + "x")));

  auto listed = test::run({kRelais, "token", "list", "--config", config}, dir.path());
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("Claire") != std::string::npos);
  CHECK(listed.out.find("g1") != std::string::npos);
  CHECK(listed.out.find(token) == std::string::npos);

  CHECK(test::run({kRelais, "token", "revoke", "--config", config, std::to_string(found->id)}, dir.path()).exit_code == 0);
  CHECK_FALSE(store->token_by_hash(token_hash(token)));
  auto again = test::run({kRelais, "token", "revoke", "--config", config, std::to_string(found->id)}, dir.path());
  CHECK(again.exit_code == 2);
  CHECK(again.err.find("revoked already") != std::string::npos);

  // A cohort the configuration does not have, or neither --admin nor --cohort: refused.
  auto unknown = test::run({kRelais, "token", "create", "--config", config, "--name", "X", "--cohort", "g9"}, dir.path());
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--cohort g9: no such cohort") != std::string::npos);
  CHECK(test::run({kRelais, "token", "create", "--config", config, "--name", "X"}, dir.path()).exit_code == 2);
  auto admin = test::run({kRelais, "token", "create", "--config", config, "--name", "Direction", "--admin"}, dir.path());
  CHECK(admin.exit_code == 0);
  CHECK(admin.out.find("admin: every cohort") != std::string::npos);
}
