#pragma once
// The programme's time zone (Europe/Paris by default). Times are stored in UTC and
// computed in this zone. date/tz with the system's tzdata underneath.
#include <stdexcept>
#include <string>

#include "bot/core/time.hpp"

namespace date { class time_zone; }

namespace relais {

class TimeZone {
 public:
  // Throws std::invalid_argument for a name tzdata does not know.
  explicit TimeZone(const std::string& iana_name);
  const std::string& name() const { return name_; }

  // The UTC instant at which the local day containing `t` starts. On a day whose midnight
  // does not exist (a DST change at 00:00), the first instant of that day.
  Utc start_of_local_day(Utc t) const;
  // "2026-11-25T22:12:44+01:00"
  std::string format_local(Utc t) const;
  // Offset from UTC at `t`, in minutes (+60 in winter, +120 in summer for Paris).
  int utc_offset_minutes(Utc t) const;

  struct Local {
    int year;
    unsigned month, day;
    unsigned weekday;  // 0 = Sunday … 6 = Saturday
    int minute_of_day;
  };
  Local to_local(Utc t) const;
  // The instant of a local date and minute of the day. A time skipped by the spring change
  // is moved past the gap (02:30 → 03:30); a time that happens twice in the autumn is the
  // first of the two (summer time).
  Utc from_local(int year, unsigned month, unsigned day, int minute_of_day) const;

 private:
  std::string name_;
  const date::time_zone* zone_;
};

}  // namespace relais
