#include "bot/core/status.hpp"

namespace relais {

std::string_view to_string(MessageStatus s) {
  switch (s) {
    case MessageStatus::queued: return "queued";
    case MessageStatus::deferred: return "deferred";
    case MessageStatus::sending: return "sending";
    case MessageStatus::sent: return "sent";
    case MessageStatus::delivered: return "delivered";
    case MessageStatus::read: return "read";
    case MessageStatus::failed: return "failed";
    case MessageStatus::undelivered: return "undelivered";
    case MessageStatus::dropped: return "dropped";
    case MessageStatus::cancelled: return "cancelled";
  }
  return "unknown";
}

std::optional<MessageStatus> parse_message_status(std::string_view s) {
  for (auto st : kAllStatuses)
    if (to_string(st) == s) return st;
  return std::nullopt;
}

namespace {
int receipt_rank(MessageStatus s) {
  switch (s) {
    case MessageStatus::queued:
    case MessageStatus::deferred:
    case MessageStatus::sending: return 0;
    case MessageStatus::sent: return 1;
    case MessageStatus::failed:
    case MessageStatus::undelivered: return 2;
    case MessageStatus::delivered: return 3;
    case MessageStatus::read: return 4;
    case MessageStatus::dropped:
    case MessageStatus::cancelled: return 99;
  }
  return 99;
}
}  // namespace

bool receipt_may_replace(MessageStatus current, MessageStatus incoming) {
  const int incoming_rank = receipt_rank(incoming);
  return incoming_rank >= 1 && incoming_rank < 99 && incoming_rank > receipt_rank(current);
}

bool is_final(MessageStatus s) {
  switch (s) {
    case MessageStatus::queued:
    case MessageStatus::deferred:
    case MessageStatus::sending: return false;
    default: return true;
  }
}

std::string_view to_string(Origin o) {
  switch (o) {
    case Origin::service: return "service";
    case Origin::reply: return "reply";
    case Origin::coach: return "coach";
    case Origin::system: return "system";
  }
  return "service";
}

std::optional<Origin> parse_origin(std::string_view s) {
  for (auto o : {Origin::service, Origin::reply, Origin::coach, Origin::system})
    if (to_string(o) == s) return o;
  return std::nullopt;
}

}  // namespace relais
