#include "bot/core/mask.hpp"

#include <optional>

#include "bot/core/phone.hpp"

namespace relais {
namespace {

// E.164 allows 15 digits after the "+"; France has 9 after its country code 33.
constexpr std::size_t kMaxE164Digits = 15;
constexpr std::size_t kFrenchE164Digits = 11;
constexpr std::size_t kFrenchNationalDigits = 10;
constexpr std::size_t kMinPhoneDigits = 8;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool digit_at(std::string_view s, std::size_t i) { return i < s.size() && is_digit(s[i]); }

// Punctuation that glues digits into one number ("3.14", "25/11", "14:30", "1,5").
bool joins_digits(char c) { return c == '.' || c == ',' || c == ':' || c == '/'; }

// A number starts here: not inside a word ("id42") nor after "3." of a decimal.
bool starts_token(std::string_view s, std::size_t i) {
  if (i == 0) return true;
  if (is_word(s[i - 1])) return false;
  return !(joins_digits(s[i - 1]) && i >= 2 && is_digit(s[i - 2]));
}

// A number ends here: not followed by more of a word or of a decimal ("0612345678.5").
bool ends_token(std::string_view s, std::size_t end) {
  if (end >= s.size()) return true;
  if (is_word(s[end])) return false;
  return !(joins_digits(s[end]) && digit_at(s, end + 1));
}

// Length of the digit-group separator at s[i], or 0: space, '.', '-', no-break space
// (U+00A0) and narrow no-break space (U+202F), which word processors put in numbers.
std::size_t separator_at(std::string_view s, std::size_t i) {
  const std::string_view rest = s.substr(i);
  if (!rest.empty() && (rest[0] == ' ' || rest[0] == '.' || rest[0] == '-')) return 1;
  if (rest.substr(0, 2) == "\xC2\xA0") return 2;
  if (rest.substr(0, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

struct DigitRun {
  std::string digits;  // at most 15: fits the small-string buffer, no allocation
  std::size_t end;     // one past the last digit read
};

// Reads up to `max` digits from `i`, with one separator allowed between digits, the same
// one throughout ("06 12 34 56 78", not "05 2026-11-25"). With `trunk_zero`, one "(0)"
// after the country code is skipped ("+33 (0)6 12 34 56 78").
DigitRun read_digits(std::string_view s, std::size_t i, std::size_t max, bool trunk_zero) {
  DigitRun run{{}, i};
  std::string_view sep;
  std::size_t j = i;
  while (j < s.size() && run.digits.size() < max) {
    if (is_digit(s[j])) {
      run.digits += s[j++];
      run.end = j;
      continue;
    }
    if (run.digits.empty()) break;
    if (trunk_zero && s.substr(j, 3) == "(0)") {
      trunk_zero = false;
      j += 3;
      continue;
    }
    const std::size_t n = separator_at(s, j);
    const std::string_view here = s.substr(j, n);
    const bool before_digits = digit_at(s, j + n) || (trunk_zero && s.substr(j + n, 3) == "(0)");
    if (n == 0 || !before_digits || (!sep.empty() && here != sep)) break;
    sep = here;
    j += n;
  }
  return run;
}

struct PhoneMatch {
  std::string e164;
  std::size_t end;
};

// International form: `j` is just after the "+", "%2B" or "00".
std::optional<PhoneMatch> match_international(std::string_view s, std::size_t j) {
  if (!digit_at(s, j) || s[j] == '0') return std::nullopt;
  const bool french = s.substr(j, 2) == "33";
  DigitRun run = read_digits(s, j, french ? kFrenchE164Digits : kMaxE164Digits, true);
  const bool long_enough = french ? run.digits.size() == kFrenchE164Digits
                                  : run.digits.size() >= kMinPhoneDigits;
  if (!long_enough || !ends_token(s, run.end)) return std::nullopt;
  return PhoneMatch{"+" + run.digits, run.end};
}

// The phone number starting at s[i], if any.
std::optional<PhoneMatch> match_phone(std::string_view s, std::size_t i) {
  // A "+" is a strong enough sign on its own ("tel:+33...", "From=%2B33...").
  if (s[i] == '+') return match_international(s, i + 1);
  if (s[i] == '%' && (s.substr(i, 3) == "%2B" || s.substr(i, 3) == "%2b"))
    return match_international(s, i + 3);
  if (!is_digit(s[i]) || !starts_token(s, i)) return std::nullopt;
  if (s.substr(i, 2) == "00") return match_international(s, i + 2);
  if (s[i] == '0' && digit_at(s, i + 1)) {
    // French national form: 0 + 9 digits.
    DigitRun run = read_digits(s, i, kFrenchNationalDigits, false);
    if (run.digits.size() != kFrenchNationalDigits || !ends_token(s, run.end)) return std::nullopt;
    return PhoneMatch{"+33" + run.digits.substr(1), run.end};
  }
  if (s.substr(i, 2) == "33" && s.size() > i + 2 && s[i + 2] != '0') {
    // E.164 without its "+", as some gateways send it: only unseparated, 11 digits.
    std::size_t end = i;
    while (digit_at(s, end)) ++end;
    if (end - i != kFrenchE164Digits || !ends_token(s, end)) return std::nullopt;
    return PhoneMatch{"+" + std::string(s.substr(i, end - i)), end};
  }
  return std::nullopt;
}

}  // namespace

std::string mask_phones(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  std::size_t copied = 0;
  for (std::size_t i = 0; i < line.size();) {
    const auto match = match_phone(line, i);
    if (!match) {
      ++i;
      continue;
    }
    out.append(line.substr(copied, i - copied));
    out += mask_phone(match->e164);
    i = copied = match->end;
  }
  out.append(line.substr(copied));
  return out;
}

}  // namespace relais
