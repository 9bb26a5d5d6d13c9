// read_calendar: parse with libical, read every VEVENT (calendar_event.cpp), keep the
// winning version of each UID and RECURRENCE-ID, expand recurrences within the horizon
// (calendar_recurrence.cpp), then turn each occurrence into a Session with what its tags,
// location and attendees say (calendar_tags.cpp, calendar_match.cpp).
#include "scheduler/calendar.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "bot/core/text.hpp"
#include "scheduler/calendar_event.hpp"
#include "scheduler/calendar_match.hpp"
#include "scheduler/calendar_recurrence.hpp"
#include "scheduler/calendar_tags.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

using namespace calendar_detail;
using ComponentPtr = std::unique_ptr<icalcomponent, decltype(&icalcomponent_free)>;

// Warnings in the order they arise, each once (a recurring event warns once, not per
// occurrence).
class Warnings {
 public:
  void add(std::string warning) {
    if (seen_.insert(warning).second) list_.push_back(std::move(warning));
  }
  std::vector<std::string> take() { return std::move(list_); }

 private:
  std::vector<std::string> list_;
  std::set<std::string> seen_;
};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string_view trim_lines(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);  // a UTF-8 byte order mark
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::vector<icalcomponent*> calendars_of(icalcomponent* root) {
  if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) return {root};
  std::vector<icalcomponent*> out;
  for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT); c;
       c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
    out.push_back(c);
  return out;
}

ComponentPtr parse_calendar(std::string_view text) {
  const auto content = trim_lines(text);
  if (!starts_with_ci(content, "BEGIN:VCALENDAR"))
    throw CalendarError("not an iCalendar file: it does not start with BEGIN:VCALENDAR");
  // A download cut short would silently lose events (and the planner would cancel them).
  const auto last_line = content.substr(content.find_last_of('\n') == std::string_view::npos
                                            ? 0
                                            : content.find_last_of('\n') + 1);
  if (!starts_with_ci(last_line, "END:VCALENDAR"))
    throw CalendarError("the iCalendar file is cut short: it does not end with END:VCALENDAR");
  const std::string copy(content);
  ComponentPtr root(icalparser_parse_string(copy.c_str()), &icalcomponent_free);
  if (!root || calendars_of(root.get()).empty())
    throw CalendarError("not an iCalendar file: libical finds no VCALENDAR in it");
  return root;
}

std::string calendar_name(icalcomponent* calendar) {
  for (icalproperty* p = icalcomponent_get_first_property(calendar, ICAL_X_PROPERTY); p;
       p = icalcomponent_get_next_property(calendar, ICAL_X_PROPERTY)) {
    const char* name = icalproperty_get_x_name(p);
    const char* value = icalproperty_get_x(p);
    if (name && value && std::string_view(name) == "X-WR-CALNAME") return value;
  }
  return "";
}

void check_context(const CalendarContext& context) {
  if (!(context.horizon_from < context.horizon_to))
    throw std::invalid_argument("calendar horizon: horizon_to must be after horizon_from");
  if (context.max_occurrences < 1) throw std::invalid_argument("calendar: max_occurrences must be at least 1");
}

std::vector<RawEvent> read_events(icalcomponent* root, const TimeZone& programme_zone, Warnings& warnings) {
  std::vector<RawEvent> events;
  for (icalcomponent* calendar : calendars_of(root)) {
    ZoneResolver zones(calendar, programme_zone);
    for (icalcomponent* c = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
      RawEvent event = read_event(c, zones);
      event.order = events.size();
      if (event.uid.empty()) {
        warnings.add(describe(event) + ": no UID: skipped");
        continue;
      }
      events.push_back(std::move(event));
    }
  }
  return events;
}

// Of two versions of one event (same UID and RECURRENCE-ID): the higher SEQUENCE, then the
// later LAST-MODIFIED (else DTSTAMP), then the later in the file.
bool replaces(const RawEvent& candidate, const RawEvent& current) {
  if (candidate.sequence != current.sequence) return candidate.sequence > current.sequence;
  if (candidate.stamp != current.stamp) return candidate.stamp > current.stamp;
  return candidate.order > current.order;
}

// One UID: its master (the VEVENT without RECURRENCE-ID) and its overrides by original
// start, each the winning version.
struct UidGroup {
  std::optional<RawEvent> master;
  std::map<Utc, RawEvent> overrides;

  bool recurs() const { return (master && master->recurs()) || !overrides.empty(); }
};

void keep_winner(std::optional<RawEvent>& slot, RawEvent&& event) {
  if (!slot || replaces(event, *slot)) slot = std::move(event);
}

std::vector<UidGroup> group_by_uid(std::vector<RawEvent> events) {
  std::vector<UidGroup> groups;
  std::map<std::string, std::size_t> index;
  for (auto& event : events) {
    const auto [it, added] = index.emplace(event.uid, groups.size());
    if (added) groups.emplace_back();
    UidGroup& group = groups[it->second];
    if (!event.recurrence_id) {
      keep_winner(group.master, std::move(event));
      continue;
    }
    const Utc original = *event.recurrence_id;
    auto slot = group.overrides.find(original);
    if (slot == group.overrides.end())
      group.overrides.emplace(original, std::move(event));
    else if (replaces(event, slot->second))
      slot->second = std::move(event);
  }
  return groups;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// What an event says beyond its times; nullopt when it is skipped (no cohort tag).
std::optional<Session> session_template(const RawEvent& event, const CalendarContext& context, Warnings& warnings) {
  const auto tags = tags_of(event.summary, event.categories);
  Session session;
  session.cohorts = cohorts_of(tags, context.cohorts);
  if (session.cohorts.empty()) {
    warnings.add(describe(event) + ": no cohort tag (" + (tags.empty() ? "no tags" : "tags: " + joined(tags)) + ")");
    return std::nullopt;
  }
  session.uid = event.uid;
  session.title = title_of(event.summary);
  const auto kinds = kinds_of(tags);
  if (!kinds.empty()) session.kind = kinds.front();
  if (kinds.size() > 1)
    warnings.add(describe(event) + ": several kinds (" + joined(kinds) + "): " + kinds.front() + " is used");
  session.location = event.location;
  if (auto venue = match_venue(event.location, context.venues))
    session.venue = *venue;
  else if (!trim(event.location).empty())
    warnings.add(describe(event) + ": unknown venue \"" + event.location + "\"");
  auto participant = find_participant(event.attendees, event.description, context.default_region);
  for (const auto& problem : participant.problems) warnings.add(describe(event) + ": " + problem);
  session.participant = participant.phone;
  if (session.participant && kinds.empty()) session.kind = "individual-coaching";
  session.cancelled = event.cancelled;
  session.sequence = event.sequence;
  session.stamp = event.stamp;
  return session;
}

Session at(Session session, const Occurrence& occurrence, bool recurring) {
  session.occurrence = recurring ? occurrence_id(occurrence.original) : "";
  session.start = occurrence.start;
  session.end = occurrence.end;
  return session;
}

class SessionCollector {
 public:
  SessionCollector(const CalendarContext& context, Warnings& warnings)
      : context_(context), window_{context.horizon_from, context.horizon_to, context.max_occurrences},
        warnings_(warnings) {}

  void add(const UidGroup& group) {
    if (group.master) add_master(group);
    for (const auto& [original, override_event] : group.overrides) {
      // An occurrence both excluded and overridden stays excluded.
      if (group.master && is_excluded(*group.master, original)) continue;
      const Occurrence occurrence{original, override_event.start_utc(), override_event.end_utc()};
      if (!(occurrence.start < window_.to && !(occurrence.end < window_.from))) continue;
      if (auto base = session_template(override_event, context_, warnings_))
        sessions_.push_back(at(*base, occurrence, true));
    }
  }

  std::vector<Session> take() {
    std::sort(sessions_.begin(), sessions_.end(), [](const Session& a, const Session& b) {
      if (a.start != b.start) return a.start < b.start;
      if (a.uid != b.uid) return a.uid < b.uid;
      return a.occurrence < b.occurrence;
    });
    return std::move(sessions_);
  }

 private:
  void add_master(const UidGroup& group) {
    const RawEvent& master = *group.master;
    const auto expansion = expand(master, window_);
    for (const auto& note : expansion.notes) warnings_.add(describe(master) + ": " + note);
    std::optional<Session> base;
    bool classified = false;
    for (const auto& occurrence : expansion.occurrences) {
      if (group.overrides.count(occurrence.original)) continue;
      // Classified only when an occurrence falls in the horizon: events of past years
      // raise no warnings.
      if (!classified) base = session_template(master, context_, warnings_);
      classified = true;
      if (!base) return;
      sessions_.push_back(at(*base, occurrence, group.recurs()));
    }
  }

  const CalendarContext& context_;
  Window window_;
  Warnings& warnings_;
  std::vector<Session> sessions_;
};

}  // namespace

CalendarRead read_calendar(std::string_view ics_text, const CalendarContext& context) {
  check_context(context);
  const TimeZone programme_zone(context.time_zone);
  const auto root = parse_calendar(ics_text);
  Warnings warnings;
  CalendarRead read;
  read.name = calendar_name(calendars_of(root.get()).front());
  const auto groups = group_by_uid(read_events(root.get(), programme_zone, warnings));
  SessionCollector collector(context, warnings);
  for (const auto& group : groups) collector.add(group);
  read.sessions = collector.take();
  read.warnings = warnings.take();
  return read;
}

}  // namespace relais
