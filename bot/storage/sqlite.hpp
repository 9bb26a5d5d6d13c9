#pragma once
// A thin RAII layer over SQLite: a connection, prepared statements with typed binds, and
// transactions/savepoints that roll back unless committed.
// Thread-safety: a Database and its Statements belong to one thread at a time (SQLite is
// opened in multi-thread mode: connections are independent, a connection is not shared).
// Errors throw SqliteError (storage failures are exceptional, not normal flow).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace relais::sql {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }  // the SQLite (extended) result code
  bool is_busy() const;               // SQLITE_BUSY / SQLITE_LOCKED
  bool is_constraint() const;         // SQLITE_CONSTRAINT*

 private:
  int code_;
};

struct OpenOptions {
  bool read_only = false;
  bool create = true;
  int busy_timeout_ms = 5000;
};

// One connection. Opening a file (not ":memory:") sets journal_mode=WAL,
// synchronous=FULL and foreign_keys=ON; ":memory:" gets foreign_keys=ON.
class Database {
 public:
  explicit Database(const std::string& path, OpenOptions options = {});
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements with no parameters and no results.
  void exec(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows changed by the last statement
  // Value of `PRAGMA name` as an integer (user_version, data_version, …).
  std::int64_t pragma_int(std::string_view name);
  bool in_transaction() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// A prepared statement. Parameters are 1-based (`?`) or named (`:name`); columns 0-based.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::string_view value);  // copied (SQLITE_TRANSIENT)
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, std::nullopt_t);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
  }
  Statement& bind(std::string_view name, std::int64_t value) { return bind(index_of(name), value); }
  Statement& bind(std::string_view name, std::string_view value) { return bind(index_of(name), value); }

  // Steps once: true when a row is available, false when done.
  bool step();
  // Steps to completion, for statements that return no rows.
  void run();
  // Resets for re-use and clears bindings.
  void reset();

  bool is_null(int col) const;
  std::int64_t get_int(int col) const;
  double get_double(int col) const;
  std::string get_text(int col) const;
  std::optional<std::string> get_optional_text(int col) const;
  std::optional<std::int64_t> get_optional_int(int col) const;

 private:
  int index_of(std::string_view name) const;
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE (takes the write lock at once, so a busy database fails here, not at
// commit). Rolls back in the destructor unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// SAVEPOINT name; rolled back to (and released) in the destructor unless released.
class Savepoint {
 public:
  Savepoint(Database& db, std::string name);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release();

 private:
  Database& db_;
  std::string name_;
  bool done_ = false;
};

// A numbered schema migration. Migrations are applied in order, all pending ones in one
// transaction, and PRAGMA user_version records the last applied number.
struct Migration {
  int version;
  std::string_view sql;
};

// Applies the pending migrations; returns how many were applied. Throws SqliteError (and
// changes nothing) if one fails; throws std::runtime_error if the database is newer than
// the newest migration known (a downgrade).
int migrate(Database& db, const Migration* begin, const Migration* end);

}  // namespace relais::sql
