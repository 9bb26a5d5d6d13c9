#pragma once
// The coaches' API under /api: JSON over HTTP with bearer tokens (`relais token`), each
// scoped to its cohorts. Reads run on the API's own thread and database connection, so a
// long report never holds up a webhook; changes are engine steps, answered after commit.
// docs/api.md and docs/openapi.json describe every route.
#include <functional>
#include <memory>

#include "bot/config/config.hpp"
#include "bot/core/time.hpp"

namespace relais {

namespace http { class Router; }
class Engine;
class Metrics;
class Planning;
class Conversations;
class TimeZone;

struct ApiDeps {
  const Config* config = nullptr;
  const Clock* clock = nullptr;
  const TimeZone* zone = nullptr;
  Engine* engine = nullptr;
  const Planning* planning = nullptr;
  Conversations* conversations = nullptr;  // may be null (no dialogs folder)
  Metrics* metrics = nullptr;
  std::function<void()> wake_dispatcher;   // new messages were queued
};

class CoachApi {
 public:
  explicit CoachApi(ApiDeps deps);
  ~CoachApi();  // handles the requests still queued, then stops its thread (new ones: 503)
  CoachApi(const CoachApi&) = delete;
  CoachApi& operator=(const CoachApi&) = delete;

  void add_routes(http::Router& router);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace relais
