#pragma once
// Scripted dialogs at work: starting them, taking replies, firing nudges and timeouts.
// The pure runtime (dialogs/runtime.hpp) decides; this class loads the scripts and texts,
// and stores what the runtime decided — conversation state, answers, alerts and outgoing
// messages — inside the caller's engine step (one transaction with what caused it).
// Thread-safety: immutable after load; its methods run on the engine's writer thread.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"
#include "dialogs/runtime.hpp"
#include "dialogs/script.hpp"
#include "dialogs/templates.hpp"
#include "dialogs/tips.hpp"
#include "scheduler/zone.hpp"

namespace relais {

class Conversations {
 public:
  Conversations(const Config& config, const TimeZone& zone, dialogs::Templates templates,
                std::vector<dialogs::Dialog> dialogs, dialogs::Tips tips);
  // Loads config.templates_dir, config.dialogs_dir and config.tips_dir; throws (naming
  // file and node, key or tip) when a script, a text or a tip is wrong.
  static std::unique_ptr<Conversations> load(const Config& config, const TimeZone& zone);

  bool has_dialog(const std::string& id) const;
  std::size_t dialog_count() const { return dialogs_.size(); }
  const dialogs::Templates& templates() const { return templates_; }
  const dialogs::Tips& tips() const { return tips_; }

  // Starts `dialog` for her: her active dialog gives way (or the new one waits its turn
  // when the script says "when_busy": "queue"). `context` adds variables (session_title,
  // venue_id, "_session_start" for {date} and {time}…) and, in keys starting with "_", what
  // the scheduler knows: "_kind" (the outbox kind of its messages, for priorities),
  // "_job", "_session", "_deadline" (epoch ms: a reminder never leaves after it), "_location".
  // Nothing starts for a participant without consent (or without consent to tips, for a
  // tips dialog) or who opted out.
  void start(Store& store, const ParticipantRecord& who, const std::string& dialog,
             const std::map<std::string, std::string>& context, Utc now);
  // Her reply, if a question of hers waits; false when no dialog waits for her.
  bool reply(Store& store, const ParticipantRecord& who, const std::string& text,
             std::int64_t inbound_id, Utc now);
  // Nudges and timeouts due at `now`; returns how many conversations moved.
  int fire_due(Store& store, Utc now, int limit = 200);
  // A text for her from `template_key`, with her usual variables (AIDE, COACH answers).
  std::string render_for(Store& store, const ParticipantRecord& who, const std::string& template_key) const;
  // Ends everything she had running (STOP).
  void stop_all(Store& store, const ParticipantRecord& who);
  // A message of its own that the service starts (kind "notice": a session moved or was
  // cancelled), with her usual variables and `context`'s (the session's).
  void send_notice(Store& store, const ParticipantRecord& who, const std::string& template_key,
                   const std::map<std::string, std::string>& context, Utc now);

 private:
  struct Cause {
    bool is_reply = false;  // a reply goes at once; the service's own messages wait for the window
    std::optional<std::int64_t> inbound_id;
    std::optional<Utc> deadline;  // a nudge is useless once its question has closed
  };
  const dialogs::Dialog* find(const std::string& id) const;
  void apply(Store& store, const ParticipantRecord& who, const dialogs::Dialog& dialog,
             ConversationRow row, const dialogs::Effects& fx, const Cause& cause, Utc now, int depth);
  std::map<std::string, std::string> variables(Store& store, const ParticipantRecord& who,
                                               const std::map<std::string, std::string>& context) const;
  // The outbox row's id, or nullopt when nothing was written (she opted out).
  std::optional<std::int64_t> send(Store& store, const ParticipantRecord& who, const std::string& to_phone_or_address,
            std::optional<std::int64_t> participant_id, const std::string& kind,
            const std::string& template_key, const std::map<std::string, std::string>& vars,
            const Cause& cause, Utc now);
  bool allowed(const ParticipantRecord& who, const dialogs::Dialog& dialog) const;
  void record_attendance(Store& store, const ParticipantRecord& who, const std::map<std::string, std::string>& context,
                         const dialogs::Save& save, Utc now) const;
  // The tip of `barrier` for her: the way to the session's venue first (mobility), then the
  // one she has not had or had longest ago, reviewed tips first. Fills tip_text/venue_way.
  const dialogs::Tip* choose_tip(Store& store, const ParticipantRecord& who, const std::string& barrier,
                                 std::map<std::string, std::string>& vars) const;
  void begin(Store& store, const ParticipantRecord& who, const dialogs::Dialog& dialog,
             const std::map<std::string, std::string>& context, const Cause& cause, Utc now, int depth);

  const Config& config_;
  const TimeZone& zone_;
  dialogs::Templates templates_;
  std::vector<dialogs::Dialog> dialogs_;
  dialogs::Tips tips_;
};

}  // namespace relais
