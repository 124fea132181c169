// Task execution states over the plan's dependency graph: which tasks are
// ready, what a blocked task waits on, and which successors a state change
// makes ready — each in O(degree), from the graph's adjacency.
//
// Readiness ignores lags (they are time, not state), as the scheduler's
// ReadySet does: a finish-to-start predecessor must be DONE, a
// start-to-start predecessor must have started; finish-to-finish and
// start-to-finish dependencies constrain finishing, never starting.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_TASK_STATES_H_
#define COLLABFLOW_SRC_ENGINE_STATE_TASK_STATES_H_

#include <string>
#include <vector>

#include "collabflow/task_graph.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/tracking.pb.h"

namespace collabflow::internal {

bool HasStarted(v1::TaskState state);        // IN_PROGRESS, BLOCKED, SUBMITTED, REWORK, DONE
bool IsReadyCandidate(v1::TaskState state);  // NOT_STARTED or READY

// The task's execution state in the record (task i of the plan has handle i).
// `overrides` (task handle -> state) stands in for changes being decided.
class TaskStateView {
 public:
  TaskStateView(const v1::RequestRecord& record, const TaskGraph& graph)
      : record_(record), graph_(graph) {}
  v1::TaskState state(TaskHandle t) const;
  void Override(TaskHandle t, v1::TaskState s) { overrides_.push_back({t, s}); }
  // Every blocking predecessor satisfied?
  bool PredecessorsSatisfied(TaskHandle t) const;
  // The ids of the blocking predecessors `t` still waits on.
  std::vector<std::string> WaitingOn(TaskHandle t) const;
  // NOT_STARTED successors of `changed` that are now ready, and READY ones
  // that no longer are, as transitions appended to `out`.
  void SuccessorTransitions(TaskHandle changed, std::vector<v1::TaskTransition>* out) const;
  const TaskGraph& graph() const { return graph_; }

 private:
  const v1::RequestRecord& record_;
  const TaskGraph& graph_;
  std::vector<std::pair<TaskHandle, v1::TaskState>> overrides_;
};

// A transition of the plan's task `handle` (task `handle` of the plan is
// execution `handle`), recorded with its position so the fold needs no search.
v1::TaskTransition Transition(TaskHandle handle, const std::string& task_id, v1::TaskState from,
                              v1::TaskState to);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_TASK_STATES_H_
