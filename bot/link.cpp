#include <random>

#include "bot/commands.hpp"
#include "bot/core/phone.hpp"
#include "bot/log.hpp"
#include "bot/storage/store.hpp"

namespace relais {
namespace {

// 16 characters of [A-Za-z0-9]: ~95 bits, and within Telegram's start-parameter alphabet.
std::string random_code() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::uniform_int_distribution<int> pick(0, sizeof kAlphabet - 2);
  std::string code;
  for (int i = 0; i < 16; ++i) code += kAlphabet[pick(rd)];
  return code;
}

}  // namespace

LinkInvitation create_link(const Config& config, const std::string& channel_id,
                           const std::string& phone, Utc now) {
  const ChannelConfig* channel = config.find_channel(channel_id);
  if (!channel || channel->type != "telegram")
    throw BadInput("CHANNEL \"" + channel_id + "\": not a telegram channel of " + config.file.string());
  auto parsed = Phone::parse(phone, config.default_region);
  if (!parsed) throw BadInput("PHONE \"" + phone + "\": " + parsed.error());

  auto store = open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms);
  StoreTransaction tx(*store);
  auto who = store->find_participant_by_phone(parsed->e164());
  if (!who) throw BadInput("PHONE " + parsed->masked() + ": no participant has this number");
  LinkInvitation invitation;
  invitation.first_name = who->first_name;
  invitation.code = random_code();
  store->add_link_code(invitation.code, who->id, channel_id, now,
                       now + std::chrono::hours(24 * kLinkCodeDays));
  store->audit("cli", "create_link", "participant " + std::to_string(who->id) + " channel " + channel_id, now);
  tx.commit();
  const std::string& bot = channel->option("bot_username");
  if (!bot.empty()) invitation.url = "https://t.me/" + bot + "?start=" + invitation.code;
  log::info("link.created", {{"channel", channel_id}, {"participant", std::to_string(who->id)}});
  return invitation;
}

}  // namespace relais
