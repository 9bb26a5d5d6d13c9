#include "dialogs/runtime.hpp"

#include <algorithm>

#include "bot/core/mask.hpp"
#include "dialogs/understand.hpp"

namespace relais::dialogs {
namespace {

// A script validated at load has no loop without a wait; this bound only guards the
// engine against a script that slipped past (tests build scripts by hand).
constexpr int kMaxStepsPerEvent = 64;

// Her words relayed to her binôme are cut after this many characters ("…" added).
constexpr std::size_t kMaxRelayedCharacters = 120;

std::optional<std::string> next_of(const Node& n, const std::string& outcome) {
  for (const auto& key : {outcome, std::string("*")})
    if (auto it = n.next.find(key); it != n.next.end()) return it->second;
  return std::nullopt;
}

std::string branch_value(const Node& n, const Conversation& c, const ParticipantView& p) {
  if (n.on.starts_with("answer.")) {
    auto it = c.answers.find(n.on.substr(7));
    return it == c.answers.end() ? "" : it->second;
  }
  if (n.on == "participant.cohort") return p.cohort;
  if (n.on == "participant.language") return p.language;
  // participant.barriers: the first barrier the branch names, in the participant's order.
  for (const auto& b : p.barriers)
    if (n.next.count(b)) return b;
  return "";
}

class Run {
 public:
  Run(const Dialog& d, const ParticipantView& p, const TemplateCheck& has, Utc now)
      : d_(d), p_(p), has_(has), now_(now) {}

  // Walks from `node_id` until a question waits or the dialog ends.
  void from(std::string node_id, Conversation c) {
    for (int steps = 0; steps < kMaxStepsPerEvent; ++steps) {
      const Node* n = d_.find(node_id);
      if (!n) return end("done");
      std::optional<std::string> next;
      switch (n->kind) {
        case NodeKind::send:
          fx.messages.push_back({n->template_key, false, answer_vars(c), {}});
          next = next_of(*n, "next");
          break;
        case NodeKind::relay:
          if (p_.has_buddy) fx.messages.push_back({n->template_key, true, relayed_vars(c), {}});
          next = next_of(*n, "next");
          break;
        case NodeKind::tip:
          fx.messages.push_back({n->template_key, false, answer_vars(c), n->barrier});
          next = next_of(*n, "next");
          break;
        case NodeKind::alert:
          fx.alerts.push_back(n->alert);
          next = next_of(*n, "next");
          break;
        case NodeKind::start_dialog:
          fx.start_dialogs.push_back(n->dialog);
          next = next_of(*n, "next");
          break;
        case NodeKind::branch:
          next = next_of(*n, branch_value(*n, c, p_));
          break;
        case NodeKind::ask:
          return ask(*n, std::move(c));
        case NodeKind::end:
          return end("done");
      }
      if (!next) return end("done");
      node_id = *next;
    }
    end("done");
  }

  void ask(const Node& n, Conversation c) {
    fx.messages.push_back({n.template_key, false, answer_vars(c), {}});
    c.node = n.id;
    c.misses = 0;
    c.nudged = false;
    c.nudge_at = n.nudge_after ? std::optional(now_ + *n.nudge_after) : std::nullopt;
    c.timeout_at = n.timeout ? std::optional(now_ + *n.timeout) : std::nullopt;
    fx.conversation = std::move(c);
  }

  void end(std::string how) {
    fx.conversation.reset();
    fx.ended_as = std::move(how);
  }

  // The participant's answer at an ask node.
  void reply(const Node& n, Conversation c, const std::string& text) {
    std::optional<std::string> outcome, value;
    switch (n.expect) {
      case Expect::yes_no:
        switch (understand_yes_no(text, p_.language, n.numbers_offered)) {
          case YesNo::yes: outcome = value = "yes"; break;
          case YesNo::no: outcome = value = "no"; break;
          case YesNo::unclear: break;
        }
        break;
      case Expect::choice: {
        std::vector<Choice> choices;
        for (const auto& ch : n.choices) choices.push_back({ch.id, ch.words});
        if (auto id = understand_choice(text, choices, p_.language)) outcome = value = *id;
        break;
      }
      case Expect::number:
        if (auto v = understand_number(text, n.min, n.max, p_.language)) {
          outcome = "answer";
          value = std::to_string(*v);
        }
        break;
      case Expect::text:
        if (!normalise_reply(text).empty()) {
          outcome = "answer";
          value = text;
        }
        break;
      case Expect::anything:
        outcome = "answer";
        value = text;
        break;
    }
    if (!outcome) return not_understood(n, std::move(c));
    const std::string name = n.save.empty() ? n.id : n.save;
    c.answers[name.substr(name.find('.') + 1)] = *value;
    if (!n.save.empty()) fx.saves.push_back({n.save, *value});
    auto next = next_of(n, *outcome);
    if (!next) next = next_of(n, "answer");
    if (!next) return end("done");
    from(*next, std::move(c));
  }

  void not_understood(const Node& n, Conversation c) {
    fx.understood = false;
    if (++c.misses < 2) {
      // One clarifying message, then the same question still waits.
      const std::string clarify = n.template_key + ".clarify";
      fx.messages.push_back({has_ && has_(clarify) ? clarify : "dialog.not_understood", false, {}, {}});
      fx.conversation = std::move(c);
      return;
    }
    // A second miss: the dialog moves on and a coach is told.
    fx.alerts.push_back("not_understood");
    for (const char* outcome : {"not_understood", "timeout"})
      if (auto it = n.next.find(outcome); it != n.next.end()) return from(it->second, std::move(c));
    end("not_understood");
  }

  void due(const Node& n, Conversation c) {
    if (c.timeout_at && now_ >= *c.timeout_at) {
      if (auto it = n.next.find("timeout"); it != n.next.end()) return from(it->second, std::move(c));
      return end("unanswered");
    }
    if (c.nudge_at && !c.nudged && now_ >= *c.nudge_at) {
      fx.messages.push_back({n.nudge_template, false, answer_vars(c), {}});
      c.nudged = true;
    }
    fx.conversation = std::move(c);
  }

  Effects fx;

 private:
  static std::map<std::string, std::string> answer_vars(const Conversation& c) {
    std::map<std::string, std::string> v;
    for (const auto& [k, val] : c.answers) v["answer_" + k] = val;
    return v;
  }

  // Her answers as her binôme may read them: no phone number (hers or anyone's), and short
  // enough that the relayed message stays within two SMS.
  static std::map<std::string, std::string> relayed_vars(const Conversation& c) {
    auto v = answer_vars(c);
    for (auto& [name, words] : v) {
      words = mask_phones(words);
      std::size_t chars = 0;
      for (std::size_t i = 0; i < words.size(); ++i)
        if ((static_cast<unsigned char>(words[i]) & 0xC0) != 0x80 && ++chars > kMaxRelayedCharacters) {
          words = words.substr(0, i) + "…";
          break;
        }
    }
    return v;
  }

  const Dialog& d_;
  const ParticipantView& p_;
  const TemplateCheck& has_;
  Utc now_;
};

}  // namespace

Effects advance(const Dialog& dialog, const std::optional<Conversation>& current, const Event& event,
                const ParticipantView& participant, const TemplateCheck& has_template) {
  Run run(dialog, participant, has_template, event.now);
  if (event.kind == Event::Kind::start || !current) {
    Conversation c;
    c.dialog = dialog.id;
    run.from(dialog.start, std::move(c));
    return std::move(run.fx);
  }
  const Node* waiting = dialog.find(current->node);
  if (!waiting || waiting->kind != NodeKind::ask) {
    run.end("done");  // the script changed under a waiting conversation: end it cleanly
    return std::move(run.fx);
  }
  if (event.kind == Event::Kind::reply) run.reply(*waiting, *current, event.text);
  else run.due(*waiting, *current);
  return std::move(run.fx);
}

}  // namespace relais::dialogs
