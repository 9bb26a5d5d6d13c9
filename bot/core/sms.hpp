#pragma once
// SMS encoding and segments (3GPP TS 23.038 alphabets, TS 23.040 concatenation).
// Pure functions on UTF-8 text: thread-safe, no I/O, never throw on bad input.
#include <string>
#include <string_view>
#include <vector>

namespace relais {

enum class SmsEncoding { gsm7, ucs2 };

// "GSM-7" / "UCS-2".
std::string_view to_string(SmsEncoding e);

struct SmsInfo {
  SmsEncoding encoding;
  int units;     // GSM-7: septets (extension-table chars count 2); UCS-2: UTF-16 code units
  int segments;  // 1 for an empty text
};

// How a text goes over the air: GSM-7 when every character is in the default alphabet or
// its extension table, else UCS-2. One segment holds 160 septets / 70 units; concatenated
// segments hold 153 / 67 (the rest is the concatenation header). Segments are counted by
// packing: an escape + character pair or a surrogate pair is never split, so a segment may
// hold one unit less. Invalid UTF-8 bytes count as U+FFFD (so the text is UCS-2).
//
// Ç (U+00C7) is GSM-7, ç (U+00E7) is not: TS 23.038 puts capital Ç at 0x09. The Unicode
// GSM0338.TXT mapping reads 0x09 as ç, and handsets disagree (some show ç, some Ç), so we
// count ç as UCS-2 rather than risk "reÇu" on the participant's screen.
SmsInfo analyse_sms(std::string_view utf8);

// Splits into the segments a phone would receive (for tests and previews). There are
// always analyse_sms(utf8).segments of them (one empty segment for an empty text), and
// concatenated they give the text back, invalid bytes replaced by U+FFFD.
std::vector<std::string> split_sms(std::string_view utf8);

// The French-aware normaliser: replaces characters that GSM-7 lacks by faithful
// equivalents (’ → ', « » → ", … → ..., Unicode spaces → space, – — → -, œ → oe,
// â ê î ô û ë ï ç → a e i o u e i c, À È Ù → A E U, ...) and keeps everything GSM-7 has
// (é è à ù É Ç € [ ] ...). If the result would still not be GSM-7 (an emoji, Arabic...),
// returns the original text unchanged: it goes as UCS-2 anyway, so altering it gains
// nothing. The full table is in sms.cpp.
std::string normalise_for_sms(std::string_view utf8);

}  // namespace relais
