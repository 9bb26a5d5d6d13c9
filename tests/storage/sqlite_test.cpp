#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bot/storage/sqlite.hpp"
#include "support/temp_dir.hpp"

using namespace relais::sql;
using Catch::Matchers::Contains;

namespace {

// Runs f and returns the SqliteError it threw, if any, so its code can be inspected.
template <class F>
std::optional<SqliteError> sqlite_error_of(F&& f) {
  try {
    f();
  } catch (const SqliteError& e) {
    return e;
  }
  return std::nullopt;
}

Database notes_db() {
  Database db(":memory:");
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)");
  return db;
}

void add_note(Database& db, const std::string& body) {
  Statement(db, "INSERT INTO notes (body) VALUES (?)").bind(1, body).run();
}

std::vector<std::string> notes(Database& db) {
  std::vector<std::string> out;
  Statement st(db, "SELECT body FROM notes ORDER BY id");
  while (st.step()) out.push_back(st.get_text(0));
  return out;
}

std::string text_pragma(Database& db, const std::string& name) {
  Statement st(db, "PRAGMA " + name);
  REQUIRE(st.step());
  return st.get_text(0);
}

}  // namespace

TEST_CASE("64-bit integers round-trip through a bound parameter", "[sqlite]") {
  auto value = GENERATE(std::numeric_limits<std::int64_t>::min(), std::int64_t{-1}, std::int64_t{0},
                        std::int64_t{1}, std::int64_t{1'790'000'000'000}, std::numeric_limits<std::int64_t>::max());
  CAPTURE(value);
  Database db(":memory:");
  Statement st(db, "SELECT ?1, typeof(?1)");
  st.bind(1, value);
  REQUIRE(st.step());
  CHECK(st.get_int(0) == value);
  CHECK(st.get_text(1) == "integer");
}

TEST_CASE("doubles round-trip through a bound parameter", "[sqlite]") {
  auto value = GENERATE(0.0, -2.5, 0.0725, 1e300, -1e-300);
  CAPTURE(value);
  Database db(":memory:");
  Statement st(db, "SELECT ?1, typeof(?1)");
  st.bind(1, value);
  REQUIRE(st.step());
  CHECK(st.get_double(0) == value);
  CHECK(st.get_text(1) == "real");
}

TEST_CASE("UTF-8 texts round-trip through a table", "[sqlite]") {
  auto value = GENERATE(as<std::string>{}, "", "Bonjour", "Réunion à 9h — à l'agence, merci ✓",
                        "Ça marche 👍", std::string(5000, 'x'));
  CAPTURE(value);
  Database db = notes_db();
  add_note(db, value);
  Statement st(db, "SELECT body, typeof(body) FROM notes");
  REQUIRE(st.step());
  CHECK(st.get_text(0) == value);
  CHECK(st.get_text(1) == "text");
  CHECK_FALSE(st.step());
}

TEST_CASE("an empty string_view binds an empty text, not NULL", "[sqlite]") {
  Database db(":memory:");
  Statement st(db, "SELECT typeof(?)");
  st.bind(1, std::string_view{});
  REQUIRE(st.step());
  CHECK(st.get_text(0) == "text");
}

TEST_CASE("NULL reads as empty text, zero or an empty optional", "[sqlite]") {
  Database db(":memory:");
  Statement st(db, "SELECT ?, ?, ?");
  st.bind(1, std::nullopt).bind(2, std::optional<std::string>{}).bind(3, std::optional<std::int64_t>{});
  REQUIRE(st.step());
  for (int col = 0; col < 3; ++col) {
    CAPTURE(col);
    CHECK(st.is_null(col));
    CHECK(st.get_text(col).empty());
    CHECK(st.get_int(col) == 0);
    CHECK_FALSE(st.get_optional_text(col).has_value());
    CHECK_FALSE(st.get_optional_int(col).has_value());
  }
}

TEST_CASE("optionals holding a value and booleans bind their value", "[sqlite]") {
  Database db(":memory:");
  Statement st(db, "SELECT ?, ?, ?, ?");
  st.bind(1, std::optional<std::string>("Amina")).bind(2, std::optional<std::int64_t>(42));
  st.bind(3, true).bind(4, false);
  REQUIRE(st.step());
  CHECK(st.get_optional_text(0) == std::optional<std::string>("Amina"));
  CHECK(st.get_optional_int(1) == std::optional<std::int64_t>(42));
  CHECK(st.get_int(2) == 1);
  CHECK(st.get_int(3) == 0);
  CHECK_FALSE(st.is_null(0));
}

TEST_CASE("named parameters bind with or without their colon", "[sqlite]") {
  Database db(":memory:");
  Statement st(db, "SELECT :phone, :count, @other");
  st.bind(":phone", "+33612345001").bind("count", 3).bind("@other", "x");
  REQUIRE(st.step());
  CHECK(st.get_text(0) == "+33612345001");
  CHECK(st.get_int(1) == 3);
  CHECK(st.get_text(2) == "x");
  CHECK_THROWS_AS(st.bind("missing", 1), std::invalid_argument);
}

TEST_CASE("binding a parameter that does not exist is an error", "[sqlite]") {
  Database db(":memory:");
  Statement st(db, "SELECT ?");
  auto err = sqlite_error_of([&] { st.bind(2, 1); });
  REQUIRE(err);
  CHECK(err->code() == SQLITE_RANGE);
  CHECK_THAT(err->what(), Contains("parameter 2") && Contains("SELECT ?"));
}

TEST_CASE("reset clears the bindings and lets a statement run again", "[sqlite]") {
  Database db(":memory:");
  Statement st(db, "SELECT ?");
  st.bind(1, 7);
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 7);
  st.reset();
  REQUIRE(st.step());
  CHECK(st.is_null(0));
}

TEST_CASE("reading a column with no current row or out of range is refused", "[sqlite]") {
  Database db(":memory:");
  Statement st(db, "SELECT 1");
  CHECK_THROWS_AS(st.get_int(0), std::out_of_range);
  REQUIRE(st.step());
  CHECK_THROWS_AS(st.get_int(1), std::out_of_range);
  CHECK_THROWS_AS(st.get_text(-1), std::out_of_range);
  CHECK_FALSE(st.step());
  CHECK_THROWS_AS(st.get_int(0), std::out_of_range);
}

TEST_CASE("a prepare error names the SQL and SQLite's reason", "[sqlite]") {
  Database db(":memory:");
  auto err = sqlite_error_of([&] { Statement st(db, "SELEC id\n  FROM notes"); });
  REQUIRE(err);
  CHECK((err->code() & 0xFF) == SQLITE_ERROR);
  CHECK_THAT(err->what(), Contains("SELEC id FROM notes") && Contains("syntax error"));
}

TEST_CASE("long SQL is shortened in error messages", "[sqlite]") {
  Database db(":memory:");
  std::string sql = "SELECT * FROM missing_table WHERE " + std::string(400, 'x') + " = 1";
  auto err = sqlite_error_of([&] { Statement st(db, sql); });
  REQUIRE(err);
  std::string what = err->what();
  CHECK_THAT(what, Contains("SELECT * FROM missing_table") && Contains("...") && Contains("no such table"));
  CHECK(what.size() < 300);
}

TEST_CASE("exec names the statement of a script that failed", "[sqlite]") {
  Database db(":memory:");
  auto err = sqlite_error_of([&] {
    db.exec("CREATE TABLE a (x); INSERT INTO a VALUES (1);\n INSERT INTO nowhere VALUES (2); CREATE TABLE b (y)");
  });
  REQUIRE(err);
  CHECK_THAT(err->what(), Contains("INSERT INTO nowhere") && Contains("no such table"));
  Statement st(db, "SELECT count(*) FROM a");
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 1);  // statements before the failing one ran, those after did not
  CHECK_THROWS_AS(Statement(db, "SELECT * FROM b"), SqliteError);
}

TEST_CASE("a statement holds exactly one SQL statement", "[sqlite]") {
  Database db(":memory:");
  auto bad = GENERATE(as<std::string>{}, "", "  -- only a comment", "SELECT 1; SELECT 2", "SELECT 1; oops");
  CAPTURE(bad);
  CHECK_THROWS_AS(Statement(db, bad), std::invalid_argument);
  auto good = GENERATE(as<std::string>{}, "SELECT 1", "SELECT 1;", "SELECT 1; -- why\n", "SELECT 1 /* c */ ;  ");
  CAPTURE(good);
  Statement st(db, good);
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 1);
}

TEST_CASE("statements and connections move, copies are impossible", "[sqlite]") {
  static_assert(!std::is_copy_constructible_v<Statement> && !std::is_copy_assignable_v<Statement>);
  static_assert(!std::is_copy_constructible_v<Database> && !std::is_copy_assignable_v<Database>);
  Database first = notes_db();
  Database db(std::move(first));
  CHECK(first.handle() == nullptr);
  add_note(db, "kept");
  Statement a(db, "SELECT body FROM notes");
  Statement b(std::move(a));
  Statement c(db, "SELECT 0");
  c = std::move(b);
  REQUIRE(c.step());
  CHECK(c.get_text(0) == "kept");
}

TEST_CASE("last_insert_rowid and changes report the last statement", "[sqlite]") {
  Database db = notes_db();
  add_note(db, "a");
  add_note(db, "b");
  CHECK(db.last_insert_rowid() == 2);
  db.exec("UPDATE notes SET body = body || '!'");
  CHECK(db.changes() == 2);
}

TEST_CASE("a committed transaction keeps its writes", "[sqlite][transaction]") {
  Database db = notes_db();
  {
    Transaction tx(db);
    CHECK(db.in_transaction());
    add_note(db, "a");
    tx.commit();
    CHECK_FALSE(db.in_transaction());
    CHECK_THROWS_AS(tx.commit(), std::logic_error);
  }
  CHECK(notes(db) == std::vector<std::string>{"a"});
}

TEST_CASE("a transaction destroyed without commit rolls back", "[sqlite][transaction]") {
  Database db = notes_db();
  {
    Transaction tx(db);
    add_note(db, "forgotten");
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(notes(db).empty());
}

TEST_CASE("a transaction unwound by an exception rolls back", "[sqlite][transaction]") {
  Database db = notes_db();
  add_note(db, "before");
  auto write_then_fail = [&] {
    Transaction tx(db);
    add_note(db, "lost");
    add_note(db, "before");  // UNIQUE violation: throws before commit
    tx.commit();
  };
  CHECK_THROWS_AS(write_then_fail(), SqliteError);
  CHECK_FALSE(db.in_transaction());
  CHECK(notes(db) == std::vector<std::string>{"before"});
}

TEST_CASE("a released savepoint keeps its writes", "[sqlite][savepoint]") {
  Database db = notes_db();
  Transaction tx(db);
  add_note(db, "outer");
  {
    Savepoint sp(db, "inner");
    add_note(db, "inner");
    sp.release();
    CHECK_THROWS_AS(sp.release(), std::logic_error);
  }
  tx.commit();
  CHECK(notes(db) == std::vector<std::string>{"outer", "inner"});
}

TEST_CASE("a savepoint destroyed unreleased undoes only its own writes", "[sqlite][savepoint]") {
  Database db = notes_db();
  Transaction tx(db);
  add_note(db, "outer");
  {
    Savepoint sp(db, "step");
    add_note(db, "undone");
  }
  CHECK(db.in_transaction());  // the outer transaction goes on
  add_note(db, "after");
  tx.commit();
  CHECK(notes(db) == std::vector<std::string>{"outer", "after"});
}

TEST_CASE("a savepoint outside any transaction acts as one", "[sqlite][savepoint]") {
  Database db = notes_db();
  {
    Savepoint sp(db, "alone");
    CHECK(db.in_transaction());
    add_note(db, "undone");
  }
  CHECK_FALSE(db.in_transaction());
  {
    Savepoint sp(db, "alone");
    add_note(db, "kept");
    sp.release();
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(notes(db) == std::vector<std::string>{"kept"});
}

TEST_CASE("nested savepoints each undo their own writes", "[sqlite][savepoint]") {
  Database db = notes_db();
  SECTION("an inner one rolled back inside an outer one released") {
    {
      Savepoint outer(db, "outer");
      add_note(db, "1");
      {
        Savepoint inner(db, "inner");
        add_note(db, "2");
      }
      add_note(db, "3");
      outer.release();
    }
    CHECK(notes(db) == std::vector<std::string>{"1", "3"});
  }
  SECTION("an inner one released inside an outer one rolled back") {
    {
      Savepoint outer(db, "outer");
      add_note(db, "1");
      Savepoint inner(db, "inner");
      add_note(db, "2");
      inner.release();
    }
    CHECK(notes(db).empty());
  }
  SECTION("two levels with the same name") {
    {
      Savepoint outer(db, "same");
      add_note(db, "1");
      {
        Savepoint inner(db, "same");
        add_note(db, "2");
      }
      outer.release();
    }
    CHECK(notes(db) == std::vector<std::string>{"1"});
  }
  CHECK_FALSE(db.in_transaction());
}

TEST_CASE("savepoint names must be identifiers", "[sqlite][savepoint]") {
  Database db(":memory:");
  auto bad = GENERATE(as<std::string>{}, "", "1st", "a b", "x\"; DROP TABLE notes; --", "réponse", "a-b");
  CAPTURE(bad);
  CHECK_THROWS_AS(Savepoint(db, bad), std::invalid_argument);
  CHECK_FALSE(db.in_transaction());
  auto good = GENERATE(as<std::string>{}, "_", "step_2", "order", "SELECT");
  CAPTURE(good);
  Savepoint sp(db, good);
  CHECK(db.in_transaction());
  sp.release();
  CHECK_FALSE(db.in_transaction());
}

TEST_CASE("pragma_int reads integer pragmas and refuses odd names", "[sqlite]") {
  Database db(":memory:");
  db.exec("PRAGMA user_version = 12");
  CHECK(db.pragma_int("user_version") == 12);
  CHECK(db.pragma_int("main.user_version") == 12);
  auto bad = GENERATE(as<std::string>{}, "", "user_version; DROP TABLE x", "a.b.c", "1x");
  CAPTURE(bad);
  CHECK_THROWS_AS(db.pragma_int(bad), std::invalid_argument);
}

TEST_CASE("a file database uses WAL, synchronous FULL and foreign keys", "[sqlite][file]") {
  relais::test::TempDir dir;
  Database db((dir / "relais.db").string());
  CHECK(text_pragma(db, "journal_mode") == "wal");
  CHECK(db.pragma_int("synchronous") == 2);  // FULL
  CHECK(db.pragma_int("foreign_keys") == 1);
}

TEST_CASE("an in-memory database enforces foreign keys", "[sqlite]") {
  Database db(":memory:");
  CHECK(db.pragma_int("foreign_keys") == 1);
  db.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
          "CREATE TABLE child (parent_id INTEGER REFERENCES parent(id))");
  auto err = sqlite_error_of([&] { db.exec("INSERT INTO child VALUES (99)"); });
  REQUIRE(err);
  CHECK(err->is_constraint());
  CHECK(err->code() == SQLITE_CONSTRAINT_FOREIGNKEY);
}

TEST_CASE("a constraint violation is reported as one", "[sqlite]") {
  Database db = notes_db();
  add_note(db, "once");
  Statement dup(db, "INSERT INTO notes (body) VALUES ('once')");
  auto err = sqlite_error_of([&] { dup.run(); });
  REQUIRE(err);
  CHECK(err->is_constraint());
  CHECK_FALSE(err->is_busy());
  CHECK(err->code() == SQLITE_CONSTRAINT_UNIQUE);
  CHECK_THAT(err->what(), Contains("INSERT INTO notes") && Contains("UNIQUE"));
}

TEST_CASE("a second writer is refused as busy after the busy timeout", "[sqlite][file]") {
  relais::test::TempDir dir;
  auto path = (dir / "relais.db").string();
  OpenOptions quick;
  quick.busy_timeout_ms = 50;
  Database first(path, quick);
  first.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
  Database second(path, quick);
  Statement insert(second, "INSERT INTO notes (body) VALUES ('second')");

  std::optional<Transaction> holder;
  holder.emplace(first);
  first.exec("INSERT INTO notes (body) VALUES ('first')");

  auto begin_err = sqlite_error_of([&] { Transaction tx(second); });
  REQUIRE(begin_err);
  CHECK(begin_err->is_busy());
  CHECK_FALSE(begin_err->is_constraint());
  CHECK_FALSE(second.in_transaction());

  auto step_err = sqlite_error_of([&] { insert.step(); });
  REQUIRE(step_err);
  CHECK(step_err->is_busy());

  holder->commit();
  holder.reset();
  Transaction tx(second);  // the lock is free again
  insert.reset();
  insert.run();
  tx.commit();
  Statement count(first, "SELECT count(*) FROM notes");
  REQUIRE(count.step());
  CHECK(count.get_int(0) == 2);
}

TEST_CASE("a read-only connection cannot write", "[sqlite][file]") {
  relais::test::TempDir dir;
  auto path = (dir / "relais.db").string();
  {
    Database writer(path);
    writer.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('a')");
  }
  Database reader(path, OpenOptions{.read_only = true});
  Statement st(reader, "SELECT body FROM notes");
  REQUIRE(st.step());
  CHECK(st.get_text(0) == "a");
  auto err = sqlite_error_of([&] { reader.exec("INSERT INTO notes VALUES ('b')"); });
  REQUIRE(err);
  CHECK((err->code() & 0xFF) == SQLITE_READONLY);
}

TEST_CASE("opening a missing file without create fails and names the path", "[sqlite][file]") {
  relais::test::TempDir dir;
  auto path = (dir / "absent.db").string();
  auto err = sqlite_error_of([&] { Database db(path, OpenOptions{.create = false}); });
  REQUIRE(err);
  CHECK((err->code() & 0xFF) == SQLITE_CANTOPEN);
  CHECK_THAT(err->what(), Contains(path));
}
