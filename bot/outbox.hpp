#pragma once
// Putting messages in the outbox: the text is normalised for its channel, and the row
// records its encoding, segments and estimated cost.
#include <map>
#include <optional>
#include <string>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"

namespace relais {

struct Draft {
  std::optional<std::int64_t> participant_id;
  std::string channel;    // channel id
  std::string recipient;  // E.164 or channel address
  std::string text;
  std::string kind;       // reply, notice, broadcast, a dialog's id, … (its priority: delivery_policy.hpp)
  Origin origin = Origin::service;      // who started it: the window and the daily cap hold only `service`
  std::optional<std::int64_t> job_id;  // the planned job whose dialog wrote it
  Utc not_before{};
  std::optional<Utc> deadline;
  std::optional<std::int64_t> in_reply_to;
  std::string template_id;                       // the text's template, when it has one
  std::map<std::string, std::string> variables;  // (WhatsApp sends it outside its window)
};

// Pure: the row a draft becomes on `channel` (status queued).
OutboxRow make_outbox_row(const Draft& draft, const ChannelConfig& channel, Utc now);

// Inserts it; throws std::invalid_argument for a channel the config does not have.
std::int64_t enqueue(Store& store, const Config& config, const Draft& draft, Utc now);

}  // namespace relais
