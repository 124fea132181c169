// A time zone's local midnights over the calendar's supported range, so that
// the calendar converts between instants and local (day, minute) with a table
// lookup instead of a time-zone search. Days containing an offset change
// ("irregular" days) fall back to absl::TimeZone.
//
// Thread safety: immutable once built; Get() may be called from any thread and
// shares one table per zone name for the life of the process.
#ifndef COLLABFLOW_SRC_CALENDAR_CALENDAR_ZONE_TABLE_H_
#define COLLABFLOW_SRC_CALENDAR_CALENDAR_ZONE_TABLE_H_

#include <algorithm>
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

// Unix day numbers <-> civil dates in O(1) without loops (H. Hinnant's
// days_from_civil / civil_from_days); absl's civil arithmetic normalizes
// through year loops and dominated the kernel's profile.
inline int64_t DayIndex(absl::CivilDay day) {
  const int64_t m = day.month();
  // Years beyond +-1e9 (far outside the range) are clamped against overflow.
  const int64_t y =
      std::min<int64_t>(std::max<int64_t>(day.year(), -1000000000), 1000000000) - (m <= 2);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                            // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day.day() - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    // [0, 146096]
  return era * 146097 + doe - 719468;
}
inline absl::CivilDay CivilFromDays(int64_t index) {
  const int64_t z = index + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return absl::CivilDay(yoe + era * 400 + (m <= 2), static_cast<int>(m), static_cast<int>(d));
}

class ZoneTable {
 public:
  // InvalidArgument naming `field` for an unknown zone. "Asia/Shanghai"
  // always loads: without a time zone database it is the fixed UTC+8 that
  // China has kept since 1991.
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

// The civil day of a day index. In the range it reads a process-wide table
// (1.3 MiB, built on first use): absl::CivilDay's constructor normalizes
// through 64-bit divisions and was the largest cost of AddWorkingDays.
const absl::CivilDay* CivilDayTable();
inline absl::CivilDay DayAt(int64_t index) {
  if (index >= 0 && index < kCalendarDays) return CivilDayTable()[index];
  return CivilFromDays(index);
}

// Unix nanoseconds of `t`, saturating.
inline int64_t ToNanos(absl::Time t) { return absl::ToUnixNanos(t); }
inline absl::Time FromNanos(int64_t nanos) { return absl::FromUnixNanos(nanos); }

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_CALENDAR_CALENDAR_ZONE_TABLE_H_
