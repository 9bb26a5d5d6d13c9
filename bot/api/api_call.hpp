#pragma once
// Inside the coaches' API: what a route's handler receives and how it answers.
// Internal to bot/api/.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/encoding.hpp"
#include "bot/api/api.hpp"
#include "bot/http/router.hpp"
#include "bot/storage/store.hpp"

namespace relais::api {

using json = nlohmann::json;

// Answered as {"error": message} with its status; thrown inside an engine step, the step
// is rolled back first.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// 404 for what does not exist and for what the caller may not see alike: a g1 token
// cannot learn that a g2 participant exists.
[[noreturn]] inline void not_found(const std::string& what) { throw ApiError(404, what + " not found"); }
[[noreturn]] inline void bad_request(const std::string& message) { throw ApiError(400, message); }

// Who calls: the token's name and scope.
struct Caller {
  std::int64_t token_id = 0;
  std::string name;
  CohortScope scope;
  // How the audit log names her: "Nadia (token 3)".
  std::string actor() const { return name + " (token " + std::to_string(token_id) + ")"; }
};

class Call {
 public:
  using Change = std::function<json(Store&)>;
  using Sender = std::function<void(Change, int status)>;

  Call(http::Request& request, Caller caller, Store& reader, const ApiDeps& deps, http::Respond respond,
       Sender change)
      : request_(request), caller_(std::move(caller)), reader_(reader), deps_(deps),
        respond_(std::move(respond)), change_(std::move(change)), query_(parse_form(request.query)) {}

  const http::Request& request() const { return request_; }
  const Caller& caller() const { return caller_; }
  const CohortScope& scope() const { return caller_.scope; }
  const ApiDeps& deps() const { return deps_; }
  const Config& config() const { return *deps_.config; }
  Utc now() const { return deps_.clock->now(); }
  // The API's own read connection (this thread only).
  Store& reader() { return reader_; }

  // A path parameter as a positive integer id; 404 otherwise.
  std::int64_t id_param(const std::string& name, const std::string& what) const;
  // A query parameter ("" when absent), percent-decoded; 400 on a bad escape.
  std::string query(std::string_view name) const;
  bool has_query(std::string_view name) const;
  // A query parameter that must be a whole number (an id, a page's bound); 400 otherwise.
  std::optional<std::int64_t> int_query(std::string_view name) const;
  // The body as a JSON object; 400 naming the problem otherwise.
  json body() const;

  void reply(const json& value, int status = 200) const;
  void reply(http::Response response) const { respond_(std::move(response)); }
  // Runs `change` as an engine step (on the writer thread: it uses its `Store&`, never
  // reader()); answers its JSON with `status` once committed. The Call outlives the step.
  void change(Change change, int status = 200) const { change_(std::move(change), status); }
  void set_sender(Sender sender) { change_ = std::move(sender); }

 private:
  http::Request& request_;
  Caller caller_;
  Store& reader_;
  const ApiDeps& deps_;
  http::Respond respond_;
  Sender change_;
  std::optional<FormParams> query_;  // nullopt: a bad %-escape
};

using Route = void (*)(Call&);

// Each file's routes, registered by api.cpp.
struct RouteSpec {
  const char* method;
  const char* pattern;
  const char* name;
  Route handler;
};
std::vector<RouteSpec> participant_routes();
std::vector<RouteSpec> session_routes();
std::vector<RouteSpec> message_routes();   // conversations and group messages
std::vector<RouteSpec> follow_routes();    // alerts, check-ins, indicators, audit, me, cohorts

}  // namespace relais::api
