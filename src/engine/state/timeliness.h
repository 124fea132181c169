// Timeliness (时效性) of a submission and the default rectification deadline,
// counted in working time through the calendar: a deliverable handed in on
// the Monday after a three-day holiday that was due on the Thursday before is
// one working hour late, not four days. For the review command (step 5).
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_TIMELINESS_H_
#define COLLABFLOW_SRC_ENGINE_STATE_TIMELINESS_H_

#include <cstdint>

#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/v1/acceptance.pb.h"

namespace collabflow::internal {

// 整改 default: the rectified version within 2 working days of the review.
inline constexpr int kDefaultRectificationWorkingDays = 2;

struct Timeliness {
  // Working minutes from the due time to the submission: > 0 late, <= 0 on
  // time (negative: that much early). Time outside working hours does not
  // count, so a submission after hours or on a holiday just past the due is
  // late by 0 working minutes, i.e. on time.
  int64_t late_by_working_minutes = 0;
  bool on_time = true;
};

Timeliness ComputeTimeliness(const Calendar& calendar, absl::Time due, absl::Time submitted);

// The due time of a "by date" rule: the close of `day` if it is a working
// day, else the close of the last working day before it.
absl::Time DueByEndOf(const Calendar& calendar, absl::CivilDay day);

// Fills the review's timeliness fields (on_time, late_by_working_minutes);
// keeps a waiver the reviewer gave.
void SetTimeliness(const Calendar& calendar, absl::Time due, absl::Time submitted,
                   v1::Review* review);

// The default deadline of a rectification item given at `reviewed`.
absl::Time RectificationDue(const Calendar& calendar, absl::Time reviewed,
                            int working_days = kDefaultRectificationWorkingDays);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_TIMELINESS_H_
