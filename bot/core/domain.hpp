#pragma once
// Domain records exchanged between modules: plain data, no behaviour.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bot/core/status.hpp"
#include "bot/core/time.hpp"

namespace relais {

// Barriers ("freins") the funders name. Stored by their English id.
inline constexpr const char* kBarriers[] = {"childcare", "mobility", "digital", "confidence",
                                            "isolation"};

// A participant as imported or stored. `phone` is E.164.
struct ParticipantRecord {
  std::int64_t id = 0;  // 0 until stored
  std::string first_name;
  std::string phone;
  std::string cohort;
  bool consent = false;
  bool consent_tips = false;
  std::string language = "fr";
  std::string channel;                 // channel id
  std::vector<std::string> barriers;   // ids from kBarriers
  std::optional<std::string> buddy_phone;
  std::optional<std::string> external_id;
  bool opted_out = false;
};

// What an adapter makes of an inbound webhook: a message from a participant.
struct InboundMessage {
  std::string channel;      // channel id
  std::string from;         // E.164 or the channel's address (a chat id)
  std::string text;
  std::string provider_id;  // for deduplication; generated when the gateway gives none
  int media_count = 0;
};

// A delivery receipt for an earlier outgoing message.
struct DeliveryReceipt {
  std::string channel;
  std::string provider_id;
  MessageStatus status = MessageStatus::sent;
  std::string error_code;
  std::string error_text;
};

// One row of the outbox, as the dispatcher hands it to an adapter.
struct OutgoingMessage {
  std::int64_t id = 0;
  std::string channel;
  std::string to;    // E.164 or channel address
  std::string text;  // already normalised for the channel
};

}  // namespace relais
