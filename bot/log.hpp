#pragma once
// Logs for operators: one event per line, `event=name key=value …`. Every line passes
// through mask_phones() before it is written, so a phone number never reaches a log in
// clear, whatever a caller passes. Secrets are never given to the logger.
// Thread-safe.
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace relais::log {

enum class Level { debug, info, warn, error };

struct Field {
  std::string_view key;
  std::string value;
};

// Sets the threshold ("debug", "info", "warn", "error") and where lines go (stderr when
// `out` is null). Callable again (tests capture into a stringstream).
void init(std::string_view level, std::ostream* out = nullptr);

// The text of one event, masked: `event=inbound.stored channel=console from="+33 6 ** ** ** 78"`.
std::string format_event(std::string_view event, std::initializer_list<Field> fields);

void write(Level level, std::string_view event, std::initializer_list<Field> fields);
inline void debug(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::debug, e, f); }
inline void info(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::info, e, f); }
inline void warn(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::warn, e, f); }
inline void error(std::string_view e, std::initializer_list<Field> f = {}) { write(Level::error, e, f); }

}  // namespace relais::log
