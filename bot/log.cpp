#include "bot/log.hpp"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "bot/core/mask.hpp"

namespace relais::log {
namespace {

std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;

std::shared_ptr<spdlog::logger> make_logger(std::ostream* out) {
  spdlog::sink_ptr sink;
  if (out) sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*out, true);
  else sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("relais", sink);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  return logger;
}

std::shared_ptr<spdlog::logger> logger() {
  std::lock_guard lock(g_mutex);
  if (!g_logger) g_logger = make_logger(nullptr);
  return g_logger;
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  return false;
}

void append_value(std::string& out, std::string_view v) {
  if (!needs_quotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    if (c == '\r') { out += "\\r"; continue; }
    out += c;
  }
  out += '"';
}

}  // namespace

void init(std::string_view level, std::ostream* out) {
  auto l = make_logger(out);
  l->set_level(spdlog::level::from_str(std::string(level)));
  std::lock_guard lock(g_mutex);
  g_logger = std::move(l);
}

std::string format_event(std::string_view event, std::initializer_list<Field> fields) {
  std::string line = "event=";
  line += event;
  for (const auto& f : fields) {
    line += ' ';
    line += f.key;
    line += '=';
    // Masked before quoting, so "+33 6 ** ** ** 78" stays one quoted value.
    append_value(line, mask_phones(f.value));
  }
  // And the whole line again: an event name or key must not carry a number either.
  return mask_phones(line);
}

void write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  auto l = logger();
  spdlog::level::level_enum lv = spdlog::level::info;
  switch (level) {
    case Level::debug: lv = spdlog::level::debug; break;
    case Level::info: lv = spdlog::level::info; break;
    case Level::warn: lv = spdlog::level::warn; break;
    case Level::error: lv = spdlog::level::err; break;
  }
  if (!l->should_log(lv)) return;
  l->log(lv, "{}", format_event(event, fields));
}

}  // namespace relais::log
