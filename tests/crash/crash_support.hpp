#pragma once
// What the crash tests share: a configuration with one Twilio channel pointing at a fake
// gateway, `relais serve` started from it and waited for, and polling helpers. The real
// binary runs in a child process so that SIGKILL hits it and nothing else.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace relais::crash {

inline const std::string kRelais = RELAIS_BINARY;
inline constexpr const char* kAccountSid = "AC0123456789abcdef0123456789abcdef";
inline constexpr const char* kAuthToken = "crash-test-twilio-token-51c2";
inline constexpr const char* kTokenEnv = "RELAIS_CRASHTEST_TWILIO_TOKEN";
inline constexpr const char* kFrom = "+33612345690";
inline constexpr int kConcurrency = 4;

// The n-th phone of a block of 10,000 valid French mobile numbers: 06 12 34 nn nn for
// block 4, 06 12 35 nn nn for block 5.
inline std::string phone(int block, int n) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "+336123%d%04d", block, n);
  return buf;
}

// relais.json in `dir`: database dir/relais.db, one Twilio channel sending to
// `gateway_url`, sending allowed at any hour of any day (the test runs whenever CI does),
// and no dialogs folder (messages outside a dialog only). Sets the auth token's variable,
// which the child inherits.
inline std::string write_config(const test::TempDir& dir, std::uint16_t port, const std::string& gateway_url) {
  ::setenv(kTokenEnv, kAuthToken, 1);
  const auto path = dir / "relais.json";
  std::ofstream(path, std::ios::binary) << R"({
  // crash test configuration
  "programme": "Crash test",
  "server": {"bind": "127.0.0.1", "port": )" << port << R"(, "threads": 2},
  "database": {"path": "relais.db"},
  "cohorts": [{"id": "g1", "name": "Groupe 1", "coaches": [{"name": "Claire"}]}],
  "channels": [{"id": "twilio", "type": "twilio", "account_sid": ")" << kAccountSid << R"(",
                "auth_token_env": ")" << kTokenEnv << R"(", "from": ")" << kFrom << R"(",
                "api_base_url": ")" << gateway_url << R"(",
                "rate_per_second": 400, "burst": 20, "price_per_segment_eur": 0.05}],
  "default_channel": "twilio",
  "dispatcher": {"concurrency": )" << kConcurrency << R"(, "poll_interval_ms": 20},
  "sending_window": {"start": "00:00", "end": "24:00",
                     "days": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]},
  "log": {"level": "info"}
})";
  return path.string();
}

inline bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// `relais serve` on the configuration, started and listening (nullptr if it did not come
// up within 20 s: the caller's REQUIRE reports it). `tag` names its stdout/stderr files.
inline std::unique_ptr<test::Child> start_serve(const std::string& config, const test::TempDir& dir,
                                                const std::string& tag) {
  auto child = std::make_unique<test::Child>(std::vector<std::string>{kRelais, "serve", "--config", config},
                                             dir.path(), tag);
  const bool up = wait_until([&] { return child->out_so_far().find("listening") != std::string::npos; },
                             std::chrono::seconds(20));
  return up ? std::move(child) : nullptr;
}

}  // namespace relais::crash
