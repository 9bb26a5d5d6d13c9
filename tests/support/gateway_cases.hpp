#pragma once
// The HTTP gateways as a fake provider plays them in end-to-end tests. Each case
// configures a channel whose api_base_url points at a FakeGateway, answers relais's sends
// with the provider's real success payload (tests/fixtures/<type>/, a per-request id put
// in), reads back what relais sent in the provider's own format, and writes the webhooks
// the provider posts (delivery receipts, inbound messages) signed the way it signs them.
//
// Secrets travel through environment variables that the case sets when it is made and
// unsets when it goes (names unique to the case: RELAIS_GWTEST_<TYPE>_<KEY>). Not
// thread-safe: one case at a time per process, as Catch runs tests.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/core/status.hpp"
#include "support/fake_gateway.hpp"

namespace relais::test {

// The participant every case talks to, and her Telegram chat.
inline constexpr const char* kAminaPhone = "+33612345001";
inline constexpr const char* kAminaChat = "700123456";

// A webhook as the provider sends it: a POST, or a GET with its fields in the query.
struct Webhook {
  std::string method = "POST";
  std::map<std::string, std::string> headers;
  std::string body;
  std::string query;
};

class GatewayCase {
 public:
  explicit GatewayCase(std::string type, std::filesystem::path fixtures);
  virtual ~GatewayCase();  // unsets the environment variables it set
  GatewayCase(const GatewayCase&) = delete;
  GatewayCase& operator=(const GatewayCase&) = delete;

  // The channel type, also used as the channel id.
  const std::string& type() const { return type_; }

  // The channel reaching the provider's API on the fake gateway at `gateway_url`.
  virtual ChannelConfig channel(const std::string& gateway_url) const = 0;

  // The provider's send endpoint as a FakeGateway route pattern (always POST), the path
  // relais must call, and the provider's success answer to the n-th send.
  virtual std::string send_route() const = 0;
  virtual std::string send_path() const = 0;
  virtual http::Response send_ok(const FakeGateway::Received& request, int n) const = 0;
  // The message id relais must record for that answer.
  virtual std::string provider_id(const FakeGateway::Received& request, int n) const = 0;

  // What a send carried, read back from the provider's format: "auth" (the credentials as
  // the provider takes them), "to", "text" and the provider's own fields worth checking.
  virtual std::map<std::string, std::string> sent_fields(const FakeGateway::Received& request) const = 0;
  // The same fields as they must be for outbox row `row_id` carrying `text`.
  virtual std::map<std::string, std::string> expected_fields(std::int64_t row_id, const std::string& text,
                                                             const std::string& webhook_url) const = 0;

  // Where Amina is reached and where her messages come from: her number, or her chat id
  // (then linked to her record in the database).
  virtual std::string address() const { return kAminaPhone; }
  bool address_is_linked() const { return address() != kAminaPhone; }

  // The provider's delivery receipt for `provider_id` (nullopt: the provider sends none),
  // and the status it must give the row.
  virtual std::optional<Webhook> receipt(const std::string& provider_id,
                                         const std::string& webhook_url) const = 0;
  virtual MessageStatus receipt_status() const { return MessageStatus::delivered; }

  // Her inbound message `text`, the provider's n-th (nullopt: a send-only channel).
  virtual std::optional<Webhook> inbound(const std::string& text, int n,
                                         const std::string& webhook_url) const = 0;

  // The same as a GET with the fields in the query, for providers whose console offers that
  // method (Vonage's "GET" webhook format, Twilio's HTTP GET); nullopt for the others.
  virtual std::optional<Webhook> inbound_get(const std::string&, int, const std::string&) const {
    return std::nullopt;
  }

  // Whether the signature covers the body (false: a shared secret or a password in a header).
  virtual bool signs_body() const { return true; }
  // The header carrying the signature, token or password; "" when it travels in the body.
  virtual std::string signature_header() const = 0;
  // The webhook with its signature taken away.
  virtual Webhook without_signature(Webhook webhook) const;
  // The status relais answers a webhook it refuses.
  virtual int refused_status() const { return 403; }
  // WhatsApp sends free text only within 24 hours of her last message.
  virtual bool needs_open_window() const { return false; }
  // The values of the secrets the case set: none of them may reach a log or a stored reason.
  const std::vector<std::string>& secrets() const { return secrets_; }

 protected:
  // Sets RELAIS_GWTEST_<TYPE>_<key> to `value`; returns the variable's name.
  std::string secret_env(const std::string& key, const std::string& value);
  // A fixture's body: for an .http file, what follows the headers (trailing blanks cut).
  std::string fixture(const std::string& name) const;

 private:
  std::string type_;
  std::filesystem::path fixtures_;
  std::vector<std::string> env_names_;
  std::vector<std::string> secrets_;
};

// twilio, vonage, brevo, whatsapp, telegram, android.
std::vector<std::string> gateway_types();
// Throws std::invalid_argument for another type. `fixtures` is tests/fixtures.
std::unique_ptr<GatewayCase> make_gateway_case(const std::string& type, const std::filesystem::path& fixtures);

// application/x-www-form-urlencoded, decoded, in order.
std::vector<std::pair<std::string, std::string>> form_decode(const std::string& body);
std::string base64(const std::string& bytes);

}  // namespace relais::test
