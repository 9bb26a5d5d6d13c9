#pragma once
// The application wired once: configuration, stores, engine, channel adapters,
// dispatcher, router and metrics. `relais serve` runs its server; CLI verbs that work
// without a server (say) use it in-process.
#include <functional>
#include <memory>
#include <ostream>

#include "bot/config/config.hpp"
#include "bot/core/time.hpp"
#include "bot/inbound.hpp"
#include "bot/planning.hpp"

namespace relais {

namespace http { class Router; }
class Engine;
class Dispatcher;

class App {
 public:
  // Opens the database (applying migrations) and builds the adapters of enabled channels.
  // Console channels print what they send to `console_out`.
  App(Config config, const Clock& clock, std::ostream& console_out);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  const Config& config() const;
  Engine& engine();
  Dispatcher& dispatcher();
  const http::Router& router() const;

  // The service's own work, once (blocking): re-planning when due, due jobs, nudges and
  // timeouts. `serve` runs it every poll interval; tests and `simulate` call it.
  void tick();

  // A calendar source's sessions, as a snapshot (Planning::import_sessions), in one engine
  // step: sessions stored, jobs re-planned, participants told of near changes.
  Planning::ImportResult import_sessions(const std::string& source, const std::vector<Session>& sessions);

  // Handles one inbound message through the engine (blocking): for CLI verbs and tests.
  InboundOutcome receive(const InboundMessage& message);

  // Runs the HTTP server and the dispatcher until SIGINT/SIGTERM (or stop()), then shuts
  // down gracefully. `on_listening` is told the port once the server listens.
  void serve(const std::function<void(std::uint16_t port)>& on_listening = {});
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_address(const std::string& address);

}  // namespace relais
