#include "scheduler/calendar_recurrence.hpp"

#include <algorithm>
#include <memory>

namespace relais::calendar_detail {
namespace {

// Iterations of a rule before the window is reached (a rule started years ago, every
// minute). Each costs libical a few microseconds.
constexpr int kMaxStepsBeforeWindow = 100000;

using IteratorPtr = std::unique_ptr<icalrecur_iterator, decltype(&icalrecur_iterator_free)>;

bool has_values(const short* by) { return by[0] != ICAL_RECURRENCE_ARRAY_MAX; }

// libical walks sub-daily rules one second, minute or hour at a time, and filters by day:
// a rule like FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30 never matches and a single call would
// run for hours. Such rules make no sense for sessions: they are not expanded.
bool is_unsafe(const icalrecurrencetype& rule) {
  const bool sub_daily = rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
                         rule.freq == ICAL_HOURLY_RECURRENCE;
  if (!sub_daily) return false;
  return has_values(rule.by_month) || has_values(rule.by_month_day) || has_values(rule.by_year_day) ||
         has_values(rule.by_week_no) || has_values(rule.by_set_pos);
}

// UNTIL as an instant. libical compares UNTIL with occurrences in DTSTART's wall clock,
// which is wrong by the zone's offset when UNTIL is in UTC (as Google and Outlook write
// it); the reader applies UNTIL itself instead. A DATE includes the whole day.
Utc until_instant(const icaltimetype& until, const TimeValue& start) {
  if (until.is_date) {
    TimeValue next_day{until, start.zone};
    next_day.wall.is_date = 0;
    next_day.wall.hour = next_day.wall.minute = next_day.wall.second = 0;
    return end_of(next_day, Span{1, Millis(0)}) - Millis(1);
  }
  if (icaltime_is_utc(until)) return TimeValue{until, EventZone::utc()}.utc();
  return TimeValue{until, start.zone}.utc();
}

bool in_window(Utc start, Utc end, const Window& window) { return start < window.to && !(end < window.from); }

// Adds the rule's occurrences in the window, stopping one past max_occurrences so that the
// caller can tell the set was cut.
void add_rule_occurrences(const RawEvent& event, const Window& window, std::vector<Occurrence>& out,
                          Expansion& expansion) {
  icalrecurrencetype rule = *event.rule;
  if (is_unsafe(rule)) {
    expansion.notes.push_back(std::string("RRULE ") + icalrecurrencetype_as_string(&rule) +
                              " is not expanded (a rule finer than daily with day filters); only its other "
                              "occurrences are read");
    return;
  }
  std::optional<Utc> until;
  if (!icaltime_is_null_time(rule.until)) until = until_instant(rule.until, event.start);
  rule.until = icaltime_null_time();
  IteratorPtr it(icalrecur_iterator_new(rule, event.start.wall), &icalrecur_iterator_free);
  if (!it) {
    expansion.notes.push_back("RRULE cannot be expanded by libical");
    return;
  }
  int steps_before_window = 0;
  for (;;) {
    const icaltimetype next = icalrecur_iterator_next(it.get());
    if (icaltime_is_null_time(next)) return;
    const TimeValue start{next, event.start.zone};
    const Utc start_utc = start.utc();
    if ((until && start_utc > *until) || start_utc >= window.to) return;
    const Utc end_utc = end_of(start, event.span);
    if (!in_window(start_utc, end_utc, window)) {
      if (++steps_before_window > kMaxStepsBeforeWindow) {
        expansion.notes.push_back("recurrence stopped after " + std::to_string(kMaxStepsBeforeWindow) +
                                  " occurrences before the horizon");
        return;
      }
      continue;
    }
    // DTSTART is added by the caller; counting it twice would hide a cut.
    if (is_excluded(event, start_utc) || start_utc == event.start_utc()) continue;
    out.push_back({start_utc, start_utc, end_utc});
    if (out.size() > static_cast<std::size_t>(window.max_occurrences)) return;
  }
}

}  // namespace

bool is_excluded(const RawEvent& event, Utc original) {
  return std::any_of(event.excluded_dates.begin(), event.excluded_dates.end(), [&](const ExcludedDate& x) {
    return x.from == x.to ? original == x.from : (x.from <= original && original < x.to);
  });
}

Expansion expand(const RawEvent& event, const Window& window) {
  Expansion expansion;
  std::vector<Occurrence> all;
  const auto add_if_kept = [&](Utc start, Utc end) {
    if (in_window(start, end, window) && !is_excluded(event, start)) all.push_back({start, start, end});
  };
  // DTSTART is always the first occurrence (RFC 5545), whether the rule matches it or not.
  add_if_kept(event.start_utc(), event.end_utc());
  if (event.rule) add_rule_occurrences(event, window, all, expansion);
  for (const auto& extra : event.extra_dates)
    add_if_kept(extra.start.utc(), extra.end ? *extra.end : end_of(extra.start, event.span));

  std::sort(all.begin(), all.end(), [](const Occurrence& a, const Occurrence& b) { return a.original < b.original; });
  all.erase(std::unique(all.begin(), all.end(),
                        [](const Occurrence& a, const Occurrence& b) { return a.original == b.original; }),
            all.end());
  const auto max = static_cast<std::size_t>(window.max_occurrences);
  if (all.size() > max) {
    all.resize(max);
    expansion.notes.push_back("more than " + std::to_string(max) + " occurrences between " +
                              format_utc(window.from) + " and " + format_utc(window.to) + ": only the first " +
                              std::to_string(max) + " are read");
  }
  expansion.occurrences = std::move(all);
  return expansion;
}

}  // namespace relais::calendar_detail
