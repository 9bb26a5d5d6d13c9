#include "scheduler/holidays.hpp"

#include <date/date.h>

#include <algorithm>
#include <map>

namespace relais {

LocalDate easter_sunday(int year) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
  return {year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

std::vector<LocalDate> french_public_holidays(int year) {
  const LocalDate easter = easter_sunday(year);
  const date::sys_days sunday = date::year{year} / date::month{easter.month} / date::day{easter.day};
  auto after_easter = [&](int days) {
    const date::year_month_day ymd(sunday + date::days{days});
    return LocalDate{year, static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
  };
  std::vector<LocalDate> out = {
      {year, 1, 1},      // Jour de l'an
      after_easter(1),   // Lundi de Pâques
      {year, 5, 1},      // Fête du Travail
      {year, 5, 8},      // Victoire 1945
      after_easter(39),  // Ascension
      after_easter(50),  // Lundi de Pentecôte
      {year, 7, 14},     // Fête nationale
      {year, 8, 15},     // Assomption
      {year, 11, 1},     // Toussaint
      {year, 11, 11},    // Armistice 1918
      {year, 12, 25},    // Noël
  };
  std::sort(out.begin(), out.end(), [](const LocalDate& x, const LocalDate& y) {
    return std::tie(x.month, x.day) < std::tie(y.month, y.day);
  });
  return out;
}

bool is_french_public_holiday(const LocalDate& d) {
  // Asked for every candidate day of every job: the year's list is kept per thread.
  thread_local std::map<int, std::vector<LocalDate>> by_year;
  auto it = by_year.find(d.year);
  if (it == by_year.end()) it = by_year.emplace(d.year, french_public_holidays(d.year)).first;
  return std::find(it->second.begin(), it->second.end(), d) != it->second.end();
}

}  // namespace relais
