#pragma once
// The encodings and digests gateways use on the wire: percent-encoded forms and queries,
// hex and base64, hashes and HMACs (over OpenSSL). Pure functions, safe from any thread.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX

namespace relais {

// The pairs of a form body or URL query, percent-decoded, in arrival order (a name may
// repeat).
using FormParams = std::vector<std::pair<std::string, std::string>>;

// %XX escapes decoded and '+' read as a space; nullopt on a bad or cut %-escape.
std::optional<std::string> percent_decode(std::string_view text);

// Appends the pairs of application/x-www-form-urlencoded text (also a URL query) to
// `params`: empty and blank pieces are skipped, a piece without '=' has an empty value.
// False on a bad %-escape.
bool append_form(std::string_view text, FormParams& params);
// The same into a new list; nullopt on a bad %-escape.
std::optional<FormParams> parse_form(std::string_view text);

// One value of a form body (application/x-www-form-urlencoded, space as '+').
std::string form_encode(std::string_view value);

// The first value of `name`, or "" when it is absent.
std::string_view form_value(const FormParams& params, std::string_view name);
bool form_has(const FormParams& params, std::string_view name);

// Lower-case hex of raw bytes.
std::string hex(std::string_view bytes);
// Standard base64 with padding.
std::string base64(std::string_view bytes);

enum class HashAlgorithm { md5, sha1, sha256, sha512 };

// Raw digest bytes.
std::string digest(HashAlgorithm algorithm, std::string_view data);
// Raw HMAC bytes keyed with `key` (which may be empty).
std::string hmac(HashAlgorithm algorithm, std::string_view key, std::string_view data);

// An HMAC key made ready once, for a secret that signs every webhook: hmac() looks the
// algorithm up and hashes the key again at each call, which showed in the inbound benchmark.
class HmacKey {
 public:
  HmacKey(HashAlgorithm algorithm, std::string_view key);  // the key may be empty
  ~HmacKey();
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;
  // Raw HMAC bytes of the parts, one after the other. Safe from any thread.
  std::string sign(std::initializer_list<std::string_view> parts) const;

 private:
  ::evp_mac_ctx_st* keyed_;  // keyed, nothing hashed yet: copied for each signature
};

// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

}  // namespace relais
