// `relais simulate`: the real service (App: planner, dialogs, dispatcher with its window,
// cap and late-drop rules) on a simulated clock that jumps from one due moment to the next.
#include <map>
#include <streambuf>

#include "bot/app.hpp"
#include "bot/core/sms.hpp"
#include "bot/dispatcher.hpp"
#include "bot/engine.hpp"
#include "bot/simulate_parts.hpp"

namespace relais::simulation {
namespace {

// The clock never jumps further: the service re-plans its weekly prompts as it goes (the
// planning horizon is two weeks), so it must wake up now and then even when nothing is due.
constexpr auto kLongestJump = std::chrono::hours(24);
// Rounds of work at one moment: a fired job may make more work due at once (a dialog
// that starts another); the service's own batches are bounded (200 jobs at a time).
constexpr int kMaxRoundsPerMoment = 50;

// The console channels print nowhere: the messages are read from the outbox instead.
class NullBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
};

bool work_due(App& app, Utc now) {
  bool due = false;
  app.engine().run([&](Store& s) { due = !s.due_jobs(now, 1).empty() || !s.due_conversations(now, 1).empty(); });
  return due;
}

// Everything the service would do at `now`: re-plan when due, fire jobs, nudges and
// timeouts, then hand over what may leave.
void settle(App& app, Utc now) {
  for (int round = 0; round < kMaxRoundsPerMoment; ++round) {
    app.tick();
    app.dispatcher().dispatch_due();
    if (!work_due(app, now)) return;
  }
}

SimulatedMessage describe(const OutboxRow& row, const ParticipantRecord& who, const std::optional<JobRow>& job,
                          const std::optional<SessionRow>& session) {
  SimulatedMessage m;
  m.row_id = row.id;
  m.utc = *row.first_sent_at;
  m.participant = who.phone;
  m.first_name = who.first_name;
  m.cohort = who.cohort;
  m.kind = message_kind(job ? std::optional(job->job.kind) : std::nullopt, row.kind);
  if (job) m.rule = job->job.rule;
  if (session) {
    m.session = session->session.uid;
    m.session_start = session->session.start;
  }
  m.channel = row.channel;
  m.text = row.text;
  // As an SMS of this text would go, whatever the channel: the budget is counted in SMS.
  const SmsInfo sms = analyse_sms(row.text);
  m.encoding = std::string(to_string(sms.encoding));
  m.segments = sms.segments;
  m.cost_eur = row.cost_eur;
  return m;
}

void collect(Store& s, Utc start, Utc end, Outcome& outcome) {
  outcome.participants = s.all_participants();
  std::map<std::int64_t, std::optional<JobRow>> jobs;
  std::map<std::int64_t, std::optional<SessionRow>> sessions;
  for (const auto& who : outcome.participants)
    for (const auto& row : s.outbox_of_participant(who.id)) {
      if (!row.first_sent_at || *row.first_sent_at < start || *row.first_sent_at >= end) continue;
      std::optional<JobRow> job;
      if (row.job_id) {
        auto [it, fresh] = jobs.try_emplace(*row.job_id);
        if (fresh) it->second = s.job(*row.job_id);
        job = it->second;
      }
      std::optional<SessionRow> session;
      if (job && job->job.session_id) {
        auto [it, fresh] = sessions.try_emplace(*job->job.session_id);
        if (fresh) it->second = s.session(*job->job.session_id);
        session = it->second;
      }
      outcome.messages.push_back(describe(row, who, job, session));
    }
  sort_messages(outcome.messages);
  outcome.sessions = s.sessions_between(start, end);
}

}  // namespace

Config offline_config(const Config& config) {
  Config c = config;
  for (auto& channel : c.channels) {
    channel.type = "console";
    channel.options.clear();
    channel.templates.clear();
    channel.basic_auth_password_env.clear();
    channel.fallback.clear();
    // No gateway, no rate to respect: what is due at a minute leaves at that minute.
    channel.rate_per_second = 1e9;
    channel.burst = 1'000'000;
  }
  // The console answers at once: no sending threads, large batches.
  c.dispatcher.concurrency = 1;
  c.dispatcher.batch_size = 500;
  // Read once by the seeding, never polled again.
  c.calendars.sources.clear();
  return c;
}

Outcome run_service(const Config& config, LocalDate from, LocalDate to) {
  const TimeZone zone(config.time_zone);
  const Utc start = from.midnight(zone);
  const Utc end = to.plus_days(1).midnight(zone);
  Outcome outcome;
  outcome.from = from;
  outcome.to = to;
  NullBuffer nowhere;
  std::ostream console(&nowhere);
  SimulatedClock clock(start);
  App app(config, clock, console);
  for (Utc now = start;;) {
    settle(app, now);
    std::optional<Utc> next;
    app.engine().run([&](Store& s) { next = s.next_due_after(now); });
    const Utc step = std::min(next.value_or(now + kLongestJump), now + kLongestJump);
    if (step >= end) break;
    now = step;
    clock.set(now);
  }
  app.engine().run([&](Store& s) { collect(s, start, end, outcome); });
  return outcome;
}

}  // namespace relais::simulation
