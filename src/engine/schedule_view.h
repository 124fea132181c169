// The plan with its schedule: the critical path method (schedule.h) over the
// plan's task graph, with every working-day ordinal mapped back to a date of
// the calendar; plus the forecast for each milestone and the final deadline.
#ifndef COLLABFLOW_SRC_ENGINE_SCHEDULE_VIEW_H_
#define COLLABFLOW_SRC_ENGINE_SCHEDULE_VIEW_H_

#include "absl/status/statusor.h"
#include "collabflow/calendar.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"

namespace collabflow::internal {

// FAILED_PRECONDITION if the request has no published plan. The project
// starts on the plan's project_start, or else on the first working day after
// the plan was published.
absl::StatusOr<v1::ScheduleView> BuildScheduleView(const v1::RequestRecord& record,
                                                   const Calendar& calendar);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_SCHEDULE_VIEW_H_
