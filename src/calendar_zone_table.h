// A time zone's local midnights over the calendar's supported range, so that
// the calendar converts between instants and local (day, minute) with a table
// lookup instead of a time-zone search. Days containing an offset change
// ("irregular" days) fall back to absl::TimeZone.
//
// Thread safety: immutable once built; Get() may be called from any thread and
// shares one table per zone name for the life of the process.
#ifndef COLLABFLOW_SRC_CALENDAR_ZONE_TABLE_H_
#define COLLABFLOW_SRC_CALENDAR_ZONE_TABLE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "collabflow/calendar.h"

namespace collabflow::internal {

// Day indices count civil days from kCalendarFirstDay (1970-01-01, so they are
// also Unix day numbers); the supported range is [0, kCalendarDays).
inline constexpr int32_t kCalendarDays =
    static_cast<int32_t>(absl::CivilDay(kMaxYear + 1, 1, 1) - kCalendarFirstDay);
inline constexpr int64_t kNanosPerSecond = 1000000000;
inline constexpr int64_t kNanosPerMinute = 60 * kNanosPerSecond;
inline constexpr int64_t kNanosPerDay = 86400 * kNanosPerSecond;

inline int64_t DayIndex(absl::CivilDay day) { return day - kCalendarFirstDay; }
inline absl::CivilDay DayAt(int64_t index) { return kCalendarFirstDay + index; }

class ZoneTable {
 public:
  // NotFound-free: InvalidArgument naming `field` for an unknown zone.
  static absl::StatusOr<std::shared_ptr<const ZoneTable>> Get(absl::string_view name,
                                                              absl::string_view field);

  const absl::TimeZone& zone() const { return zone_; }

  // Unix nanoseconds of local midnight opening day `day`, day in [-1, kCalendarDays + 1].
  int64_t Midnight(int64_t day) const {
    return day * kNanosPerDay - int64_t{offset_[day + 1]} * kNanosPerSecond;
  }
  // True when the UTC offset changes during `day` (day in [0, kCalendarDays)).
  bool Irregular(int64_t day) const { return (irregular_[day >> 6] >> (day & 63)) & 1; }

  // Unix nanoseconds of local time `minute` (0..1440) of `day` (in range). A
  // skipped local time maps to its transition, a repeated one to its first
  // occurrence.
  int64_t LocalToNanos(int64_t day, int minute) const {
    if (!Irregular(day)) return Midnight(day) + minute * kNanosPerMinute;
    return SlowLocalToNanos(day, minute);
  }

  // The local day holding instant `nanos`.
  // REQUIRES: Midnight(0) <= nanos < Midnight(kCalendarDays).
  int64_t DayOf(int64_t nanos) const {
    const int64_t u = FloorDiv(nanos, kNanosPerDay);  // the UTC day; |offset| < 1 day
    if (Midnight(u + 1) <= nanos) return u + 1;
    if (Midnight(u) <= nanos) return u;
    return u - 1;
  }

 private:
  explicit ZoneTable(absl::TimeZone zone);
  int64_t SlowLocalToNanos(int64_t day, int minute) const;
  static int64_t FloorDiv(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
  }

  absl::TimeZone zone_;
  std::vector<int32_t> offset_;      // seconds east of UTC at midnight of day i - 1
  std::vector<uint64_t> irregular_;  // bit i: the offset changes during day i
};

// Unix nanoseconds of `t`, saturating.
inline int64_t ToNanos(absl::Time t) { return absl::ToUnixNanos(t); }
inline absl::Time FromNanos(int64_t nanos) { return absl::FromUnixNanos(nanos); }

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_CALENDAR_ZONE_TABLE_H_
