#include "bot/core/phone.hpp"

#include <mutex>
#include <unordered_map>

#include <phonenumbers/phonenumberutil.h>

#include <cctype>

namespace relais {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& util() { return *PhoneNumberUtil::GetInstance(); }

LineType to_line_type(PhoneNumberUtil::PhoneNumberType t) {
  switch (t) {
    case PhoneNumberUtil::MOBILE: return LineType::mobile;
    case PhoneNumberUtil::FIXED_LINE: return LineType::fixed_line;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE: return LineType::fixed_line_or_mobile;
    case PhoneNumberUtil::VOIP: return LineType::voip;
    default: return LineType::other;
  }
}

// No-break, narrow no-break, thin and figure spaces (French typography) become spaces.
std::string plain_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto rest = text.substr(i);
    if (rest.starts_with("\xC2\xA0")) { out += ' '; i += 1; continue; }
    if (rest.starts_with("\xE2\x80\xAF") || rest.starts_with("\xE2\x80\x89") ||
        rest.starts_with("\xE2\x80\x87")) { out += ' '; i += 2; continue; }
    out += text[i];
  }
  return out;
}

}  // namespace

namespace {

// libphonenumber's parser runs ICU regular expressions (tens of microseconds): numbers that
// come back (a participant's every message) are parsed once. Bounded: cleared when full.
constexpr std::size_t kParsedCacheSize = 20'000;
std::mutex g_parsed_mutex;
std::unordered_map<std::string, Phone> g_parsed;

}  // namespace

Result<Phone> Phone::parse(std::string_view text, std::string_view default_region) {
  std::string key = std::string(default_region) + '|' + std::string(text);
  {
    std::lock_guard lock(g_parsed_mutex);
    if (auto it = g_parsed.find(key); it != g_parsed.end()) return it->second;
  }
  auto parsed = parse_uncached(text, default_region);
  if (parsed) {
    std::lock_guard lock(g_parsed_mutex);
    if (g_parsed.size() >= kParsedCacheSize) g_parsed.clear();
    g_parsed.emplace(std::move(key), *parsed);
  }
  return parsed;
}

Result<Phone> Phone::parse_uncached(std::string_view text, std::string_view default_region) {
  std::string input = plain_spaces(text);
  // "0033 6 …": libphonenumber reads 00 as France's international prefix only with region
  // FR; normalise it for every region so the number means the same everywhere.
  size_t first = input.find_first_not_of(" \t");
  if (first != std::string::npos && input.compare(first, 2, "00") == 0)
    input.replace(first, 2, "+");
  bool has_digit = false;
  for (char c : input) {
    if (std::isdigit(static_cast<unsigned char>(c))) has_digit = true;
    if (std::isalpha(static_cast<unsigned char>(c)))
      return Err(std::string("not a phone number (contains letters)"));
  }
  if (!has_digit) return Err(std::string("empty phone number"));
  PhoneNumber number;
  auto rc = util().Parse(input, std::string(default_region), &number);
  if (rc != PhoneNumberUtil::NO_PARSING_ERROR) return Err(std::string("not a phone number"));
  // GetNumberType is UNKNOWN exactly when the number is not valid: one regex pass, not two.
  const auto type = util().GetNumberType(number);
  if (type == PhoneNumberUtil::UNKNOWN) return Err(std::string("not a valid phone number"));
  std::string e164;
  util().Format(number, PhoneNumberUtil::E164, &e164);
  return Phone(std::move(e164), to_line_type(type));
}

LineType Phone::line_type() const {
  if (type_) return *type_;
  PhoneNumber number;
  if (util().Parse(e164_, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return LineType::other;
  return to_line_type(util().GetNumberType(number));
}

bool Phone::can_receive_sms() const {
  auto t = line_type();
  return t == LineType::mobile || t == LineType::fixed_line_or_mobile;
}

std::string Phone::masked() const { return mask_phone(e164_); }

std::string Phone::display(std::string_view home_region) const {
  PhoneNumber number;
  if (util().Parse(e164_, "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return e164_;
  std::string region;
  util().GetRegionCodeForNumber(number, &region);
  std::string out;
  util().Format(number, region == home_region ? PhoneNumberUtil::NATIONAL : PhoneNumberUtil::INTERNATIONAL, &out);
  return out;
}

namespace {

// The length of the country calling code that starts `digits` (ITU-T E.164 assignments):
// 1 and 7 have one digit, the codes below two, every other one three. A table rather than
// libphonenumber's parser: masking runs on every log line, inside the writer's transactions.
int country_code_length(std::string_view digits) {
  if (digits.empty()) return 1;
  if (digits[0] == '1' || digits[0] == '7') return 1;
  static constexpr std::string_view kTwoDigits[] = {
      "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
      "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
      "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"};
  for (auto code : kTwoDigits)
    if (digits.substr(0, 2) == code) return 2;
  return 3;
}

}  // namespace

std::string mask_phone(std::string_view e164) {
  std::string digits;
  for (char c : e164)
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  if (digits.size() < 6) return "+** ** **";
  const int cc_len = country_code_length(digits);
  std::string out = "+" + digits.substr(0, static_cast<size_t>(cc_len)) + " " +
                    digits[static_cast<size_t>(cc_len)];
  size_t hidden = digits.size() - static_cast<size_t>(cc_len) - 1 - 2;
  for (size_t i = 0; i < hidden; i += 2) out += hidden - i >= 2 ? " **" : " *";
  out += " " + digits.substr(digits.size() - 2);
  return out;
}

}  // namespace relais
