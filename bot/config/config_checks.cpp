// Checks on what the values mean, once their types are known. Paths are rebuilt from the
// field names and indices, which are the JSON keys.
#include <arpa/inet.h>
#include <date/tz.h>

#include <algorithm>
#include <map>

#include "bot/config/config_steps.hpp"
#include "bot/core/phone.hpp"
#include "bot/core/text.hpp"

namespace relais::config_detail {
namespace {

const char* const kLogLevels[] = {"trace", "debug", "info", "warn", "error"};

bool is_valid_id(const std::string& id) {
  return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool is_ip_address(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// Deliberately loose: catches a phone number or a name typed in the wrong field.
bool looks_like_email(const std::string& text) {
  auto at = text.find('@');
  return at != std::string::npos && at > 0 && text.find('@', at + 1) == std::string::npos &&
         text.find('.', at) != std::string::npos && text.back() != '.' &&
         text.find_first_of(" \t\r\n") == std::string::npos;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class Checker {
 public:
  Checker(Config& c, const std::string& file) : c_(c), file_(file) {}

  void run() {
    check_server();
    if (c_.database.path.empty()) fail(file_, "$.database.path", "must not be empty");
    check_time_zone();
    check_region();
    check_cohorts();
    check_venues();
    check_channels();
    check_ids(c_.rules, "rules");
    check_ids(c_.calendars.sources, "calendars.sources");
    check_log();
  }

 private:
  // Each list's ids: well-formed and unique within the list.
  template <class Item>
  void check_ids(const std::vector<Item>& items, const std::string& list) {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string path = index_path("$." + list, i) + ".id";
      const std::string& id = items[i].id;
      if (!is_valid_id(id))
        fail(file_, path,
             "\"" + id + "\" is not a valid id (1 to 32 characters among a-z, 0-9, _ and -)");
      auto [it, fresh] = seen.emplace(id, i);
      if (!fresh)
        fail(file_, path, "duplicate id \"" + id + "\" (also " + index_path("$." + list, it->second) + ")");
    }
  }

  void require_name(std::string& name, const std::string& path) {
    name = trim(name);
    if (name.empty()) fail(file_, path, "must not be empty");
  }

  void check_server() {
    ServerConfig& s = c_.server;
    if (!is_ip_address(s.bind))
      fail(file_, "$.server.bind", "\"" + s.bind + "\" is not an IPv4 or IPv6 address");
    // The simulator shows every participant's messages without a token, and its clock moves
    // the programme's time: a demonstration on this machine only.
    if (c_.simulator.enabled && s.bind != "127.0.0.1" && s.bind != "::1")
      fail(file_, "$.simulator.enabled", "the phone simulator is for a demonstration on loopback only: set server.bind to 127.0.0.1, or turn it off");
    std::string& url = s.public_base_url;
    if (url.empty()) return;
    const std::string path = "$.server.public_base_url";
    std::size_t scheme = url.rfind("https://", 0) == 0 ? 8 : url.rfind("http://", 0) == 0 ? 7 : 0;
    if (scheme == 0) fail(file_, path, "must start with http:// or https://");
    if (url.size() == scheme || url[scheme] == '/')
      fail(file_, path, "has no host name after the scheme");
    if (url.back() == '/') url.pop_back();
    if (url.back() == '/') fail(file_, path, "must not end with a slash");
    if (url.find_first_of(" \t\r\n?#") != std::string::npos)
      fail(file_, path, "must not contain spaces, a query or a fragment");
  }

  void check_time_zone() {
    try {
      date::locate_zone(c_.time_zone);
    } catch (const std::exception&) {
      fail(file_, "$.time_zone",
           "unknown time zone \"" + c_.time_zone + "\" (expected an IANA name such as Europe/Paris)");
    }
  }

  void check_region() {
    const std::string& r = c_.default_region;
    if (r.size() != 2 || !std::all_of(r.begin(), r.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
      fail(file_, "$.default_region",
           "\"" + r + "\" is not a region (expected two upper-case letters, e.g. FR)");
  }

  void check_cohorts() {
    if (c_.cohorts.empty()) fail(file_, "$.cohorts", "at least one cohort is required");
    check_ids(c_.cohorts, "cohorts");
    for (std::size_t i = 0; i < c_.cohorts.size(); ++i) {
      CohortConfig& cohort = c_.cohorts[i];
      std::string path = index_path("$.cohorts", i);
      require_name(cohort.name, path + ".name");
      for (std::size_t j = 0; j < cohort.coaches.size(); ++j)
        check_coach(cohort.coaches[j], index_path(path + ".coaches", j));
    }
  }

  void check_coach(CoachConfig& coach, const std::string& path) {
    require_name(coach.name, path + ".name");
    coach.phone = trim(coach.phone);
    if (!coach.phone.empty()) {
      auto phone = Phone::parse(coach.phone, c_.default_region);
      if (!phone) fail(file_, path + ".phone", phone.error());
      coach.phone = phone->e164();
    }
    coach.email = trim(coach.email);
    if (!coach.email.empty() && !looks_like_email(coach.email))
      fail(file_, path + ".email", "not an e-mail address");
    coach.pin_env = trim(coach.pin_env);
    if (!coach.pin_env.empty() && coach.phone.empty())
      fail(file_, path + ".pin_env", "a PIN is for texting from her phone: set the coach's phone too");
  }

  void check_venues() {
    check_ids(c_.venues, "venues");
    for (std::size_t i = 0; i < c_.venues.size(); ++i)
      require_name(c_.venues[i].name, index_path("$.venues", i) + ".name");
  }

  void check_channels() {
    if (c_.channels.empty()) fail(file_, "$.channels", "at least one channel is required");
    check_ids(c_.channels, "channels");
    const auto types = known_channel_types();
    for (std::size_t i = 0; i < c_.channels.size(); ++i) {
      const ChannelConfig& ch = c_.channels[i];
      if (std::find(types.begin(), types.end(), ch.type) == types.end())
        fail(file_, index_path("$.channels", i) + ".type",
             "unknown channel type \"" + ch.type + "\" (expected one of: " + join(types) + ")");
      if (!ch.basic_auth_password_env.empty() && trim(ch.basic_auth_user).empty())
        fail(file_, index_path("$.channels", i) + ".basic_auth_user",
             "must not be empty when basic_auth_password_env is set");
      check_channel_options(ch, index_path("$.channels", i));
    }
    if (c_.default_channel.empty()) {
      if (c_.channels.size() > 1)
        fail(file_, "$.default_channel", "required when there are several channels");
      c_.default_channel = c_.channels.front().id;
    } else if (!c_.find_channel(c_.default_channel)) {
      std::vector<std::string> ids;
      for (const auto& ch : c_.channels) ids.push_back(ch.id);
      fail(file_, "$.default_channel",
           "no channel has the id \"" + c_.default_channel + "\" (channels: " + join(ids) + ")");
    }
  }

  void check_channel_options(const ChannelConfig& ch, const std::string& path) {
    if (ch.rate_per_second <= 0) fail(file_, path + ".rate_per_second", "must be more than 0");
    if (!ch.fallback.empty()) {
      if (ch.fallback == ch.id) fail(file_, path + ".fallback", "a channel cannot fall back on itself");
      if (!c_.find_channel(ch.fallback))
        fail(file_, path + ".fallback", "no channel has the id \"" + ch.fallback + "\"");
    }
    for (const auto& [key, value] : ch.options) {
      if (key.ends_with("_url") && !(value.starts_with("http://") || value.starts_with("https://")))
        fail(file_, path + "." + key, "must start with http:// or https://");
      if (!key.ends_with("_env") && trim(value).empty())
        fail(file_, path + "." + key, "must not be empty");
    }
    if (ch.type == "twilio" && ch.option("from").empty() && ch.option("messaging_service_sid").empty())
      fail(file_, path, "a twilio channel needs \"from\" or \"messaging_service_sid\"");
    for (const auto& [id, t] : ch.templates) {
      if (trim(t.name).empty()) fail(file_, path + ".templates." + id + ".name", "must not be empty");
      for (std::size_t p = 0; p < t.parameters.size(); ++p)
        if (trim(t.parameters[p]).empty())
          fail(file_, index_path(path + ".templates." + id + ".parameters", p), "must not be empty");
    }
  }

  void check_log() {
    std::vector<std::string> levels(std::begin(kLogLevels), std::end(kLogLevels));
    if (std::find(levels.begin(), levels.end(), c_.log.level) == levels.end())
      fail(file_, "$.log.level",
           "unknown level \"" + c_.log.level + "\" (expected one of: " + join(levels) + ")");
  }

  Config& c_;
  const std::string& file_;
};

}  // namespace

void check_config(Config& config, const std::string& file) { Checker(config, file).run(); }

}  // namespace relais::config_detail
