#pragma once
// Practical tips (config/tips/<language>/<barrier>.json): content coaches review before it
// is sent, each with its source. Loaded and checked at start and by `relais check-config`.
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bot/core/time.hpp"

namespace relais::dialogs {

struct Tip {
  std::string id;
  std::string barrier;   // childcare, mobility, digital, confidence, isolation
  std::string language;  // the folder's name
  std::string text;
  std::string source;
  std::string notes;     // for coaches
  bool reviewed = false;
  std::optional<std::string> venue;  // a way to one venue (venues.json); nullopt: any
};

class TipsError : public std::runtime_error {
 public:
  TipsError(const std::string& file, const std::string& tip, const std::string& message);
};

class Tips {
 public:
  // Every <language>/*.json under `folder`. `venue_ids` are the configuration's venues (a
  // tip about the way to a venue must name one). Throws TipsError naming file and tip.
  static Tips load(const std::filesystem::path& folder, const std::vector<std::string>& venue_ids);
  // The same, with no tip at all when the folder does not exist (a configuration without tips).
  static Tips load_if_present(const std::filesystem::path& folder, const std::vector<std::string>& venue_ids);

  const std::vector<Tip>& all() const { return tips_; }
  // The tips of a barrier in `language`, French when that language has none.
  std::vector<const Tip*> for_barrier(const std::string& barrier, const std::string& language) const;
  // The tip of `barrier` to send her: for mobility the way to `venue` first (when there is
  // one), then her language's tips (French when it has none), reviewed first; the first she
  // has never had, else the one she had longest ago. `sent`: when she last had each tip, by
  // id. nullptr when the barrier has no tip.
  const Tip* choose(const std::string& barrier, const std::string& language, const std::string& venue,
                    const std::map<std::string, Utc>& sent) const;
  // The way to a venue in `language` (French when that language has none), if any.
  const Tip* way_to(const std::string& venue, const std::string& language) const;
  std::size_t reviewed_count() const;

 private:
  std::vector<Tip> tips_;
};

}  // namespace relais::dialogs
