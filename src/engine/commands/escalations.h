// What a tick decides (Engine::Tick): for every open due item whose next
// rung has come, each rung of its ladder due by `now`, once: rung 1 reminds
// whoever owes the item (and records a missed progress report), rung k >= 2
// tells the (k-1)-th superior of each of them. The events are the host's.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_ESCALATIONS_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_ESCALATIONS_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/state.pb.h"
#include "engine/journal/event_arena.h"
#include "engine/state/directory_index.h"
#include "engine/state/timer_index.h"

namespace collabflow::internal {

struct EscalationContext {
  // The record of a request with a due timer (the engine holds each).
  absl::FunctionRef<const v1::RequestRecord&(const std::string& request_id)> record_of;
  const DirectoryIndex& directory;
  const Calendar& calendar;
  const EscalationLadder& ladder;
  const std::string& host_actor_id;
  absl::Time now;
  // The request's plan graph (task i of the plan = handle i), or nullptr.
  absl::FunctionRef<const TaskGraph*(const v1::RequestRecord&)> plan_graph;
};

// Appends to `out` the events the timers `due` (TimerIndex::DueAt(now))
// call for.
void DecideEscalations(const EscalationContext& ctx, const std::vector<TimerIndex::DueTimer>& due,
                       DecidedEvents* out);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_ESCALATIONS_H_
