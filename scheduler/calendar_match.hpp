#pragma once
// Internal to the calendar reader: matching an event's free text against the programme's
// configuration — its LOCATION against the venues, its attendees and description against
// phone numbers. Pure functions.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/calendar.hpp"

namespace relais::calendar_detail {

// The id of the venue a LOCATION names, or nullopt. Equal (ignoring case, accents,
// punctuation and spaces) to a venue's id or name; else containing a venue's name or id as
// whole words ("Le Cèdre, 3 place Coubertin, Chenôve"), the longest such name winning.
std::optional<std::string> match_venue(std::string_view location, const std::vector<CalendarVenue>& venues);

struct ParticipantMatch {
  std::optional<std::string> phone;  // E.164
  std::vector<std::string> problems;  // tel: addresses that are not phone numbers
};

// The participant an event is for: the first ATTENDEE whose address is a valid "tel:"
// number; else the first number in the description that can receive SMS (a description
// also carries dial-in numbers of video calls, which are fixed lines).
ParticipantMatch find_participant(const std::vector<std::string>& attendees, std::string_view description,
                                  std::string_view default_region);

}  // namespace relais::calendar_detail
