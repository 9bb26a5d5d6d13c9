#include "bot/import/participants_csv.hpp"

#include <optional>
#include <unordered_map>

#include "bot/config/channel_types.hpp"
#include "bot/core/phone.hpp"
#include "bot/core/text.hpp"
#include "bot/import/csv.hpp"
#include "bot/import/participant_fields.hpp"
#include "bot/import/participants_columns.hpp"

namespace relais {
namespace {

constexpr std::size_t kNoRow = static_cast<std::size_t>(-1);

// A config id and its folded form, so that each cell is folded once, not once per id.
template <class T>
struct Known {
  std::string key;
  const T* item;
};

template <class T>
std::vector<Known<T>> index_by_id(const std::vector<T>& items) {
  std::vector<Known<T>> out;
  for (const auto& item : items) out.push_back({fold_cell(item.id), &item});
  return out;
}

template <class T>
const T* find_by_key(const std::vector<Known<T>>& known, std::string_view cell) {
  std::string key = fold_cell(cell);
  for (const auto& k : known)
    if (k.key == key) return k.item;
  return nullptr;
}

template <class T>
std::string list_ids(const std::vector<T>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item.id;
  return out.empty() ? "none in the config" : out;
}

// Who already holds a phone number, to catch two people on one phone.
struct PhoneHolder {
  int line;
  std::string first_name;
  std::string name_key;  // fold_compact(first_name)
  std::size_t row;       // index in ParticipantsFile::rows, kNoRow when that line was bad
};

// Checks rows one by one against the config; remembers phones across rows.
class ParticipantsReader {
 public:
  ParticipantsReader(const Config& config, const ColumnLayout& columns, ParticipantsFile& out)
      : config_(config),
        columns_(columns),
        out_(out),
        cohorts_(index_by_id(config.cohorts)),
        channels_(index_by_id(config.channels)) {}

  void read(const CsvRecord& row) {
    line_ = row.line;
    row_ = &row;
    issues_.clear();
    ParticipantRecord record;
    auto phone = read_identity(record);
    read_cohort(record);
    read_consents(record);
    read_options(record);
    const ChannelConfig* channel = read_channel(record);
    if (phone) {
      check_can_receive_sms(*phone, channel);
      read_buddy(record, *phone);
    }
    if (phone && !record.first_name.empty()) {
      keep_or_replace(std::move(record));
    } else {
      flush_errors();
    }
  }

 private:
  std::string_view cell(Column c) const {
    int i = columns_.index[static_cast<std::size_t>(c)];
    return i < 0 ? std::string_view() : std::string_view(row_->fields[static_cast<std::size_t>(i)]);
  }

  void error(Column c, std::string message) {
    issues_.push_back({line_, columns_.name(c), std::move(message)});
  }

  // The first name and the phone: the row's identity. Returns the phone when valid.
  std::optional<Phone> read_identity(ParticipantRecord& record) {
    auto name = read_first_name(cell(Column::first_name));
    if (name)
      record.first_name = std::move(*name);
    else
      error(Column::first_name, name.error());

    std::string text = phone_text(cell(Column::phone));
    if (text.empty()) {
      error(Column::phone, "phone is empty");
      return std::nullopt;
    }
    auto phone = Phone::parse(text, config_.default_region);
    if (!phone) {
      error(Column::phone, "\"" + text + "\": " + phone.error());
      return std::nullopt;
    }
    record.phone = phone->e164();
    return *phone;
  }

  void read_cohort(ParticipantRecord& record) {
    std::string text = trim_cell(cell(Column::cohort));
    if (text.empty())
      return error(Column::cohort, "cohort is empty (cohorts: " + list_ids(config_.cohorts) + ")");
    if (const auto* cohort = find_by_key(cohorts_, text))
      record.cohort = cohort->id;
    else
      error(Column::cohort,
            "unknown cohort \"" + text + "\" (cohorts: " + list_ids(config_.cohorts) + ")");
  }

  void read_consents(ParticipantRecord& record) {
    auto consent = read_yes_no(cell(Column::consent), "consent");
    if (consent)
      record.consent = *consent;
    else
      error(Column::consent, consent.error());
    // Tips follow the general consent unless the file says otherwise.
    record.consent_tips = record.consent;
    if (trim_cell(cell(Column::consent_tips)).empty()) return;
    auto tips = read_yes_no(cell(Column::consent_tips), "consent to tips");
    if (tips)
      record.consent_tips = *tips;
    else
      error(Column::consent_tips, tips.error());
  }

  void read_options(ParticipantRecord& record) {
    auto language = read_language(cell(Column::language));
    if (language)
      record.language = std::move(*language);
    else
      error(Column::language, language.error());

    auto barriers = read_barriers(cell(Column::barriers));
    if (barriers)
      record.barriers = std::move(*barriers);
    else
      error(Column::barriers, barriers.error());

    std::string id = trim_cell(cell(Column::external_id));
    if (!id.empty()) record.external_id = std::move(id);
  }

  const ChannelConfig* read_channel(ParticipantRecord& record) {
    std::string text = trim_cell(cell(Column::channel));
    if (text.empty()) {
      // No channel named: the config's default. Config validation makes this one exist.
      const auto* channel = find_by_key(channels_, config_.default_channel);
      if (channel)
        record.channel = channel->id;
      else
        error(Column::channel, "no channel given and the config has no usable default channel");
      return channel;
    }
    const auto* channel = find_by_key(channels_, text);
    if (channel)
      record.channel = channel->id;
    else
      error(Column::channel,
            "unknown channel \"" + text + "\" (channels: " + list_ids(config_.channels) + ")");
    return channel;
  }

  void check_can_receive_sms(const Phone& phone, const ChannelConfig* channel) {
    if (!channel || !channel_type_is_sms(channel->type) || phone.can_receive_sms()) return;
    std::string text = trim_cell(cell(Column::phone));
    if (phone.line_type() == LineType::fixed_line)
      error(Column::phone, "landline " + text + " cannot receive SMS");
    else
      error(Column::phone, text + " cannot receive SMS (not a mobile number)");
  }

  void read_buddy(ParticipantRecord& record, const Phone& own) {
    std::string text = phone_text(cell(Column::buddy));
    if (text.empty()) return;
    auto buddy = Phone::parse(text, config_.default_region);
    if (!buddy) return error(Column::buddy, "buddy's phone \"" + text + "\": " + buddy.error());
    if (*buddy == own)
      return error(Column::buddy, "the buddy's phone " + text + " is her own phone");
    record.buddy_phone = buddy->e164();
  }

  // The phone is the key: a second line on a known phone is the same person again (the
  // later line wins) or another person (an error).
  void keep_or_replace(ParticipantRecord record) {
    std::string name_key = fold_compact(record.first_name);
    auto [it, first_time] = holders_.try_emplace(record.phone);
    PhoneHolder& holder = it->second;
    if (first_time) {
      holder = {line_, record.first_name, std::move(name_key), kNoRow};
    } else if (holder.name_key != name_key) {
      error(Column::phone, trim_cell(cell(Column::phone)) + " is already the phone of " +
                               holder.first_name + " (line " + std::to_string(holder.line) +
                               "), not of " + record.first_name + " (line " +
                               std::to_string(line_) +
                               "): two people on one phone would read each other's messages");
    }
    if (!flush_errors()) return;
    if (!first_time) {
      out_.warnings.push_back({line_, columns_.name(Column::phone),
                               "same phone and first name as line " + std::to_string(holder.line) +
                                   ": this line replaces it"});
      holder.line = line_;
      holder.first_name = record.first_name;
    }
    if (holder.row == kNoRow) {
      holder.row = out_.rows.size();
      out_.rows.push_back({line_, std::move(record)});
    } else {
      out_.rows[holder.row] = {line_, std::move(record)};
    }
  }

  // Moves this line's problems to the file's errors; true when there were none.
  bool flush_errors() {
    if (issues_.empty()) return true;
    for (auto& issue : issues_) out_.errors.push_back(std::move(issue));
    issues_.clear();
    return false;
  }

  const Config& config_;
  const ColumnLayout& columns_;
  ParticipantsFile& out_;
  std::vector<Known<CohortConfig>> cohorts_;
  std::vector<Known<ChannelConfig>> channels_;
  std::unordered_map<std::string, PhoneHolder> holders_;
  int line_ = 0;
  const CsvRecord* row_ = nullptr;
  std::vector<ImportIssue> issues_;
};

}  // namespace

ParticipantsFile parse_participants_csv(std::string_view content, const Config& config) {
  ParticipantsFile out;
  auto table = parse_csv(content);
  if (!table) {
    out.errors.push_back({table.error().line, "", table.error().message});
    return out;
  }
  auto columns = find_columns(table->header, table->header_line);
  out.warnings = std::move(columns.warnings);
  if (!columns.errors.empty()) {
    out.errors = std::move(columns.errors);
    return out;
  }
  ParticipantsReader reader(config, columns.layout, out);
  for (const auto& row : table->rows) reader.read(row);
  return out;
}

bool channel_type_is_sms(std::string_view type) {
  const ChannelTypeSpec* spec = find_channel_type(type);
  return spec && spec->sms;
}

std::string describe(const ImportIssue& issue) {
  std::string out = issue.line == 0 ? "file" : "line " + std::to_string(issue.line);
  if (!issue.column.empty()) out += ", column \"" + issue.column + "\"";
  return out + ": " + issue.message;
}

}  // namespace relais
