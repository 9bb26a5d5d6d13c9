#pragma once
// What happens to a message a participant (or anyone) sent: it is stored first, then the
// service decides what to do, under a savepoint. If that step fails, the message stays
// stored, marked failed, and the coaches get an alert: nothing a participant sent is lost.
#include <optional>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"

namespace relais {

class TimeZone;
class Conversations;

struct InboundOutcome {
  std::optional<std::int64_t> inbound_id;  // nullopt: a duplicate, or a part of a long SMS
  bool partial = false;                    // a part kept until the others arrive
  std::vector<OutboxRow> replies;          // queued in the same transaction
  bool step_failed = false;
  bool known = false;                      // from an enrolled participant
};

// Runs inside an engine step (a transaction is open). `conversations` may be null (no
// dialogs configured): then only the keywords and the coaches' alerts apply.
InboundOutcome handle_inbound(Store& store, const Config& config, const TimeZone& zone,
                              const InboundMessage& message, Utc now,
                              Conversations* conversations = nullptr);

}  // namespace relais
