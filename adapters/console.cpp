#include "adapters/console.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "bot/core/phone.hpp"

namespace relais {
namespace {

std::string base64_decode(std::string_view in) {
  if (in.size() % 4 != 0 || in.empty()) return {};
  std::string out(in.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  if (n < 0) return {};
  // EVP_DecodeBlock counts padding as zero bytes: drop them.
  if (in.ends_with("==")) n -= 2;
  else if (in.ends_with("=")) n -= 1;
  out.resize(static_cast<std::size_t>(n));
  return out;
}

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
  auto it = request.headers.find("authorization");
  constexpr std::string_view scheme = "Basic ";
  if (it == request.headers.end() || !it->second.starts_with(scheme))
    return Verdict::unauthenticated;
  std::string expected = settings_.basic_auth_user + ":" + settings_.basic_auth_password;
  std::string given = base64_decode(std::string_view(it->second).substr(scheme.size()));
  return constant_time_equal(given, expected) ? Verdict::accepted : Verdict::unauthenticated;
}

Result<std::vector<InboundEvent>> ConsoleAdapter::parse(const WebhookRequest& request) const {
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& e) {
    return Err(std::string("body is not valid JSON: ") + e.what());
  }
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
  SendOutcome outcome;
  outcome.ok = true;
  outcome.provider_id = settings_.id + "-" + std::to_string(message.id);
  return outcome;
}

}  // namespace relais
