#pragma once
// The closed list of an outgoing message's statuses, shared by every feature.
#include <optional>
#include <string_view>

namespace relais {

enum class MessageStatus {
  queued,       // waiting in the outbox, due now or at not_before
  deferred,     // held back (window, daily cap, retry backoff) until not_before
  sending,      // claimed by the dispatcher, the gateway call is in flight
  sent,         // the gateway accepted it
  delivered,    // the gateway reported delivery to the phone
  read,         // the app reported it read (WhatsApp, Telegram)
  failed,       // will not be sent: a permanent error or retries exhausted (see reason)
  undelivered,  // accepted by the gateway, then reported not delivered
  dropped,      // not sent on purpose: too late, opted out, no consent (see reason)
  cancelled,    // withdrawn before sending (a session moved, a coach cancelled)
};

std::string_view to_string(MessageStatus s);
std::optional<MessageStatus> parse_message_status(std::string_view s);
// Final statuses never change again, except that a receipt may move sent → delivered/read
// → and delivered → read.
bool is_final(MessageStatus s);
// Whether a delivery receipt saying `incoming` may replace `current`. Receipts arrive late,
// twice or out of order: the status only moves forward (sent → failed/undelivered →
// delivered → read), so a `delivered` never goes back to `sent`. Statuses Relais decided
// on its own (dropped, cancelled) are never changed by a receipt.
bool receipt_may_replace(MessageStatus current, MessageStatus incoming);
inline constexpr MessageStatus kAllStatuses[] = {
    MessageStatus::queued,  MessageStatus::deferred,  MessageStatus::sending,
    MessageStatus::sent,    MessageStatus::delivered, MessageStatus::read,
    MessageStatus::failed,  MessageStatus::undelivered, MessageStatus::dropped,
    MessageStatus::cancelled};

// Who started an outgoing message. The sending window and the daily cap hold back only
// what the service starts on its own; replies to her message go at once, the STOP
// confirmation is the one message an opted-out participant receives, and a coach's own
// words are not capped.
enum class Origin {
  service,  // scheduled messages, dialogs started by the service, nudges, timeouts, notices
  reply,    // an answer to her message
  coach,    // written by a coach
  system,   // the STOP confirmation
};
std::string_view to_string(Origin o);
std::optional<Origin> parse_origin(std::string_view s);

}  // namespace relais
