#include "scheduler/calendar_match.hpp"

#include <cctype>

#include "bot/core/phone.hpp"
#include "scheduler/calendar_tags.hpp"

namespace relais::calendar_detail {
namespace {

bool contains_words(const std::string& haystack, const std::string& words) {
  if (words.empty()) return false;
  return (" " + haystack + " ").find(" " + words + " ") != std::string::npos;
}

bool starts_with_tel(std::string_view s) {
  return s.size() >= 4 && std::tolower(static_cast<unsigned char>(s[0])) == 't' &&
         std::tolower(static_cast<unsigned char>(s[1])) == 'e' &&
         std::tolower(static_cast<unsigned char>(s[2])) == 'l' && s[3] == ':';
}

// "tel:+33-6-12-34-56-78;ext=2" → "+33-6-12-34-56-78"; "%20" (an escaped space) → " ".
std::string tel_number(std::string_view uri) {
  std::string_view rest = uri.substr(4);
  rest = rest.substr(0, rest.find(';'));
  std::string out;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest.substr(i, 3) == "%20") {
      out += ' ';
      i += 2;
    } else {
      out += rest[i];
    }
  }
  return out;
}

bool is_number_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == ' ' || c == '.' || c == '-' || c == '(' ||
         c == ')' || c == '/';
}

// Runs of digits and separators that hold 8 to 15 digits and start like a number people
// write — "+", or "0" for a national or "00" international prefix: "06 12 34 56 78",
// "+33 (0)6.12.34.56.78". Meeting ids and dates ("ID 612 345 678") start otherwise.
std::vector<std::string> number_candidates(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const bool starts = c == '+' || c == '0';
    const bool glued = i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]));
    if (!starts || glued) {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() && is_number_char(text[end])) ++end;
    std::string candidate(text.substr(i, end - i));
    while (!candidate.empty() && !std::isdigit(static_cast<unsigned char>(candidate.back()))) candidate.pop_back();
    int digits = 0;
    for (char d : candidate) digits += std::isdigit(static_cast<unsigned char>(d)) ? 1 : 0;
    if (digits >= 8 && digits <= 15) out.push_back(candidate);
    i = end;
  }
  return out;
}

}  // namespace

std::optional<std::string> match_venue(std::string_view location, const std::vector<CalendarVenue>& venues) {
  const auto key = match_key(location);
  if (key.empty()) return std::nullopt;
  for (const auto& venue : venues)
    if (key == match_key(venue.id) || key == match_key(venue.name)) return venue.id;
  const auto words = match_words(location);
  std::optional<std::string> best;
  std::size_t best_length = 0;
  for (const auto& venue : venues) {
    for (const auto& label : {venue.name, venue.id}) {
      const auto label_words = match_words(label);
      if (label_words.size() > best_length && contains_words(words, label_words)) {
        best = venue.id;
        best_length = label_words.size();
      }
    }
  }
  return best;
}

ParticipantMatch find_participant(const std::vector<std::string>& attendees, std::string_view description,
                                  std::string_view default_region) {
  ParticipantMatch match;
  for (const auto& attendee : attendees) {
    if (!starts_with_tel(attendee)) continue;
    auto phone = Phone::parse(tel_number(attendee), default_region);
    if (!phone) {
      match.problems.push_back("ATTENDEE \"" + attendee + "\" is not a valid phone number");
      continue;
    }
    if (!match.phone) match.phone = phone->e164();
  }
  if (match.phone) return match;
  for (const auto& candidate : number_candidates(description)) {
    auto phone = Phone::parse(candidate, default_region);
    if (phone && phone->can_receive_sms()) {
      match.phone = phone->e164();
      break;
    }
  }
  return match;
}

}  // namespace relais::calendar_detail
