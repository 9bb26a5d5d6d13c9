#pragma once
// Reading a participants row, shared by the store's parts. Internal to bot/storage/.
#include "bot/core/domain.hpp"
#include "bot/storage/sqlite.hpp"

namespace relais {

// The columns read_participant expects, in order (prefix them with a table alias by hand).
inline constexpr const char* kParticipantColumns =
    "id, phone, first_name, cohort, consent, consent_tips, language, channel, barriers, "
    "buddy_phone, external_id, opted_out, created_at";

// The participant in columns [first, first + 13) of the current row.
ParticipantRecord read_participant(const sql::Statement& st, int first = 0);

}  // namespace relais
