#pragma once
// The coaches' dashboard (web/: plain HTML, CSS and JavaScript) served at `/`, and the
// phone simulator's routes (/simulator/api/…) when the configuration turns it on.
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

#include "bot/config/config.hpp"
#include "bot/http/router.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/zone.hpp"

namespace relais {

// GET / (index.html) and GET /{file} for the flat files of `dir`, with a strict Content
// Security Policy. Add after every other route: it takes any one-segment path.
void add_web_routes(http::Router& router, const std::filesystem::path& dir);

struct SimulatorDeps {
  const Config* config = nullptr;
  const TimeZone* zone = nullptr;
  DemoClock* clock = nullptr;
  Store* reader = nullptr;  // guarded by reader_mutex
  std::mutex* reader_mutex = nullptr;
  // Runs what is due at the clock's time (the App's tick) and wakes the dispatcher.
  std::function<void()> run_due;
};

// GET /simulator/api/state, GET /simulator/api/messages?phone=…, POST /simulator/api/advance.
void add_simulator_routes(http::Router& router, SimulatorDeps deps);

}  // namespace relais
