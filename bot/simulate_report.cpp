// `relais simulate`: the messages as JSON Lines, and the totals (a table, or JSON).
#include <date/date.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "bot/simulate_parts.hpp"

namespace relais::simulation {
namespace {

using Json = nlohmann::ordered_json;

std::string utc_seconds(Utc t) { return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t)); }

Json or_null(const std::optional<std::string>& value) { return value ? Json(*value) : Json(nullptr); }

double round_cents(double eur) { return std::round(eur * 1000.0) / 1000.0; }

struct Tally {
  int messages = 0;
  int segments = 0;
  double cost_eur = 0;
  void add(const SimulatedMessage& m) {
    ++messages;
    segments += m.segments;
    cost_eur += m.cost_eur;
  }
};

struct Totals {
  Tally all;
  std::map<std::string, Tally> by_kind;
  void add(const SimulatedMessage& m) {
    all.add(m);
    by_kind[m.kind].add(m);
  }
  int count(const std::string& kind) const {
    auto it = by_kind.find(kind);
    return it == by_kind.end() ? 0 : it->second.messages;
  }
};

struct Person {
  const ParticipantRecord* who;
  Totals totals;
};
struct CohortTotals {
  std::string id;
  Totals totals;
  std::vector<Person> people;
};
struct Summary {
  Totals totals;
  std::vector<CohortTotals> cohorts;  // the configuration's order, then any other
};

// Everyone is listed, even with no message (no consent, opted out): a coach sees why.
Summary summarise(const Outcome& outcome, const Config& config) {
  Summary s;
  auto cohort = [&](const std::string& id) -> CohortTotals& {
    auto it = std::find_if(s.cohorts.begin(), s.cohorts.end(), [&](const CohortTotals& c) { return c.id == id; });
    return it != s.cohorts.end() ? *it : s.cohorts.emplace_back(CohortTotals{id, {}, {}});
  };
  for (const auto& c : config.cohorts) cohort(c.id);
  std::map<std::string, std::pair<std::size_t, std::size_t>> where;  // phone → (cohort, person)
  for (const auto& p : outcome.participants) {
    CohortTotals& c = cohort(p.cohort);
    where[p.phone] = {static_cast<std::size_t>(&c - s.cohorts.data()), c.people.size()};
    c.people.push_back({&p, {}});
  }
  for (const auto& m : outcome.messages) {
    s.totals.add(m);
    if (auto it = where.find(m.participant); it != where.end()) {
      s.cohorts[it->second.first].totals.add(m);
      s.cohorts[it->second.first].people[it->second.second].totals.add(m);
    }
  }
  return s;
}

// Columns in terminal cells: a UTF-8 continuation byte takes none.
std::size_t cells(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string money(double eur) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", eur);
  return buf;
}

// A plain-text table: the first `left` columns aligned left, the others right.
void print_table(const std::vector<std::vector<std::string>>& rows, std::size_t left, std::ostream& out) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], cells(row[i]));
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - cells(row[i]), ' ');
      line += (i ? "  " : "") + (i < left ? row[i] + pad : pad + row[i]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
}

std::vector<std::string> table_row(const std::string& cohort, const std::string& phone, const std::string& name,
                                   const Totals& t, const std::vector<std::string>& kinds) {
  std::vector<std::string> row = {cohort, phone, name};
  for (const auto& k : kinds) row.push_back(std::to_string(t.count(k)));
  row.push_back(std::to_string(t.all.messages));
  row.push_back(std::to_string(t.all.segments));
  row.push_back(money(t.all.cost_eur));
  return row;
}

Json tally_json(const Tally& t) {
  return Json{{"messages", t.messages}, {"segments", t.segments}, {"cost_eur", round_cents(t.cost_eur)}};
}

// Every kind, zero or not: a machine reads the same keys whatever the programme.
Json totals_json(const Totals& t) {
  Json j = tally_json(t.all);
  Json kinds = Json::object();
  for (const char* kind : kMessageKinds) {
    auto it = t.by_kind.find(kind);
    kinds[kind] = tally_json(it == t.by_kind.end() ? Tally{} : it->second);
  }
  j["by_kind"] = std::move(kinds);
  return j;
}

// Appends `more`'s keys to `j`, keeping their order.
void merge(Json& j, const Json& more) {
  for (const auto& item : more.items()) j[item.key()] = item.value();
}

}  // namespace

void write_json_lines(const Outcome& outcome, const TimeZone& zone, std::ostream& out) {
  for (const auto& m : outcome.messages) {
    Json j;
    j["at"] = zone.format_local(m.utc);
    j["utc"] = utc_seconds(m.utc);
    j["participant"] = m.participant;
    j["cohort"] = m.cohort;
    j["kind"] = m.kind;
    j["rule"] = or_null(m.rule);
    j["session"] = or_null(m.session);
    j["session_start"] = m.session_start ? Json(zone.format_local(*m.session_start)) : Json(nullptr);
    j["channel"] = m.channel;
    j["text"] = m.text;
    j["encoding"] = m.encoding;
    j["segments"] = m.segments;
    out << j.dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
  }
}

void write_summary_table(const Outcome& outcome, const Config& config, std::ostream& out) {
  const Summary s = summarise(outcome, config);
  out << "Simulation from " << outcome.from.str() << " to " << outcome.to.str() << " (" << config.time_zone
      << "): " << outcome.participants.size() << " participant(s), " << s.totals.all.messages << " message(s), "
      << s.totals.all.segments << " SMS segment(s), estimated cost " << money(s.totals.all.cost_eur) << " EUR.\n";
  if (config.messaging_budget_eur > 0) {
    char share[32];
    std::snprintf(share, sizeof share, "%.1f", 100.0 * s.totals.all.cost_eur / config.messaging_budget_eur);
    out << "Messaging budget " << money(config.messaging_budget_eur) << " EUR: this period would use " << share
        << " % of it.\n";
  } else {
    out << "No messaging budget is configured (messaging_budget_eur).\n";
  }
  if (outcome.participants.empty()) return;
  // Only the kinds that occur get a column; --summary --json lists them all.
  std::vector<std::string> kinds;
  for (const char* kind : kMessageKinds)
    if (s.totals.count(kind) > 0) kinds.emplace_back(kind);
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"cohort", "participant", "first name"});
  rows.back().insert(rows.back().end(), kinds.begin(), kinds.end());
  rows.back().insert(rows.back().end(), {"messages", "segments", "cost EUR"});
  for (const auto& c : s.cohorts) {
    if (c.people.empty()) continue;
    for (const auto& p : c.people) rows.push_back(table_row(c.id, p.who->phone, p.who->first_name, p.totals, kinds));
    rows.push_back(table_row(c.id, "all", "", c.totals, kinds));
  }
  rows.push_back(table_row("all", "all", "", s.totals, kinds));
  out << "\n";
  print_table(rows, 3, out);
}

void write_summary_json(const Outcome& outcome, const Config& config, std::ostream& out) {
  const Summary s = summarise(outcome, config);
  Json j;
  j["from"] = outcome.from.str();
  j["to"] = outcome.to.str();
  j["time_zone"] = config.time_zone;
  j["participants"] = outcome.participants.size();
  merge(j, totals_json(s.totals));
  j["messaging_budget_eur"] = config.messaging_budget_eur;
  j["budget_share"] = config.messaging_budget_eur > 0
                          ? Json(std::round(s.totals.all.cost_eur / config.messaging_budget_eur * 10000.0) / 10000.0)
                          : Json(nullptr);
  Json cohorts = Json::array();
  for (const auto& c : s.cohorts) {
    Json cj{{"cohort", c.id}};
    merge(cj, totals_json(c.totals));
    Json people = Json::array();
    for (const auto& p : c.people) {
      Json pj{{"participant", p.who->phone}, {"first_name", p.who->first_name}};
      merge(pj, totals_json(p.totals));
      people.push_back(std::move(pj));
    }
    cj["participants"] = std::move(people);
    cohorts.push_back(std::move(cj));
  }
  j["cohorts"] = std::move(cohorts);
  out << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}  // namespace relais::simulation
