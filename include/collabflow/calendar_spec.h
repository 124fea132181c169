// The editable description of a working-time calendar: time zone, weekly
// pattern, working hours and dated exceptions (holidays, 调休 make-up working
// days, company days off, leave). A Calendar is built from a CalendarSpec
// (Calendar::Create validates it) and a CalendarOverlay layers a department's
// or a person's days on top of a company calendar.
//
// Thread safety: plain values; a const object may be read from many threads.
#ifndef COLLABFLOW_CALENDAR_SPEC_H_
#define COLLABFLOW_CALENDAR_SPEC_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace collabflow {

// Why a date differs from the weekly pattern. Every kind except
// kMakeupWorkday makes the date a day off; kMakeupWorkday makes it a working
// day (a weekend date that is on, as in Chinese 调休).
enum class DayKind {
  kStatutoryHoliday = 1,  // 法定节假日: a statutory public holiday
  kInLieuDayOff,          // 调休放假: a day off swapped against a make-up working day
  kMakeupWorkday,         // 调休上班: a (weekend) date that is a working day
  kCompanyDayOff,         // a day off the company (or department) grants
  kLeave,                 // a person's leave (overlays)
};

// "statutory_holiday", "in_lieu_day_off", "makeup_workday", "company_day_off",
// "leave"; "unknown" for a value outside the enum.
absl::string_view DayKindName(DayKind kind);
// True for every kind except kMakeupWorkday.
bool IsDayOffKind(DayKind kind);

// One dated exception to the weekly pattern, e.g. {2026-09-25, kStatutoryHoliday, "中秋节"}.
struct DatedException {
  absl::CivilDay date;
  DayKind kind = DayKind::kCompanyDayOff;
  std::string name;  // shown in reports; may be empty; at most kMaxShortTextBytes

  bool operator==(const DatedException& o) const {
    return date == o.date && kind == o.kind && name == o.name;
  }
  bool operator!=(const DatedException& o) const { return !(*this == o); }
};

// Daily working hours in minutes since local midnight: working time is
// [start, end) minus the optional break [break_start, break_end). The same
// hours apply to every working day.
struct WorkingHours {
  int start = 9 * 60;  // 0..1439
  int end = 18 * 60;   // start+1..1440 (1440 = midnight at the end of the day)
  int break_start = -1;
  int break_end = -1;  // -1/-1: no break; else start <= break_start < break_end <= end

  bool has_break() const { return break_start >= 0; }
  // Working minutes per day (end - start minus the break).
  int WorkingMinutes() const { return end - start - (has_break() ? break_end - break_start : 0); }
  bool operator==(const WorkingHours& o) const {
    return start == o.start && end == o.end && break_start == o.break_start &&
           break_end == o.break_end;
  }
  bool operator!=(const WorkingHours& o) const { return !(*this == o); }
};

// Working weekdays, indexed by absl::Weekday (monday = 0 ... sunday = 6).
using WeeklyPattern = std::array<bool, 7>;
inline constexpr WeeklyPattern kMondayToFriday = {true, true, true, true, true, false, false};

// At most this many exceptions in a spec or an overlay (every day of ~45 years).
inline constexpr size_t kMaxCalendarExceptions = 16384;

// The full description of a calendar. The defaults describe
// Calendar::Calendar(): Asia/Shanghai, Monday–Friday, 09:00–18:00 with a
// 12:00–13:00 break, no exceptions.
struct CalendarSpec {
  std::string name;                         // e.g. "cn-mainland-2025-2026"; may be empty
  std::string time_zone = "Asia/Shanghai";  // IANA name, loaded through absl::LoadTimeZone
  WeeklyPattern working_weekdays = kMondayToFriday;
  WorkingHours hours = {9 * 60, 18 * 60, 12 * 60, 13 * 60};
  // At most one entry per date, each date within [kMinYear, kMaxYear]. Order
  // is free on input; Calendar::spec() returns them sorted by date.
  std::vector<DatedException> exceptions;

  bool operator==(const CalendarSpec& o) const {
    return name == o.name && time_zone == o.time_zone && working_weekdays == o.working_weekdays &&
           hours == o.hours && exceptions == o.exceptions;
  }
  bool operator!=(const CalendarSpec& o) const { return !(*this == o); }
};

// A department's or a person's days on top of a base calendar: each entry
// replaces the base's entry for the same date (if any), e.g. leave on a
// working day, an extra day off, or an on-call make-up working day on a
// public holiday. Time zone, weekly pattern and hours stay the base's.
struct CalendarOverlay {
  std::string name;  // e.g. "p-li"; becomes part of the overlaid calendar's name
  std::vector<DatedException> exceptions;  // at most one per date

  bool operator==(const CalendarOverlay& o) const {
    return name == o.name && exceptions == o.exceptions;
  }
};

// Checks a spec without building a calendar. InvalidArgument naming the
// field: unknown time zone, hours out of 0..1440 or ending before they start,
// a break outside working hours or of non-positive length, no working
// weekday, an exception date out of [kMinYear, kMaxYear] or listed twice (e.g.
// both holiday and make-up day), an unknown kind, a name that is not UTF-8;
// ResourceExhausted beyond kMaxCalendarExceptions or kMaxShortTextBytes.
absl::Status ValidateCalendarSpec(const CalendarSpec& spec);
// The same checks for an overlay's own fields (dates, kinds, names, counts).
absl::Status ValidateCalendarOverlay(const CalendarOverlay& overlay);

}  // namespace collabflow

#endif  // COLLABFLOW_CALENDAR_SPEC_H_
