#pragma once
// Writing CSV (RFC 4180, comma-separated, UTF-8). Every CSV Relais writes goes through
// csv_cell: names and replies come from outside, and a spreadsheet runs a cell that starts
// with '=', '+', '-' or '@' as a formula (CSV injection). Pure functions: thread-safe.
#include <string>
#include <string_view>
#include <vector>

namespace relais {

// One cell: neutralised, then quoted when needed.
// - A cell starting with '=', '+', '-', '@', a tab or a carriage return (OWASP's list) gets
//   a leading single quote: "=HYPERLINK(…)" is written '=HYPERLINK(…), shown as text.
//   So does a negative number ("-3" → "'-3"): write numbers that may be negative as text
//   of your own if a spreadsheet must read them as numbers.
// - A cell holding a comma, a double quote, a line feed or a carriage return is put between
//   double quotes, its double quotes doubled.
std::string csv_cell(std::string_view value);

// One line: the cells through csv_cell, joined by commas, ended by CRLF (RFC 4180).
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace relais
