#pragma once
// Small helpers several gateway adapters share.
#include <string>
#include <string_view>

#include "adapters/registry.hpp"

namespace relais {

// The value of the environment variable `name` through the context; "" when unnamed/unset.
std::string read_secret(const AdapterContext& context, const std::string& name);
// "https://api.example.org/v3/" → "https://api.example.org/v3".
std::string without_trailing_slash(std::string url);
// "+" and 8 to 15 digits, not starting with 0.
bool is_e164(std::string_view to);
// Whether `text` contains `word` (given in lower case), ignoring ASCII case.
bool contains_ci(std::string_view text, std::string_view word);

}  // namespace relais
