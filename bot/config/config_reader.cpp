// JSON → Config, one function per section. Each key read here is a key the file may
// contain: the list below is the configuration's vocabulary (docs/configuration.md).
#include <optional>

#include "bot/config/channel_types.hpp"
#include "bot/config/config_steps.hpp"
#include "bot/core/domain.hpp"
#include "scheduler/rules.hpp"
#include "scheduler/session.hpp"

namespace relais::config_detail {
namespace {

constexpr long long kMaxMs = 86'400'000;  // one day: longer waits are mistakes
constexpr long long kMaxBodyBytes = 16 * 1024 * 1024;
constexpr long long kMaxHeaderBytes = 64 * 1024;

void read_server(ObjectReader r, ServerConfig& s) {
  r.read("bind", s.bind);
  r.read_int("port", s.port, 1, 65535);
  r.read("public_base_url", s.public_base_url);
  r.read_int("threads", s.threads, 1, 64);
  r.read_int("max_header_bytes", s.max_header_bytes, 1, kMaxHeaderBytes);
  r.read_int("max_body_bytes", s.max_body_bytes, 1, kMaxBodyBytes);
  r.read_int("read_timeout_ms", s.read_timeout_ms, 1, kMaxMs);
  r.read_int("idle_timeout_ms", s.idle_timeout_ms, 1, kMaxMs);
  r.read_int("shutdown_grace_ms", s.shutdown_grace_ms, 0, kMaxMs);
  r.finish();
}

void read_database(ObjectReader r, DatabaseConfig& d) {
  std::string path = d.path.string();
  r.read("path", path);
  d.path = path;
  r.read_int("busy_timeout_ms", d.busy_timeout_ms, 1, kMaxMs);
  r.finish();
}

CoachConfig read_coach(ObjectReader r) {
  CoachConfig c;
  r.require("name");
  r.read("name", c.name);
  r.read("phone", c.phone);
  r.read("email", c.email);
  r.read("pin_env", c.pin_env);
  r.finish();
  return c;
}

CohortConfig read_cohort(ObjectReader r) {
  CohortConfig c;
  r.require("id");
  r.require("name");
  r.read("id", c.id);
  r.read("name", c.name);
  for (auto& coach : r.objects("coaches")) c.coaches.push_back(read_coach(std::move(coach)));
  r.finish();
  return c;
}

VenueConfig read_venue(ObjectReader r) {
  VenueConfig v;
  r.require("id");
  r.require("name");
  r.read("id", v.id);
  r.read("name", v.name);
  r.read("address", v.address);
  r.finish();
  return v;
}

TemplateMapping read_template(ObjectReader r) {
  TemplateMapping t;
  r.require("name");
  r.read("name", t.name);
  r.read("language", t.language);
  r.read("parameters", t.parameters);
  r.finish();
  return t;
}

ChannelConfig read_channel(ObjectReader r) {
  ChannelConfig c;
  r.require("id");
  r.require("type");
  r.read("id", c.id);
  r.read("type", c.type);
  // The type decides which other keys exist: an unknown type is the first error.
  const ChannelTypeSpec* spec = find_channel_type(c.type);
  if (!spec && r.has("type")) {
    std::string types;
    for (const auto& t : channel_type_specs()) types += (types.empty() ? "" : ", ") + std::string(t.type);
    fail(r.file(), r.path_of("type"),
         "unknown channel type \"" + c.type + "\" (expected one of: " + types + ")");
  }
  r.read("enabled", c.enabled);
  r.read("normalise", c.normalise);
  r.read("price_per_segment_eur", c.price_per_segment_eur, 0);
  r.read("rate_per_second", c.rate_per_second, 0);
  r.read_int("burst", c.burst, 1, 10'000);
  r.read("fallback", c.fallback);
  r.read("basic_auth_user", c.basic_auth_user);
  r.read("basic_auth_password_env", c.basic_auth_password_env);
  if (spec) {
    for (const auto& option : spec->options) {
      const std::string key(option.key);
      if (option.required) r.require(key);
      if (!r.has(key)) continue;
      std::string value;
      r.read(key, value);
      c.options[key] = value;
    }
    if (spec->templates)
      for (auto& [id, t] : r.object_map("templates")) c.templates[id] = read_template(std::move(t));
  }
  r.finish();
  return c;
}

void read_dispatcher(ObjectReader r, DispatcherConfig& d) {
  r.read_int("poll_interval_ms", d.poll_interval_ms, 1, kMaxMs);
  r.read_int("batch_size", d.batch_size, 1, 10'000);
  r.read_int("concurrency", d.concurrency, 1, 64);
  r.read_int("max_attempts", d.max_attempts, 1, 100);
  r.read_int("max_retry_hours", d.max_retry_hours, 1, 24 * 30);
  r.read_int("daily_cap", d.daily_cap, 1, 100);
  r.finish();
}

// "09:00" → 540; "24:00" is the end of the day.
int read_clock_time(ObjectReader& r, std::string_view key, int fallback) {
  if (!r.has(key)) return fallback;
  std::string text;
  r.read(key, text);
  const auto minute = text == "24:00" ? std::optional(24 * 60) : parse_clock_time(text);
  if (!minute) fail(r.file(), r.path_of(key), "\"" + text + "\" is not a time of day written HH:MM (e.g. \"09:00\")");
  return *minute;
}

void read_sending_window(ObjectReader r, SendingWindowConfig& w) {
  w.start_minute = read_clock_time(r, "start", w.start_minute);
  w.end_minute = read_clock_time(r, "end", w.end_minute);
  if (w.end_minute <= w.start_minute)
    fail(r.file(), r.path_of("end"), "the window must end after it starts");
  if (r.has("days")) {
    std::vector<std::string> days;
    r.read("days", days);
    w.days.fill(false);
    for (const auto& day : days) {
      const auto weekday = parse_weekday(day);
      if (!weekday) fail(r.file(), r.path_of("days"), "\"" + day + "\" is not a day (monday … sunday, in English)");
      w.days[static_cast<std::size_t>(*weekday)] = true;
    }
    if (days.empty()) fail(r.file(), r.path_of("days"), "at least one day is needed");
  }
  r.read("french_public_holidays", w.french_public_holidays);
  r.finish();
}

template <std::size_t N>
void require_one_of(ObjectReader& r, std::string_view key, const std::string& value, const char* const (&list)[N]) {
  std::string names;
  for (const char* item : list) {
    if (value == item) return;
    names += (names.empty() ? "" : ", ") + std::string(item);
  }
  fail(r.file(), r.path_of(key), "\"" + value + "\" is not one of: " + names);
}

Rule read_rule(ObjectReader r) {
  Rule rule;
  for (const char* key : {"id", "kind", "dialog", "anchor"}) r.require(key);
  r.read("id", rule.id);
  r.read("kind", rule.kind);
  r.read("dialog", rule.dialog);
  r.read("anchor", rule.anchor);
  if (r.has("kind")) require_one_of(r, "kind", rule.kind, kRuleKinds);
  if (r.has("anchor")) require_one_of(r, "anchor", rule.anchor, kRuleAnchors);
  if (r.has("offset")) {
    std::string text;
    r.read("offset", text);
    auto minutes = parse_offset(text);
    if (!minutes) fail(r.file(), r.path_of("offset"), "\"" + text + "\" is not an offset such as \"-1d\", \"-2h\", \"+30m\" (at most 60 days)");
    rule.offset_minutes = *minutes;
  }
  if (r.has("at")) {
    std::string text;
    r.read("at", text);
    rule.at_minute = parse_clock_time(text);
    if (!rule.at_minute) fail(r.file(), r.path_of("at"), "\"" + text + "\" is not a time of day written HH:MM");
  }
  if (r.has("weekday")) {
    std::string text;
    r.read("weekday", text);
    auto day = parse_weekday(text);
    if (!day) fail(r.file(), r.path_of("weekday"), "\"" + text + "\" is not a day (monday … sunday, in English)");
    rule.weekday = *day;
  }
  if ((rule.anchor == "weekday") != (rule.weekday >= 0))
    fail(r.file(), r.path_of(rule.anchor == "weekday" ? "anchor" : "weekday"),
         "\"weekday\" goes with \"anchor\": \"weekday\", and only with it");
  r.read("session_kinds", rule.session_kinds);
  for (const auto& kind : rule.session_kinds) require_one_of(r, "session_kinds", kind, kSessionKinds);
  if (!rule.session_kinds.empty() && !rule.tied_to_session())
    fail(r.file(), r.path_of("session_kinds"), "only a rule anchored on a session has session kinds");
  r.read("barriers", rule.barriers);
  for (const auto& barrier : rule.barriers) require_one_of(r, "barriers", barrier, kBarriers);
  if (r.has("attendance")) {
    std::string text;
    r.read("attendance", text);
    if (text != "absent") fail(r.file(), r.path_of("attendance"), "the only attendance condition is \"absent\"");
    if (rule.anchor != "session_end") fail(r.file(), r.path_of("attendance"), "an attendance condition needs \"anchor\": \"session_end\"");
    rule.only_if_absent = true;
  }
  std::string purpose = "service";
  r.read("purpose", purpose);
  if (purpose != "service" && purpose != "tips")
    fail(r.file(), r.path_of("purpose"), "\"" + purpose + "\" is not one of: service, tips");
  rule.needs_consent_tips = purpose == "tips";
  r.finish();
  return rule;
}

CalendarSourceConfig read_calendar_source(ObjectReader r) {
  CalendarSourceConfig c;
  r.require("id");
  r.read("id", c.id);
  std::string file;
  r.read("file", file);
  c.file = file;
  r.read("url", c.url);
  r.read("url_env", c.url_env);
  r.read_int("poll_minutes", c.poll_minutes, 1, 24 * 60);
  const int given = !file.empty() + !c.url.empty() + !c.url_env.empty();
  if (given != 1)
    fail(r.file(), r.path(), "a calendar source has one of \"file\", \"url\" or \"url_env\"");
  if (!c.url.empty() && !c.url.starts_with("https://") && !c.url.starts_with("http://127.0.0.1"))
    fail(r.file(), r.path_of("url"), "\"" + c.url + "\" must start with https://");
  r.finish();
  return c;
}

void read_calendars(ObjectReader r, CalendarsConfig& c) {
  for (auto& source : r.objects("sources")) c.sources.push_back(read_calendar_source(std::move(source)));
  r.read_int("horizon_days", c.horizon_days, 1, 3650);
  r.read_int("max_occurrences", c.max_occurrences, 1, 100'000);
  r.finish();
}

void read_web(ObjectReader r, WebConfig& w) {
  std::string dir = w.dir.string();
  r.read("dir", dir);
  w.dir = dir;
  r.finish();
}

void read_simulator(ObjectReader r, SimulatorConfig& s) {
  r.read("enabled", s.enabled);
  r.finish();
}

void read_log(ObjectReader r, LogConfig& l) {
  r.read("level", l.level);
  r.finish();
}

}  // namespace

Config read_config(const Json& doc, const std::string& file) {
  Config c;
  ObjectReader r(doc, "$", file);
  r.read("programme", c.programme);
  if (auto s = r.object("server")) read_server(std::move(*s), c.server);
  if (auto d = r.object("database")) read_database(std::move(*d), c.database);
  r.read("time_zone", c.time_zone);
  r.read("default_region", c.default_region);
  for (auto& cohort : r.objects("cohorts")) c.cohorts.push_back(read_cohort(std::move(cohort)));
  for (auto& venue : r.objects("venues")) c.venues.push_back(read_venue(std::move(venue)));
  for (auto& channel : r.objects("channels")) c.channels.push_back(read_channel(std::move(channel)));
  r.read("default_channel", c.default_channel);
  r.read("messaging_budget_eur", c.messaging_budget_eur, 0);
  r.read_int("retention_months", c.retention_months, 0, 120);
  if (auto d = r.object("dispatcher")) read_dispatcher(std::move(*d), c.dispatcher);
  if (auto w = r.object("sending_window")) read_sending_window(std::move(*w), c.sending_window);
  for (auto& rule : r.objects("rules")) c.rules.push_back(read_rule(std::move(rule)));
  if (auto cal = r.object("calendars")) read_calendars(std::move(*cal), c.calendars);
  if (auto w = r.object("web")) read_web(std::move(*w), c.web);
  if (auto s = r.object("simulator")) read_simulator(std::move(*s), c.simulator);
  if (auto l = r.object("log")) read_log(std::move(*l), c.log);
  std::string dialogs = c.dialogs_dir.string(), templates = c.templates_dir.string(),
              tips = c.tips_dir.string();
  r.read("dialogs_dir", dialogs);
  r.read("templates_dir", templates);
  r.read("tips_dir", tips);
  c.dialogs_dir = dialogs;
  c.templates_dir = templates;
  c.tips_dir = tips;
  r.finish();
  return c;
}

}  // namespace relais::config_detail
