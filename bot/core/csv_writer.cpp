#include "bot/core/csv_writer.hpp"

namespace relais {
namespace {

bool starts_like_a_formula(std::string_view value) {
  if (value.empty()) return false;
  switch (value.front()) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': return true;
    default: return false;
  }
}

}  // namespace

std::string csv_cell(std::string_view value) {
  std::string cell = starts_like_a_formula(value) ? "'" : "";
  cell += value;
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_cell(cells[i]);
  }
  return line + "\r\n";
}

}  // namespace relais
