#include "bot/config/json_text.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>
#include <vector>

namespace relais::config_detail {
namespace {

// Follows the parser through the document so that a duplicate key, or a number too large
// to hold, can be reported with its JSON path.
class PathTracker {
 public:
  // Returns the duplicated key's path, or an empty string.
  std::string on_event(Json::parse_event_t event, const Json& parsed) {
    using E = Json::parse_event_t;
    switch (event) {
      case E::object_start: frames_.emplace_back(false); break;
      case E::array_start: frames_.emplace_back(true); break;
      case E::key:
        frames_.back().key = parsed.get<std::string>();
        if (!frames_.back().keys.insert(frames_.back().key).second) return current_path();
        break;
      case E::object_end:
      case E::array_end:
        frames_.pop_back();
        element_done();
        break;
      case E::value: element_done(); break;
    }
    return {};
  }

  std::string current_path() const {
    std::string path = "$";
    for (const auto& f : frames_) {
      if (f.array)
        path = index_path(path, f.count);
      else if (!f.key.empty() || !f.keys.empty())
        path = member_path(path, f.key);
    }
    return path;
  }

 private:
  struct Frame {
    explicit Frame(bool is_array) : array(is_array) {}
    bool array;
    std::size_t count = 0;  // elements completed, for arrays
    std::string key;        // the member being read, for objects
    std::unordered_set<std::string> keys;
  };
  void element_done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().count;
  }
  std::vector<Frame> frames_;
};

// nlohmann's message without its "[json.exception…] parse error at line…: " prefix and
// without the "last read: '…'" excerpt of the file.
std::string describe(const std::string& what) {
  std::string text = what;
  if (text.rfind("[json.exception", 0) == 0 && text.find("] ") != std::string::npos)
    text = text.substr(text.find("] ") + 2);
  auto column = text.find("column ");
  if (column != std::string::npos) {
    auto colon = text.find(": ", column);
    if (colon != std::string::npos) text = text.substr(colon + 2);
  }
  auto excerpt = text.find("; last read: ");
  if (excerpt != std::string::npos) {
    auto rest = text.find("'; ", excerpt + 13);
    text = text.substr(0, excerpt) + (rest == std::string::npos ? "" : "; " + text.substr(rest + 3));
  }
  return text;
}

}  // namespace

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition pos;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
      ++pos.column;
    }
  }
  return pos;
}

Json parse_json_text(std::string_view text, const std::string& file) {
  PathTracker tracker;
  auto on_event = [&](int, Json::parse_event_t event, Json& parsed) {
    std::string duplicate = tracker.on_event(event, parsed);
    if (!duplicate.empty()) fail(file, duplicate, "duplicate key");
    return true;
  };
  try {
    return Json::parse(text, on_event, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const Json::parse_error& e) {
    // e.byte counts the characters read, the offending one included; point at the last
    // significant one rather than at the white space after it.
    std::size_t last = std::min<std::size_t>(e.byte, text.size());
    last = last > 0 ? last - 1 : 0;
    while (last > 0 && std::isspace(static_cast<unsigned char>(text[last]))) --last;
    TextPosition pos = position_of(text, last);
    fail(file, "",
         std::to_string(pos.line) + ":" + std::to_string(pos.column) +
             ": " + describe(e.what()));
  } catch (const Json::exception& e) {
    // Numbers too large to hold, invalid UTF-8 in a string…: the tracker knows where.
    fail(file, tracker.current_path(), describe(e.what()));
  }
}

}  // namespace relais::config_detail
