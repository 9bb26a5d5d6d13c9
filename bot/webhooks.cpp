#include "bot/webhooks.hpp"

#include <nlohmann/json.hpp>

#include "bot/engine.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"

namespace relais {
namespace {

WebhookRequest to_webhook_request(const http::Request& r) {
  return WebhookRequest{r.method, r.path, r.query, r.headers, r.body};
}

// The same, taking the headers and body: a POST's request is not read again.
WebhookRequest take_webhook_request(http::Request& r) {
  return WebhookRequest{r.method, r.path, r.query, std::move(r.headers), std::move(r.body)};
}

struct Collected {
  int received = 0;
  int duplicates = 0;
  int parts = 0;
  int receipts = 0;
  int unmatched_receipts = 0;
  nlohmann::json replies = nlohmann::json::array();
  std::vector<std::pair<std::string, bool>> messages;  // sender, known: logged after the commit
};

}  // namespace

http::Handler make_webhook_handler(WebhookDeps deps);

http::Handler make_webhook_get_handler(WebhookDeps deps) {
  auto as_webhook = make_webhook_handler(deps);
  return [deps, as_webhook](http::Request& request, http::Respond respond) {
    auto it = deps.adapters->find(request.params["channel"]);
    if (it == deps.adapters->end()) {
      respond(http::json_error(404, "no enabled channel with this id"));
      return;
    }
    auto reply = it->second->handshake(to_webhook_request(request));
    if (!reply) {
      // Providers that may call webhooks with GET (Vonage, Twilio): the same path as a POST.
      as_webhook(request, std::move(respond));
      return;
    }
    http::Response r;
    r.status = reply->status;
    r.content_type = reply->content_type;
    r.body = reply->body;
    respond(std::move(r));
  };
}

http::Handler make_webhook_handler(WebhookDeps deps) {
  // The router keeps the handler, and with it `deps`, for the server's life: steps and
  // callbacks point to it rather than copy its functions for every request.
  return [deps](http::Request& request, http::Respond respond) {
    const WebhookDeps* d = &deps;
    const std::string& channel = request.params["channel"];
    auto it = deps.adapters->find(channel);
    if (it == deps.adapters->end()) {
      respond(http::json_error(404, "no enabled channel with this id"));
      return;
    }
    ChannelAdapter& adapter = *it->second;
    const WebhookRequest wr = take_webhook_request(request);
    const Verdict verdict = adapter.verify(wr);
    if (verdict != Verdict::accepted) {
      const bool auth = verdict == Verdict::unauthenticated;
      deps.metrics->count("webhook_rejected_total",
                          "channel=\"" + channel + "\",reason=\"" + (auth ? "unauthenticated" : "forbidden") + "\"");
      log::warn("webhook.rejected", {{"channel", channel}, {"reason", auth ? "unauthenticated" : "forbidden"}});
      auto r = http::json_error(auth ? 401 : 403, auth ? "authentication required" : "forbidden");
      if (auth) r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"relais\"");
      respond(std::move(r));
      return;
    }
    auto events = adapter.parse(wr);
    if (!events) {
      deps.metrics->count("webhook_invalid_total", "channel=\"" + channel + "\"");
      log::warn("webhook.invalid", {{"channel", channel}, {"error", events.error()}});
      respond(http::json_error(400, events.error()));
      return;
    }
    auto collected = std::make_shared<Collected>();
    auto parsed = std::make_shared<std::vector<InboundEvent>>(std::move(events.value()));
    deps.engine->submit(
        [d, parsed, collected](Store& store) {
          for (const auto& event : *parsed) {
            if (const auto* m = std::get_if<InboundMessage>(&event)) {
              InboundOutcome o = d->handle(store, *m);
              collected->messages.push_back({m->from, o.known});
              if (o.partial) ++collected->parts;
              else if (!o.inbound_id) ++collected->duplicates;
              else ++collected->received;
              for (const auto& reply : o.replies)
                collected->replies.push_back(
                    {{"id", reply.id}, {"to", reply.recipient}, {"text", reply.text},
                     {"segments", reply.segments}, {"encoding", reply.encoding}});
            } else {
              ++collected->receipts;
              if (!store.apply_receipt(std::get<DeliveryReceipt>(event), d->now()))
                ++collected->unmatched_receipts;
            }
          }
        },
        [d, collected, respond = std::move(respond), ack_with = &adapter, channel_id = channel](std::exception_ptr error) {
          if (error) {
            // Nothing was stored: the gateway must retry.
            std::string what = "unknown error";
            try { std::rethrow_exception(error); } catch (const std::exception& e) { what = e.what(); } catch (...) {}
            log::error("webhook.store_failed", {{"error", what}});
            respond(http::json_error(503, "temporarily unavailable, please retry"));
            return;
          }
          if (d->after_commit && !collected->replies.empty()) d->after_commit();
          for (const auto& [from, known] : collected->messages)
            log::info("inbound.stored", {{"channel", channel_id}, {"from", from}, {"known", known ? "yes" : "no"},
                                         {"replies", std::to_string(collected->replies.size())}});
          if (collected->unmatched_receipts > 0)
            log::info("webhook.receipts_kept", {{"count", std::to_string(collected->unmatched_receipts)}});
          std::string summary;
          if (ack_with->wants_summary())
            summary = nlohmann::json{{"received", collected->received},
                                     {"duplicates", collected->duplicates},
                                     {"parts", collected->parts},
                                     {"receipts", collected->receipts},
                                     {"replies", collected->replies}}.dump();
          const WebhookReply ack = ack_with->acknowledge(summary);
          http::Response r;
          r.status = ack.status;
          r.content_type = ack.content_type;
          r.body = ack.body;
          respond(std::move(r));
        },
        // Each message keeps itself (inbound row first, its handling under a savepoint of
        // its own) and receipts are single statements: no second savepoint around it all.
        /*isolated=*/false);
  };
}

}  // namespace relais
