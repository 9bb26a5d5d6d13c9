#include "bot/import/csv.hpp"

#include <optional>

#include "bot/core/text.hpp"

namespace relais {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

bool is_blank(std::string_view field) {
  for (char c : field)
    if (!is_blank_char(c)) return false;
  return true;
}

bool is_blank(const std::vector<std::string>& fields) {
  for (const auto& f : fields)
    if (!is_blank(f)) return false;
  return true;
}

// The physical line holding the first invalid byte. Splitting at '\n' is safe: no byte of
// a multi-byte UTF-8 sequence can be 0x0A.
int first_invalid_utf8_line(std::string_view s) {
  int line = 1;
  size_t start = 0;
  while (true) {
    size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    if (!is_valid_utf8(s.substr(start, end - start)) || end == s.size()) return line;
    ++line;
    start = end + 1;
  }
}

// Counts `,` and `;` outside quotes on the first line that holds more than separators and
// white space (a spreadsheet may leave empty rows above the header). A file of such rows
// only is read with the separator they use, so that they stay blank.
char detect_separator(std::string_view s) {
  size_t commas = 0, semicolons = 0;
  bool any_semicolon = false, quoted = false, content = false;
  for (char c : s) {
    if (c == '"') {
      quoted = !quoted;
      content = true;
    } else if (quoted) {
      continue;
    } else if (c == '\n' || c == '\r') {
      if (content) break;
      commas = semicolons = 0;
    } else if (c == ',') {
      ++commas;
    } else if (c == ';') {
      ++semicolons;
      any_semicolon = true;
    } else if (!is_blank_char(c)) {
      content = true;
    }
  }
  if (!content) return any_semicolon ? ';' : ',';
  return semicolons > 0 && semicolons >= commas ? ';' : ',';
}

// Reads records one at a time, keeping count of physical lines.
class CsvReader {
 public:
  CsvReader(std::string_view s, char separator) : s_(s), sep_(separator) {}

  bool at_end() const { return pos_ >= s_.size(); }

  // Reads the record starting at the current position and moves past its line end.
  std::optional<CsvError> read_record(CsvRecord& record) {
    record.line = line_;
    record.fields.clear();
    while (true) {
      std::string field;
      if (auto error = quote_ahead() ? read_quoted(field) : read_unquoted(field)) return error;
      record.fields.push_back(std::move(field));
      if (at_end()) return std::nullopt;
      char c = s_[pos_++];
      if (c == sep_) continue;
      // A line end: CRLF, LF or a lone CR.
      if (c == '\r' && !at_end() && s_[pos_] == '\n') ++pos_;
      ++line_;
      return std::nullopt;
    }
  }

 private:
  // A quoted field may follow a few spaces ( "a") as people type it by hand.
  bool quote_ahead() {
    size_t p = pos_;
    while (p < s_.size() && is_blank_char(s_[p])) ++p;
    if (p >= s_.size() || s_[p] != '"') return false;
    pos_ = p;
    return true;
  }

  std::optional<CsvError> read_quoted(std::string& field) {
    int opened_on = line_;
    ++pos_;  // the opening quote
    while (true) {
      if (at_end())
        return CsvError{opened_on,
                        "unterminated quote: the quoted field opened on this line never closes"};
      char c = s_[pos_++];
      if (c == '"') {
        if (at_end() || s_[pos_] != '"') break;
        field += '"';
        ++pos_;
      } else if (c == '\r' || c == '\n') {
        // Line breaks inside a cell are kept as '\n' whatever the file uses.
        if (c == '\r' && !at_end() && s_[pos_] == '\n') ++pos_;
        field += '\n';
        ++line_;
      } else {
        field += c;
      }
    }
    while (!at_end() && is_blank_char(s_[pos_])) ++pos_;
    if (!at_end() && !ends_field(s_[pos_]))
      return CsvError{line_,
                      "text after a closing quote (a quote inside a quoted field is written \"\")"};
    return std::nullopt;
  }

  std::optional<CsvError> read_unquoted(std::string& field) {
    size_t end = pos_;
    while (end < s_.size() && !ends_field(s_[end])) {
      if (s_[end] == '"')
        return CsvError{
            line_,
            "a quote inside an unquoted field (quote the whole field and write the quote as \"\")"};
      ++end;
    }
    field.assign(s_.substr(pos_, end - pos_));
    pos_ = end;
    return std::nullopt;
  }

  bool ends_field(char c) const { return c == sep_ || c == '\n' || c == '\r'; }

  std::string_view s_;
  char sep_;
  size_t pos_ = 0;
  int line_ = 1;
};

// Brings a record to the header's width: missing trailing cells become empty; extra
// trailing cells are dropped when empty, an error when they hold something.
std::optional<CsvError> fit_to_header(CsvRecord& record, size_t width) {
  if (record.fields.size() > width) {
    for (size_t i = width; i < record.fields.size(); ++i) {
      if (is_blank(record.fields[i])) continue;
      return CsvError{record.line, "this record has " + std::to_string(record.fields.size()) +
                                       " fields but the header has " + std::to_string(width) +
                                       " (a value containing the separator must be quoted)"};
    }
  }
  record.fields.resize(width);
  return std::nullopt;
}

// Trailing empty header cells come from a spreadsheet's used range, not from columns.
void drop_trailing_empty(std::vector<std::string>& header) {
  while (!header.empty() && is_blank(header.back())) header.pop_back();
}

}  // namespace

Result<CsvTable, CsvError> parse_csv(std::string_view content) {
  if (content.substr(0, kBom.size()) == kBom) content.remove_prefix(kBom.size());
  if (!is_valid_utf8(content))
    return Err(CsvError{first_invalid_utf8_line(content),
                        "invalid UTF-8 (the file may be in Windows-1252 or Latin-1: save it "
                        "as \"CSV UTF-8\")"});
  CsvTable table;
  table.separator = detect_separator(content);
  CsvReader reader(content, table.separator);
  bool have_header = false;
  CsvRecord record;
  while (!reader.at_end()) {
    if (auto error = reader.read_record(record)) return Err(std::move(*error));
    if (is_blank(record.fields)) continue;
    if (!have_header) {
      table.header_line = record.line;
      table.header = std::move(record.fields);
      drop_trailing_empty(table.header);
      have_header = true;
      continue;
    }
    if (auto error = fit_to_header(record, table.header.size())) return Err(std::move(*error));
    table.rows.push_back(std::move(record));
  }
  if (!have_header) return Err(CsvError{0, "the file is empty (no header line)"});
  return table;
}

}  // namespace relais
