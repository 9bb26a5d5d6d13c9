#include <unistd.h>

#include <iostream>

#include <nlohmann/json.hpp>

#include "adapters/encoding.hpp"
#include "bot/app.hpp"
#include "bot/commands.hpp"
#include "bot/core/phone.hpp"
#include "bot/dispatcher.hpp"
#include "bot/http_client.hpp"

namespace relais {
namespace {

void print_replies(const nlohmann::json& replies, std::ostream& out) {
  if (replies.empty()) {
    out << "No automatic reply (the message is shown to the coaches).\n";
    return;
  }
  for (const auto& r : replies) out << "Reply: " << r.at("text").get<std::string>() << "\n";
}

// The server's address as a client reaches it (a wildcard bind is reached on loopback).
std::string server_url(const Config& config, const std::string& channel_id) {
  std::string host = config.server.bind;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "[::1]";
  else if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(config.server.port) + "/webhooks/" + channel_id;
}

}  // namespace

int say(const Config& config, const std::string& channel_id, const std::string& phone,
        const std::string& text, std::ostream& out, std::ostream& err) {
  const ChannelConfig* channel = config.find_channel(channel_id);
  if (!channel || channel->type != "console" || !channel->enabled)
    throw BadInput("--channel " + channel_id + ": not an enabled console channel of " +
                   config.file.string());
  auto parsed = Phone::parse(phone, config.default_region);
  if (!parsed) throw BadInput("PHONE \"" + phone + "\": " + parsed.error());

  // First, a running server: its engine is the writer, and it sends the replies itself.
  HttpRequest request;
  request.url = server_url(config, channel_id);
  request.headers["Content-Type"] = "application/json";
  if (!channel->basic_auth_password_env.empty()) {
    if (const char* pw = std::getenv(channel->basic_auth_password_env.c_str()))
      request.headers["Authorization"] = "Basic " + base64(channel->basic_auth_user + ":" + pw);
  }
  request.body = nlohmann::json{{"from", parsed->e164()}, {"text", text}}.dump();
  request.timeout = std::chrono::milliseconds(5000);
  auto response = make_http_client()->send(request);
  if (response) {
    if (response->status != 200) {
      err << "The server at " << request.url << " answered " << response->status << ": "
          << response->body << "\n";
      return response->status == 400 ? 2 : 1;
    }
    auto body = nlohmann::json::parse(response->body, nullptr, false);
    out << "Sent to the running server as " << parsed->masked() << ".\n";
    if (body.is_object() && body.contains("replies")) print_replies(body["replies"], out);
    return 0;
  }

  // No server: handle it here, and send what is due (the replies) on the console.
  out << "No server answers at " << request.url << ": handling the message here.\n";
  SystemClock clock;
  App app(config, clock, out);
  InboundMessage m;
  m.channel = channel_id;
  m.from = parsed->e164();
  m.text = text;
  m.provider_id = "say-" + std::to_string(to_epoch_ms(clock.now())) + "-" + std::to_string(::getpid());
  InboundOutcome outcome = app.receive(m);
  out << "Stored message #" << outcome.inbound_id.value_or(0) << " from " << parsed->masked() << ".\n";
  if (outcome.replies.empty()) out << "No automatic reply (the message is shown to the coaches).\n";
  app.dispatcher().dispatch_due();
  return 0;
}

}  // namespace relais
