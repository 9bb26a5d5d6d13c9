#pragma once
// Dates and times as participants write them, in the programme's zone, from UTC instants.
// French first (the programme's language); English and Arabic for translated templates.
// Pure functions: thread-safe, no I/O beyond date/tz's first read of the system tzdata.
// Each throws std::invalid_argument for a zone name tzdata does not know.
#include <string>
#include <string_view>

#include "bot/core/time.hpp"

namespace relais::dialogs {

// "mardi 8 novembre", "dimanche 1er novembre": no year, "1er" for the first of the month.
std::string french_date(Utc t, const std::string& zone);
// "14h", "9h30", "0h30": minutes only when not zero; "midi" for 12:00 and "minuit" for
// 00:00. Seconds are dropped, never rounded up (a session at 13:59:59 is "13h59").
std::string french_time(Utc t, const std::string& zone);

// By template language: "fr" as above; "en": "Sunday 1 November", "2 pm", "9:30 am",
// "noon", "midnight"; "ar": "الأحد 1 نوفمبر", "14:00", "9:30" (Modern Standard Arabic day and
// month names, Western digits as written in the Maghreb, 24-hour clock). Any other
// language gets the French form, like a template missing in that language.
std::string format_date(Utc t, const std::string& zone, std::string_view language);
std::string format_time(Utc t, const std::string& zone, std::string_view language);

}  // namespace relais::dialogs
