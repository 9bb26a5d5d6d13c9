#include "adapters/gateway_util.hpp"

namespace relais {

std::string read_secret(const AdapterContext& context, const std::string& name) {
  return name.empty() || !context.secret ? std::string() : context.secret(name);
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool is_e164(std::string_view to) {
  if (to.size() < 9 || to.size() > 16 || to[0] != '+' || to[1] == '0') return false;
  return to.substr(1).find_first_not_of("0123456789") == std::string_view::npos;
}

bool contains_ci(std::string_view text, std::string_view word) {
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); };
  if (word.empty()) return true;
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    std::size_t k = 0;
    while (k < word.size() && lower(text[i + k]) == word[k]) ++k;
    if (k == word.size()) return true;
  }
  return false;
}

}  // namespace relais
