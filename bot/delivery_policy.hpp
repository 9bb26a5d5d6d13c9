#pragma once
// Which due messages may leave now, which must wait and which must never leave: the rules
// the dispatcher applies to each due outbox row before it hands it to a gateway.
//  - Opted out: she receives nothing but the STOP confirmation (dropped).
//  - A number a gateway called wrong: not tried again (failed) until a coach corrects it.
//  - Too late: a row past its deadline (a reminder after its session) is dropped.
//  - Never at night: what the service starts on its own leaves only inside the sending
//    window (it waits for the next opening); replies, coaches' messages and the STOP
//    confirmation go at once.
//  - Never a flood: at most `daily_cap` messages started by the service per participant
//    and local day. Over it the lowest-priority messages wait for the next day's opening;
//    a notice or a reminder is never held back (but it counts).
// Pure: no database and no clock; the dispatcher passes what it read and the time.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/config/config.hpp"
#include "bot/storage/store.hpp"
#include "scheduler/sending_window.hpp"
#include "scheduler/zone.hpp"

namespace relais {

// The configuration's sending window, for next_allowed_time().
SendingWindow sending_window(const Config& config);

// The service's own messages by priority, highest first.
enum class Priority { notice, reminder, checkin, welcome, missed, meteo, peer, tip };

// The priority of an outbox kind (a dialog's id, or "notice", "reminder", "tip"…): the
// attendance question goes with the reminder, the end-of-programme questions with the
// check-in. A kind not listed (a dialog coaches added) has the lowest priority.
Priority priority_of(std::string_view kind);

// Her day so far: what the cap must count besides the rows being judged.
struct ParticipantDay {
  int handed_over = 0;                 // her service messages handed to a gateway today
  std::vector<Priority> due_later;     // her service messages due later today
};

struct DeliveryVerdict {
  enum class Action { send, wait, drop, fail } action = Action::send;
  Utc until{};         // wait: the row's new not_before
  std::string reason;  // wait, drop, fail: for coaches and logs
};

class DeliveryPolicy {
 public:
  DeliveryPolicy(const TimeZone& zone, SendingWindow window, int daily_cap);

  // One verdict per row of `due`, in the same order. Rows are weighed against the cap in
  // priority order (then due time), so that a check-in passes before a tip of the same
  // day; a row of lower priority also leaves room for her messages of higher priority
  // still due later today. `day_of` is asked once per participant with a capped row.
  std::vector<DeliveryVerdict> judge(const std::vector<DueRow>& due, Utc now,
                             const std::function<ParticipantDay(std::int64_t participant_id)>& day_of) const;

  // The local day that contains `t`, as [start, end).
  std::pair<Utc, Utc> local_day(Utc t) const;
  const SendingWindow& window() const { return window_; }

 private:
  const TimeZone& zone_;
  SendingWindow window_;
  int daily_cap_;
};

}  // namespace relais
