// The funders' indicators rendered (docs/indicators.md): JSON for the API, one long CSV
// table, and the HTML report — French, one file, charts drawn as inline SVG, no data about
// any one person (the indicators hold counts only).
#include "bot/reports.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bot/commands.hpp"
#include "bot/core/csv_writer.hpp"
#include "bot/core/domain.hpp"
#include "bot/core/text.hpp"
#include "bot/storage/store.hpp"
#include "dialogs/datetime_fr.hpp"
#include "scheduler/planner.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

using nlohmann::json;

// The barriers of a row: the funders' list, then any other that a tip was sent for.
std::vector<std::string> barrier_ids(const CohortFigures& c) {
  std::vector<std::string> ids(std::begin(kBarriers), std::end(kBarriers));
  for (const auto& [id, n] : c.tips_sent)
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  return ids;
}

std::int64_t count_of(const std::map<std::string, std::int64_t>& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

std::optional<double> budget_used(const Indicators& ind) {
  if (ind.query.budget_eur <= 0) return std::nullopt;
  return ind.all_channels().cost_eur / ind.query.budget_eur;
}

// ---------------------------------------------------------------------------------- JSON

// Four decimals: enough for a rate or euros, without 0.30000000000000004.
double rounded(double x) { return std::round(x * 10000) / 10000; }

json number_or_null(std::optional<double> x) { return x ? json(rounded(*x)) : json(nullptr); }

json attendance_json(const AttendanceCounts& a) {
  return {{"present", a.present}, {"absent", a.absent}, {"excused", a.excused},
          {"rate", number_or_null(a.rate().rate())}};
}

json ratings_json(const RatingCounts& r) {
  json marks = json::object();
  for (std::size_t i = 0; i < r.by_mark.size(); ++i) marks[std::to_string(i + 1)] = r.by_mark[i];
  return {{"count", r.count()}, {"sum", r.sum()}, {"mean", number_or_null(r.mean())}, {"marks", marks}};
}

json cohort_json(const CohortFigures& c) {
  json barriers = json::object();
  for (const auto& id : barrier_ids(c))
    barriers[id] = {{"named", count_of(c.barriers_named, id)}, {"tips_sent", count_of(c.tips_sent, id)}};
  return {{"participants",
           {{"enrolled", c.enrolled}, {"consenting", c.consenting}, {"consenting_tips", c.consenting_tips},
            {"opted_out", c.opted_out}, {"erased", c.erased}}},
          {"attendance", attendance_json(c.attendance)},
          {"replies", {{"questions", c.replies.whole}, {"answered_48h", c.replies.part},
                       {"rate", number_or_null(c.replies.rate())}}},
          {"ratings", ratings_json(c.ratings)},
          {"barriers", barriers}};
}

json channel_json(const ChannelFigures& c) {
  return {{"sent", c.sent}, {"delivered", c.delivered}, {"failed", c.failed}, {"dropped", c.dropped},
          {"segments", c.segments}, {"cost_eur", rounded(c.cost_eur)}};
}

// ----------------------------------------------------------------------------------- CSV

// "0.6667", "12.5", "3": at most four decimals, no trailing zeros.
std::string decimal(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", x);
  std::string s = buf;
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string decimal_or_empty(std::optional<double> x) { return x ? decimal(*x) : ""; }

// What a CSV line is about; an empty field means "all of them".
struct CsvKey {
  std::string cohort, session_kind, channel, item;
};

class CsvTable {
 public:
  CsvTable() : text_(csv_line({"section", "cohort", "session_kind", "channel", "item", "measure", "value"})) {}

  void add(const std::string& section, const CsvKey& key, const std::string& measure, const std::string& value) {
    text_ += csv_line({section, key.cohort, key.session_kind, key.channel, key.item, measure, value});
  }
  void add(const std::string& section, const CsvKey& key, const std::string& measure, std::int64_t value) {
    add(section, key, measure, std::to_string(value));
  }

  void attendance(const CsvKey& key, const AttendanceCounts& a) {
    add("attendance", key, "present", a.present);
    add("attendance", key, "absent", a.absent);
    add("attendance", key, "excused", a.excused);
    add("attendance", key, "rate", decimal_or_empty(a.rate().rate()));
  }

  void ratings(const std::string& section, const CsvKey& key, const RatingCounts& r) {
    add(section, key, "count", r.count());
    add(section, key, "sum", r.sum());
    add(section, key, "mean", decimal_or_empty(r.mean()));
  }

  void marks(const CsvKey& key, const RatingCounts& r) {
    for (std::size_t i = 0; i < r.by_mark.size(); ++i) {
      CsvKey mark = key;
      mark.item = std::to_string(i + 1);
      add("rating_marks", mark, "count", r.by_mark[i]);
    }
  }

  void cohort(const CohortFigures& c) {
    const CsvKey key{c.cohort, "", "", ""};
    add("participants", key, "enrolled", c.enrolled);
    add("participants", key, "consenting", c.consenting);
    add("participants", key, "consenting_tips", c.consenting_tips);
    add("participants", key, "opted_out", c.opted_out);
    add("participants", key, "erased", c.erased);
    attendance(key, c.attendance);
    add("replies", key, "questions", c.replies.whole);
    add("replies", key, "answered_48h", c.replies.part);
    add("replies", key, "rate", decimal_or_empty(c.replies.rate()));
    ratings("ratings", key, c.ratings);
    marks(key, c.ratings);
    for (const auto& id : barrier_ids(c)) {
      const CsvKey barrier{c.cohort, "", "", id};
      add("barriers", barrier, "named", count_of(c.barriers_named, id));
      add("barriers", barrier, "tips_sent", count_of(c.tips_sent, id));
    }
  }

  void channel(const ChannelFigures& c) {
    const CsvKey key{"", "", c.channel, ""};
    add("messages", key, "sent", c.sent);
    add("messages", key, "delivered", c.delivered);
    add("messages", key, "failed", c.failed);
    add("messages", key, "dropped", c.dropped);
    add("messages", key, "segments", c.segments);
    add("messages", key, "cost_eur", decimal(c.cost_eur));
  }

  std::string text() && { return std::move(text_); }

 private:
  std::string text_;
};

// ---------------------------------------------------------------------------------- HTML

constexpr const char* kNarrowSpace = "\u202f";  // between thousands, and before % and €

// French figures: "12 345", "66,7 %", "0,45 €".
std::string fr_number(double x, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  std::string s = buf;
  auto point = s.find('.');
  if (point != std::string::npos) s[point] = ',';
  const std::size_t first_digit = s[0] == '-' ? 1 : 0;
  for (auto end = point == std::string::npos ? s.size() : point; end > first_digit + 3; end -= 3)
    s.insert(end - 3, kNarrowSpace);
  return s;
}
std::string fr_count(std::int64_t n) { return fr_number(static_cast<double>(n), 0); }
std::string fr_percent(std::optional<double> rate) {
  return rate ? fr_number(*rate * 100, 1) + kNarrowSpace + "%" : "—";
}
std::string fr_euros(double x) { return fr_number(x, 2) + kNarrowSpace + "€"; }
std::string fr_mean(std::optional<double> mean) { return mean ? fr_number(*mean, 2) + " / 5" : "—"; }

// An SVG coordinate.
std::string at(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// A kind read from a calendar that Relais does not know is shown as it is written.
std::string kind_label(const std::string& kind) {
  if (kind == "other") return "Autres séances";
  const bool known = std::find(std::begin(kSessionKinds), std::end(kSessionKinds), kind) != std::end(kSessionKinds);
  return known ? capitalised(session_kind_label(kind)) : kind;
}

std::string barrier_label(const std::string& id) {
  static const std::map<std::string, std::string> kLabels = {
      {"childcare", "Garde d'enfants"}, {"mobility", "Mobilité"},   {"digital", "Numérique"},
      {"confidence", "Confiance en soi"}, {"isolation", "Isolement"}};
  auto it = kLabels.find(id);
  return it == kLabels.end() ? id : it->second;
}

std::string channel_label(const std::string& id) { return id.empty() ? "Tous les canaux" : id; }

std::string cohort_label(const Config& config, const std::string& id) {
  if (id.empty()) return "Ensemble";
  const auto* c = config.find_cohort(id);
  return c && !c->name.empty() ? c->name + " (" + id + ")" : id;
}

// "mardi 8 décembre 2026"
std::string long_date(Utc t, const std::string& zone) {
  return dialogs::french_date(t, zone) + " " + std::to_string(TimeZone(zone).to_local(t).year);
}

// A table whose cells are text (escaped here); columns after the first are figures.
std::string table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
  std::string html = "<table><thead><tr>";
  for (const auto& h : head) html += "<th>" + html_escape(h) + "</th>";
  html += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    html += "<tr>";
    for (const auto& cell : row) html += "<td>" + html_escape(cell) + "</td>";
    html += "</tr>";
  }
  return html + "</tbody></table>";
}

std::string svg_open(const std::string& title, double width, double height) {
  return "<svg viewBox=\"0 0 " + at(width) + " " + at(height) +
         "\" width=\"" + at(width) + "\" height=\"" + at(height) + "\" role=\"img\" aria-label=\"" + html_escape(title) +
         "\"><title>" + html_escape(title) + "</title>";
}

std::string svg_text(double x, double y, const std::string& text, const std::string& anchor = "start") {
  return "<text x=\"" + at(x) + "\" y=\"" + at(y) + "\" text-anchor=\"" + anchor + "\">" + html_escape(text) + "</text>";
}

std::string svg_rect(double x, double y, double w, double h, const std::string& fill) {
  return "<rect x=\"" + at(x) + "\" y=\"" + at(y) + "\" width=\"" + at(w) + "\" height=\"" + at(h) + "\" fill=\"" +
         fill + "\"/>";
}

constexpr const char* kPresent = "#2e7d32";
constexpr const char* kAbsent = "#c62828";
constexpr const char* kExcused = "#9e9e9e";
constexpr const char* kAccent = "#1f4e9c";

// One bar per session kind: present, absent and excused as shares of the marks.
std::string attendance_chart(const std::vector<SessionKindFigures>& kinds) {
  const double label_w = 210, bar_w = 280, row_h = 30, top = 34;
  std::string svg = svg_open("Présence par type de séance", 640, top + row_h * kinds.size() + 6);
  const std::pair<const char*, const char*> legend[] = {
      {"Présentes", kPresent}, {"Absentes", kAbsent}, {"Excusées", kExcused}};
  double x = 0;
  for (auto [label, colour] : legend) {
    svg += svg_rect(x, 8, 12, 12, colour) + svg_text(x + 17, 19, label);
    x += 110;
  }
  double y = top;
  for (const auto& k : kinds) {
    const auto& a = k.attendance;
    const double total = static_cast<double>(a.present + a.absent + a.excused);
    svg += svg_text(0, y + 17, kind_label(k.kind));
    double left = label_w;
    const std::pair<std::int64_t, const char*> parts[] = {{a.present, kPresent}, {a.absent, kAbsent}, {a.excused, kExcused}};
    for (auto [n, colour] : parts) {
      const double w = total > 0 ? bar_w * static_cast<double>(n) / total : 0;
      svg += svg_rect(left, y + 4, w, 18, colour);
      left += w;
    }
    if (total == 0) svg += svg_rect(label_w, y + 4, bar_w, 18, "#eeeeee");
    svg += svg_text(label_w + bar_w + 10, y + 17, fr_percent(a.rate().rate()) + " de présence");
    y += row_h;
  }
  return svg + "</svg>";
}

// How many ratings of each mark, 1 to 5.
std::string marks_chart(const RatingCounts& r) {
  const double bottom = 170, plot_h = 135, step = 64, bar_w = 44;
  const auto most = *std::max_element(r.by_mark.begin(), r.by_mark.end());
  std::string svg = svg_open("Répartition des notes de 1 à 5", 360, 215);
  for (std::size_t i = 0; i < r.by_mark.size(); ++i) {
    const double h = most > 0 ? plot_h * static_cast<double>(r.by_mark[i]) / static_cast<double>(most) : 0;
    const double x = 20 + step * static_cast<double>(i);
    svg += svg_rect(x, bottom - h, bar_w, h, kAccent);
    svg += svg_text(x + bar_w / 2, bottom - h - 5, fr_count(r.by_mark[i]), "middle");
    svg += svg_text(x + bar_w / 2, bottom + 18, std::to_string(i + 1), "middle");
  }
  svg += "<line x1=\"10\" y1=\"" + at(bottom) + "\" x2=\"340\" y2=\"" + at(bottom) + "\" stroke=\"#555\"/>";
  return svg + svg_text(180, 208, "note", "middle") + "</svg>";
}

// The weekly mean mark as a line, 1 to 5 upwards; weeks labelled by their Monday (dd/mm).
std::string ratings_over_time_chart(const std::vector<RatingWeek>& weeks) {
  const double left = 50, right = 600, top = 14, bottom = 180;
  auto y_of = [&](double mark) { return bottom - (mark - 1) / 4 * (bottom - top); };
  std::string svg = svg_open("Note moyenne par semaine", 640, 215);
  for (int mark = 1; mark <= 5; ++mark)
    svg += "<line x1=\"" + at(left) + "\" y1=\"" + at(y_of(mark)) + "\" x2=\"" + at(right) + "\" y2=\"" +
           at(y_of(mark)) + "\" stroke=\"#ddd\"/>" + svg_text(left - 8, y_of(mark) + 4, std::to_string(mark), "end");
  const std::size_t n = weeks.size();
  const std::size_t label_every = std::max<std::size_t>(1, (n + 11) / 12);
  std::string points, dots;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& w = weeks[i];
    const double x = n == 1 ? (left + right) / 2 : left + (right - left) * static_cast<double>(i) / static_cast<double>(n - 1);
    const double y = y_of(w.ratings.mean().value_or(1));
    points += at(x) + "," + at(y) + " ";
    dots += "<circle cx=\"" + at(x) + "\" cy=\"" + at(y) + "\" r=\"3.5\" fill=\"" + kAccent + "\"><title>" +
            html_escape("semaine du " + w.week_start + " : " + fr_mean(w.ratings.mean()) + ", " +
                   fr_count(w.ratings.count()) + " retours") +
            "</title></circle>";
    if (i % label_every == 0)
      svg += svg_text(x, bottom + 20, w.week_start.substr(8, 2) + "/" + w.week_start.substr(5, 2), "middle");
  }
  svg += "<polyline fill=\"none\" stroke=\"" + std::string(kAccent) + "\" stroke-width=\"2\" points=\"" + points + "\"/>";
  return svg + dots + "</svg>";
}

// The messages' cost against the budget: the bar is the budget, its filling the cost.
std::string budget_chart(double cost, double budget) {
  const double width = 600, used = std::min(1.0, cost / budget);
  const char* colour = cost > budget ? kAbsent : cost > 0.8 * budget ? "#ef6c00" : kPresent;
  return svg_open("Coût des messages rapporté au budget", 640, 40) + svg_rect(0, 8, width, 22, "#eeeeee") +
         svg_rect(0, 8, width * used, 22, colour) + "</svg>";
}

constexpr const char* kStyle = R"(body{font-family:sans-serif;font-size:11pt;margin:1.5cm;color:#111;max-width:800px}
h1{font-size:18pt;margin:0 0 .3em}h2{font-size:13pt;margin:1.6em 0 .4em;border-bottom:1px solid #ccc}
p.note{color:#444;margin:.2em 0}
table{border-collapse:collapse;margin:.6em 0;break-inside:avoid}
th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}th{font-size:9.5pt;color:#555}
td+td,th+th{text-align:right}
svg{display:block;max-width:100%;height:auto;margin:.6em 0;font-size:11px;break-inside:avoid}
dt{font-weight:bold;margin-top:.4em}dd{margin:0 0 0 1.2em}
@media print{body{margin:0}})";

class HtmlReport {
 public:
  HtmlReport(const Indicators& ind, const Config& config, Utc generated_at)
      : ind_(ind), config_(config), generated_at_(generated_at) {}

  std::string render() {
    const std::string title = "Indicateurs — " + (config_.programme.empty() ? "Relais" : config_.programme);
    html_ = "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + html_escape(title) +
            "</title><style>" + kStyle + "</style></head><body>\n<h1>" + html_escape(title) + "</h1>\n";
    header();
    participants();
    attendance();
    replies();
    ratings();
    barriers();
    messages();
    budget();
    definitions();
    return html_ + "</body></html>\n";
  }

 private:
  void section(const std::string& heading) { html_ += "\n<h2>" + html_escape(heading) + "</h2>\n"; }
  void note(const std::string& text) { html_ += "<p class=\"note\">" + html_escape(text) + "</p>\n"; }
  void para(const std::string& text) { html_ += "<p>" + html_escape(text) + "</p>\n"; }

  void header() {
    const auto& q = ind_.query;
    const std::string who = q.cohort ? "Cohorte " + cohort_label(config_, *q.cohort) : "Toutes les cohortes";
    const std::string from = to_epoch_ms(q.from) <= 0 ? "depuis le début du programme"
                                                      : "du " + long_date(q.from, config_.time_zone);
    note(who + " — " + from + " jusqu'au " + long_date(q.to, config_.time_zone) + ".");
    note("Document établi le " + long_date(generated_at_, config_.time_zone) +
         " par Relais. Il ne contient que des nombres : aucun nom, aucun numéro de téléphone.");
  }

  void participants() {
    section("Participantes");
    std::vector<std::vector<std::string>> rows;
    for (const auto* c : cohort_rows())
      rows.push_back({cohort_label(config_, c->cohort), fr_count(c->enrolled), fr_count(c->consenting),
                      fr_count(c->consenting_tips), fr_count(c->opted_out), fr_count(c->erased)});
    html_ += table({"Cohorte", "Inscrites", "Consentement", "Conseils acceptés", "Désinscrites (STOP)",
                    "Effacées (RGPD)"}, rows);
    std::vector<std::vector<std::string>> outcomes;
    for (const auto* c : cohort_rows())
      outcomes.push_back({cohort_label(config_, c->cohort), fr_percent(c->attendance.rate().rate()),
                          fr_percent(c->replies.rate()), fr_mean(c->ratings.mean())});
    html_ += table({"Cohorte", "Taux de présence", "Réponses sous 48 h", "Note moyenne"}, outcomes);
  }

  void attendance() {
    section("Présence aux séances");
    const auto& a = ind_.programme.attendance;
    para("Taux de présence : " + fr_percent(a.rate().rate()) + " (" + fr_count(a.present) + " présences sur " +
         fr_count(a.present + a.absent) + " ; absences excusées, comptées à part : " + fr_count(a.excused) + ").");
    if (ind_.session_kinds.empty()) return note("Aucune séance dans la période.");
    html_ += attendance_chart(ind_.session_kinds);
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : ind_.session_kinds)
      rows.push_back({kind_label(k.kind), fr_count(k.sessions), fr_count(k.attendance.present),
                      fr_count(k.attendance.absent), fr_count(k.attendance.excused),
                      fr_percent(k.attendance.rate().rate())});
    html_ += table({"Type de séance", "Séances tenues", "Présentes", "Absentes", "Excusées", "Taux de présence"}, rows);
  }

  void replies() {
    section("Réponses aux questions");
    const auto& r = ind_.programme.replies;
    para("Taux de réponse sous 48 h : " + fr_percent(r.rate()) + " (" + fr_count(r.part) + " questions sur " +
         fr_count(r.whole) + " ont eu une réponse dans les 48 heures).");
  }

  void ratings() {
    section("Retours après les séances");
    const auto& r = ind_.programme.ratings;
    para(fr_count(r.count()) + " notes données, note moyenne : " + fr_mean(r.mean()) + ".");
    if (r.count() == 0) return;
    html_ += marks_chart(r);
    if (!ind_.ratings_by_week.empty()) {
      note("Note moyenne semaine par semaine (chaque point : une semaine, du lundi au dimanche).");
      html_ += ratings_over_time_chart(ind_.ratings_by_week);
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& k : ind_.session_kinds)
      if (k.ratings.count() > 0)
        rows.push_back({kind_label(k.kind), fr_count(k.ratings.count()), fr_mean(k.ratings.mean())});
    if (!rows.empty()) html_ += table({"Type de séance", "Notes", "Note moyenne"}, rows);
  }

  void barriers() {
    section("Freins et conseils pratiques");
    std::vector<std::vector<std::string>> rows;
    const auto& p = ind_.programme;
    for (const auto& id : barrier_ids(p))
      rows.push_back({barrier_label(id), fr_count(count_of(p.barriers_named, id)), fr_count(count_of(p.tips_sent, id))});
    html_ += table({"Frein", "Participantes qui l'ont cité", "Conseils envoyés"}, rows);
  }

  void messages() {
    section("Messages");
    std::vector<std::vector<std::string>> rows;
    auto add = [&](const ChannelFigures& c) {
      rows.push_back({channel_label(c.channel), fr_count(c.sent), fr_count(c.delivered), fr_count(c.failed),
                      fr_count(c.dropped), fr_count(c.segments), fr_euros(c.cost_eur)});
    };
    for (const auto& c : ind_.channels) add(c);
    if (ind_.channels.size() > 1) add(ind_.all_channels());
    if (rows.empty()) return note("Aucun message dans la période.");
    html_ += table({"Canal", "Envoyés", "Remis", "Échecs", "Non envoyés", "Segments SMS", "Coût estimé"}, rows);
  }

  void budget() {
    section("Budget de messagerie");
    const double cost = ind_.all_channels().cost_eur, budget = ind_.query.budget_eur;
    if (budget <= 0)
      return para("Coût estimé des messages : " + fr_euros(cost) + " (aucun budget indiqué dans la configuration).");
    const std::string left = cost > budget ? "dépassé de " + fr_euros(cost - budget) : "reste " + fr_euros(budget - cost);
    para("Coût estimé des messages : " + fr_euros(cost) + " sur un budget de " + fr_euros(budget) + " (" +
         fr_percent(budget_used(ind_)) + ") ; " + left + ".");
    html_ += budget_chart(cost, budget);
    if (ind_.query.cohort) note("Le coût est celui de la cohorte ; le budget est celui du programme entier.");
  }

  void definitions() {
    section("Définitions");
    html_ +=
        "<dl><dt>Taux de présence</dt><dd>présences ÷ (présences + absences) aux séances tenues (non annulées) ; "
        "les absences excusées sont comptées à part.</dd>"
        "<dt>Taux de réponse sous 48 h</dt><dd>part des messages posant une question (remis à l'opérateur) "
        "auxquels la participante a répondu dans les 48 heures.</dd>"
        "<dt>Note</dt><dd>la note de 1 (pas bien) à 5 (très bien) donnée après une séance.</dd>"
        "<dt>Messages</dt><dd>envoyés : remis à l'opérateur (remis et lus compris) ; remis : confirmés reçus ; "
        "échecs : refusés ou non distribués ; non envoyés : abandonnés (désinscription, délai dépassé).</dd>"
        "<dt>Coût estimé</dt><dd>segments SMS × prix du canal, pour les messages remis à l'opérateur.</dd>"
        "<dt>Participantes effacées</dt><dd>effacées à leur demande (RGPD) : comptées, sans aucune donnée "
        "personnelle ; leurs questions sont hors du taux de réponse (leurs messages sont supprimés).</dd></dl>\n";
  }

  // The cohorts, then their sum when there are several.
  std::vector<const CohortFigures*> cohort_rows() const {
    std::vector<const CohortFigures*> rows;
    for (const auto& c : ind_.cohorts) rows.push_back(&c);
    if (ind_.cohorts.size() > 1) rows.push_back(&ind_.programme);
    return rows;
  }

  const Indicators& ind_;
  const Config& config_;
  Utc generated_at_;
  std::string html_;
};

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

nlohmann::json indicators_json(const Indicators& ind) {
  const auto& q = ind.query;
  json cohorts = json::array();
  for (const auto& c : ind.cohorts) {
    auto row = cohort_json(c);
    row["cohort"] = c.cohort;
    cohorts.push_back(std::move(row));
  }
  json kinds = json::array();
  for (const auto& k : ind.session_kinds)
    kinds.push_back({{"kind", k.kind}, {"sessions", k.sessions}, {"attendance", attendance_json(k.attendance)},
                     {"ratings", ratings_json(k.ratings)}});
  json weeks = json::array();
  for (const auto& w : ind.ratings_by_week) {
    auto row = ratings_json(w.ratings);
    row["week"] = w.week;
    row["week_start"] = w.week_start;
    weeks.push_back(std::move(row));
  }
  json channels = json::array();
  for (const auto& c : ind.channels) {
    auto row = channel_json(c);
    row["channel"] = c.channel;
    channels.push_back(std::move(row));
  }
  const double cost = ind.all_channels().cost_eur;
  return {{"period", {{"from", format_utc(q.from)}, {"to", format_utc(q.to)}}},
          {"cohort", q.cohort ? json(*q.cohort) : json(nullptr)},
          {"time_zone", q.time_zone},
          {"programme", cohort_json(ind.programme)},
          {"cohorts", cohorts},
          {"session_kinds", kinds},
          {"ratings_by_week", weeks},
          {"channels", channels},
          {"messages", channel_json(ind.all_channels())},
          {"budget", {{"budget_eur", rounded(q.budget_eur)}, {"cost_eur", rounded(cost)},
                      {"used", number_or_null(budget_used(ind))}, {"left_eur", rounded(q.budget_eur - cost)}}}};
}

std::string indicators_csv(const Indicators& ind) {
  CsvTable t;
  t.cohort(ind.programme);
  for (const auto& c : ind.cohorts) t.cohort(c);
  for (const auto& k : ind.session_kinds) {
    const CsvKey key{"", k.kind, "", ""};
    t.add("sessions", key, "held", k.sessions);
    t.attendance(key, k.attendance);
    t.ratings("ratings", key, k.ratings);
    t.marks(key, k.ratings);
  }
  for (const auto& w : ind.ratings_by_week) t.ratings("ratings_by_week", {"", "", "", w.week}, w.ratings);
  t.channel(ind.all_channels());
  for (const auto& c : ind.channels) t.channel(c);
  const CsvKey all;
  const double cost = ind.all_channels().cost_eur;
  t.add("budget", all, "budget_eur", decimal(ind.query.budget_eur));
  t.add("budget", all, "cost_eur", decimal(cost));
  t.add("budget", all, "used", decimal_or_empty(budget_used(ind)));
  t.add("budget", all, "left_eur", decimal(ind.query.budget_eur - cost));
  return std::move(t).text();
}

std::string report_html(const Indicators& indicators, const Config& config, Utc generated_at) {
  return HtmlReport(indicators, config, generated_at).render();
}

int write_report(const Config& config, const std::string& cohort, const std::string& format,
                 const std::optional<std::filesystem::path>& output, std::ostream& out, std::ostream& err, Utc now) {
  try {
    if (format != "csv" && format != "html") throw BadInput("--format " + format + ": csv or html");
    if (!cohort.empty() && !config.find_cohort(cohort))
      throw BadInput("--cohort " + cohort + ": no such cohort in " + config.file.string());
    IndicatorQuery query;
    query.scope = CohortScope::everything();
    if (!cohort.empty()) query.cohort = cohort;
    query.from = from_epoch_ms(0);
    query.to = now;
    query.budget_eur = config.messaging_budget_eur;
    query.time_zone = config.time_zone;
    const auto indicators =
        open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms)->coach().indicators(query);
    const std::string text = format == "csv" ? indicators_csv(indicators) : report_html(indicators, config, now);
    if (output)
      write_file(*output, text);
    else
      out << text;
    return kExitOk;
  } catch (...) {
    return report_current_exception(err);
  }
}

}  // namespace relais
