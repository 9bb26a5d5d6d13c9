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

bool is_final(MessageStatus s) {
  switch (s) {
    case MessageStatus::queued:
    case MessageStatus::deferred:
    case MessageStatus::sending: return false;
    default: return true;
  }
}

}  // namespace relais
