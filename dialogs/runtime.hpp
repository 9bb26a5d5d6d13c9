#pragma once
// The dialog runtime: a pure function from (script, conversation state, event) to the
// effects the engine must store and send. No database, no clock, no network: the engine
// persists the state and the effects in the same transaction as the message that caused
// them, and tests play whole conversations as data.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bot/core/time.hpp"
#include "dialogs/script.hpp"
#include "dialogs/script_loader.hpp"

namespace relais::dialogs {

// Where a participant is in a dialog, waiting for her answer to an ask node.
struct Conversation {
  std::string dialog;
  std::string node;
  int misses = 0;                              // answers not understood at this node
  std::map<std::string, std::string> answers;  // by `save` name (or node id)
  std::optional<Utc> nudge_at;
  std::optional<Utc> timeout_at;
  bool nudged = false;
};

struct ParticipantView {
  std::string first_name;
  std::string cohort;
  std::string language = "fr";
  std::vector<std::string> barriers;
  bool has_buddy = false;
};

struct Event {
  enum class Kind { start, reply, due } kind = Kind::start;
  std::string text;  // reply
  Utc now{};
};

struct Outgoing {
  std::string template_key;
  bool to_buddy = false;                        // relay: to her binôme
  std::map<std::string, std::string> variables;  // added to the engine's (answer, …)
  std::string tip_barrier;                       // a tip: the engine picks one and fills {tip_text}
};

struct Save {
  std::string target;  // "checkin.rating", "participant.next_step", "attendance.reason", …
  std::string value;
};

struct Effects {
  std::vector<Outgoing> messages;
  std::vector<Save> saves;
  std::vector<std::string> alerts;          // alert kinds for the coach
  std::vector<std::string> start_dialogs;   // dialogs to start after this one
  std::optional<Conversation> conversation;  // the new state; nullopt: the dialog ended
  bool understood = true;                    // false: the reply was not understood
  std::string ended_as;                      // "done", "unanswered", "not_understood"
};

// Advances `dialog` for one event. `current` is the participant's conversation in this
// dialog (nullopt for a start). `has_template` says whether an optional template exists
// (a node's "<template>.clarify").
Effects advance(const Dialog& dialog, const std::optional<Conversation>& current, const Event& event,
                const ParticipantView& participant, const TemplateCheck& has_template);

}  // namespace relais::dialogs
