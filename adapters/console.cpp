#include "adapters/console.hpp"

#include "adapters/json_body.hpp"

#include <nlohmann/json.hpp>

#include "bot/core/phone.hpp"

namespace relais {
namespace {

Result<std::string> string_field(const nlohmann::json& body, const char* key, bool required) {
  auto it = body.find(key);
  if (it == body.end()) {
    if (required) return Err(std::string("$.") + key + ": missing");
    return std::string();
  }
  if (!it->is_string()) return Err(std::string("$.") + key + ": must be a string");
  return it->get<std::string>();
}

}  // namespace

ConsoleAdapter::ConsoleAdapter(ConsoleSettings settings, std::ostream& out,
                               std::function<std::string()> make_id)
    : settings_(std::move(settings)), out_(out), make_id_(std::move(make_id)) {}

Verdict ConsoleAdapter::verify(const WebhookRequest& request) const {
  if (settings_.basic_auth_password.empty())
    return settings_.server_on_loopback ? Verdict::accepted : Verdict::forbidden;
  return check_basic_auth(request, settings_.basic_auth_user, settings_.basic_auth_password);
}

Result<std::vector<InboundEvent>> ConsoleAdapter::parse(const WebhookRequest& request) const {
  auto parsed = parse_json_body(request.body);
  if (!parsed) return Err(parsed.error());
  const nlohmann::json& body = *parsed;
  if (!body.is_object()) return Err(std::string("$: expected a JSON object"));
  for (auto& [key, value] : body.items())
    if (key != "from" && key != "text" && key != "id")
      return Err("$." + key + ": unknown field (expected from, text, id)");

  auto from = string_field(body, "from", true);
  if (!from) return Err(from.error());
  auto text = string_field(body, "text", true);
  if (!text) return Err(text.error());
  auto id = string_field(body, "id", false);
  if (!id) return Err(id.error());

  auto phone = Phone::parse(*from, settings_.default_region);
  if (!phone) return Err("$.from: " + phone.error());
  if (text->empty()) return Err(std::string("$.text: must not be empty"));
  if (id->size() > 128) return Err(std::string("$.id: longer than 128 characters"));

  InboundMessage m;
  m.channel = settings_.id;
  m.from = phone->e164();
  m.text = std::move(*text);
  m.provider_id = id->empty() ? make_id_() : "client:" + *id;
  return std::vector<InboundEvent>{std::move(m)};
}

SendOutcome ConsoleAdapter::send(const OutgoingMessage& message) {
  {
    std::lock_guard lock(out_mutex_);
    out_ << "[" << settings_.id << " -> " << mask_phone(message.to) << "] " << message.text
         << std::endl;
  }
  return SendOutcome::success(settings_.id + "-" + std::to_string(message.id));
}

}  // namespace relais
