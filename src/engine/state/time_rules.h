// The process's time rules as due items, counted through the calendar
// kernel: a receiver answers within N working days of the submission of a
// version (default 1); the owner publishes the plan within N working days of
// confirmation (default 1).
#ifndef COLLABFLOW_SRC_ENGINE_STATE_TIME_RULES_H_
#define COLLABFLOW_SRC_ENGINE_STATE_TIME_RULES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collabflow/calendar.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/plan.pb.h"
#include "collabflow/v1/request.pb.h"

namespace collabflow::internal {

// A configurable count: the configured value, or `fallback` when it is unset (0).
inline int ConfiguredOr(int configured, int fallback) {
  return configured > 0 ? configured : fallback;
}

inline constexpr int kDefaultResponseWorkingDays = 1;
inline constexpr int kDefaultPlanWorkingDays = 1;

v1::DueItem ResponseDue(const Calendar& calendar, absl::Time submitted,
                        const v1::CollaborationRequest& request, const v1::Receiver& receiver,
                        absl::Span<const absl::string_view> owed_by);
v1::DueItem PlanDue(const Calendar& calendar, absl::Time confirmed,
                    const v1::CollaborationRequest& request, std::string owner);

inline constexpr int kDefaultRiskResponseWorkingDays = 1;
inline constexpr int kDefaultResourceDecisionWorkingDays = 1;

// The next progress report after `last` (the task's start or its latest
// report) under `cadence`: by the close of the working day N working days
// after last's day (daily: N = 1; every N working days: N), or, weekly, of
// the first such weekday after last's day (moved to the next working day
// when that weekday is off).
v1::DueItem ReportDue(const Calendar& calendar, const v1::Cadence& cadence, absl::Time last,
                      const std::string& request_id, const std::string& task_id,
                      std::vector<std::string> owed_by);
// A generic due item `days` working days after `opened`.
v1::DueItem DueAfter(const Calendar& calendar, absl::Time opened, int days, v1::DueKind kind,
                     std::string key, const std::string& request_id, std::string subject_id,
                     std::vector<std::string> owed_by);

// The instant rung `rung` (1 = reminder at the due time; k >= 2 = the
// (k-1)-th escalation) of a due item's ladder fires, escalations coming every
// `every_working_days` working days after the due time.
absl::Time RungTime(const Calendar& calendar, const v1::DueItem& due, int rung,
                    int every_working_days);

// What a due item asks for, in words: "需求确认(sales)", "进度反馈(T1)", ...
std::string DueDescription(const v1::DueItem& due);

// "2026-09-02 18:00" in the calendar's time zone.
std::string FormatLocal(const Calendar& calendar, absl::Time t);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_TIME_RULES_H_
