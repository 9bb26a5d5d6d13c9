#pragma once
// A small RFC 4180 reader for the CSV files coaches export from spreadsheets (Excel
// "CSV UTF-8" with a BOM and `;`, LibreOffice and Google Sheets with `,`).
// Pure: text in, table or first error out. Thread-safe (no shared state).
#include <string>
#include <string_view>
#include <vector>

#include "bot/core/result.hpp"

namespace relais {

struct CsvRecord {
  int line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  char separator = ',';
  int header_line = 1;              // where the header record starts
  std::vector<std::string> header;  // the first non-blank record, as written
  std::vector<CsvRecord> rows;      // every later record, padded to the header's width
};

struct CsvError {
  int line = 0;  // 0 = the file as a whole (empty file)
  std::string message;
};

// Parses UTF-8 text, with or without a BOM. The separator (`,` or `;`) is the one found
// more often outside quotes on the header line; `;` wins a tie (French Excel).
// Quotes per RFC 4180 ("" escapes a quote; separators and line breaks may sit inside).
// CRLF, LF or CR line ends. Records whose fields are all empty (blank lines, or the `;;;`
// rows spreadsheets leave) are skipped. A record shorter than the header is padded with
// empty strings (spreadsheets drop trailing empty cells); extra trailing fields that are
// empty are dropped, and so are empty header cells at the end of the header.
// Errors (the first one found): invalid UTF-8, an unterminated quote (reported on the line
// where it opened), a quote inside an unquoted field, text after a closing quote, a record
// with more non-empty fields than the header, an empty file.
Result<CsvTable, CsvError> parse_csv(std::string_view content);

}  // namespace relais
