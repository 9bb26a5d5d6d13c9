#pragma once
// Prepared statements cached by their SQL text: each is prepared once per connection.
// Internal to bot/storage/.
#include <cstdint>
#include <string>
#include <unordered_map>

#include "bot/storage/sqlite.hpp"

namespace relais::sql {

class StatementCache {
 public:
  explicit StatementCache(Database& db) : db_(db) {}

  Statement& operator()(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, Statement(db_, sql)).first;
    it->second.reset();  // in case an exception left it mid-step
    return it->second;
  }

  // The first column of the first row of a query that returns one integer.
  template <class... Args>
  std::int64_t count(const std::string& sql, const Args&... args) {
    auto& st = (*this)(sql);
    int index = 0;
    (st.bind(++index, args), ...);
    st.step();
    auto n = st.get_int(0);
    st.reset();
    return n;
  }

  Database& db() { return db_; }

 private:
  Database& db_;
  std::unordered_map<std::string, Statement> cache_;
};

}  // namespace relais::sql
