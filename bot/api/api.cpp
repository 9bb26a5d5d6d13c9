// The coaches' API: its thread, authentication, and the routes of bot/api/*.cpp.
#include "bot/api/api.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "adapters/encoding.hpp"
#include "bot/api/api_call.hpp"
#include "bot/app.hpp"
#include "bot/commands.hpp"
#include "bot/engine.hpp"
#include "bot/http/router.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"

namespace relais {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Failed authentications, per client address: each one answered later than the one
// before (0.5 s, 1 s, 2 s… up to 8 s), counted over a quarter of an hour. Guessing a
// 256-bit token is hopeless anyway; this keeps a script from hammering the server.
class FailedLogins {
 public:
  static constexpr auto kWindow = std::chrono::minutes(15);
  static constexpr auto kFirstDelay = std::chrono::milliseconds(500);
  static constexpr auto kMaxDelay = std::chrono::seconds(8);

  // Records a failure; returns how long to wait before answering it.
  std::chrono::milliseconds fail(const std::string& address, SteadyClock::time_point now) {
    std::lock_guard lock(mutex_);
    if (entries_.size() > 10'000) forget_old(now);
    auto& e = entries_[address];
    if (now - e.last > kWindow) e.failures = 0;
    e.last = now;
    ++e.failures;
    auto delay = kFirstDelay * (1LL << std::min(e.failures - 1, 5));
    return std::min<std::chrono::milliseconds>(delay, kMaxDelay);
  }

 private:
  struct Entry {
    int failures = 0;
    SteadyClock::time_point last{};
  };
  void forget_old(SteadyClock::time_point now) {
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.last > kWindow; });
  }
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

// The client's address: the peer's, or behind a reverse proxy on loopback, the last
// address it put in X-Forwarded-For.
std::string client_address(const http::Request& request) {
  auto forwarded = request.headers.find("x-forwarded-for");
  if (forwarded == request.headers.end() || !is_loopback_address(request.remote_address)) return request.remote_address;
  const auto& list = forwarded->second;
  auto comma = list.rfind(',');
  auto last = comma == std::string::npos ? list : list.substr(comma + 1);
  last.erase(0, last.find_first_not_of(' '));
  return last.empty() ? request.remote_address : last;
}

std::optional<std::string> bearer_token(const http::Request& request) {
  auto it = request.headers.find("authorization");
  if (it == request.headers.end()) return std::nullopt;
  constexpr std::string_view kScheme = "bearer ";
  const auto& value = it->second;
  if (value.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return std::nullopt;
  return value.substr(kScheme.size());
}

http::Response unauthorized() {
  auto r = http::json_error(401, "a valid API token is required (Authorization: Bearer rl_…; see relais token create)");
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"relais\"");
  return r;
}

http::Response error_response(const std::exception_ptr& error, const http::Request& request) {
  try {
    std::rethrow_exception(error);
  } catch (const api::ApiError& e) {
    return http::json_error(e.status(), e.what());
  } catch (const BadInput& e) {
    return http::json_error(400, e.what());
  } catch (const std::invalid_argument& e) {  // a template without a value, a channel not configured
    return http::json_error(400, e.what());
  } catch (const std::exception& e) {
    log::error("api.failed", {{"path", request.path}, {"error", e.what()}});
    return http::json_error(500, "internal error");
  }
}

}  // namespace

namespace api {

std::int64_t Call::id_param(const std::string& name, const std::string& what) const {
  auto it = request_.params.find(name);
  if (it == request_.params.end() || it->second.empty() || it->second.size() > 18 ||
      it->second.find_first_not_of("0123456789") != std::string::npos)
    not_found(what);
  return std::stoll(it->second);
}

std::string Call::query(std::string_view name) const {
  if (!query_) bad_request("the query string has a bad %-escape");
  return std::string(form_value(*query_, name));
}

bool Call::has_query(std::string_view name) const {
  if (!query_) bad_request("the query string has a bad %-escape");  // never read as "absent"
  return form_has(*query_, name);
}

std::optional<std::int64_t> Call::int_query(std::string_view name) const {
  if (!has_query(name)) return std::nullopt;
  const auto v = query(name);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    bad_request(std::string(name) + ": a whole number is expected");
  return std::stoll(v);
}

json Call::body() const {
  if (request_.body.empty()) bad_request("a JSON body is required");
  json value = json::parse(request_.body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) bad_request("the body is not valid JSON");
  if (!value.is_object()) bad_request("the body must be a JSON object");
  return value;
}

void Call::reply(const json& value, int status) const {
  respond_(http::json_response(status, value.dump(-1, ' ', false, json::error_handler_t::replace)));
}

}  // namespace api

struct CoachApi::Impl {
  ApiDeps deps;
  std::unique_ptr<Store> reader;  // this thread's connection
  FailedLogins failed;

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> jobs;
  std::multimap<SteadyClock::time_point, std::function<void()>> delayed;  // slowed-down answers
  bool stopping = false;
  std::thread thread;

  explicit Impl(ApiDeps d)
      : deps(std::move(d)),
        reader(open_sqlite_store(deps.config->database_path().string(), deps.config->database.busy_timeout_ms)) {
    thread = std::thread([this] { loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    thread.join();
  }

  void post(std::function<void()> job) {
    {
      std::lock_guard lock(mutex);
      if (!stopping) {
        jobs.push_back(std::move(job));
        wake.notify_one();
        return;
      }
    }
    throw std::runtime_error("the API is stopping");
  }

  void loop() {
    std::unique_lock lock(mutex);
    for (;;) {
      if (!delayed.empty() && (delayed.begin()->first <= SteadyClock::now() || stopping)) {
        auto job = std::move(delayed.begin()->second);
        delayed.erase(delayed.begin());
        lock.unlock();
        job();
        lock.lock();
        continue;
      }
      if (!jobs.empty()) {
        auto job = std::move(jobs.front());
        jobs.pop_front();
        lock.unlock();
        job();
        lock.lock();
        continue;
      }
      if (stopping) return;
      if (delayed.empty())
        wake.wait(lock);
      else
        wake.wait_until(lock, delayed.begin()->first);
    }
  }

  std::optional<api::Caller> authenticate(const http::Request& request) {
    auto token = bearer_token(request);
    if (!token) return std::nullopt;
    auto found = reader->token_by_hash(token_hash(*token));
    if (!found) return std::nullopt;
    return api::Caller{found->id, found->name,
                       found->admin ? CohortScope::everything() : CohortScope::of(found->cohorts)};
  }

  // On the API thread: authenticate, then run the route.
  void handle(const std::shared_ptr<http::Request>& shared, const http::Respond& respond, api::Route route) {
    http::Request& request = *shared;
    std::optional<api::Caller> caller;
    try {
      caller = authenticate(request);
    } catch (...) {
      return respond(error_response(std::current_exception(), request));
    }
    if (!caller) {
      const auto address = client_address(request);
      const auto wait = failed.fail(address, SteadyClock::now());
      if (deps.metrics) deps.metrics->count("api_auth_failed_total");
      log::warn("api.auth_failed", {{"address", address}, {"path", request.path}});
      std::lock_guard lock(mutex);
      delayed.emplace(SteadyClock::now() + wait, [respond] { respond(unauthorized()); });
      return;
    }
    // The call lives until its change is answered: steps capture it by reference.
    auto call = std::make_shared<api::Call>(request, std::move(*caller), *reader, deps, respond, nullptr);
    std::weak_ptr<api::Call> weak = call;
    call->set_sender([this, weak, shared, respond](api::Call::Change step, int status) {
      auto keep = weak.lock();
      auto result = std::make_shared<api::json>();
      deps.engine->submit(
          [step = std::move(step), result, keep](Store& store) { *result = step(store); },
          [this, result, respond, status, shared, keep](std::exception_ptr error) {
            if (error) return respond(error_response(error, *shared));
            if (deps.wake_dispatcher) deps.wake_dispatcher();
            respond(http::json_response(status, result->dump(-1, ' ', false, api::json::error_handler_t::replace)));
          });
    });
    try {
      route(*call);
    } catch (...) {
      respond(error_response(std::current_exception(), request));
    }
  }
};

CoachApi::CoachApi(ApiDeps deps) : impl_(std::make_unique<Impl>(std::move(deps))) {}
CoachApi::~CoachApi() = default;

void CoachApi::add_routes(http::Router& router) {
  std::vector<api::RouteSpec> all;
  for (auto group : {api::participant_routes, api::session_routes, api::message_routes, api::follow_routes})
    for (auto& spec : group()) all.push_back(spec);
  for (const auto& spec : all)
    router.add(spec.method, spec.pattern, spec.name,
               [impl = impl_.get(), route = spec.handler](http::Request& request, http::Respond plain) {
                 // Participants' data: no browser or proxy keeps a copy.
                 http::Respond respond = [plain = std::move(plain)](http::Response r) {
                   r.headers.emplace_back("Cache-Control", "no-store");
                   plain(std::move(r));
                 };
                 // The request lives until the answer is written; the API thread reads it.
                 auto shared = std::make_shared<http::Request>(std::move(request));
                 try {
                   impl->post([impl, shared, respond, route] { impl->handle(shared, respond, route); });
                 } catch (const std::exception&) {
                   respond(http::json_error(503, "the server is stopping"));
                 }
               });
}

}  // namespace relais
