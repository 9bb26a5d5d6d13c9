#pragma once
// The funders' indicators (CoachStore::indicators) as JSON (GET /api/indicators), as one
// long CSV table (GET /api/indicators.csv, `relais report --format csv`) and as a
// self-contained HTML page in French (`relais report --format html`). docs/indicators.md
// defines every figure and the CSV columns. None of them holds a name or a phone number.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "bot/config/config.hpp"
#include "bot/core/time.hpp"
#include "bot/storage/indicators.hpp"

namespace relais {

nlohmann::json indicators_json(const Indicators& indicators);

// Columns: section,cohort,session_kind,channel,item,measure,value (a header line first).
std::string indicators_csv(const Indicators& indicators);

// One HTML file with its style and its charts (inline SVG) inside: no script, no image,
// no font or address to fetch. Cohort names come from `config`; `generated_at` is printed.
std::string report_html(const Indicators& indicators, const Config& config, Utc generated_at);

// `relais report`: the indicators of `cohort` ("" for the whole programme) from the
// programme's start to `now`, as "csv" or "html", to `output` or else to `out`. Returns
// the exit code: 2 for an unknown cohort or format (said on `err`), 1 when the database or
// the file cannot be used.
int write_report(const Config& config, const std::string& cohort, const std::string& format,
                 const std::optional<std::filesystem::path>& output, std::ostream& out, std::ostream& err,
                 Utc now);

}  // namespace relais
