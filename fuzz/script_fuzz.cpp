// libFuzzer target: a dialog script, however broken, is loaded or refused with a
// DialogError — never a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dialogs/script_loader.hpp"

using namespace relais::dialogs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    Dialog d = parse_dialog(text, "fuzz.json", [](const std::string& key) { return key.size() < 40; });
    if (!d.find(d.start)) std::abort();  // a loaded script always starts somewhere real
  } catch (const DialogError&) {
  }
  return 0;
}
