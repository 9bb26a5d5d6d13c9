#include <catch2/catch.hpp>

#include <date/date.h>

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
