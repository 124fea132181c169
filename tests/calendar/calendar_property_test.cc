// Properties of the calendar kernel over randomly generated calendars and
// instants, checked against the day-by-day brute-force walk in
// calendar_reference.h. Seeds are fixed; a failure prints the calendar.
#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "calendar/calendar_reference.h"
#include "collabflow/calendar.h"
#include "collabflow/calendar_codec.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using absl::CivilDay;
using testing::ReferenceCalendar;

// Zones with DST at 02:00 (New York), 01:00 UTC (London), a 30-minute shift
// (Lord Howe), DST at midnight until 2019 (Sao Paulo), a skipped day in 2011
// (Apia), and none (Shanghai since 1991, UTC).
constexpr const char* kZones[] = {"Asia/Shanghai",
                                  "America/New_York",
                                  "Europe/London",
                                  "Australia/Lord_Howe",
                                  "America/Sao_Paulo",
                                  "Pacific/Apia",
                                  "UTC"};

struct Case {
  CalendarSpec spec;
  Calendar calendar;
  CivilDay first, last;  // the window the instants are drawn from
};

int Uniform(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

Case RandomCase(std::mt19937_64& rng) {
  CalendarSpec spec;
  spec.name = "random";
  spec.time_zone = kZones[Uniform(rng, 0, std::size(kZones) - 1)];
  do {
    for (bool& on : spec.working_weekdays) on = Uniform(rng, 0, 9) < 7;
  } while (std::count(spec.working_weekdays.begin(), spec.working_weekdays.end(), true) == 0);
  switch (Uniform(rng, 0, 3)) {
    case 0:
      break;  // 09:00-18:00, break 12:00-13:00
    case 1:   // round the clock or across the small hours (DST transitions inside)
      spec.hours = {Uniform(rng, 0, 2) * 60, Uniform(rng, 3, 24) * 60, -1, -1};
      break;
    default: {  // anything, optionally with a break
      const int start = Uniform(rng, 0, 1438);
      const int end = Uniform(rng, start + 1, 1440);
      spec.hours = {start, end, -1, -1};
      if (end - start >= 3 && Uniform(rng, 0, 1)) {
        const int bs = Uniform(rng, start, end - 2);
        const int be = Uniform(rng, bs + 1, end - (bs == start ? 1 : 0));
        spec.hours.break_start = bs;
        spec.hours.break_end = be;
      }
    }
  }
  const int year = Uniform(rng, 1972, kMaxYear - 6);
  const CivilDay first(year, 1, 1), last(year + 5, 12, 31);
  std::set<CivilDay> used;
  const int n = Uniform(rng, 0, 80);
  for (int i = 0; i < n; ++i) {
    const CivilDay d = first + Uniform(rng, 0, static_cast<int>(last - first));
    if (!used.insert(d).second) continue;
    spec.exceptions.push_back({d, static_cast<DayKind>(Uniform(rng, 1, 5)), "x"});
  }
  auto calendar = Calendar::Create(spec);
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return {spec, *calendar, first, last};
}

absl::Time RandomInstant(std::mt19937_64& rng, const Case& c, const ReferenceCalendar& ref) {
  const CivilDay d = c.first + 3 + Uniform(rng, 0, static_cast<int>(c.last - c.first) - 6);
  switch (Uniform(rng, 0, 2)) {
    case 0:  // any second of the day
      return absl::FromCivil(absl::CivilSecond(d) + Uniform(rng, 0, 86399), ref.zone());
    case 1:  // on a half-hour grid
      return absl::FromCivil(absl::CivilMinute(d) + 30 * Uniform(rng, 0, 47), ref.zone());
    default: {  // exactly on a working-period boundary, or just before or after it
      auto periods = ref.Periods(d);
      if (periods.empty()) return absl::FromCivil(absl::CivilSecond(d), ref.zone());
      auto p = periods[Uniform(rng, 0, periods.size() - 1)];
      const absl::Time t = Uniform(rng, 0, 1) ? p.first : p.second;
      return t + absl::Nanoseconds(Uniform(rng, -1, 1));
    }
  }
}

absl::Duration RandomWork(std::mt19937_64& rng, const Case& c) {
  const int64_t day = absl::ToInt64Nanoseconds(absl::Minutes(c.spec.hours.WorkingMinutes()));
  switch (Uniform(rng, 0, 2)) {
    case 0:
      return absl::Nanoseconds(std::uniform_int_distribution<int64_t>(1, 40 * day)(rng));
    case 1:
      return absl::Minutes(30 * Uniform(rng, 1, 200));
    default:
      return absl::Nanoseconds(day * Uniform(rng, 1, 30));
  }
}

std::string Describe(const Case& c) {
  return absl::StrCat(CalendarToText(c.calendar).substr(0, 400), " window ",
                      absl::FormatCivilTime(c.first));
}

std::string Fmt(absl::Time t, const ReferenceCalendar& ref) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E*S %Ez", t, ref.zone());
}

#ifdef COLLABFLOW_LONG_TESTS
constexpr int kCalendars = 240;
constexpr int kSamples = 300;
#else
constexpr int kCalendars = 24;
constexpr int kSamples = 150;
#endif

TEST(CalendarPropertyTest, DaysAgreeWithTheDayByDayWalk) {
  std::mt19937_64 rng(20260920);
  for (int i = 0; i < kCalendars; ++i) {
    const Case c = RandomCase(rng);
    const ReferenceCalendar ref(c.spec);
    SCOPED_TRACE(Describe(c));
    int32_t ordinal = c.calendar.WorkdayOrdinal(c.first);
    for (CivilDay d = c.first; d <= c.last; ++d) {
      ASSERT_EQ(c.calendar.IsWorkingDay(d), ref.IsWorkingDay(d)) << d;
      ASSERT_EQ(c.calendar.WorkdayOrdinal(d), ordinal) << d;
      if (ref.IsWorkingDay(d)) {
        ASSERT_EQ(c.calendar.WorkdayAt(ordinal++), d);
      }
    }
    for (int s = 0; s < kSamples; ++s) {
      const CivilDay d = c.first + 400 + Uniform(rng, 0, static_cast<int>(c.last - c.first) - 800);
      const int n = Uniform(rng, -250, 250);
      ASSERT_EQ(c.calendar.AddWorkingDays(d, n), ref.AddWorkingDays(d, n)) << d << " " << n;
      const CivilDay e = d + Uniform(rng, -400, 400);
      ASSERT_EQ(c.calendar.WorkingDaysBetween(d, e), ref.WorkingDaysBetween(d, e)) << d << e;
      ASSERT_EQ(c.calendar.NextWorkingDay(d), ref.AddWorkingDays(d, 1)) << d;
      ASSERT_EQ(c.calendar.PreviousWorkingDay(d), ref.AddWorkingDays(d, -1)) << d;
    }
  }
}

TEST(CalendarPropertyTest, InstantsAgreeWithTheDayByDayWalk) {
  std::mt19937_64 rng(20250101);
  for (int i = 0; i < kCalendars; ++i) {
    const Case c = RandomCase(rng);
    const ReferenceCalendar ref(c.spec);
    SCOPED_TRACE(Describe(c));
    for (int s = 0; s < kSamples; ++s) {
      const absl::Time t = RandomInstant(rng, c, ref);
      const absl::Time u = RandomInstant(rng, c, ref);
      const absl::Duration d = RandomWork(rng, c);
      ASSERT_EQ(c.calendar.NextWorkingStart(t), ref.NextWorkingStart(t)) << Fmt(t, ref);
      ASSERT_EQ(c.calendar.WorkingTimeBetween(t, u), ref.WorkingTimeBetween(t, u))
          << Fmt(t, ref) << " .. " << Fmt(u, ref);
      ASSERT_EQ(c.calendar.AddWorkingTime(t, d), ref.AddWorkingTime(t, d))
          << Fmt(t, ref) << " + " << d;
      ASSERT_EQ(c.calendar.AddWorkingTime(t, -d), ref.AddWorkingTime(t, -d))
          << Fmt(t, ref) << " - " << d;
      const int n = Uniform(rng, 0, 25);
      ASSERT_EQ(c.calendar.DeadlineWithinWorkingDays(t, n), ref.DeadlineWithinWorkingDays(t, n))
          << Fmt(t, ref) << " within " << n;
    }
  }
}

TEST(CalendarPropertyTest, AddingThenCountingRoundTrips) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < kCalendars; ++i) {
    const Case c = RandomCase(rng);
    const ReferenceCalendar ref(c.spec);
    SCOPED_TRACE(Describe(c));
    for (int s = 0; s < kSamples * 4; ++s) {
      const absl::Time t = RandomInstant(rng, c, ref);
      const absl::Duration d = RandomWork(rng, c);
      ASSERT_EQ(c.calendar.WorkingTimeBetween(t, c.calendar.AddWorkingTime(t, d)), d);
      ASSERT_EQ(c.calendar.WorkingTimeBetween(c.calendar.AddWorkingTime(t, -d), t), d);
      const CivilDay day =
          c.first + 400 + Uniform(rng, 0, static_cast<int>(c.last - c.first) - 800);
      const int n = Uniform(rng, 1, 300);
      ASSERT_EQ(c.calendar.WorkingDaysBetween(day + 1, c.calendar.AddWorkingDays(day, n) + 1), n);
      ASSERT_EQ(c.calendar.WorkingDaysBetween(c.calendar.AddWorkingDays(day, -n), day), n);
      if (c.calendar.IsWorkingDay(day)) {
        // [day, day + n) holds k working days, day itself the first: k working
        // days after day is the first working day at or after day + n.
        const CivilDay after = day + n;
        ASSERT_EQ(c.calendar.AddWorkingDays(day, c.calendar.WorkingDaysBetween(day, after)),
                  ref.IsWorkingDay(after) ? after : ref.AddWorkingDays(after, 1))
            << day << " " << n;
      }
    }
  }
}

TEST(CalendarPropertyTest, ResultsAreMonotonicAndLandOnWorkingTime) {
  std::mt19937_64 rng(42);
  const absl::Duration ns = absl::Nanoseconds(1);
  for (int i = 0; i < kCalendars; ++i) {
    const Case c = RandomCase(rng);
    const ReferenceCalendar ref(c.spec);
    SCOPED_TRACE(Describe(c));
    std::vector<absl::Time> instants;
    for (int s = 0; s < kSamples * 2; ++s) instants.push_back(RandomInstant(rng, c, ref));
    std::sort(instants.begin(), instants.end());
    const absl::Duration d = RandomWork(rng, c);
    const int n = Uniform(rng, 1, 20);
    absl::Time prev_add = absl::InfinitePast(), prev_sub = absl::InfinitePast(),
               prev_deadline = absl::InfinitePast(), prev_start = absl::InfinitePast();
    for (absl::Time t : instants) {
      const absl::Time add = c.calendar.AddWorkingTime(t, d);
      const absl::Time sub = c.calendar.AddWorkingTime(t, -d);
      const absl::Time deadline = c.calendar.DeadlineWithinWorkingDays(t, n);
      const absl::Time start = c.calendar.NextWorkingStart(t);
      ASSERT_GE(add, prev_add);
      ASSERT_GE(sub, prev_sub);
      ASSERT_GE(deadline, prev_deadline);
      ASSERT_GE(start, prev_start);
      ASSERT_GT(add, t);
      ASSERT_LT(sub, t);
      ASSERT_GE(start, t);
      // A forward result ends a stretch of working time; a backward one
      // starts one; a start is working time.
      ASSERT_TRUE(c.calendar.IsWorkingTime(add - ns)) << Fmt(add, ref);
      ASSERT_TRUE(c.calendar.IsWorkingTime(deadline - ns)) << Fmt(deadline, ref);
      ASSERT_TRUE(c.calendar.IsWorkingTime(sub)) << Fmt(sub, ref);
      ASSERT_TRUE(c.calendar.IsWorkingTime(start)) << Fmt(start, ref);
      prev_add = add, prev_sub = sub, prev_deadline = deadline, prev_start = start;
      // Monotonic in the amount too.
      ASSERT_LE(add, c.calendar.AddWorkingTime(t, d + absl::Minutes(1)));
      const CivilDay day = absl::ToCivilDay(t, ref.zone());
      ASSERT_TRUE(c.calendar.IsWorkingDay(c.calendar.AddWorkingDays(day, n)));
      ASSERT_TRUE(c.calendar.IsWorkingDay(c.calendar.AddWorkingDays(day, -n)));
      ASSERT_LE(c.calendar.AddWorkingDays(day, n), c.calendar.AddWorkingDays(day + 1, n));
    }
  }
}

}  // namespace
}  // namespace collabflow
