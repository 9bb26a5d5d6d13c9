#include "bot/storage/sqlite.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>

namespace relais::sql {
namespace {

// Error messages quote SQL on one line and at most this many bytes.
constexpr std::size_t kExcerptBytes = 120;

std::string excerpt(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    bool blank = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() <= kExcerptBytes) return out;
  std::size_t cut = kExcerptBytes;
  // Never cut a UTF-8 sequence in two: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  return out.substr(0, cut) + "...";
}

std::string sql_of(sqlite3_stmt* stmt) {
  const char* text = stmt ? sqlite3_sql(stmt) : nullptr;
  return excerpt(text ? text : "");
}

SqliteError error(sqlite3* db, int rc, const std::string& what) {
  return SqliteError(rc, what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

bool is_identifier(std::string_view s) {
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (s.empty() || !alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

struct Finalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, Finalize>;

// Prepares the first statement of `sql`; null when it holds only blanks and comments.
StmtPtr prepare(sqlite3* db, std::string_view sql, const char** tail) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), 0, &raw, tail);
  if (rc != SQLITE_OK) throw error(db, rc, "cannot prepare `" + excerpt(sql) + "`");
  return StmtPtr(raw);
}

// For destructors: errors are swallowed, as there is no one left to report them to.
void exec_quietly(sqlite3* db, const std::string& sql) noexcept {
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

void configure(Database& db, const std::string& path, const OpenOptions& options) {
  db.exec("PRAGMA foreign_keys = ON");
  // ":memory:" and "" (a private temporary database) have no WAL and need no fsync policy.
  if (path == ":memory:" || path.empty()) return;
  // A read-only connection cannot change the journal mode; whoever writes the file sets it.
  if (!options.read_only) {
    Statement mode(db, "PRAGMA journal_mode = WAL");
    std::string got = mode.step() ? mode.get_text(0) : "";
    if (got != "wal")
      throw SqliteError(SQLITE_ERROR, "cannot put `" + path + "` in WAL mode (journal_mode is '" + got + "')");
  }
  db.exec("PRAGMA synchronous = FULL");
  // 16 MB of page cache (SQLite's default is 2 MB): a planning writes millions of rows into
  // four indexes of the jobs table.
  db.exec("PRAGMA cache_size = -16384");
}

}  // namespace

bool SqliteError::is_busy() const {
  int primary = code_ & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

bool SqliteError::is_constraint() const { return (code_ & 0xFF) == SQLITE_CONSTRAINT; }

// ---- Database ----

Database::Database(const std::string& path, OpenOptions options) {
  // Before SQLite starts (the first open): no memory statistics, which take a global mutex
  // at every allocation of every connection. Relais reads none of them.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    SqliteError e = error(db_, rc, "cannot open database `" + path + "`");
    sqlite3_close_v2(db_);  // a handle is returned even on failure
    db_ = nullptr;
    throw e;
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  try {
    configure(*this, path, options);
  } catch (...) {
    sqlite3_close_v2(db_);  // the destructor does not run for a half-built object
    db_ = nullptr;
    throw;
  }
}

// close_v2 defers the close until any Statement still alive is finalized.
Database::~Database() { sqlite3_close_v2(db_); }

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

// Statement by statement (rather than sqlite3_exec) so that an error names the one that failed.
void Database::exec(std::string_view sql) {
  while (!sql.empty()) {
    const char* tail = nullptr;
    StmtPtr stmt = prepare(db_, sql, &tail);
    if (!stmt) return;
    sql.remove_prefix(static_cast<std::size_t>(tail - sql.data()));
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) throw error(db_, rc, "`" + sql_of(stmt.get()) + "` failed");
  }
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

std::int64_t Database::pragma_int(std::string_view name) {
  // The name is pasted into SQL: accept only `name` or `schema.name`.
  auto dot = name.find('.');
  bool valid = dot == std::string_view::npos
                   ? is_identifier(name)
                   : is_identifier(name.substr(0, dot)) && is_identifier(name.substr(dot + 1));
  if (!valid) throw std::invalid_argument("not a pragma name: '" + std::string(name) + "'");
  Statement st(*this, "PRAGMA " + std::string(name));
  if (!st.step()) throw SqliteError(SQLITE_ERROR, "PRAGMA " + std::string(name) + " returned no value");
  return st.get_int(0);
}

bool Database::in_transaction() const { return db_ && sqlite3_get_autocommit(db_) == 0; }

// ---- Statement ----

Statement::Statement(Database& db, std::string_view sql) : db_(db.handle()) {
  const char* tail = nullptr;
  stmt_ = prepare(db_, sql, &tail).release();
  if (!stmt_) throw std::invalid_argument("no SQL statement in `" + excerpt(sql) + "`");
  // A second statement would be silently ignored: refuse it (Database::exec runs scripts).
  std::string_view rest = sql.substr(static_cast<std::size_t>(tail - sql.data()));
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t\r\n"), rest.size()));
  if (!rest.empty()) {
    const char* ignored = nullptr;
    sqlite3_stmt* extra = nullptr;
    int rc = sqlite3_prepare_v3(db_, rest.data(), static_cast<int>(rest.size()), 0, &extra, &ignored);
    sqlite3_finalize(extra);
    if (rc != SQLITE_OK || extra) {
      sqlite3_finalize(std::exchange(stmt_, nullptr));
      throw std::invalid_argument("more than one SQL statement in `" + excerpt(sql) + "`");
    }
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), db_(std::exchange(other.db_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

namespace {
void check_bind(sqlite3* db, sqlite3_stmt* stmt, int rc, int index) {
  if (rc != SQLITE_OK)
    throw error(db, rc, "cannot bind parameter " + std::to_string(index) + " of `" + sql_of(stmt) + "`");
}
}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(db_, stmt_, sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  check_bind(db_, stmt_, sqlite3_bind_double(stmt_, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  // An empty string_view may have a null data(), which SQLite would bind as NULL, not ''.
  const char* data = value.data() ? value.data() : "";
  check_bind(db_, stmt_, sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
             index);
  return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
  check_bind(db_, stmt_, sqlite3_bind_null(stmt_, index), index);
  return *this;
}

// Accepts the name with its prefix (":id", "@id", "$id") or without it ("id" means ":id").
int Statement::index_of(std::string_view name) const {
  std::string full(name);
  int index = sqlite3_bind_parameter_index(stmt_, full.c_str());
  if (index == 0 && !full.empty() && full[0] != ':' && full[0] != '@' && full[0] != '$')
    index = sqlite3_bind_parameter_index(stmt_, (":" + full).c_str());
  if (index == 0)
    throw std::invalid_argument("no parameter '" + full + "' in `" + sql_of(stmt_) + "`");
  return index;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  SqliteError e = error(db_, rc, "`" + sql_of(stmt_) + "` failed");
  // A failed statement is reset so that it holds no lock while the error travels up.
  sqlite3_reset(stmt_);
  throw e;
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  // The return value repeats the last step's error, which step() has already thrown.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

namespace {
// Reading a column that does not exist, or with no current row, is a bug in the caller.
void check_column(sqlite3_stmt* stmt, int col) {
  if (col < 0 || col >= sqlite3_data_count(stmt))
    throw std::out_of_range("no column " + std::to_string(col) + " in the current row of `" + sql_of(stmt) + "`");
}
}  // namespace

bool Statement::is_null(int col) const {
  check_column(stmt_, col);
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::int64_t Statement::get_int(int col) const {
  check_column(stmt_, col);
  return sqlite3_column_int64(stmt_, col);
}

double Statement::get_double(int col) const {
  check_column(stmt_, col);
  return sqlite3_column_double(stmt_, col);
}

std::string Statement::get_text(int col) const {
  check_column(stmt_, col);
  auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  // sqlite3_column_bytes must come after sqlite3_column_text (which may convert the value).
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

std::optional<std::string> Statement::get_optional_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return get_text(col);
}

std::optional<std::int64_t> Statement::get_optional_int(int col) const {
  if (is_null(col)) return std::nullopt;
  return get_int(col);
}

// ---- Transaction and Savepoint ----

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  // An error such as SQLITE_FULL may already have rolled back and ended the transaction.
  if (!done_ && db_.in_transaction()) exec_quietly(db_.handle(), "ROLLBACK");
}

void Transaction::commit() {
  if (done_) throw std::logic_error("transaction already committed");
  db_.exec("COMMIT");
  done_ = true;
}

Savepoint::Savepoint(Database& db, std::string name) : db_(db), name_(std::move(name)) {
  if (!is_identifier(name_)) throw std::invalid_argument("not a savepoint name: '" + name_ + "'");
  // Quoted, so that a name which is also a keyword ("order") still works.
  db_.exec("SAVEPOINT \"" + name_ + "\"");
}

Savepoint::~Savepoint() {
  if (!done_ && db_.in_transaction())
    exec_quietly(db_.handle(), "ROLLBACK TO \"" + name_ + "\"; RELEASE \"" + name_ + "\"");
}

void Savepoint::release() {
  if (done_) throw std::logic_error("savepoint '" + name_ + "' already released");
  db_.exec("RELEASE \"" + name_ + "\"");
  done_ = true;
}

// ---- Migrations ----

namespace {
int check_versions(const Migration* begin, const Migration* end) {
  int last = 0;
  for (const Migration* m = begin; m != end; ++m) {
    if (m->version <= last)
      throw std::logic_error("migration versions must be positive and strictly increasing: " +
                             std::to_string(m->version) + " follows " + std::to_string(last));
    last = m->version;
  }
  return last;
}

void refuse_newer(std::int64_t current, int latest) {
  if (current > latest)
    throw std::runtime_error("database schema version " + std::to_string(current) +
                             " is newer than this relais (knows up to " + std::to_string(latest) + ")");
}
}  // namespace

int migrate(Database& db, const Migration* begin, const Migration* end) {
  int latest = check_versions(begin, end);
  // A first look without a transaction, so that an up-to-date read-only database is accepted.
  std::int64_t current = db.pragma_int("user_version");
  refuse_newer(current, latest);
  if (current == latest) return 0;

  Transaction tx(db);
  // Read again under the write lock: another process may have migrated in between.
  current = db.pragma_int("user_version");
  refuse_newer(current, latest);
  int applied = 0;
  for (const Migration* m = begin; m != end; ++m) {
    if (m->version <= current) continue;
    try {
      db.exec(m->sql);
    } catch (const SqliteError& e) {
      throw SqliteError(e.code(), "migration " + std::to_string(m->version) + " failed: " + e.what());
    }
    ++applied;
  }
  db.exec("PRAGMA user_version = " + std::to_string(latest));
  tx.commit();
  return applied;
}

}  // namespace relais::sql
