// One task of a request's published plan, found by id through the plan
// graph's id index (O(1), not a scan of the plan): task i of the plan is
// graph handle i and, once AlignExecutions ran, execution i.
//
// Thread safety: a PlanTask points into the record; it is valid while the
// record is unchanged (within one command's decision).
#ifndef COLLABFLOW_SRC_ENGINE_STATE_PLAN_TASK_H_
#define COLLABFLOW_SRC_ENGINE_STATE_PLAN_TASK_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

struct PlanTask {
  const v1::Task* task = nullptr;
  TaskHandle handle = kNoTask;
  const v1::TaskExecution* execution = nullptr;  // nullptr if none recorded yet

  // The execution state (NOT_STARTED without an execution).
  v1::TaskState state() const {
    return execution != nullptr ? execution->state() : v1::TASK_STATE_NOT_STARTED;
  }
};

// FAILED_PRECONDITION naming the request's state when it has no published
// plan.
absl::Status RequirePlan(const v1::RequestRecord& record);

// REQUIRES: `graph` is the record's plan graph (DecideContext::plan_graph),
// or nullptr when no plan is published.
// FAILED_PRECONDITION naming the request's state when it has no plan;
// NOT_FOUND "task "X" is not in the plan".
absl::StatusOr<PlanTask> FindPlanTask(const v1::RequestRecord& record, const TaskGraph* graph,
                                      absl::string_view task_id);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_PLAN_TASK_H_
