#include "bot/conversations.hpp"

#include <algorithm>

#include "bot/core/phone.hpp"
#include "bot/delivery_policy.hpp"
#include "bot/log.hpp"
#include "bot/outbox.hpp"
#include "dialogs/datetime_fr.hpp"
#include "dialogs/script_loader.hpp"
#include "scheduler/sending_window.hpp"

namespace relais {
namespace {

// A dialog that starts another that starts another…: a script mistake, stopped here.
constexpr int kMaxDepth = 4;

dialogs::Conversation to_runtime(const ConversationRow& row) {
  dialogs::Conversation c;
  c.dialog = row.dialog;
  c.node = row.node;
  c.misses = row.misses;
  c.answers = row.answers;
  c.nudge_at = row.nudge_at;
  c.timeout_at = row.timeout_at;
  c.nudged = row.nudged;
  return c;
}

dialogs::ParticipantView view(const ParticipantRecord& p) {
  return {p.first_name, p.cohort, p.language, p.barriers, p.buddy_phone.has_value()};
}

}  // namespace

Conversations::Conversations(const Config& config, const TimeZone& zone, dialogs::Templates templates,
                             std::vector<dialogs::Dialog> dialogs, dialogs::Tips tips)
    : config_(config),
      zone_(zone),
      templates_(std::move(templates)),
      dialogs_(std::move(dialogs)),
      tips_(std::move(tips)) {}

std::unique_ptr<Conversations> Conversations::load(const Config& config, const TimeZone& zone) {
  auto templates = dialogs::Templates::load(config.content_path(config.templates_dir));
  auto has = [&templates](const std::string& key) { return templates.has(key, "fr"); };
  auto scripts = dialogs::load_dialogs(config.content_path(config.dialogs_dir), has);
  std::vector<std::string> venues;
  for (const auto& v : config.venues) venues.push_back(v.id);
  auto tips = dialogs::Tips::load_if_present(config.content_path(config.tips_dir), venues);
  for (std::size_t i = 0; i < config.rules.size(); ++i)
    if (std::none_of(scripts.begin(), scripts.end(), [&](const dialogs::Dialog& d) { return d.id == config.rules[i].dialog; }))
      throw std::invalid_argument(config.file.string() + ": $.rules[" + std::to_string(i) + "].dialog: no dialog \"" +
                                  config.rules[i].dialog + "\" in " + config.content_path(config.dialogs_dir).string());
  return std::make_unique<Conversations>(config, zone, std::move(templates), std::move(scripts), std::move(tips));
}

const dialogs::Dialog* Conversations::find(const std::string& id) const {
  for (const auto& d : dialogs_)
    if (d.id == id) return &d;
  return nullptr;
}

bool Conversations::has_dialog(const std::string& id) const { return find(id) != nullptr; }

bool Conversations::allowed(const ParticipantRecord& who, const dialogs::Dialog& dialog) const {
  if (!who.consent || who.opted_out) return false;
  return dialog.purpose != "tips" || who.consent_tips;
}

void Conversations::start(Store& store, const ParticipantRecord& who, const std::string& dialog_id,
                          const std::map<std::string, std::string>& context, Utc now) {
  const dialogs::Dialog* dialog = find(dialog_id);
  if (!dialog) throw std::invalid_argument("no dialog \"" + dialog_id + "\" in " + config_.dialogs_dir.string());
  begin(store, who, *dialog, context, Cause{}, now, 0);
}

void Conversations::begin(Store& store, const ParticipantRecord& who, const dialogs::Dialog& dialog,
                          const std::map<std::string, std::string>& context, const Cause& cause, Utc now,
                          int depth) {
  if (!allowed(who, dialog) || depth > kMaxDepth) return;
  // A dialog that asks nothing (a reminder, a tip) goes through without disturbing hers.
  const bool asks = std::any_of(dialog.nodes.begin(), dialog.nodes.end(),
                                [](const dialogs::Node& n) { return n.kind == dialogs::NodeKind::ask; });
  if (auto active = asks ? store.active_conversation(who.id) : std::nullopt) {
    if (dialog.queue) {
      ConversationRow queued;
      queued.participant_id = who.id;
      queued.dialog = dialog.id;
      queued.active = false;
      queued.context = context;
      store.save_conversation(queued, now);
      return;
    }
    // The new dialog takes over: the older one ends unanswered.
    store.delete_conversation(active->id);
    log::info("dialog.taken_over", {{"participant", std::to_string(who.id)}, {"dialog", active->dialog}});
  }
  ConversationRow row;
  row.participant_id = who.id;
  row.dialog = dialog.id;
  row.context = context;
  row.started_at = now;
  const auto fx = dialogs::advance(dialog, std::nullopt, {dialogs::Event::Kind::start, "", now}, view(who),
                                   [this, &who](const std::string& key) { return templates_.has(key, who.language); });
  apply(store, who, dialog, std::move(row), fx, cause, now, depth);
}

bool Conversations::reply(Store& store, const ParticipantRecord& who, const std::string& text,
                          std::int64_t inbound_id, Utc now) {
  auto row = store.active_conversation(who.id);
  if (!row) return false;
  const dialogs::Dialog* dialog = find(row->dialog);
  if (!dialog) {
    store.delete_conversation(row->id);  // its script was removed: nothing waits any more
    return false;
  }
  const auto fx = dialogs::advance(*dialog, to_runtime(*row), {dialogs::Event::Kind::reply, text, now}, view(who),
                                   [this, &who](const std::string& key) { return templates_.has(key, who.language); });
  apply(store, who, *dialog, std::move(*row), fx, Cause{true, inbound_id, std::nullopt}, now, 0);
  return true;
}

int Conversations::fire_due(Store& store, Utc now, int limit) {
  int moved = 0;
  for (auto& row : store.due_conversations(now, limit)) {
    const dialogs::Dialog* dialog = find(row.dialog);
    auto who = store.find_participant(row.participant_id);
    if (!dialog || !who) {
      store.delete_conversation(row.id);
      continue;
    }
    const auto fx = dialogs::advance(*dialog, to_runtime(row), {dialogs::Event::Kind::due, "", now}, view(*who),
                                     [this, &who](const std::string& key) { return templates_.has(key, who->language); });
    // A nudge (the question still waits) must not arrive once the question has closed.
    Cause cause;
    if (fx.conversation) cause.deadline = fx.conversation->timeout_at;
    apply(store, *who, *dialog, std::move(row), fx, cause, now, 0);
    ++moved;
  }
  return moved;
}

std::string Conversations::render_for(Store& store, const ParticipantRecord& who,
                                      const std::string& template_key) const {
  return templates_.render(template_key, who.language, variables(store, who, {}));
}

void Conversations::send_notice(Store& store, const ParticipantRecord& who, const std::string& template_key,
                                const std::map<std::string, std::string>& context, Utc now) {
  send(store, who, who.phone, who.id, "notice", template_key, variables(store, who, context), Cause{}, now);
}

void Conversations::stop_all(Store& store, const ParticipantRecord& who) {
  while (auto row = store.active_conversation(who.id)) store.delete_conversation(row->id);
  while (auto row = store.next_queued_conversation(who.id)) store.delete_conversation(row->id);
}

void Conversations::apply(Store& store, const ParticipantRecord& who, const dialogs::Dialog& dialog,
                          ConversationRow row, const dialogs::Effects& fx, const Cause& cause, Utc now,
                          int depth) {
  const auto vars_base = variables(store, who, row.context);
  std::optional<std::int64_t> last_to_her;  // when the dialog then waits, it asked her a question
  for (const auto& m : fx.messages) {
    auto vars = vars_base;
    vars.insert(m.variables.begin(), m.variables.end());
    if (m.to_buddy) {
      auto buddy = who.buddy_phone ? store.find_participant_by_phone(*who.buddy_phone) : std::nullopt;
      if (!buddy || !buddy->consent || buddy->opted_out || !buddy->consent_tips) continue;
      send(store, *buddy, buddy->phone, buddy->id, dialog.id, m.template_key, vars, Cause{}, now);
    } else if (!m.tip_barrier.empty()) {
      // "*": the barrier the scheduler started this dialog for.
      const auto barrier = m.tip_barrier == "*" ? vars.find("barrier") : vars.end();
      const std::string& wanted = m.tip_barrier != "*" ? m.tip_barrier : barrier != vars.end() ? barrier->second : m.tip_barrier;
      const dialogs::Tip* tip = choose_tip(store, who, wanted, vars);
      if (!tip) {
        log::warn("tip.none", {{"barrier", wanted}, {"language", who.language}});
        continue;
      }
      send(store, who, who.phone, who.id, "tip", m.template_key, vars, cause, now);
      store.record_tip(who.id, tip->id, tip->barrier, now);
    } else {
      last_to_her = send(store, who, who.phone, who.id, dialog.id, m.template_key, vars, cause, now);
    }
  }
  if (fx.conversation && last_to_her) store.coach().mark_outbox_asks(*last_to_her);
  std::optional<std::int64_t> session_id;
  if (auto it = row.context.find("_session"); it != row.context.end()) session_id = std::stoll(it->second);
  for (const auto& s : fx.saves) {
    store.add_answer(who.id, dialog.id, s.target, s.value, now, session_id);
    record_attendance(store, who, row.context, s, now);
  }
  for (const auto& kind : fx.alerts)
    store.add_alert({.kind = kind, .participant_id = who.id, .cohort = who.cohort,
                     .detail = "dialog " + dialog.id + (row.node.empty() ? "" : ", at " + row.node)},
                    now);
  if (fx.conversation) {
    row.node = fx.conversation->node;
    row.misses = fx.conversation->misses;
    row.answers = fx.conversation->answers;
    row.nudge_at = fx.conversation->nudge_at;
    row.timeout_at = fx.conversation->timeout_at;
    row.nudged = fx.conversation->nudged;
    row.active = true;
    store.save_conversation(row, now);
  } else {
    if (row.id != 0) store.delete_conversation(row.id);
    log::info("dialog.ended", {{"participant", std::to_string(who.id)}, {"dialog", dialog.id},
                               {"as", fx.ended_as}});
  }
  for (const auto& next : fx.start_dialogs)
    if (const dialogs::Dialog* d = find(next)) begin(store, who, *d, row.context, Cause{}, now, depth + 1);
  // When a dialog ends, the next one waiting in line starts.
  if (!fx.conversation && !store.active_conversation(who.id))
    if (auto queued = store.next_queued_conversation(who.id)) {
      store.delete_conversation(queued->id);
      if (const dialogs::Dialog* d = find(queued->dialog)) begin(store, who, *d, queued->context, Cause{}, now, depth + 1);
    }
}

void Conversations::record_attendance(Store& store, const ParticipantRecord& who,
                                      const std::map<std::string, std::string>& context, const dialogs::Save& save,
                                      Utc now) const {
  // A declared absence is "excused" (declared, with its reason) until a coach marks it.
  auto session = context.find("_session");
  if (session == context.end()) return;
  const std::int64_t id = std::stoll(session->second);
  if (save.target == "attendance.coming" && save.value == "no")
    store.set_attendance(id, who.id, "excused", "", "declared", now);
  else if (save.target == "attendance.reason" && store.attendance_of(id, who.id) == "excused")
    store.set_attendance(id, who.id, "excused", save.value, "declared", now);
}

std::map<std::string, std::string> Conversations::variables(Store& store, const ParticipantRecord& who,
                                                             const std::map<std::string, std::string>& context) const {
  std::map<std::string, std::string> v = context;
  v["first_name"] = who.first_name;
  // The session's date and time, in her language.
  if (auto start = context.find("_session_start"); start != context.end()) {
    const Utc t = from_epoch_ms(std::stoll(start->second));
    v.try_emplace("date", dialogs::format_date(t, zone_.name(), who.language));
    v.try_emplace("time", dialogs::format_time(t, zone_.name(), who.language));
  }
  // A session's venue, named by its id in the context: its name and address from the config.
  if (auto id = context.find("venue_id"); id != context.end())
    for (const auto& venue : config_.venues)
      if (venue.id == id->second) {
        v.try_emplace("venue_name", venue.name);
        if (!venue.address.empty()) v.try_emplace("venue_address", venue.address);
      }
  // A place the config does not know: as the calendar wrote it.
  if (auto location = context.find("_location"); location != context.end()) v.try_emplace("venue_name", location->second);
  // A session without a place named: "the usual place", in her language.
  if (context.count("_session") && !v.count("venue_name"))
    v["venue_name"] = templates_.render("venue.unknown", who.language, {});
  if (const CohortConfig* cohort = config_.find_cohort(who.cohort); cohort && !cohort->coaches.empty()) {
    v["coach_name"] = cohort->coaches.front().name;
    if (!cohort->coaches.front().phone.empty())
      v["coach_phone"] = Phone::from_e164(cohort->coaches.front().phone).display(config_.default_region);
  }
  if (who.buddy_phone)
    if (auto buddy = store.find_participant_by_phone(*who.buddy_phone)) v["buddy_first_name"] = buddy->first_name;
  return v;
}

const dialogs::Tip* Conversations::choose_tip(Store& store, const ParticipantRecord& who,
                                              const std::string& barrier,
                                              std::map<std::string, std::string>& vars) const {
  auto venue = vars.find("venue_id");
  const std::string venue_id = venue == vars.end() ? "" : venue->second;
  if (const dialogs::Tip* way = tips_.way_to(venue_id, who.language)) vars["venue_way"] = way->text;
  const dialogs::Tip* tip = tips_.choose(barrier, who.language, venue_id, store.tips_sent_to(who.id));
  if (tip) vars["tip_text"] = tip->text;
  return tip;
}

std::optional<std::int64_t> Conversations::send(Store& store, const ParticipantRecord& who, const std::string& phone,
                         std::optional<std::int64_t> participant_id, const std::string& kind,
                         const std::string& template_key, const std::map<std::string, std::string>& vars,
                         const Cause& cause, Utc now) {
  if (who.opted_out) return std::nullopt;
  Draft draft;
  draft.template_id = template_key;
  // What the scheduler passed along ("_" keys) shapes the row; the rest are the text's values.
  for (const auto& [key, value] : vars)
    if (!key.starts_with("_")) draft.variables.emplace(key, value);
  auto known = [&](const char* key) -> const std::string* {
    auto it = vars.find(key);
    return it == vars.end() ? nullptr : &it->second;
  };
  const std::string text = templates_.render(template_key, who.language, vars);
  draft.participant_id = participant_id;
  draft.channel = who.channel.empty() ? config_.default_channel : who.channel;
  // On a channel of chats (Telegram) she is reached at her linked address.
  draft.recipient = store.address_of(who.id, draft.channel).value_or(phone);
  draft.text = text;
  draft.kind = kind;
  if (const auto* k = known("_kind"); k && kind != "tip") draft.kind = *k;
  if (const auto* job = known("_job")) draft.job_id = std::stoll(*job);
  if (const auto* deadline = known("_deadline"); deadline && !cause.is_reply) draft.deadline = from_epoch_ms(std::stoll(*deadline));
  if (cause.deadline) draft.deadline = draft.deadline ? std::min(*draft.deadline, *cause.deadline) : *cause.deadline;
  // A reply to her own message goes at once; what the service starts waits for the window
  // (the dispatcher holds it there too, with the daily cap).
  draft.origin = cause.is_reply ? Origin::reply : Origin::service;
  draft.not_before = cause.is_reply ? now : next_allowed_time(now, zone_, sending_window(config_));
  draft.in_reply_to = cause.inbound_id;
  return enqueue(store, config_, draft, now);
}

}  // namespace relais
