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
#include "absl/time/time.h"
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

// A receiver's word that a resource is feasible only after N working days
// (its latest on that resource, whichever version it answered).
struct LeadTimeAnswer {
  std::string receiver_id;
  std::string resource_id;
  int days_needed = 0;
  std::string note;
};
// `pending`, if set, counts as the newest answer (a response being decided).
std::vector<LeadTimeAnswer> LeadTimeAnswers(const v1::RequestRecord& record,
                                            const v1::ReceiverResponse* pending = nullptr);

// Adds to checked->coverage.short_lead_times each task of a receiver that
// said a resource needs N working days (its tasks serving the resource, or
// else its earliest task) planned to start sooner than N working days after
// the confirmation, the plan scheduled from its project_start or the first
// working day after `published`. REQUIRES: `checked` is CheckPlan(plan,
// record, directory, calendar).
absl::Status CheckLeadTimes(const v1::Plan& plan, const v1::RequestRecord& record,
                            const DirectoryIndex& directory, const Calendar& calendar,
                            absl::Time published, CheckedPlan* checked);

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
