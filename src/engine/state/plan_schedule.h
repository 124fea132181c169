// A request's published plan as a task graph with its schedule, kept up to
// date across commands instead of rebuilt for every query.
//
// Built in full at publication from the graph the publication checked (or,
// after a reopen, on first use). After a revision that keeps
// the task list (the same ids in the same order), the changed durations,
// constraints, assignees and dependencies are applied to the graph as edits;
// actual starts, finishes and percent complete likewise, read from the record
// at the next view after a start, report or review. The schedule is then
// brought up to date by Schedule::Update, which recomputes only the tasks the
// edits reach (falling back to a full pass when that is cheaper) — lazily, at
// the next read. A revision that adds or cancels tasks rebuilds. Either way
// the schedule equals a from-scratch BuildScheduleView (tested).
//
// Thread safety: not thread-safe; the engine holds its lock.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_PLAN_SCHEDULE_H_
#define COLLABFLOW_SRC_ENGINE_STATE_PLAN_SCHEDULE_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "collabflow/calendar.h"
#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"

namespace collabflow::internal {

class PlanSchedule {
 public:
  // REQUIRES: the record has a published plan that passed CheckPlan.
  static absl::StatusOr<std::unique_ptr<PlanSchedule>> Build(const v1::RequestRecord& record,
                                                             const Calendar& calendar);
  // The same from the graph CheckPlan built for the record's plan (at
  // publication), so that the plan is not turned into a graph twice.
  // REQUIRES: `graph` is CheckPlan(record.plan(), record, ...).graph
  // for this calendar.
  static absl::StatusOr<std::unique_ptr<PlanSchedule>> FromCheckedGraph(
      TaskGraph graph, const v1::RequestRecord& record, const Calendar& calendar);

  // Brings the graph up to `record` (the same request, changed since): edits
  // when the task list is unchanged, a rebuild otherwise. On error the
  // object must be discarded (rebuild with Build).
  absl::Status Sync(const v1::RequestRecord& record, const Calendar& calendar);

  // Only actual dates or percent complete changed (a task started, reported
  // or passed review): recorded here, read from the record at the next View
  // (keeps the O(tasks) pass off every progress report).
  void MarkActualsChanged() { actuals_stale_ = true; }

  // The plan's graph (task i of the plan = handle i), with actual dates.
  const TaskGraph& graph() const { return graph_; }
  // The schedule, updated first if edits are pending (actual dates marked
  // changed are not read here; View reads them).
  absl::StatusOr<const Schedule*> schedule();
  // The schedule as of `record` (the same request): applies pending actual
  // dates, then as schedule().
  absl::StatusOr<const Schedule*> ScheduleAsOf(const v1::RequestRecord& record,
                                               const Calendar& calendar);
  // The view as of `record`: ScheduleAsOf, rendered.
  absl::StatusOr<v1::ScheduleView> View(const v1::RequestRecord& record, const Calendar& calendar);

  // Statistics of the last Sync and schedule update, for tests.
  bool last_sync_rebuilt() const { return last_sync_rebuilt_; }
  bool last_update_was_full() const { return last_update_full_; }
  size_t last_update_visits() const { return last_update_visits_; }

 private:
  PlanSchedule(TaskGraph graph, ScheduleOptions options)
      : graph_(std::move(graph)), options_(options) {}
  absl::Status EditTo(const v1::RequestRecord& record, const Calendar& calendar);

  TaskGraph graph_;
  ScheduleOptions options_;
  std::optional<Schedule> schedule_;  // nullopt until first read
  bool actuals_stale_ = false;        // MarkActualsChanged since the last View
  bool last_sync_rebuilt_ = false;
  bool last_update_full_ = false;
  size_t last_update_visits_ = 0;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_PLAN_SCHEDULE_H_
