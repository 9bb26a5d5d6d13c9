#pragma once
// Parsing configuration text (internal to bot/config/): JSON with // and /* */ comments,
// duplicate keys rejected. Errors are ConfigErrors: a syntax error gives line and column,
// never the text around it (it could hold a secret pasted by mistake).
#include <string>
#include <string_view>

#include "bot/config/json_reader.hpp"

namespace relais::config_detail {

Json parse_json_text(std::string_view text, const std::string& file);

// 1-based line and column (in characters) of the byte at `offset`.
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace relais::config_detail
