#pragma once
// The outbox part of the SQLite store: rows to send, their claims and outcomes, receipts.
// Internal to bot/storage/ (SqliteStore delegates to it); same thread rules as the store.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/storage/statement_cache.hpp"
#include "bot/storage/store.hpp"

namespace relais {

class SqliteOutbox {
 public:
  explicit SqliteOutbox(sql::StatementCache& stmt) : stmt_(stmt) {}

  std::int64_t insert(const OutboxRow& row);
  std::optional<OutboxRow> row(std::int64_t id);
  std::vector<DueRow> due_rows(Utc now, int limit);
  void mark_sending(std::int64_t id, Utc now);
  int count_service_handed_over(std::int64_t participant_id, Utc from, Utc to);
  std::vector<std::string> service_kinds_due(std::int64_t participant_id, Utc after, Utc before);
  void reroute(std::int64_t id, const std::string& channel, const std::string& recipient, double cost_eur,
               const std::string& reason, Utc now);
  void set_status(std::int64_t id, MessageStatus status, const std::string& reason,
                  const std::string& provider_id, Utc now);
  bool apply_receipt(const DeliveryReceipt& receipt, Utc now);
  void defer(std::int64_t id, Utc not_before);
  int requeue_in_flight(Utc now);
  std::map<MessageStatus, std::int64_t> counts();
  std::int64_t count_to(const std::string& recipient, const std::string& kind, Utc since);
  std::vector<OutboxRow> for_reply(std::int64_t inbound_id);
  std::vector<OutboxRow> of_participant(std::int64_t participant_id);

 private:
  void move_forward(std::int64_t id, MessageStatus current, MessageStatus incoming,
                    const std::string& reason, Utc now);
  void apply_pending_receipts(std::int64_t id, const std::string& provider_id, Utc now);

  sql::StatementCache& stmt_;
};

}  // namespace relais
