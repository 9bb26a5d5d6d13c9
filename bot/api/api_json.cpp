#include "bot/api/api_json.hpp"

#include <regex>

#include "bot/api/api_call.hpp"

namespace relais::api {

json time_json(const TimeZone& zone, std::optional<Utc> t) {
  if (!t) return nullptr;
  return zone.format_local(*t);
}

Utc parse_time_text(const std::string& text, const std::string& field, const TimeZone& zone) {
  static const std::regex kTime(R"((\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?)");
  std::smatch m;
  if (!std::regex_match(text, m, kTime))
    bad_request(field + ": \"" + text + "\" is not a date and time (2026-12-08T14:00, local time, or with Z or an offset)");
  const int year = std::stoi(m[1]), month = std::stoi(m[2]), day = std::stoi(m[3]);
  const int hour = std::stoi(m[4]), minute = std::stoi(m[5]), second = m[6].matched ? std::stoi(m[6]) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    bad_request(field + ": \"" + text + "\" is not a valid date and time");
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) bad_request(field + ": " + text.substr(0, 10) + " is not a date of the calendar");
  if (!m[7].matched) return zone.from_local(year, month, day, hour * 60 + minute);
  const std::string offset = m[7];
  int offset_minutes = 0;
  if (offset != "Z" && offset != "z") {
    const std::string digits = std::regex_replace(offset.substr(1), std::regex(":"), "");
    offset_minutes = (offset[0] == '-' ? -1 : 1) * (std::stoi(digits.substr(0, 2)) * 60 + std::stoi(digits.substr(2, 2)));
  }
  const auto days = std::chrono::sys_days(date);
  return std::chrono::time_point_cast<Millis>(days + std::chrono::hours(hour) + std::chrono::minutes(minute - offset_minutes) +
                                              std::chrono::seconds(second));
}

Utc parse_time(const json& value, const std::string& field, const TimeZone& zone) {
  if (!value.is_string()) bad_request(field + ": a date and time as text is expected (2026-12-08T14:00)");
  return parse_time_text(value.get<std::string>(), field, zone);
}

json participant_json(const ParticipantSummary& s, const TimeZone& zone) {
  const auto& p = s.record;
  json j = {{"id", p.id},
            {"first_name", p.first_name},
            {"phone", p.phone},
            {"cohort", p.cohort},
            {"consent", p.consent},
            {"consent_tips", p.consent_tips},
            {"language", p.language},
            {"channel", p.channel},
            {"barriers", p.barriers},
            {"buddy_phone", p.buddy_phone ? json(*p.buddy_phone) : json(nullptr)},
            {"external_id", p.external_id ? json(*p.external_id) : json(nullptr)},
            {"opted_out", p.opted_out},
            {"enrolled_at", time_json(zone, p.enrolled_at)},
            {"last_reply_at", time_json(zone, s.last_reply_at)},
            {"number_failing_since", time_json(zone, s.number_failing_since)},
            {"unread_alerts", s.unread_alerts}};
  if (s.erased_at) {
    j["erased_at"] = time_json(zone, s.erased_at);
    j["phone"] = nullptr;
  }
  return j;
}

ParticipantSummary visible_participant(Store& store, const CohortScope& scope, std::int64_t id) {
  auto p = store.coach().participant(id);
  if (!p || !scope.sees(p->record.cohort)) not_found("participant " + std::to_string(id));
  return *p;
}

json session_json(const SessionRow& row, const TimeZone& zone) {
  const auto& s = row.session;
  return {{"id", row.id},
          {"source", row.source},
          {"editable", row.source == "relais"},
          {"title", s.title},
          {"kind", s.kind},
          {"cohorts", s.cohorts},
          {"start", time_json(zone, s.start)},
          {"end", time_json(zone, s.end)},
          {"venue", s.venue},
          {"location", s.location},
          {"individual", s.participant.has_value()},
          {"cancelled", s.cancelled}};
}

std::optional<std::string> string_field(const json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) bad_request(field + ": text is expected");
  return it->get<std::string>();
}

std::optional<bool> bool_field(const json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) bad_request(field + ": true or false is expected");
  return it->get<bool>();
}

std::optional<std::vector<std::string>> strings_field(const json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) bad_request(field + ": a list of texts is expected");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) bad_request(field + ": a list of texts is expected");
    out.push_back(v.get<std::string>());
  }
  return out;
}

void only_fields(const json& body, std::initializer_list<const char*> known) {
  for (const auto& [key, value] : body.items())
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      bad_request(key + ": unknown field (expected: " + list + ")");
    }
}

}  // namespace relais::api
