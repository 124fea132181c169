#include "engine/state/plan_schedule.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "engine/state/plan_check.h"
#include "engine/state/plan_task.h"
#include "engine/state/schedule_view.h"

namespace collabflow::internal {
namespace {

// Whether the graph's live tasks are exactly the plan's, in plan order.
bool SameTaskList(const TaskGraph& graph, const PlanGraphInputs& inputs) {
  if (graph.handle_count() != inputs.specs.size() || graph.task_count() != inputs.specs.size()) {
    return false;
  }
  for (size_t i = 0; i < inputs.specs.size(); ++i) {
    if (graph.id(static_cast<TaskHandle>(i)) != inputs.specs[i].id) return false;
  }
  return true;
}

bool SameLink(const DependencyLink& link, const Dependency& d) {
  return link.task == d.predecessor && link.type() == d.type && link.lag() == d.lag;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PlanSchedule>> PlanSchedule::Build(const v1::RequestRecord& record,
                                                                  const Calendar& calendar) {
  CFLOW_RETURN_IF_ERROR(RequirePlan(record));
  CFLOW_ASSIGN_OR_RETURN(TaskGraph graph, PlanGraph(record.plan(), record.request(), calendar));
  return FromCheckedGraph(std::move(graph), record, calendar);
}

absl::StatusOr<std::unique_ptr<PlanSchedule>> PlanSchedule::FromCheckedGraph(
    TaskGraph graph, const v1::RequestRecord& record, const Calendar& calendar) {
  CFLOW_RETURN_IF_ERROR(RequirePlan(record));
  CFLOW_RETURN_IF_ERROR(SyncActualDates(record, calendar, &graph));
  CFLOW_ASSIGN_OR_RETURN(ScheduleOptions options, ScheduleOptionsFor(record, calendar));
  graph.ClearChangeLog();
  auto built = std::unique_ptr<PlanSchedule>(new PlanSchedule(std::move(graph), options));
  built->last_sync_rebuilt_ = true;
  return built;
}

absl::Status PlanSchedule::Sync(const v1::RequestRecord& record, const Calendar& calendar) {
  CFLOW_RETURN_IF_ERROR(RequirePlan(record));
  CFLOW_ASSIGN_OR_RETURN(ScheduleOptions options, ScheduleOptionsFor(record, calendar));
  CFLOW_ASSIGN_OR_RETURN(PlanGraphInputs inputs,
                         GraphInputsOf(record.plan(), record.request(), calendar));
  if (options.project_start != options_.project_start ||
      options.status_date != options_.status_date || !SameTaskList(graph_, inputs)) {
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<PlanSchedule> rebuilt, Build(record, calendar));
    *this = std::move(*rebuilt);
    return absl::OkStatus();
  }
  last_sync_rebuilt_ = false;
  // Task fields: only what differs becomes an edit (and enters the change log).
  for (size_t i = 0; i < inputs.specs.size(); ++i) {
    const auto h = static_cast<TaskHandle>(i);
    const TaskSpec& want = inputs.specs[i];
    if (graph_.duration(h) != want.duration) {
      CFLOW_RETURN_IF_ERROR(graph_.SetDuration(h, want.duration));
    }
    if (graph_.start_no_earlier_than(h) != want.start_no_earlier_than) {
      CFLOW_RETURN_IF_ERROR(graph_.SetStartNoEarlierThan(h, want.start_no_earlier_than));
    }
    if (graph_.finish_no_later_than(h) != want.finish_no_later_than) {
      CFLOW_RETURN_IF_ERROR(graph_.SetFinishNoLaterThan(h, want.finish_no_later_than));
    }
    if (graph_.assignee_names()[graph_.assignee_index(h)] != want.assignee) {
      CFLOW_RETURN_IF_ERROR(graph_.SetAssignee(h, want.assignee));
    }
  }
  // Dependencies, per successor: remove what is gone or changed first (so a
  // changed one cannot look like a cycle), then add what is new.
  std::vector<std::vector<Dependency>> wanted(inputs.specs.size());
  for (const Dependency& d : inputs.dependencies) wanted[d.successor].push_back(d);
  std::vector<Dependency> to_add;
  for (size_t i = 0; i < wanted.size(); ++i) {
    const auto h = static_cast<TaskHandle>(i);
    std::vector<TaskHandle> stale;
    for (const DependencyLink& link : graph_.predecessors(h)) {
      const bool kept = std::any_of(wanted[i].begin(), wanted[i].end(),
                                    [&](const Dependency& d) { return SameLink(link, d); });
      if (!kept) stale.push_back(link.task);
    }
    for (TaskHandle p : stale) CFLOW_RETURN_IF_ERROR(graph_.RemoveDependency(p, h));
    for (const Dependency& d : wanted[i]) {
      const auto preds = graph_.predecessors(h);
      const bool present = std::any_of(preds.begin(), preds.end(), [&](const DependencyLink& link) {
        return SameLink(link, d);
      });
      if (!present) to_add.push_back(d);
    }
  }
  for (const Dependency& d : to_add) CFLOW_RETURN_IF_ERROR(graph_.AddDependency(d));
  actuals_stale_ = false;
  return SyncActualDates(record, calendar, &graph_);
}

absl::StatusOr<const Schedule*> PlanSchedule::schedule() {
  if (!schedule_.has_value()) {
    CFLOW_ASSIGN_OR_RETURN(Schedule computed, Schedule::Compute(graph_, options_));
    schedule_.emplace(std::move(computed));
    last_update_full_ = true;
    last_update_visits_ = graph_.task_count();
  } else if (!graph_.change_log().empty() || graph_.change_log_overflowed()) {
    CFLOW_RETURN_IF_ERROR(schedule_->Update(graph_));
    last_update_full_ = schedule_->last_update_was_full();
    last_update_visits_ = schedule_->last_update_visits();
  } else {
    return &*schedule_;
  }
  graph_.ClearChangeLog();
  return &*schedule_;
}

absl::StatusOr<const Schedule*> PlanSchedule::ScheduleAsOf(const v1::RequestRecord& record,
                                                           const Calendar& calendar) {
  if (actuals_stale_) {
    CFLOW_RETURN_IF_ERROR(SyncActualDates(record, calendar, &graph_));
    actuals_stale_ = false;
  }
  return schedule();
}

absl::StatusOr<v1::ScheduleView> PlanSchedule::View(const v1::RequestRecord& record,
                                                    const Calendar& calendar) {
  CFLOW_ASSIGN_OR_RETURN(const Schedule* s, ScheduleAsOf(record, calendar));
  return RenderScheduleView(record, calendar, graph_, *s, options_);
}

}  // namespace collabflow::internal
