#include "adapters/encoding.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace relais {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
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
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
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
  // To OpenSSL a null key means "keep the previous key" (HMAC_Init_ex): an empty key gets
  // a valid pointer, so that it always means the empty key.
  static const char kNoKey = '\0';
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(evp(algorithm), key.empty() ? &kNoKey : key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return bytes(out, length);
}

std::string sha256_hex(std::string_view data) { return hex(digest(HashAlgorithm::sha256, data)); }

}  // namespace relais
