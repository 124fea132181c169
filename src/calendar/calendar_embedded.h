// The calendars compiled into the library (generated at build time from
// data/calendars/*.textproto by data/calendars/embed_textproto.cmake).
#ifndef COLLABFLOW_SRC_CALENDAR_CALENDAR_EMBEDDED_H_
#define COLLABFLOW_SRC_CALENDAR_CALENDAR_EMBEDDED_H_

namespace collabflow::internal {

// data/calendars/cn-mainland-2025-2026.textproto, verbatim.
extern const char kChinaMainlandCalendarText[];

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_CALENDAR_CALENDAR_EMBEDDED_H_
