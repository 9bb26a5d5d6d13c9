#include "adapters/encoding.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace relais {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

const char* digest_name(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::md5: return "MD5";
    case HashAlgorithm::sha1: return "SHA1";
    case HashAlgorithm::sha256: return "SHA256";
    case HashAlgorithm::sha512: return "SHA512";
  }
  return "SHA256";  // not reached: the switch names every algorithm
}

const EVP_MD* evp(HashAlgorithm algorithm) {
  switch (algorithm) {
    case HashAlgorithm::md5: return EVP_md5();
    case HashAlgorithm::sha1: return EVP_sha1();
    case HashAlgorithm::sha256: return EVP_sha256();
    case HashAlgorithm::sha512: return EVP_sha512();
  }
  return EVP_sha256();  // not reached: the switch names every algorithm
}

std::string bytes(const unsigned char* data, unsigned int length) {
  return std::string(reinterpret_cast<const char*>(data), length);
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view in) {
  // Most names and values (MessageSid=SM…, NumMedia=0) have nothing to decode.
  auto i = in.find_first_of("+%");
  if (i == std::string_view::npos) return std::string(in);
  std::string out;
  out.reserve(in.size());
  out.append(in.substr(0, i));
  for (; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

bool append_form(std::string_view text, FormParams& params) {
  while (!text.empty()) {
    const auto amp = text.find('&');
    const auto piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty() || piece.find_first_not_of(" \t\r\n") == std::string_view::npos) continue;
    const auto eq = piece.find('=');
    auto name = percent_decode(piece.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? "" : piece.substr(eq + 1));
    if (!name || !value) return false;
    params.emplace_back(std::move(*name), std::move(*value));
  }
  return true;
}

std::optional<FormParams> parse_form(std::string_view text) {
  FormParams params;
  if (!append_form(text, params)) return std::nullopt;
  return params;
}

std::string form_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '*') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string_view form_value(const FormParams& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

bool form_has(const FormParams& params, std::string_view name) {
  return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == name; });
}

std::string hex(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * data.size());
  for (unsigned char c : data) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string base64(std::string_view data) {
  // EVP_EncodeBlock writes a NUL after the text: one more byte than the text itself.
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string digest(HashAlgorithm algorithm, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), out, &length, evp(algorithm), nullptr);
  return bytes(out, length);
}

std::string hmac(HashAlgorithm algorithm, std::string_view key, std::string_view data) {
  return HmacKey(algorithm, key).sign({data});
}

HmacKey::HmacKey(HashAlgorithm algorithm, std::string_view key) {
  // Fetched once for the process: the lookup by name is what makes one-shot HMAC() slow.
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!mac || !(keyed_ = EVP_MAC_CTX_new(mac))) throw std::runtime_error("OpenSSL has no HMAC");
  // To OpenSSL a null key means "keep the previous key": an empty key gets a valid
  // pointer, so that it always means the empty key.
  static const unsigned char kNoKey = 0;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name(algorithm)), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(keyed_, key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data()),
                   key.size(), params) != 1) {
    EVP_MAC_CTX_free(keyed_);
    throw std::runtime_error("OpenSSL cannot key an HMAC");
  }
}

HmacKey::~HmacKey() { EVP_MAC_CTX_free(keyed_); }

std::string HmacKey::sign(std::initializer_list<std::string_view> parts) const {
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(keyed_), &EVP_MAC_CTX_free);
  if (!ctx) throw std::runtime_error("OpenSSL cannot copy an HMAC");
  for (auto part : parts)
    EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(part.data()), part.size());
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (EVP_MAC_final(ctx.get(), out, &length, sizeof out) != 1) throw std::runtime_error("OpenSSL cannot sign");
  return bytes(out, static_cast<unsigned int>(length));
}

std::string sha256_hex(std::string_view data) { return hex(digest(HashAlgorithm::sha256, data)); }

}  // namespace relais
