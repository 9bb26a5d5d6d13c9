#pragma once
// POST /webhooks/{channel}: verify, parse, store through the engine, answer after commit.
#include <functional>
#include <map>
#include <string>

#include "adapters/channel.hpp"
#include "bot/http/router.hpp"
#include "bot/inbound.hpp"

namespace relais {

class Engine;
class Metrics;

struct WebhookDeps {
  const std::map<std::string, ChannelAdapter*>* adapters;
  Engine* engine;
  Metrics* metrics;
  // Runs inside an engine step: stores and handles one inbound message.
  std::function<InboundOutcome(Store&, const InboundMessage&)> handle;
  std::function<void()> after_commit;  // e.g. wake the dispatcher
  std::function<Utc()> now;
};

http::Handler make_webhook_handler(WebhookDeps deps);
// GET /webhooks/{channel}: the provider's subscription handshake (WhatsApp), else a
// webhook sent with GET (Vonage and Twilio let an account choose GET), handled like a POST.
http::Handler make_webhook_get_handler(WebhookDeps deps);

}  // namespace relais
