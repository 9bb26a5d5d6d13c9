#include "adapters/registry.hpp"

#include <stdexcept>

#include "adapters/android.hpp"
#include "adapters/brevo.hpp"
#include "adapters/console.hpp"
#include "adapters/telegram.hpp"
#include "adapters/twilio.hpp"
#include "adapters/vonage.hpp"
#include "adapters/whatsapp.hpp"

namespace relais {
namespace {

std::unique_ptr<ChannelAdapter> make_console_adapter(const ChannelConfig& channel,
                                                     const AdapterContext& context) {
  if (!context.console_out) throw std::runtime_error("channel " + channel.id + ": no console to print to");
  ConsoleSettings s;
  s.id = channel.id;
  s.default_region = context.default_region;
  s.server_on_loopback = context.server_on_loopback;
  s.basic_auth_user = channel.basic_auth_user;
  if (!channel.basic_auth_password_env.empty()) s.basic_auth_password = context.secret(channel.basic_auth_password_env);
  return std::make_unique<ConsoleAdapter>(std::move(s), *context.console_out, context.make_id);
}

using Factory = std::unique_ptr<ChannelAdapter> (*)(const ChannelConfig&, const AdapterContext&);

// One row per channel type of bot/config/channel_types.cpp.
constexpr std::pair<std::string_view, Factory> kFactories[] = {
    {"console", make_console_adapter},   {"twilio", make_twilio_adapter},
    {"vonage", make_vonage_adapter},     {"brevo", make_brevo_adapter},
    {"whatsapp", make_whatsapp_adapter}, {"telegram", make_telegram_adapter},
    {"android", make_android_adapter},
};

}  // namespace

std::unique_ptr<ChannelAdapter> make_adapter(const ChannelConfig& channel, const AdapterContext& context) {
  for (const auto& [type, factory] : kFactories)
    if (type == channel.type) {
      if (type != "console" && !context.http)
        throw std::runtime_error("channel " + channel.id + ": no HTTP client");
      return factory(channel, context);
    }
  throw std::runtime_error("channel " + channel.id + ": type \"" + channel.type + "\" has no adapter in this build");
}

}  // namespace relais
