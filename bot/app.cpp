#include "bot/app.hpp"

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "adapters/registry.hpp"
#include "bot/api/api.hpp"
#include "bot/commands.hpp"
#include "bot/conversations.hpp"
#include "bot/dispatcher.hpp"
#include "bot/engine.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/http_client.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"
#include "bot/planning.hpp"
#include "bot/purge.hpp"
#include "bot/web.hpp"
#include "bot/webhooks.hpp"
#include "scheduler/zone.hpp"

namespace relais {
namespace {

// Messages added to the index by participant per tick (two ticks a second by default): far
// more than the programme receives; during a longer burst the rest waits, still found.
constexpr int kIndexBatch = 1000;

std::string random_id(std::string_view prefix) {
  static std::mutex m;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard lock(m);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return std::string(prefix) + buf;
}

std::string env_or_empty(const std::string& name) {
  // Secrets come from the environment only; never logged.
  if (name.empty()) return {};
  const char* v = std::getenv(name.c_str());
  return v ? v : "";
}

}  // namespace

bool is_loopback_address(const std::string& a) {
  return a == "localhost" || a == "::1" || a.rfind("127.", 0) == 0;
}

struct App::Impl {
  Config config;
  std::unique_ptr<DemoClock> demo_clock;  // the phone simulator's, when it is on
  const Clock& clock;
  TimeZone zone;
  std::unique_ptr<Store> writer_store;
  std::unique_ptr<Store> reader_store;  // for /healthz and /metrics: never waits on the writer
  std::mutex reader_mutex;
  Engine engine;
  std::unique_ptr<HttpClient> http_client = make_http_client();
  std::vector<std::unique_ptr<ChannelAdapter>> owned_adapters;
  std::map<std::string, ChannelAdapter*> adapters;
  Dispatcher dispatcher;
  Metrics metrics;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::mutex server_mutex;
  std::unique_ptr<Conversations> conversations;
  Planning planning;
  std::unique_ptr<CoachApi> api;  // after the engine: stopped before it
  std::optional<Utc> last_full_plan;    // touched on the engine's thread only
  std::optional<Utc> last_weekly_plan;  // the local day the weekly prompts were last planned
  std::optional<Utc> last_purge;        // the local day the retention purge last ran
  std::thread ticker;
  std::mutex ticker_mutex;
  std::condition_variable ticker_wake;
  bool ticker_stop = false;

  Impl(Config c, const Clock& clk, std::ostream& console_out)
      : config(std::move(c)),
        demo_clock(config.simulator.enabled ? std::make_unique<DemoClock>(clk) : nullptr),
        clock(demo_clock ? *demo_clock : clk),
        zone(config.time_zone),
        writer_store(open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms)),
        reader_store(open_sqlite_store(config.database_path().string(), config.database.busy_timeout_ms)),
        engine(*writer_store),
        adapters(build_adapters(console_out)),
        dispatcher(engine, config, clock, zone, adapters),
        conversations(load_conversations()),
        planning(config, zone),
        api(std::make_unique<CoachApi>(ApiDeps{&config, &clock, &zone, &engine, &planning, conversations.get(),
                                               &metrics, [this] { dispatcher.notify(); }})) {
    build_routes();
  }

  void stop_ticker() {
    {
      std::lock_guard lock(ticker_mutex);
      ticker_stop = true;
      ticker_wake.notify_all();
    }
    if (ticker.joinable()) ticker.join();
  }

  std::map<std::string, ChannelAdapter*> build_adapters(std::ostream& console_out) {
    AdapterContext context;
    context.public_url = config.public_url();
    context.default_region = config.default_region;
    context.server_on_loopback = is_loopback_address(config.server.bind);
    context.http = http_client.get();
    context.console_out = &console_out;
    context.secret = env_or_empty;
    context.make_id = [] { return random_id("in-"); };
    context.clock = &clock;
    std::map<std::string, ChannelAdapter*> out;
    for (const auto& ch : config.channels) {
      if (!ch.enabled) continue;
      owned_adapters.push_back(make_adapter(ch, context));
      if (!owned_adapters.back()->receives())
        log::warn("channel.send_only", {{"channel", ch.id}, {"type", ch.type}});
      out[ch.id] = owned_adapters.back().get();
    }
    return out;
  }

  InboundOutcome handle(Store& store, const InboundMessage& m) {
    return handle_inbound(store, config, zone, m, clock.now(), conversations.get());
  }

  // Scripts and texts, when the configuration's folders exist.
  std::unique_ptr<Conversations> load_conversations() {
    if (!std::filesystem::exists(config.content_path(config.dialogs_dir))) {
      log::warn("dialogs.none", {{"folder", config.content_path(config.dialogs_dir).string()}});
      return nullptr;
    }
    return Conversations::load(config, zone);
  }

  // One step of the service's own work: plan everything at start (imports and calendar
  // readings plan what they change), roll the weekly prompts on once a local day, fire due
  // jobs, then nudges and timeouts.
  void tick() {
    purge_once_a_day();
    if (!conversations) return;  // no dialogs: nothing of its own to send
    int moved = 0;
    engine.run([&](Store& s) {
      const Utc now = clock.now();
      const Utc today = zone.start_of_local_day(now);
      if (!last_full_plan) {
        const auto stats = planning.replan_all(s, now);
        log::info("plan.done", {{"jobs", std::to_string(stats.jobs)}, {"cancelled", std::to_string(stats.cancelled)}});
        last_full_plan = now;
        last_weekly_plan = today;
      } else if (last_weekly_plan != today) {
        const auto stats = planning.replan_own_jobs(s, now);
        log::info("plan.weekly", {{"jobs", std::to_string(stats.jobs)}, {"cancelled", std::to_string(stats.cancelled)}});
        last_weekly_plan = today;
      }
      moved = planning.fire_due(s, *conversations, now) + conversations->fire_due(s, now);
    });
    if (moved > 0) dispatcher.notify();
  }

  // The retention purge (config.retention_months), once a local day.
  void purge_once_a_day() {
    const Utc today = zone.start_of_local_day(clock.now());
    if (config.retention_months == 0 || last_purge == today) return;
    PurgeReport report;
    engine.run([&](Store& s) { report = purge(s, config, false, clock.now()); });
    last_purge = today;
    if (report.participants > 0 || report.unknown_messages > 0)
      log::info("retention.purged", {{"participants", std::to_string(report.participants)},
                                     {"unknown_messages", std::to_string(report.unknown_messages)}});
  }

  // Calendar sources: each read again every poll_minutes (a file only when it changed);
  // the network call happens outside any engine step. A bad calendar changes nothing.
  struct SourceState {
    std::optional<Utc> last_read;
    std::optional<std::filesystem::file_time_type> file_time;
  };
  std::map<std::string, SourceState> sources;

  void poll_calendars() {
    for (const auto& source : config.calendars.sources) {
      SourceState& state = sources[source.id];
      const Utc now = clock.now();
      if (state.last_read && now - *state.last_read < std::chrono::minutes(source.poll_minutes) && now >= *state.last_read)
        continue;
      state.last_read = now;
      std::string text;
      if (!source.file.empty()) {
        const auto path = config.content_path(source.file);
        std::error_code ec;
        const auto time = std::filesystem::last_write_time(path, ec);
        if (ec) {
          log::warn("calendar.unreadable", {{"source", source.id}, {"file", path.string()}});
          continue;
        }
        if (state.file_time == time) continue;
        std::ifstream in(path, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        text = content.str();
        state.file_time = time;
      } else {
        auto fetched = fetch_calendar(*http_client, calendar_url(source));
        if (!fetched) {
          log::warn("calendar.fetch_failed", {{"source", source.id}, {"error", fetched.error()}});
          continue;
        }
        text = std::move(*fetched);
      }
      CalendarImportReport report;
      engine.run([&](Store& s) { report = import_calendar_text(config, s, text, source.id, source.id, clock.now()); });
      if (!report.written) {
        log::warn("calendar.refused", {{"source", source.id}, {"error", report.error}});
        continue;
      }
      for (const auto& w : report.result.warnings) log::warn("calendar.warning", {{"source", source.id}, {"detail", w}});
      log::info("calendar.read", {{"source", source.id}, {"created", std::to_string(report.result.created)},
                                  {"moved", std::to_string(report.result.moved)},
                                  {"cancelled", std::to_string(report.result.cancelled)}});
    }
  }

  // Ticks as often as the dispatcher polls.
  void tick_loop() {
    const auto interval = std::chrono::milliseconds(config.dispatcher.poll_interval_ms);
    std::unique_lock lock(ticker_mutex);
    while (!ticker_stop) {
      lock.unlock();
      try {
        poll_calendars();
        tick();
      } catch (const std::exception& e) {
        log::warn("scheduler.tick_failed", {{"error", e.what()}});
      }
      try {
        // Messages into the index by participant, a batch at a time (schema migration 11).
        engine.run([](Store& s) { s.index_inbound(kIndexBatch); });
      } catch (const std::exception& e) {
        log::warn("database.index_failed", {{"error", e.what()}});
      }
      try {
        // The writer checkpoints every 1,000 pages of WAL (SQLite's default), so that under
        // load the WAL is written over from its start rather than grown (an fdatasync after
        // appending costs twice one after overwriting). This one keeps the database file up
        // to date when the writer is quiet.
        std::lock_guard reader(reader_mutex);
        reader_store->checkpoint();
      } catch (const std::exception& e) {
        log::warn("database.checkpoint_failed", {{"error", e.what()}});
      }
      lock.lock();
      ticker_wake.wait_for(lock, interval, [&] { return ticker_stop; });
    }
  }

  void build_routes() {
    router.add("GET", "/healthz", "healthz", [this](http::Request&, http::Respond respond) {
      try {
        std::lock_guard lock(reader_mutex);
        reader_store->check_health();
        respond(http::json_response(200, R"({"status":"ok","database":"ok"})"));
      } catch (const std::exception& e) {
        log::error("health.failed", {{"error", e.what()}});
        respond(http::json_response(503, R"({"status":"unavailable","database":"error"})"));
      }
    });
    router.add("GET", "/metrics", "metrics", [this](http::Request&, http::Respond respond) {
      auto r = http::text_response(200, metrics.render(gauges()));
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      respond(std::move(r));
    });
    const WebhookDeps deps{&adapters, &engine, &metrics,
                           [this](Store& s, const InboundMessage& m) { return handle(s, m); },
                           [this] { dispatcher.notify(); }, [this] { return clock.now(); }};
    router.add("POST", "/webhooks/{channel}", "webhook", make_webhook_handler(deps));
    router.add("GET", "/webhooks/{channel}", "webhook_handshake", make_webhook_get_handler(deps));
    api->add_routes(router);
    if (demo_clock)
      add_simulator_routes(router, {&config, &zone, demo_clock.get(), reader_store.get(), &reader_mutex, [this] {
                                      tick();
                                      dispatcher.notify();
                                    }});
    add_web_routes(router, config.content_path(config.web.dir));  // last: it takes any one-segment path
  }

  std::map<std::string, double> gauges() {
    std::map<std::string, double> g;
    const auto stats = engine.stats();
    g["engine_queue_depth"] = static_cast<double>(engine.queue_depth());
    g["engine_commits"] = static_cast<double>(stats.commits);
    g["engine_steps"] = static_cast<double>(stats.steps);
    g["engine_failed_steps"] = static_cast<double>(stats.failed_steps);
    try {
      std::lock_guard lock(reader_mutex);
      for (const auto& [status, n] : reader_store->outbox_counts())
        g["outbox_messages{status=\"" + std::string(to_string(status)) + "\"}"] = static_cast<double>(n);
      g["participants"] = static_cast<double>(reader_store->count_participants());
    } catch (const std::exception& e) {
      log::warn("metrics.database_error", {{"error", e.what()}});
    }
    return g;
  }
};

App::App(Config config, const Clock& clock, std::ostream& console_out)
    : impl_(std::make_unique<Impl>(std::move(config), clock, console_out)) {
  // A previous process may have died with rows in flight: they go again (at-least-once).
  int requeued = 0;
  impl_->engine.run([&](Store& s) { requeued = s.requeue_in_flight(impl_->clock.now()); });
  if (requeued > 0) log::warn("outbox.requeued_after_crash", {{"rows", std::to_string(requeued)}});
}

App::~App() {
  impl_->api.reset();  // its queued requests answered while the engine still runs
  impl_->stop_ticker();
  impl_->dispatcher.stop();
  impl_->engine.stop();
}

const Config& App::config() const { return impl_->config; }
Engine& App::engine() { return impl_->engine; }
Dispatcher& App::dispatcher() { return impl_->dispatcher; }

Planning::ImportResult App::import_sessions(const std::string& source, const std::vector<Session>& sessions) {
  Planning::ImportResult result;
  impl_->engine.run([&](Store& s) {
    result = impl_->planning.import_sessions(s, source, sessions, impl_->conversations.get(), impl_->clock.now());
  });
  impl_->dispatcher.notify();
  return result;
}

void App::tick() { impl_->tick(); }
const http::Router& App::router() const { return impl_->router; }

InboundOutcome App::receive(const InboundMessage& message) {
  InboundOutcome outcome;
  impl_->engine.run([&](Store& s) { outcome = impl_->handle(s, message); });
  return outcome;
}

void App::serve(const std::function<void(std::uint16_t)>& on_listening) {
  const auto& sc = impl_->config.server;
  http::ServerOptions options{sc.bind,
                              sc.port,
                              sc.threads,
                              sc.max_header_bytes,
                              sc.max_body_bytes,
                              std::chrono::milliseconds(sc.read_timeout_ms),
                              std::chrono::milliseconds(sc.idle_timeout_ms),
                              std::chrono::milliseconds(sc.shutdown_grace_ms)};
  {
    std::lock_guard lock(impl_->server_mutex);
    impl_->server = std::make_unique<http::Server>(
        options, impl_->router, [this](const std::string& route, int status, double seconds) {
          impl_->metrics.observe_request(route, status, seconds);
        });
  }
  impl_->dispatcher.start();
  impl_->ticker = std::thread([this] { impl_->tick_loop(); });
  log::info("http.listening", {{"address", sc.bind}, {"port", std::to_string(impl_->server->port())}});
  if (on_listening) on_listening(impl_->server->port());
  // Answers to webhooks and API calls are written by the server's thread as soon as their
  // batch is committed, without passing through the engine's completion thread.
  impl_->engine.set_done_executor([server = impl_->server.get()](std::function<void()> f) { server->post(std::move(f)); });
  impl_->server->run(/*handle_signals=*/true);
  impl_->engine.set_done_executor(nullptr);
  // Requests in flight are answered; now finish what is queued and stop writing.
  impl_->stop_ticker();
  impl_->dispatcher.stop();
  impl_->engine.stop();
  log::info("http.stopped");
}

void App::stop() {
  std::lock_guard lock(impl_->server_mutex);
  if (impl_->server) impl_->server->stop();
}

}  // namespace relais
