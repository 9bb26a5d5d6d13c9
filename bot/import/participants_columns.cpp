#include "bot/import/participants_columns.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "bot/core/text.hpp"

namespace relais {
namespace {

struct ColumnSpec {
  Column column;
  const char* shown;                // how an error names it: English / French
  std::array<const char*, 8> keys;  // compact_key() forms accepted; unused slots null
};

// In the order of Column.
const ColumnSpec kSpecs[kColumnCount] = {
    {Column::first_name, "first_name / prénom", {"firstname", "prenom"}},
    {Column::phone,
     "phone / téléphone",
     {"phone", "telephone", "portable", "mobile", "tel", "telephoneportable", "phonenumber",
      "mobilephone"}},
    {Column::cohort, "cohort / groupe", {"cohort", "groupe", "group", "cohorte"}},
    {Column::consent, "consent / consentement", {"consent", "consentement"}},
    {Column::language, "language / langue", {"language", "langue"}},
    {Column::channel, "channel / canal", {"channel", "canal"}},
    {Column::barriers, "barriers / freins", {"barriers", "barrier", "freins", "frein"}},
    {Column::buddy, "buddy / binôme", {"buddy", "binome"}},
    {Column::consent_tips,
     "consent_tips / consentement_conseils",
     {"consenttips", "consentementconseils"}},
    {Column::external_id, "external_id / identifiant", {"externalid", "identifiant"}},
};

bool is_required(Column c) {
  return static_cast<std::size_t>(c) <= static_cast<std::size_t>(Column::consent);
}

std::optional<Column> column_for(std::string_view header) {
  std::string key = compact_key(header);
  for (const auto& spec : kSpecs)
    for (const char* k : spec.keys)
      if (k && key == k) return spec.column;
  return std::nullopt;
}

std::string list_headers(const std::vector<std::string>& header) {
  std::string out;
  for (const auto& h : header) {
    std::string name = trim(h);
    if (name.empty()) continue;
    out += out.empty() ? "" : ", ";
    out += name;
  }
  return out.empty() ? "none" : out;
}

std::string optional_columns() {
  std::string out;
  for (const auto& spec : kSpecs) {
    if (is_required(spec.column)) continue;
    out += out.empty() ? "" : ", ";
    out += spec.shown;
  }
  return out;
}

}  // namespace

std::string compact_key(std::string_view text) {
  bool ascii = std::all_of(text.begin(), text.end(),
                           [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string key;
  if (ascii) {
    // Most cells are ASCII: skip Unicode folding, which costs an allocation per call.
    for (char c : text)
      if (!std::isspace(static_cast<unsigned char>(c)) && c != '-' && c != '\'')
        key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    key = fold_compact(text);
  }
  key.erase(std::remove(key.begin(), key.end(), '_'), key.end());
  return key;
}

ColumnsFound find_columns(const std::vector<std::string>& header, int header_line) {
  ColumnsFound found;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string name = trim(header[i]);
    if (name.empty()) {
      found.warnings.push_back(
          {header_line, "", "column " + std::to_string(i + 1) + " has no header: ignored"});
      continue;
    }
    auto column = column_for(name);
    if (!column) {
      found.warnings.push_back(
          {header_line, name,
           "unknown column, ignored (optional columns: " + optional_columns() + ")"});
      continue;
    }
    auto slot = static_cast<std::size_t>(*column);
    if (found.layout.index[slot] >= 0) {
      found.errors.push_back({header_line, name,
                              "duplicate column: \"" + found.layout.header[slot] + "\" and \"" +
                                  name + "\" both mean " + kSpecs[slot].shown});
      continue;
    }
    found.layout.index[slot] = static_cast<int>(i);
    found.layout.header[slot] = name;
  }
  for (const auto& spec : kSpecs) {
    if (!is_required(spec.column) || found.layout.has(spec.column)) continue;
    found.errors.push_back({0, "",
                            std::string("missing required column ") + spec.shown +
                                "; headers found: " + list_headers(header)});
  }
  return found;
}

}  // namespace relais
