#pragma once
// French public holidays (jours fériés), computed: the fixed ones and those that follow
// Easter (Easter Monday, Ascension, Whit Monday). Alsace-Moselle's two extra days are not
// included (the programme is in Dijon). Pure.
#include <vector>

namespace relais {

struct LocalDate {
  int year;
  unsigned month, day;
  friend bool operator==(const LocalDate&, const LocalDate&) = default;
};

// Easter Sunday of `year` (Gregorian calendar).
LocalDate easter_sunday(int year);
// The eleven public holidays of `year`, in date order.
std::vector<LocalDate> french_public_holidays(int year);
bool is_french_public_holiday(const LocalDate& date);

}  // namespace relais
