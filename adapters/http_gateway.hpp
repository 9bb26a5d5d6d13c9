#pragma once
// The shape shared by every gateway reached over HTTP: building the send request and
// reading its answer are pure functions (tested on fixtures, no network); send() joins
// them with the HttpClient.
#include "adapters/channel.hpp"
#include "bot/core/http_client.hpp"

namespace relais {

class HttpGateway : public ChannelAdapter {
 public:
  HttpGateway(std::string id, HttpClient& client) : id_(std::move(id)), client_(client) {}
  const std::string& id() const override { return id_; }

  // The request for one message, or a permanent failure decided before any call (e.g.
  // WhatsApp outside its window with no approved template for the message).
  virtual Result<HttpRequest, SendOutcome> build_send(const OutgoingMessage& message) const = 0;
  // The gateway's answer: a provider message id, or a classified error.
  virtual SendOutcome read_send_response(const HttpResponse& response) const = 0;

  // The provider id of a message whose id the gateway chose from ours (Android gateway:
  // "relais-42"), for answers that confirm without repeating it (a 409 duplicate).
  virtual std::string own_provider_id(const OutgoingMessage&) const { return {}; }

  SendOutcome send(const OutgoingMessage& message) final;

 private:
  std::string id_;
  HttpClient& client_;
};

// Helpers for adapters' response readers.
// Retry-After in seconds or as an HTTP date (relative to `now`); nullopt if absent or bad.
std::optional<Millis> parse_retry_after(const HttpResponse& response, Utc now);
// The classification of a status when the body says nothing more precise:
// 401/403 bad_credentials, 429 rate_limited, 408/5xx unavailable, other 4xx rejected.
SendError classify_http_status(int status);

}  // namespace relais
