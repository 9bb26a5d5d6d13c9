// `relais simulate`: local dates, and the kind and order of the messages it reports.
#include <date/date.h>

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "bot/simulate_parts.hpp"

namespace relais::simulation {
namespace {

date::sys_days to_days(const LocalDate& d) {
  return date::sys_days{date::year{d.year} / date::month{d.month} / date::day{d.day}};
}

LocalDate from_days(date::sys_days days) {
  const date::year_month_day ymd(days);
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

}  // namespace

std::string message_kind(const std::optional<std::string>& job_kind, const std::string& outbox_kind) {
  const std::string& kind = job_kind ? *job_kind : outbox_kind;
  for (const char* known : kMessageKinds)
    if (kind == known) return kind;
  return "other";
}

std::optional<LocalDate> LocalDate::parse(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0;
  int consumed = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%n", &year, &month, &day, &consumed) != 3 ||
      consumed != 10 || text[4] != '-' || text[7] != '-')
    return std::nullopt;
  const date::year_month_day ymd{date::year{year}, date::month{month}, date::day{day}};
  if (!ymd.ok() || year < 1970) return std::nullopt;
  return LocalDate{year, month, day};
}

LocalDate LocalDate::of(Utc t, const TimeZone& zone) {
  const auto l = zone.to_local(t);
  return {l.year, l.month, l.day};
}

std::string LocalDate::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year, month, day);
  return buf;
}

LocalDate LocalDate::plus_days(int days) const { return from_days(to_days(*this) + date::days{days}); }

Utc LocalDate::midnight(const TimeZone& zone) const {
  return zone.start_of_local_day(zone.from_local(year, month, day, 12 * 60));
}

unsigned LocalDate::weekday() const { return date::weekday(to_days(*this)).c_encoding(); }

int days_between(const LocalDate& a, const LocalDate& b) {
  return static_cast<int>((to_days(b) - to_days(a)).count());
}

void sort_messages(std::vector<SimulatedMessage>& messages) {
  std::sort(messages.begin(), messages.end(), [](const SimulatedMessage& a, const SimulatedMessage& b) {
    // A message without a rule (a broadcast, a notice) comes before the rules' messages.
    return std::forward_as_tuple(a.utc, a.participant, a.rule.has_value(), a.rule.value_or(""), a.row_id) <
           std::forward_as_tuple(b.utc, b.participant, b.rule.has_value(), b.rule.value_or(""), b.row_id);
  });
}

}  // namespace relais::simulation
