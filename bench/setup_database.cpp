// Prepares a benchmark's database from a configuration file: enrols participants (outside
// any dialog) and, if asked, queues one message to each.
//   relais_bench_setup --config FILE --participants N --channel ID
//                      [--queue N --kind KIND --text TEXT]
#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include "bench/bench_data.hpp"

namespace {

// "--name value" pairs; every option takes a value.
std::map<std::string, std::string> read_options(int argc, char** argv) {
  std::map<std::string, std::string> out;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strncmp(argv[i], "--", 2) != 0) throw std::invalid_argument(std::string("unexpected ") + argv[i]);
    out[argv[i] + 2] = argv[i + 1];
  }
  return out;
}

std::string required(const std::map<std::string, std::string>& options, const std::string& name) {
  auto it = options.find(name);
  if (it == options.end()) throw std::invalid_argument("--" + name + " is required");
  return it->second;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace relais;
  try {
    const auto options = read_options(argc, argv);
    const Config config = load_config(required(options, "config"));
    const int participants = std::stoi(required(options, "participants"));
    const std::string channel = required(options, "channel");
    const Utc now = SystemClock().now();
    auto store = open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms);
    bench::enrol_participants(*store, participants, channel, now);
    int queued = 0;
    if (options.count("queue"))
      queued = bench::queue_messages(*store, config, std::stoi(options.at("queue")), channel,
                                     options.count("kind") ? options.at("kind") : "notice",
                                     options.count("text") ? options.at("text") : "Bonjour", now);
    std::cout << "enrolled " << participants << " participant(s), queued " << queued
              << " message(s) in " << config.database_path().string() << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "relais_bench_setup: " << e.what() << "\n";
    return 1;
  }
}
