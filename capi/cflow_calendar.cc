// Calendars through the C ABI: the shipped mainland-China calendar or one
// decoded from text/bytes, and the working-day and working-time arithmetic
// every time rule of the engine uses.
#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "base/status_macros.h"
#include "base/utf8.h"
#include "boundary.h"
#include "collabflow.h"
#include "collabflow/calendar.h"
#include "collabflow/calendar_codec.h"
#include "engine_handle.h"
#include "handle_table.h"

namespace {

using collabflow::capi::CopyOut;
using collabflow::capi::DateArg;
using collabflow::capi::Guard;
using collabflow::capi::HandleTable;
using collabflow::capi::InputBytes;
using collabflow::capi::InstantArg;
using collabflow::capi::RequireNonNull;

// A calendar is an immutable value: calls need no lock beyond the table's
// hold on it.
HandleTable<collabflow::Calendar>& Calendars() {
  static auto* handles =
      new HandleTable<collabflow::Calendar>("calendar", collabflow::capi::kCalendarTag);
  return *handles;  // never destroyed: safe at exit
}

absl::Status Publish(collabflow::Calendar calendar, cflow_calendar** out) {
  return Calendars().Publish(std::make_unique<collabflow::Calendar>(std::move(calendar)), out);
}

// The calendar behind a live handle, held until the reference is gone.
auto Get(const cflow_calendar* handle) { return Calendars().Find(handle); }

void ToC(absl::CivilDay day, cflow_date* out) {
  out->year = static_cast<int32_t>(day.year());
  out->month = day.month();
  out->day = day.day();
}

}  // namespace

extern "C" {

CFLOW_EXPORT cflow_status cflow_calendar_china_mainland(cflow_calendar** out) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    return Publish(collabflow::Calendar::ChinaMainland(), out);
  });
}

CFLOW_EXPORT cflow_status cflow_calendar_from_text(cflow_calendar** out, const char* text,
                                                   size_t text_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    absl::string_view input;
    CFLOW_RETURN_IF_ERROR(InputBytes(text, text_len, "text", &input));
    if (!collabflow::internal::IsValidUtf8(input)) {
      return absl::InvalidArgumentError("text: not valid UTF-8");
    }
    CFLOW_ASSIGN_OR_RETURN(collabflow::Calendar calendar, collabflow::ParseCalendarText(input));
    return Publish(std::move(calendar), out);
  });
}

CFLOW_EXPORT cflow_status cflow_calendar_from_bytes(cflow_calendar** out, const uint8_t* bytes,
                                                    size_t bytes_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    absl::string_view input;
    CFLOW_RETURN_IF_ERROR(InputBytes(bytes, bytes_len, "bytes", &input));
    CFLOW_ASSIGN_OR_RETURN(collabflow::Calendar calendar, collabflow::DecodeCalendar(input));
    return Publish(std::move(calendar), out);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_calendar(cflow_calendar** out, cflow_engine* engine) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_ASSIGN_OR_RETURN(auto e, collabflow::capi::FindEngine(engine));
    return Publish(e->calendar(), out);
  });
}

CFLOW_EXPORT void cflow_calendar_free(cflow_calendar* calendar) { Calendars().FreeFromC(calendar); }

CFLOW_EXPORT cflow_status cflow_calendar_to_text(char** out, size_t* out_len,
                                                 const cflow_calendar* calendar) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    CFLOW_ASSIGN_OR_RETURN(auto c, Get(calendar));
    return CopyOut(collabflow::CalendarToText(*c), out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_calendar_is_working_day(int* out, const cflow_calendar* calendar,
                                                        cflow_date day) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_ASSIGN_OR_RETURN(auto c, Get(calendar));
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay d, DateArg(day, "day"));
    *out = c->IsWorkingDay(d) ? 1 : 0;
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_calendar_add_working_days(cflow_date* out,
                                                          const cflow_calendar* calendar,
                                                          cflow_date day, int64_t n) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_ASSIGN_OR_RETURN(auto c, Get(calendar));
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay d, DateArg(day, "day"));
    ToC(c->AddWorkingDays(d, n), out);
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_calendar_working_days_between(int64_t* out,
                                                              const cflow_calendar* calendar,
                                                              cflow_date from, cflow_date to) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_ASSIGN_OR_RETURN(auto c, Get(calendar));
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay f, DateArg(from, "from"));
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay t, DateArg(to, "to"));
    *out = c->WorkingDaysBetween(f, t);
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_calendar_deadline_within(int64_t* out_unix_micros,
                                                         const cflow_calendar* calendar,
                                                         int64_t filed_unix_micros, int64_t n) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_unix_micros, "out_unix_micros"));
    CFLOW_ASSIGN_OR_RETURN(auto c, Get(calendar));
    CFLOW_ASSIGN_OR_RETURN(absl::Time filed, InstantArg(filed_unix_micros, "filed_unix_micros"));
    // The kernel counts in int and saturates at the end of its range, so a
    // larger n gives the same answer as the largest int.
    const int days = static_cast<int>(std::clamp<int64_t>(n, 0, std::numeric_limits<int>::max()));
    *out_unix_micros = absl::ToUnixMicros(c->DeadlineWithinWorkingDays(filed, days));
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_calendar_working_time_between(int64_t* out_micros,
                                                              const cflow_calendar* calendar,
                                                              int64_t from_unix_micros,
                                                              int64_t to_unix_micros) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_micros, "out_micros"));
    CFLOW_ASSIGN_OR_RETURN(auto c, Get(calendar));
    CFLOW_ASSIGN_OR_RETURN(absl::Time from, InstantArg(from_unix_micros, "from_unix_micros"));
    CFLOW_ASSIGN_OR_RETURN(absl::Time to, InstantArg(to_unix_micros, "to_unix_micros"));
    *out_micros = absl::ToInt64Microseconds(c->WorkingTimeBetween(from, to));
    return absl::OkStatus();
  });
}

}  // extern "C"
