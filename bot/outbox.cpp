#include "bot/outbox.hpp"

#include <cmath>
#include <stdexcept>

#include "bot/core/sms.hpp"

namespace relais {

OutboxRow make_outbox_row(const Draft& draft, const ChannelConfig& channel, Utc now) {
  OutboxRow row;
  row.participant_id = draft.participant_id;
  row.channel = draft.channel;
  row.recipient = draft.recipient;
  row.text = channel.normalise ? normalise_for_sms(draft.text) : draft.text;
  row.kind = draft.kind;
  row.origin = draft.origin;
  row.job_id = draft.job_id;
  row.status = MessageStatus::queued;
  const SmsInfo info = analyse_sms(row.text);
  row.encoding = std::string(to_string(info.encoding));
  row.segments = info.segments;
  // Rounded to a tenth of a cent so that sums stay readable.
  row.cost_eur = std::round(info.segments * channel.price_per_segment_eur * 1000.0) / 1000.0;
  row.not_before = draft.not_before;
  row.deadline = draft.deadline;
  row.in_reply_to = draft.in_reply_to;
  row.created_at = now;
  row.template_id = draft.template_id;
  row.variables = draft.variables;
  return row;
}

std::int64_t enqueue(Store& store, const Config& config, const Draft& draft, Utc now) {
  const ChannelConfig* channel = config.find_channel(draft.channel);
  if (!channel) throw std::invalid_argument("unknown channel \"" + draft.channel + "\"");
  return store.insert_outbox(make_outbox_row(draft, *channel, now));
}

}  // namespace relais
