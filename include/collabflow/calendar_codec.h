// Calendars as collabflow.v1.Calendar protobuf: binary bytes (for the wire
// and the journal) and the human-editable text format (textproto) a host uses
// to ship its yearly holiday schedule, e.g.
//
//   name: "acme-2026"
//   time_zone: "Asia/Shanghai"
//   working_weekdays: [WEEKDAY_MONDAY, WEEKDAY_TUESDAY, WEEKDAY_WEDNESDAY,
//                      WEEKDAY_THURSDAY, WEEKDAY_FRIDAY]
//   working_hours { start: "09:00" end: "18:00" break_start: "12:00" break_end: "13:00" }
//   exceptions { date { year: 2026 month: 9 day: 20 } kind: DAY_KIND_MAKEUP_WORKDAY
//              name: "国庆节" }
//   exceptions { date { year: 2026 month: 9 day: 25 } kind: DAY_KIND_STATUTORY_HOLIDAY
//              name: "中秋节" }
//
// Omitted fields take the CalendarSpec defaults (Asia/Shanghai, Monday–Friday,
// 09:00–18:00 with a 12:00–13:00 break). Every decode validates.
// Thread safety: free functions without shared state.
#ifndef COLLABFLOW_CALENDAR_CODEC_H_
#define COLLABFLOW_CALENDAR_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/calendar.h"

namespace collabflow {

// InvalidArgument with the line and column of a syntax error, or the
// validation error naming the field.
absl::StatusOr<Calendar> ParseCalendarText(absl::string_view text);
// Every field written explicitly, exceptions sorted by date, UTF-8 unescaped.
std::string CalendarToText(const Calendar& calendar);

absl::StatusOr<Calendar> DecodeCalendar(absl::string_view bytes);
std::string EncodeCalendar(const Calendar& calendar);  // deterministic

// Overlays in the same two forms (message collabflow.v1.CalendarOverlay).
absl::StatusOr<CalendarOverlay> ParseCalendarOverlayText(absl::string_view text);
std::string CalendarOverlayToText(const CalendarOverlay& overlay);

}  // namespace collabflow

#endif  // COLLABFLOW_CALENDAR_CODEC_H_
