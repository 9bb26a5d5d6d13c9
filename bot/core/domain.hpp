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
  Utc enrolled_at{};  // when she was first imported (set by the store)
};

// What an adapter makes of an inbound webhook: a message from a participant.
struct InboundMessage {
  std::string channel;      // channel id
  std::string from;         // E.164 or the channel's address (a chat id)
  std::string text;
  std::string provider_id;  // for deduplication; generated when the gateway gives none
  int media_count = 0;
  // One part of a long SMS the gateway delivers in pieces (concatenated SMS): the engine
  // keeps the parts and handles the message once all `concat_total` have arrived.
  std::string concat_ref;   // empty: a whole message
  int concat_total = 1;
  int concat_part = 1;      // 1-based
  // Telegram: a phone number the sender shared from her own contact card (E.164), to link
  // her chat to her participant record.
  std::string shared_phone;
  // A one-time link code the sender brought (Telegram's "/start CODE" from her link).
  std::string link_code;
};

// A delivery receipt for an earlier outgoing message.
struct DeliveryReceipt {
  std::string channel;
  std::string provider_id;
  MessageStatus status = MessageStatus::sent;
  std::string error_code;
  std::string error_text;
};

}  // namespace relais
