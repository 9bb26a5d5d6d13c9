#include "bench/bench_data.hpp"

#include <cstdio>
#include <stdexcept>
#include <vector>

#include "bot/outbox.hpp"

namespace relais::bench {

std::string participant_phone(int index) {
  if (index < 0 || index >= 100000) throw std::out_of_range("participant index out of range");
  char buf[16];
  std::snprintf(buf, sizeof buf, "+336120%05d", index);
  return buf;
}

void enrol_participants(Store& store, int count, const std::string& channel, Utc now) {
  std::vector<ParticipantRecord> rows;
  rows.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    ParticipantRecord p;
    p.first_name = "Participante" + std::to_string(i);
    p.phone = participant_phone(i);
    p.cohort = "g1";
    p.consent = true;
    p.consent_tips = true;
    p.channel = channel;
    rows.push_back(std::move(p));
  }
  StoreTransaction tx(store);
  store.upsert_participants(rows, now);
  tx.commit();
}

int queue_messages(Store& store, const Config& config, int count, const std::string& channel,
                   const std::string& kind, const std::string& text, Utc now) {
  StoreTransaction tx(store);
  int queued = 0;
  for (int i = 0; i < count; ++i) {
    auto who = store.find_participant_by_phone(participant_phone(i));
    if (!who) throw std::runtime_error("participant " + std::to_string(i) + " is not enrolled");
    Draft draft;
    draft.participant_id = who->id;
    draft.channel = channel;
    draft.recipient = who->phone;
    draft.text = text;
    draft.kind = kind;
    draft.not_before = now;
    enqueue(store, config, draft, now);
    ++queued;
  }
  tx.commit();
  return queued;
}

}  // namespace relais::bench
