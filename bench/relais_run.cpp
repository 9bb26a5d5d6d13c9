#include "bench/relais_run.hpp"

#include <csignal>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "bench/bench_data.hpp"
#include "bot/core/status.hpp"
#include "bot/storage/store.hpp"
#include "support/process.hpp"

namespace relais::bench {
namespace {

// The bench may run at any hour and on any day: the sending window is opened to the whole
// week, public holidays included (when relais knows of them: detected at compile time).
template <typename W>
auto allow_holidays(nlohmann::json& window, const W&, int)
    -> decltype(std::declval<W>().french_public_holidays, void()) {
  window["french_public_holidays"] = false;
}
template <typename W>
void allow_holidays(nlohmann::json&, const W&, long) {}

nlohmann::json always_open_window() {
  nlohmann::json window = {
      {"start", "00:00"},
      {"end", "24:00"},
      {"days", {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}}};
  allow_holidays(window, SendingWindowConfig{}, 0);
  return window;
}

nlohmann::json config_json(const RelaisRunOptions& o) {
  const std::string url = "http://127.0.0.1:" + std::to_string(o.port);
  return {
      {"programme", "outbound bench"},
      {"server", {{"bind", "127.0.0.1"}, {"port", o.port}, {"threads", 1}, {"public_base_url", url}}},
      {"database", {{"path", "relais.db"}}},
      {"cohorts", {{{"id", "g1"}, {"name", "Groupe 1"},
                    {"coaches", {{{"name", "Claire"}, {"phone", "03 53 01 00 12"}}}}}}},
      {"channels", {o.channel}},
      {"sending_window", always_open_window()},
      {"log", {{"level", o.log_level}}}};
}

// The programme's real dialogs and texts: the dialog ticker runs beside the dispatcher,
// as it does in production.
void link_content(const std::filesystem::path& folder) {
  const std::filesystem::path config = std::filesystem::path(RELAIS_SOURCE_DIR) / "config";
  std::filesystem::create_directory_symlink(config / "dialogs", folder / "dialogs");
  std::filesystem::create_directory_symlink(config / "templates", folder / "templates");
}

// The value of an unlabelled metric in Prometheus text ("relais_engine_commits 42").
double metric(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  return at == std::string::npos ? 0 : std::stod(text.substr(at + name.size() + 2));
}

}  // namespace

RelaisRunResult run_relais(const RelaisRunOptions& o, const test::FakeGateway& gateway, HttpClient& http) {
  const auto config_file = o.folder / "relais.json";
  std::ofstream(config_file) << config_json(o).dump(2) << "\n";
  link_content(o.folder);
  const Config config = load_config(config_file);
  const std::string channel = o.channel.at("id");
  {
    auto store = open_sqlite_store(config.database_path().string());
    const Utc now = SystemClock().now();
    enrol_participants(*store, o.messages, channel, now);
    queue_messages(*store, config, o.messages, channel, "notice", o.text, now);
  }

  const std::size_t before = gateway.received().size();
  RelaisRunResult result;
  {
    test::Child relais({o.relais_binary.string(), "serve", "--config", config_file.string()}, o.folder, "relais");
    if (relais.pid() <= 0) throw std::runtime_error("cannot start " + o.relais_binary.string());
    result.complete = gateway.wait_for(before + static_cast<std::size_t>(o.messages), o.timeout);
    HttpRequest get;
    get.method = "GET";
    get.url = "http://127.0.0.1:" + std::to_string(o.port) + "/metrics";
    if (auto metrics = http.send(get); metrics && metrics->status == 200) {
      result.engine_steps = metric(metrics->body, "relais_engine_steps");
      result.engine_commits = metric(metrics->body, "relais_engine_commits");
    }
    // Let the last outcomes commit before the outbox is counted.
    relais.signal(SIGTERM);
    result.exit_code = relais.wait().exit_code;
  }
  auto store = open_sqlite_store(config.database_path().string());
  for (const auto& [status, count] : store->outbox_counts()) result.outbox[std::string(to_string(status))] = count;
  return result;
}

}  // namespace relais::bench
