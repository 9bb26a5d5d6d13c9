#include "scheduler/rules.hpp"

#include <algorithm>
#include <cctype>

namespace relais {

std::optional<int> parse_offset(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int sign = 1;
  if (text.front() == '+' || text.front() == '-') {
    sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  if (text.size() < 2 || text.size() > 5) return std::nullopt;
  int n = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  int unit = 0;
  switch (text.back()) {
    case 'm': unit = 1; break;
    case 'h': unit = 60; break;
    case 'd': unit = 24 * 60; break;
    default: return std::nullopt;
  }
  if (n * unit > 60 * 24 * 60) return std::nullopt;
  return sign * n * unit;
}

std::optional<int> parse_clock_time(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  const int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::optional<int> parse_weekday(std::string_view text) {
  static constexpr const char* kDays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  for (int i = 0; i < 7; ++i)
    if (text == kDays[i]) return i;
  return std::nullopt;
}

}  // namespace relais
