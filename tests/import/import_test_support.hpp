#pragma once
// Shared by the import tests: a configuration built by hand (no file), fixture reading and
// issue lookup.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/import/participants_csv.hpp"

namespace relais::testing {

// Cohorts g1 and g2; channels "sms" (Twilio, the default) and "tg" (Telegram, not SMS).
inline Config import_config() {
  Config config;
  config.default_region = "FR";
  config.cohorts = {{"g1", "Groupe du lundi", {}}, {"g2", "Groupe du jeudi", {}}};
  ChannelConfig sms;
  sms.id = "sms";
  sms.type = "twilio";
  ChannelConfig telegram;
  telegram.id = "tg";
  telegram.type = "telegram";
  config.channels = {sms, telegram};
  config.default_channel = "sms";
  return config;
}

inline std::string read_fixture(const std::string& name) {
  std::string path = std::string(RELAIS_FIXTURES) + "/import/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The issues about one line, in the order found.
inline std::vector<ImportIssue> issues_on(const std::vector<ImportIssue>& issues, int line) {
  std::vector<ImportIssue> out;
  std::copy_if(issues.begin(), issues.end(), std::back_inserter(out),
               [&](const ImportIssue& i) { return i.line == line; });
  return out;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace relais::testing
