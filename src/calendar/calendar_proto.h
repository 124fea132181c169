// Conversion between the calendar value types and collabflow.v1.Calendar /
// collabflow.v1.CalendarOverlay.
#ifndef COLLABFLOW_SRC_CALENDAR_CALENDAR_PROTO_H_
#define COLLABFLOW_SRC_CALENDAR_CALENDAR_PROTO_H_

#include "absl/status/statusor.h"
#include "collabflow/calendar.h"
#include "collabflow/calendar_spec.h"
#include "collabflow/v1/calendar.pb.h"

namespace collabflow::internal {

// Every field explicit (time zone, weekdays, hours), exceptions in spec order.
void ToProto(const CalendarSpec& spec, v1::Calendar* out);
// Omitted fields take the CalendarSpec defaults; InvalidArgument naming the
// field for an unspecified or unknown enum, a bad "HH:MM" or a bad date. Does
// not validate the spec as a whole (Calendar::Create does).
absl::StatusOr<CalendarSpec> FromProto(const v1::Calendar& message);

void ToProto(const CalendarOverlay& overlay, v1::CalendarOverlay* out);
absl::StatusOr<CalendarOverlay> FromProto(const v1::CalendarOverlay& message);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_CALENDAR_CALENDAR_PROTO_H_
