#pragma once
// Phone numbers, always E.164 once parsed ("+33612345678"). libphonenumber underneath.
#include <optional>
#include <string>
#include <string_view>

#include "bot/core/result.hpp"

namespace relais {

enum class LineType { mobile, fixed_line, fixed_line_or_mobile, voip, other };

class Phone {
 public:
  // Parses what people write ("06 12 34 56 78", "+33 6 12 34 56 78", "0033 6 12…",
  // "06.12.34.56.78"), with `default_region` (ISO 3166 alpha-2, "FR") for national
  // forms. The error is a short English reason ("not a valid phone number"). Thread-safe;
  // a number parsed before is answered from a bounded cache.
  static Result<Phone> parse(std::string_view text, std::string_view default_region = "FR");

  // Wraps a string already known to be E.164 (read back from the database).
  static Phone from_e164(std::string e164) { return Phone(std::move(e164), std::nullopt); }

  const std::string& e164() const { return e164_; }
  LineType line_type() const;
  // True for numbers that can receive SMS (mobile, or a type that may be mobile).
  bool can_receive_sms() const;
  // As people read it: "03 80 12 34 56" when the number is of `home_region`, else
  // "+44 20 7946 0958". For texts participants read (a coach's number).
  std::string display(std::string_view home_region = "FR") const;
  // Masked for logs: "+33 6 ** ** ** 78".
  std::string masked() const;

  friend bool operator==(const Phone& a, const Phone& b) { return a.e164_ == b.e164_; }

 private:
  Phone(std::string e164, std::optional<LineType> type) : e164_(std::move(e164)), type_(type) {}
  static Result<Phone> parse_uncached(std::string_view text, std::string_view default_region);
  std::string e164_;
  std::optional<LineType> type_;  // known when parsed (libphonenumber is slow: ~8 µs a call)
};

// Masks an E.164 string for logs without parsing it: keeps the country code, the first
// national digit and the last two digits. "+33612345678" → "+33 6 ** ** ** 78".
std::string mask_phone(std::string_view e164);

}  // namespace relais
