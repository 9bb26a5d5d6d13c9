#include "bot/config/json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "bot/config/config.hpp"

namespace relais::config_detail {
namespace {

bool is_identifier(std::string_view key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Lower case without '_' and '-': "publicBaseUrl" and "public-base-url" both match
// "public_base_url".
std::string squash(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '_' && c != '-') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Edit distance counting a swap of two neighbours as one edit ("prot" → "port").
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::string member_path(const std::string& parent, std::string_view key) {
  if (is_identifier(key)) return parent + "." + std::string(key);
  return parent + "[" + Json(std::string(key)).dump() + "]";
}

std::string index_path(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::string type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: return "an integer";
    case Json::value_t::number_float: return "a number";
    case Json::value_t::string: return "a string";
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return "an unsupported value";
  }
}

std::optional<std::string> closest_key(std::string_view key, const std::vector<std::string>& known) {
  std::string wanted = squash(key);
  std::optional<std::string> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& candidate : known) {
    std::string squashed = squash(candidate);
    std::size_t distance = edit_distance(wanted, squashed);
    // One edit for short keys, two for longer ones: beyond that it is not a typo.
    std::size_t allowed = std::clamp<std::size_t>(squashed.size() / 3, 1, 2);
    if (distance <= allowed && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

bool is_env_var_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

void fail(const std::string& file, const std::string& path, std::string message) {
  throw ConfigError(file, path, std::move(message));
}

ObjectReader::ObjectReader(const Json& value, std::string path, const std::string& file)
    : value_(&value), path_(std::move(path)), file_(&file) {
  if (!value.is_object()) fail(file, path_, "expected an object, got " + type_name(value));
}

bool ObjectReader::has(std::string_view key) const {
  return value_->contains(std::string(key));
}

const Json* ObjectReader::find(std::string_view key) {
  known_.emplace_back(key);
  auto it = value_->find(std::string(key));
  return it == value_->end() ? nullptr : &*it;
}

void ObjectReader::type_error(std::string_view key, const char* expected, const Json& got) const {
  fail(*file_, path_of(key), std::string("expected ") + expected + ", got " + type_name(got));
}

void ObjectReader::read(std::string_view key, std::string& out) {
  const Json* v = find(key);
  if (!v) return;
  if (!v->is_string()) type_error(key, "a string", *v);
  std::string text = v->get<std::string>();
  if (key.size() > 4 && key.substr(key.size() - 4) == "_env" && !text.empty() &&
      !is_env_var_name(text))
    // The value is not echoed: a secret pasted here by mistake must not reach a log.
    fail(*file_, path_of(key),
         "must be the name of an environment variable ([A-Z_][A-Z0-9_]*), not the secret "
         "itself");
  out = std::move(text);
}

void ObjectReader::read(std::string_view key, bool& out) {
  const Json* v = find(key);
  if (!v) return;
  if (!v->is_boolean()) type_error(key, "true or false", *v);
  out = v->get<bool>();
}

void ObjectReader::read(std::string_view key, double& out, double min) {
  const Json* v = find(key);
  if (!v) return;
  if (!v->is_number()) type_error(key, "a number", *v);
  double d = v->get<double>();
  if (!std::isfinite(d) || d < min)
    fail(*file_, path_of(key),
         "must be at least " + Json(static_cast<long long>(min)).dump() + " (got " + v->dump() + ")");
  out = d;
}

std::optional<long long> ObjectReader::integer(std::string_view key, long long min, long long max) {
  const Json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) type_error(key, "an integer", *v);  // unsigned included
  // nlohmann reads every non-negative integer as unsigned: compare each kind in its own type
  // so that neither 0 nor 2^64-1 slips through a conversion.
  bool in_range;
  if (v->is_number_unsigned()) {
    auto u = v->get<unsigned long long>();
    in_range = (min <= 0 || u >= static_cast<unsigned long long>(min)) &&
               u <= static_cast<unsigned long long>(max);
  } else {
    auto i = v->get<long long>();
    in_range = i >= min && i <= max;
  }
  if (!in_range)
    fail(*file_, path_of(key),
         "must be between " + std::to_string(min) + " and " + std::to_string(max) + " (got " +
             v->dump() + ")");
  return v->get<long long>();
}

std::optional<ObjectReader> ObjectReader::object(std::string_view key) {
  const Json* v = find(key);
  if (!v) return std::nullopt;
  return ObjectReader(*v, path_of(key), *file_);
}

std::vector<ObjectReader> ObjectReader::objects(std::string_view key) {
  const Json* v = find(key);
  std::vector<ObjectReader> out;
  if (!v) return out;
  if (!v->is_array()) type_error(key, "an array", *v);
  for (std::size_t i = 0; i < v->size(); ++i)
    out.emplace_back((*v)[i], index_path(path_of(key), i), *file_);
  return out;
}

std::vector<std::pair<std::string, ObjectReader>> ObjectReader::object_map(std::string_view key) {
  const Json* v = find(key);
  std::vector<std::pair<std::string, ObjectReader>> out;
  if (!v) return out;
  if (!v->is_object()) type_error(key, "an object", *v);
  for (auto it = v->begin(); it != v->end(); ++it)
    out.emplace_back(it.key(), ObjectReader(it.value(), member_path(path_of(key), it.key()), *file_));
  return out;
}

void ObjectReader::read(std::string_view key, std::vector<std::string>& out) {
  const Json* v = find(key);
  if (!v) return;
  if (!v->is_array()) type_error(key, "an array of strings", *v);
  std::vector<std::string> values;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      fail(*file_, index_path(path_of(key), i), "expected a string, got " + type_name((*v)[i]));
    values.push_back((*v)[i].get<std::string>());
  }
  out = std::move(values);
}

void ObjectReader::require(std::string_view key) { required_.emplace_back(key); }

void ObjectReader::finish() const {
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    const std::string& key = it.key();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string message = "unknown key \"" + key + "\"";
    if (auto near = closest_key(key, known_))
      message += " (did you mean \"" + *near + "\"?)";
    else
      message += " (known keys: " + join(known_) + ")";
    fail(*file_, member_path(path_, key), message);
  }
  for (const auto& key : required_)
    if (!has(key)) fail(*file_, path_of(key), "required key is missing");
}

}  // namespace relais::config_detail
