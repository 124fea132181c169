// The working-time calendar kernel: every working day, duration, lag,
// deadline and SLA in collabflow is counted through a Calendar.
//
// Thread safety: a Calendar is an immutable value (a shared pointer to a const
// implementation); copies are cheap and any number of threads may use one
// concurrently once it is built.
//
// Model. A day is a working day when the weekly pattern says so, unless a
// dated exception says otherwise (holidays, in-lieu days off, company days
// off and leave are off; a make-up working day is on). Working time is the
// union, over working days, of the working hours minus the break, in the
// calendar's time zone (local wall-clock times; an hour skipped by a daylight
// saving transition is not worked, a repeated hour is worked twice). A
// working-hour boundary that falls into a skipped local hour is placed at the
// transition; one inside a repeated hour at its first occurrence.
//
// Time zones come from the system's IANA database (Debian: package tzdata;
// TZDIR overrides the directory). Without one, only "Asia/Shanghai" (as the
// fixed UTC+8 China has kept since 1991) and "UTC" load, so Calendar() and
// ChinaMainland() always work.
//
// Supported range: civil days kCalendarFirstDay..kCalendarLastDay (years
// kMinYear..kMaxYear of collabflow/limits.h). Validation refuses dates outside
// it wherever users supply them. Nothing crashes outside it: IsWorkingDay
// follows the weekly pattern there; arithmetic clamps its inputs into the
// range and saturates its results at the ends (a date result at
// kCalendarFirstDay/kCalendarLastDay, an instant result at the opening of the
// first or the close of the last working day of the range).
//
// Cost. Each calendar holds a working-day bitmap over the whole range with
// per-word prefix counts and a select index (~20 KiB), so every operation
// below is O(1) in n (select bisects a handful of words only for calendars
// with long runs of days off); the UTC offsets of local midnights are one
// shared table per time zone (~340 KiB, built once per process), and one
// process-wide table maps day indices to absl::CivilDay (~1.3 MiB). Building a
// calendar or an overlay costs ~0.3 ms.
//
// Day rules:
//   AddWorkingDays(d, n), n > 0: the n-th working day strictly after d, so a
//     non-working d counts from the next working day (Sat + 1 = Mon).
//   AddWorkingDays(d, n), n < 0: the |n|-th working day strictly before d.
//   AddWorkingDays(d, 0) = d, working or not.
//   WorkingDaysBetween(from, to) = # working days in [from, to); negative
//     (minus # in [to, from)) when to < from.
//
// Instant rules. Let F(t) be the working time from the start of the range
// up to t (non-decreasing, flat outside working time).
//   WorkingTimeBetween(a, b) = F(b) - F(a) (negative when b < a).
//   AddWorkingTime(t, d), d > 0: the EARLIEST instant u with F(u) = F(t) + d,
//     so a result that exhausts a working period lands at its end
//     (Friday 17:00 + 1h = Friday 18:00, not Monday 09:00).
//   AddWorkingTime(t, d), d < 0: the LATEST instant u with F(u) = F(t) + d
//     (Monday 10:00 - 2h = Friday 17:00 with 09:00–18:00 hours).
//   AddWorkingTime(t, 0) = t.
//   NextWorkingStart(t) = t inside working time ([open, close) of a working
//     period), else the next opening (after hours, in a break, on a day off).
//
// "Within N working days" (the rule every SLA and due date uses):
//   DeadlineWithinWorkingDays(filed, n) = AddWorkingTime(filed, n * L), where
//   L is the nominal working time of one day (hours minus break, 8h by
//   default). Consequences, with the default 09:00–12:00 + 13:00–18:00 hours:
//   - filed inside working hours: the same local time n working days later
//     (Friday 17:00, n = 1 -> Monday 17:00; Tuesday 10:00 -> Wednesday 10:00);
//     filed exactly at an opening, the equivalent earlier instant is returned
//     (Tuesday 09:00 -> Tuesday 18:00; Tuesday 13:00 -> Wednesday 12:00);
//   - filed after hours, on a weekend or on a holiday: the clock starts at the
//     next opening and runs n full working days, so the deadline is the close
//     of the n-th working day from then (Friday 19:00 or Saturday, n = 1 ->
//     Monday 18:00; filed during the 2026 Mid-Autumn holiday 9-25..27 ->
//     Monday 9-28 18:00);
//   - filed during the break: counts from the break's end, landing at the
//     break's start n days later (Tuesday 12:30, n = 1 -> Wednesday 12:00);
//   - n <= 0 returns `filed` unchanged.
//   On the rare day whose working hours contain a daylight saving transition
//   the deadline shifts by the skipped or repeated time (it is n * L of
//   elapsed working time, not a wall-clock reading).
#ifndef COLLABFLOW_CALENDAR_H_
#define COLLABFLOW_CALENDAR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "collabflow/calendar_spec.h"
#include "collabflow/limits.h"

namespace collabflow {

inline constexpr absl::CivilDay kCalendarFirstDay(kMinYear, 1, 1);
inline constexpr absl::CivilDay kCalendarLastDay(kMaxYear, 12, 31);

class Calendar {
 public:
  // Asia/Shanghai, Monday–Friday, 09:00–18:00 with a 12:00–13:00 break, no
  // exceptions (CalendarSpec{}).
  Calendar();
  // Validates (ValidateCalendarSpec) and builds the tables; InvalidArgument
  // or ResourceExhausted naming the field otherwise.
  static absl::StatusOr<Calendar> Create(const CalendarSpec& spec);
  // The official mainland-China schedule for 2025 and 2026 (State Council
  // notices), Asia/Shanghai, embedded in the library at build time; the same
  // data as share/collabflow/calendars/cn-mainland-2025-2026.textproto.
  static const Calendar& ChinaMainland();

  // This calendar with the overlay's entries replacing its own on the same
  // dates (leave, extra days off, on-call days). The result's spec() is
  // self-contained. Errors as ValidateCalendarOverlay.
  absl::StatusOr<Calendar> WithOverlay(const CalendarOverlay& overlay) const;

  // The validated spec, exceptions sorted by date.
  const CalendarSpec& spec() const;
  const absl::TimeZone& time_zone() const;

  // --- days -----------------------------------------------------------------
  bool IsWorkingDay(absl::CivilDay day) const;
  absl::CivilDay NextWorkingDay(absl::CivilDay day) const;      // strictly after
  absl::CivilDay PreviousWorkingDay(absl::CivilDay day) const;  // strictly before
  // n may be negative; see the day rules above.
  absl::CivilDay AddWorkingDays(absl::CivilDay day, int64_t n) const;
  int64_t WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;  // # in [from, to)
  // Dense working-day ordinals, for the scheduler (O(1)):
  //   WorkdayOrdinal(d) = number of working days in [kCalendarFirstDay, d)
  //   WorkdayAt(k)      = the working day whose ordinal is k (k >= 0)
  // so for a working day d: WorkdayAt(WorkdayOrdinal(d)) == d.
  // REQUIRES: 0 <= k < WorkdayCount() (clamped otherwise).
  int32_t WorkdayOrdinal(absl::CivilDay day) const;
  absl::CivilDay WorkdayAt(int32_t ordinal) const;
  int32_t WorkdayCount() const;  // ordinals valid in [0, WorkdayCount())
  // The dated exception on `day`, if any (for reports).
  std::optional<DatedException> ExceptionOn(absl::CivilDay day) const;

  // --- instants -------------------------------------------------------------
  bool IsWorkingTime(absl::Time t) const;
  absl::Time AddWorkingTime(absl::Time from, absl::Duration d) const;
  absl::Duration WorkingTimeBetween(absl::Time from, absl::Time to) const;
  absl::Time DeadlineWithinWorkingDays(absl::Time filed, int n) const;
  absl::Time NextWorkingStart(absl::Time t) const;  // t itself if inside working time
  // Opening (first working instant) and close (end of the last working
  // period) of `day`. REQUIRES: IsWorkingDay(day) (else the next working day's).
  absl::Time OpeningOf(absl::CivilDay day) const;
  absl::Time CloseOf(absl::CivilDay day) const;
  // The nominal working time of one working day (hours minus break).
  absl::Duration WorkingDayLength() const;

  // Equal specs make equal calendars.
  bool operator==(const Calendar& o) const;
  bool operator!=(const Calendar& o) const { return !(*this == o); }

  class Impl;  // src/calendar/calendar_impl.h

 private:
  explicit Calendar(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;  // never null
};

}  // namespace collabflow

#endif  // COLLABFLOW_CALENDAR_H_
