// The process's time rules as due items, counted through the calendar
// kernel: a receiver answers within N working days of the submission of a
// version (default 1); the owner publishes the plan within N working days of
// confirmation (default 1).
#ifndef COLLABFLOW_SRC_ENGINE_TIME_RULES_H_
#define COLLABFLOW_SRC_ENGINE_TIME_RULES_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/request.pb.h"

namespace collabflow::internal {

inline constexpr int kDefaultResponseWorkingDays = 1;
inline constexpr int kDefaultPlanWorkingDays = 1;

v1::DueItem ResponseDue(const Calendar& calendar, absl::Time submitted,
                        const v1::CollaborationRequest& request, const v1::Receiver& receiver,
                        std::vector<std::string> owed_by);
v1::DueItem PlanDue(const Calendar& calendar, absl::Time confirmed,
                    const v1::CollaborationRequest& request, std::string owner);

// "2026-09-02 18:00" in the calendar's time zone.
std::string FormatLocal(const Calendar& calendar, absl::Time t);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_TIME_RULES_H_
