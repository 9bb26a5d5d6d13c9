#pragma once
// Strict reading of JSON objects into struct fields (internal to bot/config/).
// Every key an ObjectReader is asked about becomes "known"; finish() rejects the others,
// suggesting the closest known key. Every error is a ConfigError naming the JSON path.
// Not thread-safe; a reader refers to the document it reads and must not outlive it.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relais::config_detail {

// Ordered, so that "the first bad value" is the first one in the file.
using Json = nlohmann::ordered_json;

// "$.server" + "port" → "$.server.port"; keys that are not identifiers are quoted.
std::string member_path(const std::string& parent, std::string_view key);
// "$.cohorts" + 2 → "$.cohorts[2]".
std::string index_path(const std::string& parent, std::size_t index);

// "a string", "an integer", "an object"… for type errors.
std::string type_name(const Json& value);

// The known key closest to `key` (ignoring case, '_' and '-'), if one is close enough to
// be a likely typo.
std::optional<std::string> closest_key(std::string_view key, const std::vector<std::string>& known);

// True for POSIX-style environment variable names: [A-Z_][A-Z0-9_]*.
bool is_env_var_name(std::string_view name);

[[noreturn]] void fail(const std::string& file, const std::string& path, std::string message);

class ObjectReader {
 public:
  // Throws when `value` is not an object.
  ObjectReader(const Json& value, std::string path, const std::string& file);

  const std::string& path() const { return path_; }
  const std::string& file() const { return *file_; }
  std::string path_of(std::string_view key) const { return member_path(path_, key); }
  bool has(std::string_view key) const;

  // Each reader leaves `out` untouched when the key is absent.
  void read(std::string_view key, std::string& out);  // a key ending in _env must name a variable
  void read(std::string_view key, bool& out);
  void read(std::string_view key, double& out, double min);  // min: a whole number
  template <class Int>
  void read_int(std::string_view key, Int& out, long long min, long long max) {
    if (auto v = integer(key, min, max)) out = static_cast<Int>(*v);
  }
  // A nested object, or nothing when absent.
  std::optional<ObjectReader> object(std::string_view key);
  // An array whose elements must all be objects; empty when absent.
  std::vector<ObjectReader> objects(std::string_view key);
  // An object whose values must all be objects, as (key, reader) pairs; empty when absent.
  std::vector<std::pair<std::string, ObjectReader>> object_map(std::string_view key);
  // An array of strings.
  void read(std::string_view key, std::vector<std::string>& out);

  // Makes finish() throw when `key` is absent.
  void require(std::string_view key);
  // Throws for the first key that no read/object/objects call named, then for the first
  // required key that is absent: "typo" is reported as a typo of "type", not as a
  // missing "type".
  void finish() const;

 private:
  const Json* find(std::string_view key);  // marks the key known
  std::optional<long long> integer(std::string_view key, long long min, long long max);
  [[noreturn]] void type_error(std::string_view key, const char* expected, const Json& got) const;

  const Json* value_;
  std::string path_;
  const std::string* file_;
  std::vector<std::string> known_;
  std::vector<std::string> required_;
};

}  // namespace relais::config_detail
