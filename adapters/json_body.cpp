#include "adapters/json_body.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace relais {

Result<nlohmann::json> parse_json_body(std::string_view body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {  // syntax, or a number too large
    return Err(std::string("body is not valid JSON: ") + e.what());
  }
}

}  // namespace relais
