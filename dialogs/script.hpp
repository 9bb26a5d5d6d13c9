#pragma once
// A dialog script: data that coaches can read and change (config/dialogs/<id>.json).
// Nodes send a template, ask and wait for a reply, branch, save, alert a coach, relay a
// message to the participant's binôme, send a practical tip, start another dialog, or end.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace relais::dialogs {

enum class NodeKind { send, ask, branch, alert, relay, tip, start_dialog, end };
enum class Expect { yes_no, choice, number, text, anything };

struct ChoiceSpec {
  std::string id;                  // the outcome name, e.g. "childcare"
  std::vector<std::string> words;  // words that name it (French; other languages add theirs)
};

struct Node {
  std::string id;
  NodeKind kind = NodeKind::end;
  std::string template_key;  // send, ask, relay, tip: what is sent
  // tip: the barrier whose practical tip is sent ({tip_text}); the engine picks the tip
  std::string barrier;
  // ask
  Expect expect = Expect::anything;
  std::vector<ChoiceSpec> choices;
  int min = 1, max = 5;       // number
  bool numbers_offered = false;  // yes_no: the question says "1 = oui, 2 = non"
  std::optional<std::chrono::minutes> timeout;
  std::optional<std::chrono::minutes> nudge_after;  // "relance" before the timeout
  std::string nudge_template;
  std::string save;  // where the answer goes: "checkin.rating", "participant.next_step", …
  // branch: "answer.<name>", "participant.barriers", "participant.cohort", "participant.language"
  std::string on;
  // alert
  std::string alert;
  // start_dialog
  std::string dialog;
  // Where to go next: outcome → node id. Outcomes: "next" (send, alert, relay,
  // start_dialog), "yes"/"no", a choice id, "answer" (number, text, anything), "timeout",
  // "not_understood", a branch value, and "*" (anything else).
  std::map<std::string, std::string> next;
};

struct Dialog {
  std::string id;
  std::string file;     // where it was loaded from, for messages
  std::string title;    // for coaches
  std::string purpose = "service";  // or "tips": needs consent_tips
  bool queue = false;   // started while another waits: wait in line instead of taking over
  std::string start;    // first node id
  std::vector<Node> nodes;

  const Node* find(const std::string& node_id) const;
};

}  // namespace relais::dialogs
