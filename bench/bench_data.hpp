#pragma once
// What the benchmarks put in a database: participants enrolled straight through the Store
// and messages queued for them. Shared by the setup program (inbound bench) and the
// outbound bench, so both speak of the same phones.
#include <cstdint>
#include <string>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"

namespace relais::bench {

// The i-th participant's number, 0 <= i < 100000: +33 6 12 0x xx xx, valid French
// mobiles that libphonenumber accepts and nobody in the tests uses.
std::string participant_phone(int index);

// Enrols `count` participants on `channel` with consent, in one transaction. Unlike
// `relais import participants`, no welcome dialog starts: each participant is outside any
// dialog, so her free text is a note for her coach and is not answered.
void enrol_participants(Store& store, int count, const std::string& channel, Utc now);

// Queues one message of `kind` to each of the first `count` participants on `channel`,
// due now, in one transaction. Returns the number queued.
int queue_messages(Store& store, const Config& config, int count, const std::string& channel,
                   const std::string& kind, const std::string& text, Utc now);

}  // namespace relais::bench
