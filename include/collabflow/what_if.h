// What-if analysis: apply a list of proposed changes to a copy of the plan
// and report what they would do to task dates, float, milestones and the
// project finish. The original graph and schedule are never touched.
//
// Thread safety: a pure function over const inputs; safe to call from many
// threads on the same graph and schedule.
#ifndef COLLABFLOW_WHAT_IF_H_
#define COLLABFLOW_WHAT_IF_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"

namespace collabflow {

// One proposed change. Use the factories.
struct PlanChange {
  enum class Kind : uint8_t {
    kSetDuration,
    kSetStartNoEarlierThan,
    kSetFinishNoLaterThan,
    kAddDependency,
    kRemoveDependency,
  };
  Kind kind = Kind::kSetDuration;
  TaskHandle task = kNoTask;  // the task for the kSet* kinds
  int32_t value = 0;          // duration or ordinal (kNoDate clears)
  Dependency dependency;      // for the dependency kinds

  static PlanChange SetDuration(TaskHandle t, int32_t days) {
    return {Kind::kSetDuration, t, days, {}};
  }
  static PlanChange SetStartNoEarlierThan(TaskHandle t, int32_t ordinal) {
    return {Kind::kSetStartNoEarlierThan, t, ordinal, {}};
  }
  static PlanChange SetFinishNoLaterThan(TaskHandle t, int32_t ordinal) {
    return {Kind::kSetFinishNoLaterThan, t, ordinal, {}};
  }
  static PlanChange AddDependency(const Dependency& d) {
    return {Kind::kAddDependency, kNoTask, 0, d};
  }
  static PlanChange RemoveDependency(TaskHandle predecessor, TaskHandle successor) {
    return {Kind::kRemoveDependency, kNoTask, 0, Dependency{predecessor, successor}};
  }
};

struct TaskDelta {
  TaskHandle task = kNoTask;
  ScheduledTask before;
  ScheduledTask after;
};

struct WhatIfReport {
  int32_t project_finish_before = 0;
  int32_t project_finish_after = 0;
  // Every live task whose ES, EF, LS, LF, total or free float changes, by handle.
  std::vector<TaskDelta> changed;
  // Milestones (0-duration tasks or tasks with a finish-no-later-than date)
  // whose dates or float change, by handle.
  std::vector<TaskDelta> milestones;
  // Tasks whose total float becomes negative / stops being negative.
  std::vector<TaskHandle> newly_late;
  std::vector<TaskHandle> no_longer_late;
};

// Applies `changes` in order to a copy of `graph` and reschedules it
// incrementally from `schedule` (which must be current for `graph`). Refuses
// the whole list (the status names the change's index and why) if any change
// is refused; nothing is modified in any case. Cost: a copy of the graph plus
// the incremental reschedule.
absl::StatusOr<WhatIfReport> WhatIf(const TaskGraph& graph, const Schedule& schedule,
                                    absl::Span<const PlanChange> changes);

}  // namespace collabflow

#endif  // COLLABFLOW_WHAT_IF_H_
