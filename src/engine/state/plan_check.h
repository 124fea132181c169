// Checking a plan (协作任务拆分清单) against its request before publication:
// every task well-formed with a known assignee; predecessors known, no
// self-loops, duplicates or cycles (the cycle is named); durations and lags in
// range; and a coverage report of omissions (a milestone, the goal or a
// resource item that no task serves; a receiver that took duties when it
// confirmed but has no task) and overlaps (two tasks with the same assignee
// and the same deliverable, or without deliverables the same folded name).
#ifndef COLLABFLOW_SRC_ENGINE_STATE_PLAN_CHECK_H_
#define COLLABFLOW_SRC_ENGINE_STATE_PLAN_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collabflow/calendar.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/plan.pb.h"
#include "collabflow/v1/request.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

struct CheckedPlan {
  TaskGraph graph;  // task i of the plan has handle i
  v1::CoverageReport coverage;
  bool has_omissions() const {
    return coverage.uncovered_milestone_ids_size() > 0 || coverage.goal_uncovered() ||
           coverage.uncovered_resource_ids_size() > 0 || coverage.uncovered_receiver_ids_size() > 0;
  }
};

// `record`: the request (its current version) and the receivers' answers to
// it; a receiver whose latest answer to the current version states duties
// (职责边界) needs a task assigned to it.
absl::StatusOr<CheckedPlan> CheckPlan(const v1::Plan& plan, const v1::RequestRecord& record,
                                      const DirectoryIndex& directory, const Calendar& calendar);

// The omissions of `coverage` in words, for a refusal: "milestones a, b;
// the goal; resources c; receivers d".
std::string OmissionsText(const v1::CoverageReport& coverage);

// What the plan's task graph is built from: task i of the plan is spec i
// (handle i), its dates working-day ordinals of `calendar`; the edges by
// successor in plan order. REQUIRES: the plan passed CheckPlan.
struct PlanGraphInputs {
  std::vector<TaskSpec> specs;
  std::vector<Dependency> dependencies;
};
absl::StatusOr<PlanGraphInputs> GraphInputsOf(const v1::Plan& plan,
                                              const v1::CollaborationRequest& request,
                                              const Calendar& calendar);

// The plan as a task graph (TaskGraph::Build of GraphInputsOf).
absl::StatusOr<TaskGraph> PlanGraph(const v1::Plan& plan, const v1::CollaborationRequest& request,
                                    const Calendar& calendar);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_PLAN_CHECK_H_
