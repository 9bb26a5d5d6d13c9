#include "dialogs/script_loader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "bot/core/domain.hpp"

namespace relais::dialogs {
namespace {

using Json = nlohmann::ordered_json;

// The node kinds, by the key that names them in a script.
constexpr std::pair<const char*, NodeKind> kKinds[] = {
    {"send", NodeKind::send},   {"ask", NodeKind::ask},     {"branch", NodeKind::branch},
    {"alert", NodeKind::alert}, {"relay", NodeKind::relay}, {"tip", NodeKind::tip},
    {"start", NodeKind::start_dialog}, {"end", NodeKind::end}};

constexpr std::pair<const char*, Expect> kExpects[] = {{"yes_no", Expect::yes_no},
                                                       {"choice", Expect::choice},
                                                       {"number", Expect::number},
                                                       {"text", Expect::text},
                                                       {"anything", Expect::anything}};

constexpr const char* kBranchOn[] = {"participant.barriers", "participant.cohort",
                                     "participant.language"};

class NodeReader {
 public:
  NodeReader(const std::string& file, const std::string& id, const Json& j)
      : file_(file), id_(id), j_(j) {}

  [[noreturn]] void fail(const std::string& message) const { throw DialogError(file_, id_, message); }

  const Json* get(const char* key) {
    used_.insert(key);
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  std::string text(const char* key) {
    const Json* v = get(key);
    if (!v) return {};
    if (!v->is_string() || v->get<std::string>().empty()) fail(std::string("\"") + key + "\" must be a non-empty string");
    return v->get<std::string>();
  }
  std::optional<std::chrono::minutes> duration(const char* key) {
    std::string s = text(key);
    if (s.empty()) return std::nullopt;
    return parse_duration(s, key);
  }
  std::chrono::minutes parse_duration(const std::string& s, const std::string& key) {
    // "30m", "6h", "2d": a whole number and a unit.
    std::size_t digits = 0;
    while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
    if (digits == 0 || digits + 1 != s.size() || digits > 5)
      fail("\"" + key + "\": \"" + s + "\" is not a duration (e.g. \"30m\", \"6h\", \"2d\")");
    const long n = std::stol(s.substr(0, digits));
    switch (s.back()) {
      case 'm': return std::chrono::minutes(n);
      case 'h': return std::chrono::minutes(n * 60);
      case 'd': return std::chrono::minutes(n * 24 * 60);
    }
    fail("\"" + key + "\": unit must be m, h or d");
  }
  void finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!used_.count(it.key())) fail("unknown key \"" + it.key() + "\"");
  }

 private:
  const std::string& file_;
  std::string id_;
  const Json& j_;
  std::set<std::string> used_;
};

void read_next(NodeReader& r, Node& node) {
  const Json* next = r.get("next");
  if (!next) return;
  if (next->is_string()) {
    node.next["next"] = next->get<std::string>();
    return;
  }
  if (!next->is_object()) r.fail("\"next\" must be a node id or an object {outcome: node id}");
  for (auto it = next->begin(); it != next->end(); ++it) {
    if (!it.value().is_string()) r.fail("\"next\".\"" + it.key() + "\" must be a node id");
    node.next[it.key()] = it.value().get<std::string>();
  }
}

void read_ask(NodeReader& r, Node& node, const std::string& expect) {
  auto e = std::find_if(std::begin(kExpects), std::end(kExpects),
                        [&](const auto& p) { return expect == p.first; });
  if (e == std::end(kExpects))
    r.fail("\"ask\": \"" + expect + "\" is not one of yes_no, choice, number, text, anything");
  node.expect = e->second;
  node.template_key = r.text("template");
  if (node.template_key.empty()) r.fail("an ask node needs a \"template\"");
  node.save = r.text("save");
  node.timeout = r.duration("timeout");
  if (const Json* nudge = r.get("nudge")) {
    if (!nudge->is_object()) r.fail("\"nudge\" must be {\"after\": \"6h\", \"template\": \"…\"}");
    auto after = nudge->find("after");
    auto tpl = nudge->find("template");
    if (after == nudge->end() || tpl == nudge->end() || !after->is_string() || !tpl->is_string() ||
        nudge->size() != 2)
      r.fail("\"nudge\" must be {\"after\": \"6h\", \"template\": \"…\"}");
    node.nudge_after = r.parse_duration(after->get<std::string>(), "nudge.after");
    node.nudge_template = tpl->get<std::string>();
    if (!node.timeout || *node.nudge_after >= *node.timeout)
      r.fail("a nudge needs a \"timeout\" later than its \"after\"");
  }
  if (const Json* v = r.get("numbers_offered")) {
    if (!v->is_boolean()) r.fail("\"numbers_offered\" must be true or false");
    node.numbers_offered = v->get<bool>();
  }
  if (node.expect == Expect::number) {
    for (auto [key, field] : {std::pair{"min", &node.min}, std::pair{"max", &node.max}})
      if (const Json* v = r.get(key)) {
        if (!v->is_number_integer()) r.fail(std::string("\"") + key + "\" must be a whole number");
        *field = v->get<int>();
      }
    if (node.min > node.max) r.fail("\"min\" is more than \"max\"");
  }
  if (node.expect == Expect::choice) {
    const Json* choices = r.get("choices");
    if (!choices || !choices->is_object() || choices->empty())
      r.fail("a choice needs \"choices\": {\"id\": [\"words\", …], …}");
    for (auto it = choices->begin(); it != choices->end(); ++it) {
      ChoiceSpec c{it.key(), {}};
      if (!it.value().is_array()) r.fail("choice \"" + it.key() + "\" must list its words");
      for (const auto& w : it.value()) {
        if (!w.is_string()) r.fail("choice \"" + it.key() + "\": words are strings");
        c.words.push_back(w.get<std::string>());
      }
      node.choices.push_back(std::move(c));
    }
  }
}

Node read_node(const std::string& file, const std::string& id, const Json& j) {
  NodeReader r(file, id, j);
  if (!j.is_object()) r.fail("a node is an object");
  Node node;
  node.id = id;
  const auto kinds = std::count_if(std::begin(kKinds), std::end(kKinds),
                                   [&](const auto& k) { return j.contains(k.first); });
  if (kinds != 1) r.fail("a node does exactly one of: send, ask, branch, alert, relay, tip, start, end");
  for (auto [key, kind] : kKinds) {
    const Json* v = r.get(key);
    if (!v) continue;
    node.kind = kind;
    switch (kind) {
      case NodeKind::send:
      case NodeKind::relay:
        if (!v->is_string()) r.fail(std::string("\"") + key + "\" names a template");
        node.template_key = v->get<std::string>();
        break;
      case NodeKind::ask:
        if (!v->is_string()) r.fail("\"ask\" names what is expected: yes_no, choice, number, text, anything");
        read_ask(r, node, v->get<std::string>());
        break;
      case NodeKind::branch:
        if (!v->is_string()) r.fail("\"branch\" names what to branch on");
        node.on = v->get<std::string>();
        if (!node.on.starts_with("answer.") &&
            std::find(std::begin(kBranchOn), std::end(kBranchOn), node.on) == std::end(kBranchOn))
          r.fail("\"branch\": \"" + node.on +
                 "\" is not answer.<name>, participant.barriers, participant.cohort or participant.language");
        break;
      case NodeKind::tip:
        // "*": the barrier the dialog was started for (the scheduler's weekly tip).
        if (!v->is_string() || (*v != "*" && std::none_of(std::begin(kBarriers), std::end(kBarriers),
                                                          [&](const char* b) { return *v == b; })))
          r.fail("\"tip\" names a barrier: childcare, mobility, digital, confidence or isolation (or \"*\")");
        node.barrier = v->get<std::string>();
        node.template_key = r.text("template");
        if (node.template_key.empty()) r.fail("a tip needs the \"template\" that carries {tip_text}");
        break;
      case NodeKind::alert:
        if (!v->is_string()) r.fail("\"alert\" names the alert kind");
        node.alert = v->get<std::string>();
        break;
      case NodeKind::start_dialog:
        if (!v->is_string()) r.fail("\"start\" names a dialog");
        node.dialog = v->get<std::string>();
        break;
      case NodeKind::end:
        if (!v->is_boolean() || !v->get<bool>()) r.fail("\"end\" must be true");
        break;
    }
  }
  read_next(r, node);
  r.finish();
  return node;
}

// The outcomes a node may lead on from, for validation.
bool needs_next(const Node& n) { return n.kind != NodeKind::end; }

void check_graph(const Dialog& d, const TemplateCheck& has_template) {
  auto fail = [&](const std::string& node, const std::string& m) { throw DialogError(d.file, node, m); };
  if (!d.find(d.start)) fail("", "\"start\": \"" + d.start + "\" is not a node of this dialog");
  for (const auto& n : d.nodes) {
    if (needs_next(n) && n.next.empty()) fail(n.id, "needs a \"next\"");
    if (!needs_next(n) && !n.next.empty()) fail(n.id, "an end node has no \"next\"");
    for (const auto& [outcome, target] : n.next)
      if (!d.find(target)) fail(n.id, "next \"" + target + "\" is not a node of this dialog");
    for (const auto* key : {&n.template_key, &n.nudge_template})
      if (!key->empty() && has_template && !has_template(*key))
        fail(n.id, "template \"" + *key + "\" has no French text in config/templates/fr.json");
    if (n.kind == NodeKind::ask && n.expect == Expect::yes_no && !n.next.count("*") &&
        !(n.next.count("yes") && n.next.count("no")))
      fail(n.id, "a yes_no question needs next \"yes\" and \"no\" (or \"*\")");
    if (n.kind == NodeKind::ask && n.expect == Expect::choice && !n.next.count("*"))
      for (const auto& c : n.choices)
        if (!n.next.count(c.id)) fail(n.id, "choice \"" + c.id + "\" has no next (add it, or \"*\")");
  }
  // Reachability from start.
  std::set<std::string> seen{d.start};
  std::vector<std::string> to_visit{d.start};
  while (!to_visit.empty()) {
    const Node* n = d.find(to_visit.back());
    to_visit.pop_back();
    for (const auto& [outcome, target] : n->next)
      if (seen.insert(target).second) to_visit.push_back(target);
  }
  for (const auto& n : d.nodes)
    if (!seen.count(n.id)) fail(n.id, "cannot be reached from \"" + d.start + "\"");
  // A loop must wait for the participant somewhere, or it would send forever.
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::function<void(const Node&)> visit = [&](const Node& n) {
    state[n.id] = 1;
    if (n.kind != NodeKind::ask)
      for (const auto& [outcome, target] : n.next) {
        const Node& t = *d.find(target);
        if (state[t.id] == 1) fail(t.id, "is on a loop that never waits for an answer");
        if (state[t.id] == 0) visit(t);
      }
    state[n.id] = 2;
  };
  for (const auto& n : d.nodes)
    if (state[n.id] == 0) visit(n);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw DialogError(p.string(), "", "cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

DialogError::DialogError(const std::string& file, const std::string& node, const std::string& message)
    : std::runtime_error(file + ": " + (node.empty() ? "" : "node \"" + node + "\": ") + message) {}

const Node* Dialog::find(const std::string& node_id) const {
  for (const auto& n : nodes)
    if (n.id == node_id) return &n;
  return nullptr;
}

Dialog parse_dialog(std::string_view json_text, const std::string& file, const TemplateCheck& has_template) {
  Json j;
  try {
    j = Json::parse(json_text, nullptr, true, /*ignore_comments=*/true);
  } catch (const Json::exception& e) {  // syntax, or a number too large
    throw DialogError(file, "", std::string("not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw DialogError(file, "", "a dialog is a JSON object");
  NodeReader r(file, "", j);
  Dialog d;
  d.file = file;
  d.id = r.text("id");
  d.title = r.text("title");
  d.start = r.text("start");
  if (d.id.empty() || d.start.empty()) r.fail("\"id\" and \"start\" are required");
  if (std::string p = r.text("purpose"); !p.empty()) {
    if (p != "service" && p != "tips") r.fail("\"purpose\" is \"service\" or \"tips\"");
    d.purpose = p;
  }
  if (std::string w = r.text("when_busy"); !w.empty()) {
    if (w != "take_over" && w != "queue") r.fail("\"when_busy\" is \"take_over\" or \"queue\"");
    d.queue = w == "queue";
  }
  const Json* nodes = r.get("nodes");
  if (!nodes || !nodes->is_object() || nodes->empty()) r.fail("\"nodes\" must be an object of nodes");
  r.finish();
  for (auto it = nodes->begin(); it != nodes->end(); ++it) d.nodes.push_back(read_node(file, it.key(), it.value()));
  check_graph(d, has_template);
  return d;
}

std::vector<Dialog> load_dialogs(const std::filesystem::path& folder, const TemplateCheck& has_template) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<Dialog> dialogs;
  for (const auto& f : files) dialogs.push_back(parse_dialog(read_file(f), f.string(), has_template));
  for (const auto& d : dialogs) {
    if (std::count_if(dialogs.begin(), dialogs.end(), [&](const Dialog& o) { return o.id == d.id; }) > 1)
      throw DialogError(d.file, "", "another dialog has the id \"" + d.id + "\"");
    for (const auto& n : d.nodes)
      if (n.kind == NodeKind::start_dialog &&
          std::none_of(dialogs.begin(), dialogs.end(), [&](const Dialog& o) { return o.id == n.dialog; }))
        throw DialogError(d.file, n.id, "starts \"" + n.dialog + "\", which is not a dialog");
  }
  return dialogs;
}

}  // namespace relais::dialogs
