#include "dialogs/tips.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "bot/core/domain.hpp"
#include "bot/core/sms.hpp"

namespace relais::dialogs {
namespace {

using Json = nlohmann::ordered_json;

// A tip is one message of its own: up to two SMS in GSM-7, three in UCS-2 (Arabic).
bool fits(const std::string& text) {
  const SmsInfo info = analyse_sms(normalise_for_sms(text));
  return info.segments <= (info.encoding == SmsEncoding::gsm7 ? 2 : 3);
}

std::string text_of(const Json& j, const char* key, const std::string& file, const std::string& tip,
                    bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) throw TipsError(file, tip, std::string("\"") + key + "\" is required");
    return {};
  }
  if (!it->is_string()) throw TipsError(file, tip, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

void check_keys(const Json& j, std::initializer_list<const char*> known, const std::string& file,
                const std::string& tip) {
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; }))
      throw TipsError(file, tip, "unknown key \"" + it.key() + "\"");
}

void read_file(const std::filesystem::path& path, const std::string& language,
               const std::vector<std::string>& venue_ids, std::vector<Tip>& out) {
  const std::string file = path.string();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  Json j;
  try {
    j = Json::parse(ss.str(), nullptr, true, /*ignore_comments=*/true);
  } catch (const Json::exception& e) {
    throw TipsError(file, "", std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw TipsError(file, "", "expected a JSON object");
  check_keys(j, {"barrier", "language", "scope", "tips"}, file, "");
  const std::string barrier = text_of(j, "barrier", file, "", true);
  if (std::none_of(std::begin(kBarriers), std::end(kBarriers), [&](const char* b) { return barrier == b; }))
    throw TipsError(file, "", "unknown barrier \"" + barrier + "\"");
  if (text_of(j, "language", file, "", true) != language)
    throw TipsError(file, "", "\"language\" must be \"" + language + "\", the folder's name");
  auto tips = j.find("tips");
  if (tips == j.end() || !tips->is_array()) throw TipsError(file, "", "\"tips\" must be a list");
  for (const auto& t : *tips) {
    if (!t.is_object()) throw TipsError(file, "", "each tip is an object");
    Tip tip;
    tip.id = text_of(t, "id", file, "", true);
    check_keys(t, {"id", "text", "source", "reviewed", "notes", "venue"}, file, tip.id);
    tip.barrier = barrier;
    tip.language = language;
    tip.text = text_of(t, "text", file, tip.id, true);
    tip.source = text_of(t, "source", file, tip.id, true);
    tip.notes = text_of(t, "notes", file, tip.id, false);
    auto reviewed = t.find("reviewed");
    if (reviewed == t.end() || !reviewed->is_boolean())
      throw TipsError(file, tip.id, "\"reviewed\" must be true or false");
    tip.reviewed = reviewed->get<bool>();
    if (std::string venue = text_of(t, "venue", file, tip.id, false); !venue.empty()) {
      if (std::find(venue_ids.begin(), venue_ids.end(), venue) == venue_ids.end())
        throw TipsError(file, tip.id, "\"venue\": \"" + venue + "\" is not a venue of the configuration");
      tip.venue = venue;
    }
    if (tip.text.empty() || tip.source.empty()) throw TipsError(file, tip.id, "\"text\" and \"source\" must not be empty");
    if (!fits(tip.text)) throw TipsError(file, tip.id, "the text is longer than two SMS");
    out.push_back(std::move(tip));
  }
}

}  // namespace

TipsError::TipsError(const std::string& file, const std::string& tip, const std::string& message)
    : std::runtime_error(file + ": " + (tip.empty() ? "" : "tip \"" + tip + "\": ") + message) {}

Tips Tips::load(const std::filesystem::path& folder, const std::vector<std::string>& venue_ids) {
  Tips tips;
  std::vector<std::filesystem::path> languages;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.is_directory()) languages.push_back(entry.path());
  std::sort(languages.begin(), languages.end());
  for (const auto& dir : languages) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    const std::size_t first = tips.tips_.size();
    for (const auto& f : files) read_file(f, dir.filename().string(), venue_ids, tips.tips_);
    std::set<std::string> ids;
    for (std::size_t i = first; i < tips.tips_.size(); ++i)
      if (!ids.insert(tips.tips_[i].id).second)
        throw TipsError(dir.string(), tips.tips_[i].id, "two tips have this id");
  }
  return tips;
}

std::vector<const Tip*> Tips::for_barrier(const std::string& barrier, const std::string& language) const {
  std::vector<const Tip*> out;
  for (const auto& lang : {language, std::string("fr")}) {
    for (const auto& t : tips_)
      if (t.barrier == barrier && t.language == lang && !t.venue) out.push_back(&t);
    if (!out.empty()) break;
  }
  return out;
}

const Tip* Tips::choose(const std::string& barrier, const std::string& language, const std::string& venue,
                        const std::map<std::string, Utc>& sent) const {
  std::vector<const Tip*> candidates;
  if (barrier == "mobility")
    if (const Tip* way = way_to(venue, language)) candidates.push_back(way);
  auto general = for_barrier(barrier, language);
  std::stable_partition(general.begin(), general.end(), [](const Tip* t) { return t->reviewed; });
  candidates.insert(candidates.end(), general.begin(), general.end());
  const Tip* best = nullptr;
  std::optional<Utc> best_at;
  for (const Tip* t : candidates) {
    auto it = sent.find(t->id);
    if (it == sent.end()) return t;  // never had: the first such wins
    if (!best || it->second < *best_at) {
      best = t;
      best_at = it->second;
    }
  }
  return best;
}

const Tip* Tips::way_to(const std::string& venue, const std::string& language) const {
  if (venue.empty()) return nullptr;
  for (const auto& lang : {language, std::string("fr")})
    for (const auto& t : tips_)
      if (t.venue == venue && t.language == lang) return &t;
  return nullptr;
}

Tips Tips::load_if_present(const std::filesystem::path& folder, const std::vector<std::string>& venue_ids) {
  return std::filesystem::exists(folder) ? load(folder, venue_ids) : Tips{};
}

std::size_t Tips::reviewed_count() const {
  return static_cast<std::size_t>(std::count_if(tips_.begin(), tips_.end(), [](const Tip& t) { return t.reviewed; }));
}

}  // namespace relais::dialogs
