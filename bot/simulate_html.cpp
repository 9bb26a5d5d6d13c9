// `relais simulate --html`: the "rétroplanning" funders ask for. One printable page per
// cohort, week by week: the sessions and the messages around them. Participants appear by
// first name only (never a phone number); the page is in French, like its readers.
#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "bot/core/text.hpp"
#include "bot/core/mask.hpp"
#include "bot/simulate_parts.hpp"
#include "dialogs/datetime_fr.hpp"
#include "scheduler/planner.hpp"

namespace relais::simulation {
namespace {

constexpr const char* kStyle = R"(body{font-family:sans-serif;font-size:10.5pt;margin:1.5cm;color:#111}
section.cohort{break-after:page;page-break-after:always}
section.cohort:last-of-type{break-after:auto;page-break-after:auto}
h1{font-size:16pt;margin:0 0 .3em}h2{font-size:12pt;margin:1.2em 0 .3em}
p.note{color:#444;margin:.2em 0}
table{border-collapse:collapse;width:100%;break-inside:avoid}
th,td{text-align:left;vertical-align:top;padding:3px 6px;border-bottom:1px solid #ccc}
th{font-size:9pt;color:#555}td.when{white-space:nowrap;width:11em}td.who{width:30%}
tr.session td{background:#eef2fb;font-weight:bold}tr.cancelled td{text-decoration:line-through}
div.text{color:#555;font-style:italic;font-weight:normal;margin-top:2px}
@media print{body{margin:0}})";

std::string kind_label(const std::string& kind) {
  static const std::map<std::string, std::string> kLabels = {
      {"welcome", "Bienvenue"},        {"reminder", "Rappel"},           {"checkin", "Retour d'atelier"},
      {"tip", "Conseil pratique"},     {"peer", "Binôme"},               {"meteo", "Météo de la semaine"},
      {"notice", "Changement de séance"}, {"missed", "Atelier manqué"}, {"broadcast", "Message collectif"},
      {"other", "Autre message"}};
  auto it = kLabels.find(kind);
  return it == kLabels.end() ? kind : it->second;
}

std::string when(Utc t, const TimeZone& zone) {
  return dialogs::french_date(t, zone.name()) + ", " + dialogs::french_time(t, zone.name());
}

std::string long_date(const LocalDate& d, const TimeZone& zone) {
  return dialogs::french_date(d.midnight(zone) + std::chrono::hours(12), zone.name()) + " " + std::to_string(d.year);
}

bool word_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
}

// The text with her first name (as a whole word) replaced by "[prénom]": the messages of
// one step read the same for everyone, and a tip that differs shows on a line of its own.
std::string without_name(const std::string& text, const std::string& name) {
  if (name.empty()) return text;
  std::string out;
  std::size_t from = 0;
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    if ((at > 0 && word_byte(text[at - 1])) || (end < text.size() && word_byte(text[end]))) continue;
    out += text.substr(from, at - from) + "[prénom]";
    from = end;
  }
  return out + text.substr(from);
}

// One line of a week: a session, or the messages of one step sent together.
struct Line {
  Utc at{};
  bool session = false;
  bool cancelled = false;
  std::string what;  // HTML
  std::string who;   // HTML
};

class CohortPage {
 public:
  CohortPage(const Outcome& outcome, const TimeZone& zone, std::string cohort)
      : outcome_(outcome), zone_(zone), cohort_(std::move(cohort)) {
    for (const auto& p : outcome.participants)
      if (p.cohort == cohort_) names_[p.phone] = p.first_name;
  }

  void write(const Config& config, std::ostream& out) const {
    const CohortConfig* c = config.find_cohort(cohort_);
    out << "<section class=\"cohort\">\n<h1>Rétroplanning — " << html_escape(c ? c->name : cohort_) << "</h1>\n";
    out << "<p class=\"note\">" << html_escape(config.programme) << " — du " << long_date(outcome_.from, zone_) << " au "
        << long_date(outcome_.to, zone_) << ".</p>\n";
    std::string people;
    for (const auto& p : outcome_.participants)
      if (p.cohort == cohort_) people += (people.empty() ? "" : ", ") + p.first_name;
    out << "<p class=\"note\">Participantes (" << names_.size() << ") : " << html_escape(people.empty() ? "aucune" : people)
        << ".</p>\n<p class=\"note\">Simulation : aucun message n'a été envoyé. Personne ne répond : les relances "
           "sont celles qu'une participante reçoit sans répondre.</p>\n";
    const LocalDate first_monday = outcome_.from.plus_days(-static_cast<int>((outcome_.from.weekday() + 6) % 7));
    for (LocalDate monday = first_monday; monday <= outcome_.to; monday = monday.plus_days(7)) write_week(monday, out);
    out << "</section>\n";
  }

 private:
  void write_week(const LocalDate& monday, std::ostream& out) const {
    const Utc from = std::max(monday.midnight(zone_), outcome_.from.midnight(zone_));
    const Utc to = std::min(monday.plus_days(7).midnight(zone_), outcome_.to.plus_days(1).midnight(zone_));
    auto lines = sessions(from, to);
    auto grouped = messages(from, to);
    lines.insert(lines.end(), grouped.begin(), grouped.end());
    // By time; at one time, the session before the messages.
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
      return a.at != b.at ? a.at < b.at : a.session && !b.session;
    });
    out << "<h2>Semaine du " << long_date(monday, zone_) << "</h2>\n<table>\n"
        << "<tr><th>Quand</th><th>Quoi</th><th>Pour qui</th></tr>\n";
    if (lines.empty()) out << "<tr><td class=\"when\"></td><td>Rien de prévu cette semaine.</td><td></td></tr>\n";
    for (const auto& l : lines)
      out << "<tr" << (l.session ? (l.cancelled ? " class=\"session cancelled\"" : " class=\"session\"") : "")
          << "><td class=\"when\">" << html_escape(when(l.at, zone_)) << "</td><td>" << l.what << "</td><td class=\"who\">"
          << l.who << "</td></tr>\n";
    out << "</table>\n";
  }

  std::vector<Line> sessions(Utc from, Utc to) const {
    std::vector<Line> out;
    for (const auto& row : outcome_.sessions) {
      const Session& s = row.session;
      if (s.start < from || s.start >= to) continue;
      std::string who;
      if (s.participant) {
        auto it = names_.find(*s.participant);
        if (it == names_.end()) continue;  // another cohort's participant
        who = html_escape(it->second);
      } else {
        if (std::find(s.cohorts.begin(), s.cohorts.end(), cohort_) == s.cohorts.end()) continue;
        who = s.cohorts.size() > 1 ? "groupes " + html_escape(join(s.cohorts)) : "tout le groupe";
      }
      // A coach may have typed a number in a title or a place: never on this page.
      std::string what = "Séance : " + html_escape(mask_phones(s.title)) + " (" + html_escape(session_kind_label(s.kind)) + ")";
      if (!s.location.empty()) what += ", " + html_escape(mask_phones(s.location));
      if (s.cancelled) what += " — annulée";
      out.push_back({s.start, true, s.cancelled, what, who});
    }
    return out;
  }

  // The messages of one step (same moment, kind, rule, session and text but for her
  // first name) on one line.
  std::vector<Line> messages(Utc from, Utc to) const {
    using Key = std::tuple<Utc, std::string, std::string, std::string, std::string>;
    std::map<Key, std::pair<const SimulatedMessage*, std::vector<std::string>>> groups;
    for (const auto& m : outcome_.messages) {
      if (m.cohort != cohort_ || m.utc < from || m.utc >= to) continue;
      auto& g = groups[Key{m.utc, m.kind, m.rule.value_or(""), m.session.value_or(""), without_name(m.text, m.first_name)}];
      if (!g.first) g.first = &m;
      g.second.push_back(m.first_name);
    }
    std::vector<Line> out;
    for (const auto& [key, group] : groups) {
      const SimulatedMessage& m = *group.first;
      std::string what = html_escape(kind_label(m.kind));
      if (m.rule) what += " <small>(" + html_escape(*m.rule) + ")</small>";
      what += "<div class=\"text\">« " + html_escape(std::get<4>(key)) + " »</div>";
      std::string who = html_escape(join(group.second));
      if (group.second.size() > 1) who += " (" + std::to_string(group.second.size()) + ")";
      out.push_back({m.utc, false, false, what, who});
    }
    return out;
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }

  const Outcome& outcome_;
  const TimeZone& zone_;
  std::string cohort_;
  std::map<std::string, std::string> names_;  // phone → first name, of this cohort
};

}  // namespace

void write_html(const Outcome& outcome, const Config& config, const TimeZone& zone, std::ostream& out) {
  std::vector<std::string> cohorts;
  for (const auto& c : config.cohorts) cohorts.push_back(c.id);
  for (const auto& p : outcome.participants)
    if (std::find(cohorts.begin(), cohorts.end(), p.cohort) == cohorts.end()) cohorts.push_back(p.cohort);
  out << "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Rétroplanning — "
      << html_escape(config.programme) << "</title>\n<style>\n" << kStyle << "\n</style>\n</head>\n<body>\n";
  for (const auto& cohort : cohorts) CohortPage(outcome, zone, cohort).write(config, out);
  out << "</body>\n</html>\n";
}

}  // namespace relais::simulation
