// What a command handler sees while deciding: the state, the directory, the
// calendar, the command; and where it puts the events it decides on.
// Handlers never mutate state: an accepted command's events are applied
// (state_fold.h) only after they are durable. (The kept schedule is a cache
// of the state; bringing it up to date changes no state.)
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_DECIDE_CONTEXT_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_DECIDE_CONTEXT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/command.pb.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

class PlanSchedule;  // plan_schedule.h

// The events a command decides: most decide one or two, which stay inline
// (no allocation per command).
using DecidedEvents = absl::InlinedVector<v1::Event, 2>;

struct DecideContext {
  const v1::EngineState& state;
  const DirectoryIndex& directory;
  const Calendar& calendar;
  // The command, owned by the caller for this one decision and dropped after
  // it: a handler may move a part of the payload into its event (a request,
  // a response, a report) instead of copying it, after which `command` reads
  // that part as empty.
  v1::Command& command;
  absl::Time now;                   // the command's time
  const v1::RequestRecord* record;  // the request concerned; nullptr if none
  DecidedEvents* out;
  // Cleared events from earlier commands (null: none), whose strings Emit
  // reuses instead of allocating new ones.
  std::vector<v1::Event>* spare = nullptr;
  // The published plan as a graph (task i of the plan = handle i); nullptr
  // before publication.
  const TaskGraph* plan_graph = nullptr;
  // The same plan's schedule, kept across commands (plan_schedule.h): read
  // it instead of computing one (a full pass costs O(tasks)). Non-null
  // exactly when plan_graph is; mutable only to bring it up to date.
  PlanSchedule* plan_schedule = nullptr;
  // Where a plan publication leaves the graph it checked, for the engine to
  // keep as the plan's schedule once the event is applied (instead of
  // building the same graph again at the next read). Null: not wanted.
  std::optional<TaskGraph>* published_graph = nullptr;

  const std::string& actor() const { return command.actor_id(); }
  // A new event stamped with the command's time, actor and request id (a
  // spare one when there is one).
  v1::Event& Emit() const;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_DECIDE_CONTEXT_H_
