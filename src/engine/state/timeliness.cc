#include "engine/state/timeliness.h"

namespace collabflow::internal {

Timeliness ComputeTimeliness(const Calendar& calendar, absl::Time due, absl::Time submitted) {
  Timeliness t;
  t.late_by_working_minutes = absl::ToInt64Minutes(calendar.WorkingTimeBetween(due, submitted));
  t.on_time = t.late_by_working_minutes <= 0;
  return t;
}

absl::Time DueByEndOf(const Calendar& calendar, absl::CivilDay day) {
  const absl::CivilDay working =
      calendar.IsWorkingDay(day) ? day : calendar.PreviousWorkingDay(day);
  return calendar.CloseOf(working);
}

void SetTimeliness(const Calendar& calendar, absl::Time due, absl::Time submitted,
                   v1::Review* review) {
  const Timeliness t = ComputeTimeliness(calendar, due, submitted);
  review->set_late_by_working_minutes(t.late_by_working_minutes);
  review->set_on_time(t.on_time);
}

absl::Time RectificationDue(const Calendar& calendar, absl::Time reviewed, int working_days) {
  return calendar.DeadlineWithinWorkingDays(reviewed, working_days);
}

}  // namespace collabflow::internal
