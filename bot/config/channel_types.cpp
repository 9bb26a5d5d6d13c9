#include "bot/config/channel_types.hpp"

namespace relais {
namespace {

const std::vector<ChannelTypeSpec>& specs() {
  static const std::vector<ChannelTypeSpec> all = {
      {"console", true, true, false, false, {}},
      {"twilio", true, true, false, true,
       {{"account_sid", true, "the account SID (AC…)"},
        {"auth_token_env", true, "variable holding the auth token (signs webhooks too)"},
        {"from", false, "the sender in E.164 (or use messaging_service_sid); in France a number meant for applications or a short code: 06/07 numbers are person-to-person only (docs/channels.md)"},
        {"messaging_service_sid", false, "a Messaging Service SID (MG…) instead of from"},
        {"api_base_url", false, "default https://api.twilio.com"}}},
      {"vonage", true, true, false, true,
       {{"api_key_env", true, "variable holding the API key"},
        {"api_secret_env", true, "variable holding the API secret"},
        {"signature_secret_env", true, "variable holding the signature secret (signed webhooks)"},
        {"signature_method", false, "md5hash, md5, sha1, sha256 or sha512 (default md5hash)"},
        {"from", true, "the sender: a number meant for applications or a short code (in France 06/07 numbers are person-to-person only); an alphanumeric sender cannot receive replies"},
        {"api_base_url", false, "default https://rest.nexmo.com"}}},
      {"brevo", true, false, false, false,
       {{"api_key_env", true, "variable holding the API key"},
        {"sender", true, "the sender name or number"},
        {"api_base_url", false, "default https://api.brevo.com/v3"}}},
      {"whatsapp", false, true, true, true,
       {{"phone_number_id", true, "the WhatsApp Business phone number id"},
        {"access_token_env", true, "variable holding the access token"},
        {"app_secret_env", true, "variable holding the app secret (X-Hub-Signature-256)"},
        {"verify_token_env", true, "variable holding the webhook verify token"},
        {"api_base_url", false, "default https://graph.facebook.com/v21.0"}}},
      {"telegram", false, true, false, true,
       {{"bot_token_env", true, "variable holding the bot token"},
        {"secret_token_env", true, "variable holding the webhook secret token"},
        {"bot_username", false, "the bot's username, for the t.me links sent to participants"},
        {"api_base_url", false, "default https://api.telegram.org"}}},
      {"android", true, true, false, true,
       {{"api_base_url", true, "the app's API: http://PHONE:8080 (local) or the cloud server's URL"},
        {"username", true, "the app's API user name"},
        {"password_env", true, "variable holding the app's API password"},
        {"signing_key_env", true, "variable holding the app's webhook signing key"}}},
  };
  return all;
}

}  // namespace

std::span<const ChannelTypeSpec> channel_type_specs() { return specs(); }

const ChannelTypeSpec* find_channel_type(std::string_view type) {
  for (const auto& s : specs())
    if (s.type == type) return &s;
  return nullptr;
}

}  // namespace relais
