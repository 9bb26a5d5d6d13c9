#include <catch2/catch.hpp>

#include <date/date.h>

#include "scheduler/holidays.hpp"
#include "scheduler/sending_window.hpp"
#include "scheduler/zone.hpp"

using namespace relais;
using namespace date;

namespace {
Utc utc(int y, unsigned m, unsigned d, int h, int min) {
  return std::chrono::time_point_cast<Millis>(sys_days{year{y} / month{m} / day{d}} +
                                              std::chrono::hours(h) + std::chrono::minutes(min));
}
}  // namespace

TEST_CASE("a local day in Paris starts at 23:00 UTC in winter and 22:00 UTC in summer", "[zone]") {
  TimeZone paris("Europe/Paris");
  CHECK(paris.start_of_local_day(utc(2026, 11, 25, 12, 0)) == utc(2026, 11, 24, 23, 0));
  CHECK(paris.start_of_local_day(utc(2026, 11, 24, 23, 30)) == utc(2026, 11, 24, 23, 0));
  CHECK(paris.start_of_local_day(utc(2026, 7, 14, 21, 59)) == utc(2026, 7, 13, 22, 0));
  CHECK(paris.start_of_local_day(utc(2026, 7, 14, 22, 0)) == utc(2026, 7, 14, 22, 0));
}

TEST_CASE("the day of a daylight-saving change keeps its midnight", "[zone]") {
  TimeZone paris("Europe/Paris");
  // 25 October 2026: clocks go back at 03:00 (summer, UTC+2) to 02:00 (UTC+1).
  CHECK(paris.start_of_local_day(utc(2026, 10, 25, 20, 0)) == utc(2026, 10, 24, 22, 0));
  CHECK(paris.utc_offset_minutes(utc(2026, 10, 25, 0, 59)) == 120);
  CHECK(paris.utc_offset_minutes(utc(2026, 10, 25, 1, 0)) == 60);
  CHECK(paris.format_local(utc(2026, 11, 25, 21, 12)) == "2026-11-25T22:12:00+01:00");
}

TEST_CASE("an unknown zone name is refused", "[zone]") {
  CHECK_THROWS_AS(TimeZone("Europe/Dijon"), std::invalid_argument);
}


TEST_CASE("messages the service starts wait for the sending window", "[window]") {
  TimeZone paris("Europe/Paris");
  // Wednesday 25 November 2026, Paris = UTC+1.
  CHECK(next_allowed_time(utc(2026, 11, 25, 10, 0), paris) == utc(2026, 11, 25, 10, 0));   // 11:00
  CHECK(next_allowed_time(utc(2026, 11, 25, 7, 0), paris) == utc(2026, 11, 25, 8, 0));     // 08:00 → 09:00
  CHECK(next_allowed_time(utc(2026, 11, 25, 18, 30), paris) == utc(2026, 11, 25, 18, 30)); // 19:30 allowed
  CHECK(next_allowed_time(utc(2026, 11, 25, 18, 31), paris) == utc(2026, 11, 26, 8, 0));   // 19:31 → next day
  // Saturday evening → Monday morning (no Sunday).
  CHECK(next_allowed_time(utc(2026, 11, 28, 20, 0), paris) == utc(2026, 11, 30, 8, 0));
  CHECK(next_allowed_time(utc(2026, 11, 29, 12, 0), paris) == utc(2026, 11, 30, 8, 0));
  // Across the end of summer time: Saturday 24 October 2026 after 19:30 → Monday 26, 09:00 UTC+1.
  CHECK(next_allowed_time(utc(2026, 10, 24, 18, 0), paris) == utc(2026, 10, 26, 8, 0));
}

TEST_CASE("a window of the configuration's days and hours; the next day's opening for the daily cap", "[window]") {
  TimeZone paris("Europe/Paris");
  SendingWindow w;
  w.start_minute = 10 * 60;
  w.end_minute = 12 * 60;
  w.days = {true, false, false, true, false, false, false};  // Sunday and Wednesday
  // Wednesday 25 November 2026 at 11:00 → now; at 13:00 → Sunday 29 at 10:00.
  CHECK(next_allowed_time(utc(2026, 11, 25, 10, 0), paris, w) == utc(2026, 11, 25, 10, 0));
  CHECK(next_allowed_time(utc(2026, 11, 25, 12, 0), paris, w) == utc(2026, 11, 29, 9, 0));
  // The next day's opening, even from inside today's window.
  CHECK(next_day_opening(utc(2026, 11, 25, 10, 0), paris, w) == utc(2026, 11, 29, 9, 0));
  CHECK(next_day_opening(utc(2026, 11, 25, 10, 0), paris) == utc(2026, 11, 26, 8, 0));
  // Saturday's → Monday's (no Sunday by default).
  CHECK(next_day_opening(utc(2026, 11, 28, 10, 0), paris) == utc(2026, 11, 30, 8, 0));
  // Late on Wednesday in Paris is already Thursday in UTC: the local day decides.
  CHECK(next_day_opening(utc(2026, 11, 25, 23, 30), paris) == utc(2026, 11, 27, 8, 0));
  w.days.fill(false);
  CHECK_THROWS_AS(next_allowed_time(utc(2026, 11, 25, 13, 0), paris, w), std::invalid_argument);
}

TEST_CASE("local times convert both ways, with a rule for the change nights", "[zone]") {
  TimeZone paris("Europe/Paris");
  auto l = paris.to_local(utc(2026, 11, 25, 21, 12));
  CHECK(l.day == 25);
  CHECK(l.weekday == 3);
  CHECK(l.minute_of_day == 22 * 60 + 12);
  CHECK(paris.from_local(2026, 11, 25, 22 * 60 + 12) == utc(2026, 11, 25, 21, 12));
  // 29 March 2026, 02:30 does not exist: moved past the gap to 03:30 (UTC+2 = 01:30 UTC).
  CHECK(paris.from_local(2026, 3, 29, 2 * 60 + 30) == utc(2026, 3, 29, 1, 30));
  // 25 October 2026, 02:30 happens twice: the first (UTC+2 = 00:30 UTC).
  CHECK(paris.from_local(2026, 10, 25, 2 * 60 + 30) == utc(2026, 10, 25, 0, 30));
}

TEST_CASE("Easter and the French public holidays are computed for any year", "[holidays]") {
  // Easter Sundays from the tables (e.g. 2026: 5 April, 2027: 28 March, 2038: 25 April).
  CHECK(easter_sunday(2024) == LocalDate{2024, 3, 31});
  CHECK(easter_sunday(2026) == LocalDate{2026, 4, 5});
  CHECK(easter_sunday(2027) == LocalDate{2027, 3, 28});
  CHECK(easter_sunday(2038) == LocalDate{2038, 4, 25});
  const auto h = french_public_holidays(2026);
  REQUIRE(h.size() == 11);
  CHECK(h[1] == LocalDate{2026, 4, 6});   // Easter Monday
  CHECK(h[4] == LocalDate{2026, 5, 14});  // Ascension, a Thursday
  CHECK(h[5] == LocalDate{2026, 5, 25});  // Whit Monday
  CHECK(is_french_public_holiday({2026, 11, 11}));
  CHECK(is_french_public_holiday({2026, 11, 1}));
  CHECK_FALSE(is_french_public_holiday({2026, 11, 12}));
}

TEST_CASE("the window skips public holidays, and a message before a session moves earlier", "[window][holidays]") {
  TimeZone paris("Europe/Paris");
  // Tuesday 10 November 2026, 20:00 → Thursday 12 at 09:00 (Wednesday 11 is Armistice Day).
  CHECK(next_allowed_time(utc(2026, 11, 10, 19, 0), paris) == utc(2026, 11, 12, 8, 0));
  SendingWindow no_holidays;
  no_holidays.skip_french_holidays = false;
  CHECK(next_allowed_time(utc(2026, 11, 10, 19, 0), paris, no_holidays) == utc(2026, 11, 11, 8, 0));
  // The latest allowed minute at or before: 07:00 on Monday → Saturday 19:30.
  CHECK(previous_allowed_time(utc(2026, 11, 30, 6, 0), paris) == utc(2026, 11, 28, 18, 30));
  CHECK(previous_allowed_time(utc(2026, 11, 25, 10, 0), paris) == utc(2026, 11, 25, 10, 0));
  CHECK(previous_allowed_time(utc(2026, 11, 25, 21, 0), paris) == utc(2026, 11, 25, 18, 30));
  // Thursday 12 November at 08:00 → Tuesday 10 at 19:30 (not the holiday in between).
  CHECK(previous_allowed_time(utc(2026, 11, 12, 7, 0), paris) == utc(2026, 11, 10, 18, 30));
  // Across the spring change: Monday 29 March 2027 at 07:00 (UTC+2) → Saturday 27 at 19:30 (UTC+1).
  CHECK(previous_allowed_time(utc(2027, 3, 29, 5, 0), paris) == utc(2027, 3, 27, 18, 30));
  // New Year's Day 2027 is a Friday: Thursday evening → Saturday 2 January.
  CHECK(next_allowed_time(utc(2026, 12, 31, 19, 0), paris) == utc(2027, 1, 2, 8, 0));
}
