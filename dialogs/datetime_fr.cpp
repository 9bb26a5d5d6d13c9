#include "dialogs/datetime_fr.hpp"

#include <array>
#include <stdexcept>

#include <date/tz.h>

namespace relais::dialogs {
namespace {

// The local calendar fields a message needs.
struct LocalParts {
  unsigned weekday;  // 0 = Sunday
  unsigned day;      // 1..31
  unsigned month;    // 1..12
  int hour;          // 0..23
  int minute;        // 0..59
};

LocalParts local_parts(Utc t, const std::string& zone) {
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(zone);
  } catch (const std::runtime_error&) {
    throw std::invalid_argument("unknown time zone \"" + zone + "\"");
  }
  auto local = tz->to_local(t);
  auto day = date::floor<date::days>(local);
  date::year_month_day ymd{day};
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  return {date::weekday{day}.c_encoding(), static_cast<unsigned>(ymd.day()),
          static_cast<unsigned>(ymd.month()), static_cast<int>(minutes / 60),
          static_cast<int>(minutes % 60)};
}

constexpr std::array<const char*, 7> kFrenchDays = {"dimanche", "lundi",    "mardi", "mercredi",
                                                    "jeudi",    "vendredi", "samedi"};
constexpr std::array<const char*, 12> kFrenchMonths = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

constexpr std::array<const char*, 7> kEnglishDays = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<const char*, 12> kEnglishMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

// Modern Standard Arabic names as used in the press of Egypt and the Gulf, understood
// everywhere; the Maghreb also uses French-derived month names (جانفي, نونبر...), which
// a native speaker may prefer for this audience.
constexpr std::array<const char*, 7> kArabicDays = {"الأحد",   "الاثنين", "الثلاثاء", "الأربعاء",
                                                    "الخميس", "الجمعة",  "السبت"};
constexpr std::array<const char*, 12> kArabicMonths = {
    "يناير", "فبراير", "مارس",   "أبريل",  "مايو",   "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"};

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string english_time(const LocalParts& p) {
  if (p.minute == 0 && p.hour == 0) return "midnight";
  if (p.minute == 0 && p.hour == 12) return "noon";
  int hour12 = p.hour % 12 == 0 ? 12 : p.hour % 12;
  std::string text = std::to_string(hour12);
  if (p.minute != 0) text += ":" + two_digits(p.minute);
  return text + (p.hour < 12 ? " am" : " pm");
}

}  // namespace

std::string french_date(Utc t, const std::string& zone) {
  auto p = local_parts(t, zone);
  std::string day = p.day == 1 ? "1er" : std::to_string(p.day);
  return std::string(kFrenchDays[p.weekday]) + " " + day + " " + kFrenchMonths[p.month - 1];
}

std::string french_time(Utc t, const std::string& zone) {
  auto p = local_parts(t, zone);
  if (p.minute == 0 && p.hour == 0) return "minuit";
  if (p.minute == 0 && p.hour == 12) return "midi";
  return std::to_string(p.hour) + "h" + (p.minute == 0 ? "" : two_digits(p.minute));
}

std::string format_date(Utc t, const std::string& zone, std::string_view language) {
  if (language == "en") {
    auto p = local_parts(t, zone);
    return std::string(kEnglishDays[p.weekday]) + " " + std::to_string(p.day) + " " +
           kEnglishMonths[p.month - 1];
  }
  if (language == "ar") {
    auto p = local_parts(t, zone);
    return std::string(kArabicDays[p.weekday]) + " " + std::to_string(p.day) + " " +
           kArabicMonths[p.month - 1];
  }
  return french_date(t, zone);
}

std::string format_time(Utc t, const std::string& zone, std::string_view language) {
  if (language == "en") return english_time(local_parts(t, zone));
  if (language == "ar") {
    auto p = local_parts(t, zone);
    return std::to_string(p.hour) + ":" + two_digits(p.minute);
  }
  return french_time(t, zone);
}

}  // namespace relais::dialogs
