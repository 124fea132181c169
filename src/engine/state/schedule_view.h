// The plan with its schedule: the critical path method (schedule.h) over the
// plan's task graph, with every working-day ordinal mapped back to a date of
// the calendar; plus the forecast for each milestone and the final deadline.
// A zero-duration task (a milestone task) is dated on the finish of the
// predecessor that drives it, as planners expect; the rows, the milestone
// forecasts and project_finish agree, and a trailing milestone task ends the
// critical path.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_SCHEDULE_VIEW_H_
#define COLLABFLOW_SRC_ENGINE_STATE_SCHEDULE_VIEW_H_

#include "absl/status/statusor.h"
#include "collabflow/calendar.h"
#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"

namespace collabflow::internal {

// A row's driving_chain in a view holds at most this many tasks: the task and
// its nearest drivers (follow driving_predecessor_id beyond them).
inline constexpr int kMaxDrivingChainInView = 32;

// FAILED_PRECONDITION if the request has no published plan. The project
// starts on the plan's project_start, or else on the first working day after
// the plan was published. From scratch: the plan's graph, its actual dates,
// a full CPM pass (PlanSchedule keeps the same up to date incrementally).
absl::StatusOr<v1::ScheduleView> BuildScheduleView(const v1::RequestRecord& record,
                                                   const Calendar& calendar);

// The parts, for a schedule kept across commands (plan_schedule.h).
// The project start (see BuildScheduleView).
absl::StatusOr<ScheduleOptions> ScheduleOptionsFor(const v1::RequestRecord& record,
                                                   const Calendar& calendar);
// Sets each task's actual start, finish and percent complete from the
// record's executions (reality wins over the plan), touching only the tasks
// whose values differ. REQUIRES: graph is the plan's graph (handle i = task i).
absl::Status SyncActualDates(const v1::RequestRecord& record, const Calendar& calendar,
                             TaskGraph* graph);
// The working day a scheduled task finishes on at the earliest (the view's
// early_finish; a milestone task's, its driving predecessor's finish).
absl::CivilDay EarlyFinishDay(const Calendar& calendar, const ScheduledTask& task);

// The view of a computed schedule of the plan's graph.
absl::StatusOr<v1::ScheduleView> RenderScheduleView(const v1::RequestRecord& record,
                                                    const Calendar& calendar,
                                                    const TaskGraph& graph,
                                                    const Schedule& schedule,
                                                    const ScheduleOptions& options);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_SCHEDULE_VIEW_H_
