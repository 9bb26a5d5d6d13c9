#pragma once
// The console channel: a gateway with no account. It prints what it sends (the outbox
// keeps it) and takes inbound messages as JSON at POST /webhooks/{id}:
//   {"from": "+33612345678", "text": "...", "id": "optional client id for deduplication"}
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include "adapters/channel.hpp"

namespace relais {

struct ConsoleSettings {
  std::string id = "console";
  std::string default_region = "FR";
  bool server_on_loopback = true;   // inbound without a password only on loopback
  std::string basic_auth_user = "relais";
  std::string basic_auth_password;  // from the environment; empty = none
};

class ConsoleAdapter final : public ChannelAdapter {
 public:
  // `out` receives one line per message sent; `make_id` gives ids to inbound messages that
  // carry none (so each is stored, none deduplicated by accident).
  ConsoleAdapter(ConsoleSettings settings, std::ostream& out, std::function<std::string()> make_id);

  const std::string& id() const override { return settings_.id; }
  Verdict verify(const WebhookRequest& request) const override;
  Result<std::vector<InboundEvent>> parse(const WebhookRequest& request) const override;
  SendOutcome send(const OutgoingMessage& message) override;

 private:
  ConsoleSettings settings_;
  std::ostream& out_;
  std::mutex out_mutex_;
  std::function<std::string()> make_id_;
};

}  // namespace relais
