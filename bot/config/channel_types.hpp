#pragma once
// What each channel type needs in the configuration: its options and what it can do.
// Data, read by the config validator, the adapters' registry and docs/configuration.md.
#include <span>
#include <string_view>
#include <vector>

namespace relais {

struct ChannelOptionSpec {
  std::string_view key;      // keys ending in _env name an environment variable (a secret)
  bool required;
  std::string_view meaning;  // one line for docs and errors
};

struct ChannelTypeSpec {
  std::string_view type;
  bool sms;          // addresses people by phone number and sends SMS (landlines refused)
  bool receives;     // can receive messages (else: send-only, said at start)
  bool templates;    // takes `templates` (WhatsApp)
  bool signs_webhooks;  // false: its webhooks are protected by basic auth
  std::vector<ChannelOptionSpec> options;
};

std::span<const ChannelTypeSpec> channel_type_specs();
const ChannelTypeSpec* find_channel_type(std::string_view type);

}  // namespace relais
