// What a command handler sees while deciding: the request, the directory, the
// calendar, the command; and Emit, which gives it the events it decides on.
// Handlers never mutate state: an accepted command's events are applied
// (state_fold.h) only after they are durable. (The kept schedule is a cache
// of the state; bringing it up to date changes no state.)
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_DECIDE_CONTEXT_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_DECIDE_CONTEXT_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/command.pb.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/journal/event_arena.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

class PlanSchedule;  // plan_schedule.h

class DecideContext {
 public:
  // The events Emit makes go to `out`, made by `arena` when given (the
  // engine's) or new (a preview that commits nothing).
  DecideContext(const DirectoryIndex& directory, const Calendar& calendar, v1::Command& command,
                absl::Time now, const v1::RequestRecord* record, const v1::StreamHead* request_head,
                DecidedEvents* out, EventArena* arena = nullptr)
      : directory(directory),
        calendar(calendar),
        command(command),
        now(now),
        record(record),
        request_head(request_head),
        out_(out),
        arena_(arena) {}

  const DirectoryIndex& directory;
  const Calendar& calendar;
  // The command, owned by the caller for this one decision and dropped after
  // it: a handler may move a part of the payload into its event (a request,
  // a response, a report) instead of copying it, after which `command` reads
  // that part as empty.
  v1::Command& command;
  absl::Time now;                   // the command's time
  const v1::RequestRecord* record;  // the request concerned; nullptr if none
  // Its stream's head (its last event's version and hash); nullptr if none.
  const v1::StreamHead* request_head;
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
  // A new event, stamped with the command's time, actor and request id, at
  // the end of the command's events.
  v1::Event& Emit() const;
  // This context with its events going to `out` instead: a trial decision
  // whose events are never committed (a preview).
  DecideContext Trial(DecidedEvents* out) const {
    DecideContext trial = *this;
    trial.out_ = out;
    trial.arena_ = nullptr;
    return trial;
  }

 private:
  DecidedEvents* out_;
  EventArena* arena_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_DECIDE_CONTEXT_H_
