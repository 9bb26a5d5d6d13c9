#pragma once
// Which column of a participants file holds which field, from its header line.
// Internal to the participants import.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bot/import/participants_csv.hpp"

namespace relais {

enum class Column {
  first_name,
  phone,
  cohort,
  consent,  // required
  language,
  channel,
  barriers,
  buddy,
  consent_tips,
  external_id,
};
inline constexpr std::size_t kColumnCount = 10;

// Where each field sits in a row; -1 when the file has no such column.
struct ColumnLayout {
  std::array<int, kColumnCount> index;
  std::array<std::string, kColumnCount> header;  // as written in the file, trimmed

  ColumnLayout() { index.fill(-1); }
  bool has(Column c) const { return index[static_cast<std::size_t>(c)] >= 0; }
  const std::string& name(Column c) const { return header[static_cast<std::size_t>(c)]; }
};

struct ColumnsFound {
  ColumnLayout layout;
  std::vector<ImportIssue> errors;    // missing required or duplicate columns
  std::vector<ImportIssue> warnings;  // unknown columns
};

// Matches header cells to fields, ignoring case, accents, spaces, `_` and `-`.
ColumnsFound find_columns(const std::vector<std::string>& header, int header_line);

// The comparison key of a header or a barrier name: "Consentement_Conseils" →
// "consentementconseils", "Garde-enfants" → "gardeenfants".
std::string compact_key(std::string_view text);

}  // namespace relais
