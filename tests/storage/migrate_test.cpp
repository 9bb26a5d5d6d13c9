#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "bot/storage/sqlite.hpp"
#include "support/temp_dir.hpp"

using namespace relais::sql;
using Catch::Matchers::Contains;

namespace {

constexpr Migration kSchema[] = {
    {1, "CREATE TABLE participants (id INTEGER PRIMARY KEY, phone TEXT NOT NULL UNIQUE)"},
    {2, "ALTER TABLE participants ADD COLUMN cohort TEXT NOT NULL DEFAULT '';"
        "CREATE TABLE outbox (id INTEGER PRIMARY KEY,"
        "  participant_id INTEGER NOT NULL REFERENCES participants(id), text TEXT NOT NULL)"},
    {3, "CREATE INDEX outbox_by_participant ON outbox(participant_id);"
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);"
        "INSERT INTO settings VALUES ('timezone', 'Europe/Paris')"},
};
constexpr const Migration* kEnd = std::end(kSchema);

// The names of the tables and indexes, sorted: what a migration leaves behind.
std::vector<std::string> schema_objects(Database& db) {
  std::vector<std::string> out;
  Statement st(db, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name");
  while (st.step()) out.push_back(st.get_text(0));
  return out;
}

std::int64_t count(Database& db, const std::string& table) {
  Statement st(db, "SELECT count(*) FROM " + table);
  REQUIRE(st.step());
  return st.get_int(0);
}

}  // namespace

TEST_CASE("a fresh database gets every migration and records the last version", "[migrate]") {
  Database db(":memory:");
  CHECK(migrate(db, std::begin(kSchema), kEnd) == 3);
  CHECK(db.pragma_int("user_version") == 3);
  CHECK(schema_objects(db) ==
        std::vector<std::string>{"outbox", "outbox_by_participant", "participants", "settings"});
  CHECK(count(db, "settings") == 1);
  CHECK_FALSE(db.in_transaction());

  SECTION("running it again applies nothing") {
    CHECK(migrate(db, std::begin(kSchema), kEnd) == 0);
    CHECK(count(db, "settings") == 1);  // migration 3's INSERT did not run twice
  }
}

TEST_CASE("an older database gets only the migrations it lacks and keeps its data", "[migrate]") {
  Database db(":memory:");
  REQUIRE(migrate(db, std::begin(kSchema), std::begin(kSchema) + 1) == 1);
  REQUIRE(db.pragma_int("user_version") == 1);
  db.exec("INSERT INTO participants (phone) VALUES ('+33612345001')");

  // Re-running migration 1 would fail (its table exists): a count of 2 proves it was skipped.
  CHECK(migrate(db, std::begin(kSchema), kEnd) == 2);
  CHECK(db.pragma_int("user_version") == 3);
  Statement st(db, "SELECT phone, cohort FROM participants");
  REQUIRE(st.step());
  CHECK(st.get_text(0) == "+33612345001");
  CHECK(st.get_text(1).empty());
  CHECK_FALSE(st.step());
}

TEST_CASE("a failing migration changes nothing and names its version", "[migrate]") {
  const Migration broken[] = {
      kSchema[0],
      kSchema[1],
      {3, "CREATE TABLE settings (key TEXT); INSERT INTO nowhere VALUES (1)"},
  };
  Database db(":memory:");
  REQUIRE(migrate(db, std::begin(broken), std::begin(broken) + 1) == 1);
  db.exec("INSERT INTO participants (phone) VALUES ('+33612345001')");
  auto before = schema_objects(db);

  CHECK_THROWS_WITH(migrate(db, std::begin(broken), std::end(broken)),
                    Contains("migration 3") && Contains("INSERT INTO nowhere") && Contains("no such table"));
  CHECK_THROWS_AS(migrate(db, std::begin(broken), std::end(broken)), SqliteError);
  CHECK(db.pragma_int("user_version") == 1);
  CHECK(schema_objects(db) == before);  // neither migration 2 nor the first half of 3 stayed
  CHECK(count(db, "participants") == 1);
  CHECK_FALSE(db.in_transaction());
}

TEST_CASE("a database newer than the known migrations is refused", "[migrate]") {
  Database db(":memory:");
  db.exec("PRAGMA user_version = 7");
  CHECK_THROWS_WITH(migrate(db, std::begin(kSchema), kEnd),
                    "database schema version 7 is newer than this relais (knows up to 3)");
  CHECK(db.pragma_int("user_version") == 7);
  CHECK(schema_objects(db).empty());
}

TEST_CASE("migration versions must be positive and strictly increasing", "[migrate]") {
  using Versions = std::vector<int>;
  auto versions = GENERATE(Versions{1, 1}, Versions{2, 1}, Versions{1, 3, 2}, Versions{0, 1}, Versions{-1});
  CAPTURE(versions);
  std::vector<Migration> list;
  for (int v : versions) list.push_back({v, "CREATE TABLE IF NOT EXISTS probe (x)"});
  Database db(":memory:");
  CHECK_THROWS_AS(migrate(db, list.data(), list.data() + list.size()), std::logic_error);
  CHECK(db.pragma_int("user_version") == 0);
  CHECK(schema_objects(db).empty());
}

TEST_CASE("no migrations leave a fresh database at version 0", "[migrate]") {
  Database db(":memory:");
  CHECK(migrate(db, nullptr, nullptr) == 0);
  CHECK(db.pragma_int("user_version") == 0);
}

TEST_CASE("an up-to-date database can be checked through a read-only connection", "[migrate][file]") {
  relais::test::TempDir dir;
  auto path = (dir / "relais.db").string();
  Database writer(path);
  REQUIRE(migrate(writer, std::begin(kSchema), std::begin(kSchema) + 2) == 2);
  Database reader(path, OpenOptions{.read_only = true});

  auto err = [&]() -> std::string {
    try {
      migrate(reader, std::begin(kSchema), kEnd);
    } catch (const SqliteError& e) {
      return e.what();
    }
    return "no error";
  }();
  CHECK_THAT(err, Contains("readonly"));  // a pending migration needs a writer

  REQUIRE(migrate(writer, std::begin(kSchema), kEnd) == 1);
  CHECK(migrate(reader, std::begin(kSchema), kEnd) == 0);
}
