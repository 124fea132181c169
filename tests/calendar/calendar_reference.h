// A day-by-day brute-force working-time calendar, written straight from the
// rules in collabflow/calendar.h without any of the kernel's tables: the
// reference the property tests compare against and the "walk" peer the
// benchmark measures. Slow on purpose (O(days walked), a time-zone lookup per
// working period).
//
// Thread safety: immutable after construction.
#ifndef COLLABFLOW_TESTS_CALENDAR_CALENDAR_REFERENCE_H_
#define COLLABFLOW_TESTS_CALENDAR_CALENDAR_REFERENCE_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "collabflow/calendar_spec.h"

namespace collabflow::testing {

class ReferenceCalendar {
 public:
  using Period = std::pair<absl::Time, absl::Time>;

  explicit ReferenceCalendar(const CalendarSpec& spec) : spec_(spec) {
    absl::LoadTimeZone(spec.time_zone, &zone_);
    for (const DatedException& e : spec.exceptions) kinds_[e.date] = e.kind;
    const WorkingHours& h = spec.hours;
    if (h.has_break()) {
      if (h.break_start > h.start) minutes_.push_back({h.start, h.break_start});
      if (h.end > h.break_end) minutes_.push_back({h.break_end, h.end});
    } else {
      minutes_.push_back({h.start, h.end});
    }
    nominal_ = absl::Minutes(h.WorkingMinutes());
  }

  bool IsWorkingDay(absl::CivilDay d) const {
    auto it = kinds_.find(d);
    if (it != kinds_.end()) return !IsDayOffKind(it->second);
    return spec_.working_weekdays[static_cast<int>(absl::GetWeekday(d))];
  }

  absl::CivilDay AddWorkingDays(absl::CivilDay d, int64_t n) const {
    while (n > 0) {
      ++d;
      if (IsWorkingDay(d)) --n;
    }
    while (n < 0) {
      --d;
      if (IsWorkingDay(d)) ++n;
    }
    return d;
  }

  int64_t WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
    int64_t n = 0;
    for (absl::CivilDay d = from; d < to; ++d) n += IsWorkingDay(d);
    for (absl::CivilDay d = to; d < from; ++d) n -= IsWorkingDay(d);
    return n;
  }

  // The working periods of `d` as instants ([begin, end)).
  std::vector<Period> Periods(absl::CivilDay d) const {
    std::vector<Period> out;
    if (!IsWorkingDay(d)) return out;
    for (auto [b, e] : minutes_) out.push_back({Local(d, b), Local(d, e)});
    return out;
  }

  absl::Duration WorkingTimeBetween(absl::Time a, absl::Time b) const {
    if (b < a) return -WorkingTimeBetween(b, a);
    absl::Duration sum;
    for (absl::CivilDay d = Day(a) - 1; d <= Day(b) + 1; ++d) {
      for (auto [pb, pe] : Periods(d)) {
        const absl::Time lo = std::max(pb, a), hi = std::min(pe, b);
        if (hi > lo) sum += hi - lo;
      }
    }
    return sum;
  }

  absl::Time AddWorkingTime(absl::Time from, absl::Duration d) const {
    if (d > absl::ZeroDuration()) {
      for (absl::CivilDay day = Day(from) - 1;; ++day) {
        for (auto [pb, pe] : Periods(day)) {
          const absl::Time s = std::max(pb, from);
          if (pe <= s) continue;
          if (d <= pe - s) return s + d;
          d -= pe - s;
        }
      }
    }
    if (d < absl::ZeroDuration()) {
      d = -d;
      for (absl::CivilDay day = Day(from) + 1;; --day) {
        std::vector<Period> periods = Periods(day);
        std::reverse(periods.begin(), periods.end());
        for (auto [pb, pe] : periods) {
          const absl::Time e = std::min(pe, from);
          if (e <= pb) continue;
          if (d <= e - pb) return e - d;
          d -= e - pb;
        }
      }
    }
    return from;
  }

  absl::Time NextWorkingStart(absl::Time t) const {
    for (absl::CivilDay day = Day(t) - 1;; ++day) {
      for (auto [pb, pe] : Periods(day)) {
        if (t < pb) return pb;
        if (t < pe) return t;
      }
    }
  }

  absl::Time DeadlineWithinWorkingDays(absl::Time filed, int n) const {
    return n <= 0 ? filed : AddWorkingTime(filed, n * nominal_);
  }

  const absl::TimeZone& zone() const { return zone_; }

 private:
  absl::CivilDay Day(absl::Time t) const { return absl::ToCivilDay(t, zone_); }
  // The header's rule: a skipped local time maps to the transition, a repeated
  // one to its first occurrence.
  absl::Time Local(absl::CivilDay d, int minute) const {
    const absl::TimeZone::TimeInfo info = zone_.At(absl::CivilSecond(d) + minute * 60);
    return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
  }

  CalendarSpec spec_;
  absl::TimeZone zone_;
  std::map<absl::CivilDay, DayKind> kinds_;
  std::vector<std::pair<int, int>> minutes_;
  absl::Duration nominal_;
};

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_CALENDAR_CALENDAR_REFERENCE_H_
