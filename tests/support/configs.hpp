#pragma once
// Small configurations built in code, for tests that need a Config but not a file.
#include "bot/config/config.hpp"

namespace relais::test {

inline Config small_config(const std::string& database_path = ":memory:") {
  Config c;
  c.file = "/tmp/relais-test-config.json";
  c.programme = "Test";
  c.database.path = database_path;
  c.cohorts.push_back({"g1", "Groupe 1", {{"Claire", "", "", ""}}});
  c.cohorts.push_back({"g2", "Groupe 2", {}});
  ChannelConfig console;
  console.id = "console";
  console.type = "console";
  console.price_per_segment_eur = 0.05;
  console.rate_per_second = 1000;  // rate limits, the window and the cap have tests of their own
  console.burst = 100;
  c.channels.push_back(console);
  c.default_channel = "console";
  c.dispatcher.poll_interval_ms = 50;
  c.sending_window.start_minute = 0;
  c.sending_window.end_minute = 24 * 60;
  c.sending_window.days.fill(true);
  c.sending_window.french_public_holidays = false;
  return c;
}

inline ParticipantRecord participant(const std::string& name, const std::string& phone,
                                     const std::string& cohort = "g1") {
  ParticipantRecord p;
  p.first_name = name;
  p.phone = phone;
  p.cohort = cohort;
  p.consent = true;
  p.consent_tips = true;
  p.channel = "console";
  return p;
}

}  // namespace relais::test
