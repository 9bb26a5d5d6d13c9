// libFuzzer target: whatever a participant may text, reading her reply never crashes,
// never reads out of bounds, and returns valid UTF-8 (AddressSanitizer + UBSan watch).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bot/core/text.hpp"
#include "dialogs/keywords.hpp"
#include "dialogs/understand.hpp"

using namespace relais;
using namespace relais::dialogs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string normal = normalise_reply(text);
  if (!is_valid_utf8(normal)) std::abort();
  (void)match_global_keyword(text);
  for (const char* language : {"fr", "en", "ar"}) {
    (void)understand_yes_no(text, language, true);
    if (auto n = understand_number(text, 1, 5, language); n && (*n < 1 || *n > 5)) std::abort();
    static const std::vector<Choice> choices = {{"childcare", {"garde", "enfant", "creche"}},
                                                {"transport", {"bus", "tram"}},
                                                {"other", {"autre"}}};
    (void)understand_choice(text, choices, language);
  }
  return 0;
}
