#pragma once
// Building the adapter of a configured channel. What adapters need from outside comes in
// an AdapterContext, so tests give them fake secrets and a fake HTTP client.
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "adapters/channel.hpp"
#include "bot/config/config.hpp"
#include "bot/core/http_client.hpp"
#include "bot/core/time.hpp"

namespace relais {

struct AdapterContext {
  std::string public_url;      // Config::public_url(): webhook URLs, signatures
  std::string default_region;  // for phone numbers without +
  bool server_on_loopback = true;
  HttpClient* http = nullptr;  // outgoing calls (never null for HTTP gateways)
  std::ostream* console_out = nullptr;
  // The value of an environment variable named in the config ("" when unset). A secret:
  // never logged, never put in an error message.
  std::function<std::string(const std::string& name)> secret;
  std::function<std::string()> make_id;  // ids for inbound messages that carry none
  const Clock* clock = nullptr;          // for signature freshness checks; null: system clock

  // The webhook URL of a channel as the gateway calls it: public_url + "/webhooks/" + id.
  std::string webhook_url(const std::string& channel_id) const {
    return public_url + "/webhooks/" + channel_id;
  }
};

// Throws std::runtime_error naming the channel for a type this build cannot send with.
std::unique_ptr<ChannelAdapter> make_adapter(const ChannelConfig& channel, const AdapterContext& context);

}  // namespace relais
