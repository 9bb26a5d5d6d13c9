#include "bot/delivery_policy.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace relais {

SendingWindow sending_window(const Config& config) {
  SendingWindow w;
  w.start_minute = config.sending_window.start_minute;
  w.end_minute = config.sending_window.end_minute;
  w.days = config.sending_window.days;
  w.skip_french_holidays = config.sending_window.french_public_holidays;
  return w;
}

Priority priority_of(std::string_view kind) {
  static constexpr std::pair<std::string_view, Priority> kKinds[] = {
      {"notice", Priority::notice},    {"reminder", Priority::reminder},
      {"attendance", Priority::reminder}, {"checkin", Priority::checkin},
      {"end_of_programme", Priority::checkin}, {"welcome", Priority::welcome},
      {"missed", Priority::missed},    {"meteo", Priority::meteo},
      {"peer", Priority::peer},        {"tip", Priority::tip}};
  for (auto [name, priority] : kKinds)
    if (name == kind) return priority;
  return Priority::tip;
}

namespace {

bool capped(const OutboxRow& row) {
  return row.origin == Origin::service && priority_of(row.kind) > Priority::reminder &&
         row.participant_id.has_value();
}

}  // namespace

DeliveryPolicy::DeliveryPolicy(const TimeZone& zone, SendingWindow window, int daily_cap)
    : zone_(zone), window_(window), daily_cap_(daily_cap) {}

std::pair<Utc, Utc> DeliveryPolicy::local_day(Utc t) const {
  const Utc start = zone_.start_of_local_day(t);
  // A local day lasts 23, 24 or 25 hours: 25 hours on is always inside the next one.
  return {start, zone_.start_of_local_day(start + std::chrono::hours(25))};
}

std::vector<DeliveryVerdict> DeliveryPolicy::judge(const std::vector<DueRow>& due, Utc now,
                                           const std::function<ParticipantDay(std::int64_t)>& day_of) const {
  std::vector<DeliveryVerdict> verdicts(due.size());
  // Highest priority first, then the oldest: the order in which rows take the cap.
  std::vector<std::size_t> order(due.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return priority_of(due[a].row.kind) < priority_of(due[b].row.kind);
  });
  // Her day so far is read only for a row the cap may hold (notices and reminders are
  // never held, so a batch of them costs no query); rows passed in this batch count too.
  std::map<std::int64_t, ParticipantDay> days;
  std::map<std::int64_t, int> passed;
  const Utc opening = next_allowed_time(now, zone_, window_);
  for (std::size_t i : order) {
    const OutboxRow& row = due[i].row;
    DeliveryVerdict& v = verdicts[i];
    if (due[i].opted_out && row.origin != Origin::system) {
      v = {DeliveryVerdict::Action::drop, {}, "opted out: she sent STOP"};
    } else if (due[i].number_failing && row.origin != Origin::system) {
      v = {DeliveryVerdict::Action::fail, {}, "her number was reported wrong by a gateway: a coach must correct it"};
    } else if (row.deadline && now >= *row.deadline) {
      v = {DeliveryVerdict::Action::drop, {}, "too late: its deadline has passed"};
    } else if (row.origin == Origin::service && opening != now) {
      if (row.deadline && opening >= *row.deadline)
        v = {DeliveryVerdict::Action::drop, {}, "too late: the sending window opens after its deadline"};
      else
        v = {DeliveryVerdict::Action::wait, opening, "waiting for the sending window"};
    }
    if (v.action != DeliveryVerdict::Action::send || row.origin != Origin::service || !row.participant_id) continue;
    // The daily cap: every service message counts; only those of lower priority wait.
    const std::int64_t who = *row.participant_id;
    if (capped(row)) {
      auto it = days.find(who);
      if (it == days.end()) it = days.emplace(who, day_of(who)).first;
      const Priority mine = priority_of(row.kind);
      const auto reserved = std::count_if(it->second.due_later.begin(), it->second.due_later.end(),
                                          [&](Priority p) { return p < mine; });
      if (it->second.handed_over + passed[who] + reserved >= daily_cap_) {
        const Utc tomorrow = next_day_opening(now, zone_, window_);
        if (row.deadline && tomorrow >= *row.deadline)
          v = {DeliveryVerdict::Action::drop, {}, "daily limit of messages reached before its deadline"};
        else
          v = {DeliveryVerdict::Action::wait, tomorrow, "daily limit of messages reached: waits for the next day"};
        continue;
      }
    }
    ++passed[who];
  }
  return verdicts;
}

}  // namespace relais
