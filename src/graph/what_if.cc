#include "collabflow/what_if.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace collabflow {
namespace {

absl::Status Apply(TaskGraph& g, const PlanChange& c) {
  switch (c.kind) {
    case PlanChange::Kind::kSetDuration:
      return g.SetDuration(c.task, c.value);
    case PlanChange::Kind::kSetStartNoEarlierThan:
      return g.SetStartNoEarlierThan(c.task, c.value);
    case PlanChange::Kind::kSetFinishNoLaterThan:
      return g.SetFinishNoLaterThan(c.task, c.value);
    case PlanChange::Kind::kAddDependency:
      return g.AddDependency(c.dependency);
    case PlanChange::Kind::kRemoveDependency:
      return g.RemoveDependency(c.dependency.predecessor, c.dependency.successor);
  }
  return absl::InvalidArgumentError("unknown change kind");
}

}  // namespace

absl::StatusOr<WhatIfReport> WhatIf(const TaskGraph& graph, const Schedule& schedule,
                                    absl::Span<const PlanChange> changes) {
  if (schedule.handle_count() != graph.handle_count()) {
    return absl::FailedPreconditionError(
        "what-if: the schedule is not current for the graph (task counts differ)");
  }
  TaskGraph copy = graph;
  copy.ClearChangeLog();
  for (size_t i = 0; i < changes.size(); ++i) {
    if (absl::Status s = Apply(copy, changes[i]); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("what-if: changes[", i, "]: ", s.message()));
    }
  }
  Schedule after = schedule;
  if (absl::Status s = after.Update(copy); !s.ok()) return s;

  WhatIfReport report;
  report.project_finish_before = schedule.project_finish();
  report.project_finish_after = after.project_finish();
  for (TaskHandle t = 0; t < copy.handle_count(); ++t) {
    if (!copy.IsLive(t)) continue;
    const ScheduledTask& b = schedule[t];
    const ScheduledTask& a = after[t];
    const bool dates_changed = b.early_start != a.early_start || b.early_finish != a.early_finish ||
                               b.late_start != a.late_start || b.late_finish != a.late_finish ||
                               b.total_float != a.total_float || b.free_float != a.free_float;
    if (b.total_float < 0 && a.total_float >= 0) report.no_longer_late.push_back(t);
    if (b.total_float >= 0 && a.total_float < 0) report.newly_late.push_back(t);
    if (!dates_changed) continue;
    report.changed.push_back(TaskDelta{t, b, a});
    if (copy.duration(t) == 0 || copy.finish_no_later_than(t) != kNoDate) {
      report.milestones.push_back(TaskDelta{t, b, a});
    }
  }
  return report;
}

}  // namespace collabflow
