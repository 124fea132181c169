// The tables behind a Calendar: a working-day bitmap over the supported range
// with rank (prefix count) and select (inverse) support, the working periods
// of a day, and the rare working days whose length differs from nominal
// because a daylight saving transition falls inside their working hours.
//
// Thread safety: immutable once built (Build is the only writer).
#ifndef COLLABFLOW_SRC_CALENDAR_CALENDAR_IMPL_H_
#define COLLABFLOW_SRC_CALENDAR_CALENDAR_IMPL_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "calendar/calendar_zone_table.h"
#include "collabflow/calendar.h"

namespace collabflow {

class Calendar::Impl {
 public:
  // REQUIRES: ValidateCalendarSpec(spec) is OK.
  static absl::StatusOr<std::shared_ptr<const Impl>> Build(CalendarSpec spec);

  const CalendarSpec& spec() const { return spec_; }
  const internal::ZoneTable& zone() const { return *zone_; }

  // Days, by index (see calendar_zone_table.h); indices outside the range are
  // clamped.
  bool Working(int64_t day) const;
  int32_t Rank(int64_t day) const;        // # working days in [0, day)
  int64_t Select(int32_t ordinal) const;  // the day with that ordinal (clamped)
  int32_t count() const { return count_; }
  const DatedException* ExceptionAt(int64_t day) const;

  // Instants, as Unix nanoseconds clamped to the range.
  int64_t Clamp(int64_t nanos) const;
  // F(t): working time from the start of the range up to `nanos`.
  int64_t WorkedBefore(int64_t nanos) const;
  // Earliest instant with F = target (target in (0, total]) / latest with F =
  // target (target in [0, total)); saturating outside.
  int64_t EarliestAt(int64_t target) const;
  int64_t LatestAt(int64_t target) const;
  int64_t NextStart(int64_t nanos) const;
  // EarliestAt(WorkedBefore(filed) + n * day_nanos()), without a search when
  // every working day has its nominal length. REQUIRES: n >= 1.
  int64_t Deadline(int64_t filed, int64_t n) const;
  int64_t Opening(int64_t day) const;  // REQUIRES: working day
  int64_t Close(int64_t day) const;    // REQUIRES: working day
  int64_t day_nanos() const { return day_nanos_; }
  int64_t total() const { return CumAt(count_); }

 private:
  struct Period {
    int begin, end;                  // minutes since local midnight
    int64_t begin_nanos, end_nanos;  // the same in nanoseconds
  };
  Impl() = default;
  int64_t CumAt(int32_t ordinal) const;        // F at the opening of working day #ordinal
  int32_t GuessOrdinal(int64_t worked) const;  // ~worked / day_nanos_, clamped
  struct Bounds {
    int64_t begin[2], end[2];  // the working periods of a day as Unix nanoseconds
  };
  Bounds BoundsOf(int64_t day) const;
  int64_t WorkOnDay(int64_t day) const;  // working nanoseconds of a working day
  // Working nanoseconds of working day `day` before instant t.
  int64_t WorkedOnDayBefore(int64_t day, int64_t t) const;
  // The earliest (latest) instant of working day `day` with `rest` worked.
  int64_t PlaceOnDay(int64_t day, int64_t rest, bool earliest) const;

  CalendarSpec spec_;
  std::shared_ptr<const internal::ZoneTable> zone_;
  std::vector<uint64_t> bits_;        // bit i: day i is a working day
  std::vector<int32_t> word_rank_;    // # working days before word w; size words + 1
  std::vector<int32_t> select_hint_;  // the word holding ordinal 64 * j
  int32_t count_ = 0;
  Period periods_[2] = {};
  int period_count_ = 0;
  int64_t day_nanos_ = 0;  // nominal working nanoseconds per working day
  double inverse_day_nanos_ = 0;
  // Working days (by ordinal) whose working time differs from nominal, and the
  // running sum of the differences before each.
  std::vector<int32_t> odd_ordinal_;
  std::vector<int64_t> odd_prefix_;     // size odd_ordinal_.size() + 1
  std::vector<int64_t> exception_day_;  // sorted day indices of spec_.exceptions
};

namespace internal {

// A calendar built into the library (the default, a ready calendar) did not
// build: the library itself is broken, so report `what` and abort.
[[noreturn]] void DieOnBadBuiltinCalendar(absl::string_view what, const absl::Status& status);

}  // namespace internal
}  // namespace collabflow

#endif  // COLLABFLOW_SRC_CALENDAR_CALENDAR_IMPL_H_
