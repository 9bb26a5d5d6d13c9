#pragma once
// One `relais serve` process of the outbound bench: a fresh folder with a configuration
// whose only channel is a Twilio channel on the fake gateway, participants enrolled and one
// message queued to each before relais starts, then relais runs until the gateway has
// received every message (or time runs out) and is stopped with SIGTERM.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "bot/core/http_client.hpp"
#include "support/fake_gateway.hpp"

namespace relais::bench {

struct RelaisRunOptions {
  std::filesystem::path relais_binary;
  std::filesystem::path folder;  // empty and fresh: config, database and logs go here
  std::uint16_t port = 0;        // relais's own (its webhook URL goes into each send)
  nlohmann::json channel;        // the channel's JSON, rate_per_second and burst included
  int messages = 0;              // to as many participants, one each
  std::string text;
  std::string log_level = "info";
  std::chrono::seconds timeout{180};
};

struct RelaisRunResult {
  bool complete = false;  // the gateway received every message in time
  std::map<std::string, std::int64_t> outbox;  // rows by status after relais stopped
  // The engine's figures from /metrics once the gateway had everything: steps run and
  // transactions committed (steps / commits = how well group commit groups).
  double engine_steps = 0;
  double engine_commits = 0;
  int exit_code = -1;
};

// The gateway's requests from index `gateway.received().size()` on are this run's.
RelaisRunResult run_relais(const RelaisRunOptions& options, const test::FakeGateway& gateway,
                           HttpClient& http);

}  // namespace relais::bench
