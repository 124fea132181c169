#include "collabflow/calendar.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "calendar/calendar_proto.h"
#include "collabflow/calendar_codec.h"
#include "collabflow/v1/calendar.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using absl::CivilDay;
using absl::CivilSecond;
using ::testing::HasSubstr;

absl::Time At(const Calendar& c, int y, int mo, int d, int h, int mi = 0) {
  return absl::FromCivil(CivilSecond(y, mo, d, h, mi, 0), c.time_zone());
}

std::string Local(const Calendar& c, absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", t, c.time_zone());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string DataDir() {
  const char* dir = std::getenv("COLLABFLOW_DATA_DIR");
  return dir == nullptr ? std::string() : dir;
}

Calendar NewYork(WorkingHours hours, WeeklyPattern weekdays = kMondayToFriday) {
  CalendarSpec spec;
  spec.time_zone = "America/New_York";
  spec.hours = hours;
  spec.working_weekdays = weekdays;
  auto c = Calendar::Create(spec);
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

absl::Status CreateStatus(const CalendarSpec& spec) { return Calendar::Create(spec).status(); }

// --- defaults and the shipped calendar -------------------------------------------

TEST(CalendarTest, DefaultIsShanghaiMondayToFridayNineToSixWithLunchBreak) {
  const Calendar c;
  EXPECT_EQ(c.time_zone().name(), "Asia/Shanghai");
  EXPECT_EQ(c.spec(), CalendarSpec{});
  EXPECT_TRUE(c.IsWorkingDay(CivilDay(2026, 11, 27)));   // Friday
  EXPECT_FALSE(c.IsWorkingDay(CivilDay(2026, 11, 28)));  // Saturday
  EXPECT_EQ(c.WorkingDayLength(), absl::Hours(8));
  EXPECT_EQ(Local(c, c.OpeningOf(CivilDay(2026, 11, 27))), "2026-11-27 09:00:00 +08:00");
  EXPECT_EQ(Local(c, c.CloseOf(CivilDay(2026, 11, 27))), "2026-11-27 18:00:00 +08:00");
  EXPECT_FALSE(c.ExceptionOn(CivilDay(2026, 10, 1)).has_value());
}

TEST(CalendarTest, ChinaMainlandHasTheSeedExampleDays) {
  const Calendar& c = Calendar::ChinaMainland();
  EXPECT_TRUE(c.IsWorkingDay(CivilDay(2026, 9, 20)));  // Sunday, 调休 make-up day
  auto e = c.ExceptionOn(CivilDay(2026, 9, 20));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind, DayKind::kMakeupWorkday);
  EXPECT_EQ(e->name, "国庆节");
  for (int d = 25; d <= 27; ++d) EXPECT_FALSE(c.IsWorkingDay(CivilDay(2026, 9, d))) << d;
  EXPECT_EQ(c.ExceptionOn(CivilDay(2026, 9, 25))->kind, DayKind::kStatutoryHoliday);
  EXPECT_EQ(c.ExceptionOn(CivilDay(2026, 9, 26))->kind, DayKind::kInLieuDayOff);
  EXPECT_EQ(c.ExceptionOn(CivilDay(2026, 9, 25))->name, "中秋节");
  // The seed's schedule: first draft 9-10, final 9-20 -- 7 working days apart
  // (9-11, 9-14..9-18, 9-20).
  EXPECT_EQ(c.WorkingDaysBetween(CivilDay(2026, 9, 11), CivilDay(2026, 9, 21)), 7);
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2026, 9, 18), 1), CivilDay(2026, 9, 20));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2026, 9, 24), 1), CivilDay(2026, 9, 28));
}

TEST(CalendarTest, EmbeddedCalendarMatchesTheTsvRowByRow) {
  const std::string dir = DataDir();
  ASSERT_FALSE(dir.empty()) << "COLLABFLOW_DATA_DIR is not set";
  const std::string tsv = ReadFile(dir + "/calendars/cn-mainland-holidays-2025-2026.tsv");
  ASSERT_FALSE(tsv.empty());
  const Calendar& c = Calendar::ChinaMainland();
  int rows = 0;
  std::map<int, int> statutory_per_year;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    if (line.empty() || line[0] == '#' || absl::StartsWith(line, "date\t")) continue;
    std::vector<std::string> f = absl::StrSplit(line, '\t');
    ASSERT_EQ(f.size(), 3u) << line;
    CivilDay day;
    ASSERT_TRUE(absl::ParseCivilTime(f[0], &day)) << line;
    ++rows;
    auto e = c.ExceptionOn(day);
    ASSERT_TRUE(e.has_value()) << line;
    EXPECT_EQ(e->name, f[2]) << line;
    if (f[1] == "holiday") {
      EXPECT_FALSE(c.IsWorkingDay(day)) << line;
      EXPECT_TRUE(e->kind == DayKind::kStatutoryHoliday || e->kind == DayKind::kInLieuDayOff)
          << line;
      if (e->kind == DayKind::kStatutoryHoliday) ++statutory_per_year[day.year()];
    } else {
      ASSERT_EQ(f[1], "makeup_workday") << line;
      EXPECT_TRUE(c.IsWorkingDay(day)) << line;
      EXPECT_EQ(e->kind, DayKind::kMakeupWorkday) << line;
      EXPECT_NE(absl::GetWeekday(day), absl::Weekday::monday) << line;
    }
  }
  EXPECT_EQ(rows, 72);
  EXPECT_EQ(c.spec().exceptions.size(), static_cast<size_t>(rows));
  // 13 statutory days a year since 2025 (元旦1 春节4 清明1 劳动节2 端午1 中秋1 国庆3).
  EXPECT_EQ(statutory_per_year[2025], 13);
  EXPECT_EQ(statutory_per_year[2026], 13);
  // The installed text form is the embedded one.
  auto from_file = ParseCalendarText(ReadFile(dir + "/calendars/cn-mainland-2025-2026.textproto"));
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(*from_file, c);
}

TEST(CalendarTest, ChinaMainlandMarksStatutoryDaysAsTheNoticesDo) {
  const Calendar& c = Calendar::ChinaMainland();
  auto kind = [&](int y, int m, int d) { return c.ExceptionOn(CivilDay(y, m, d))->kind; };
  // 春节 2026: 除夕 2-16 .. 初三 2-19 statutory; the rest of the block in lieu.
  EXPECT_EQ(kind(2026, 2, 15), DayKind::kInLieuDayOff);
  for (int d = 16; d <= 19; ++d) EXPECT_EQ(kind(2026, 2, d), DayKind::kStatutoryHoliday) << d;
  for (int d = 20; d <= 23; ++d) EXPECT_EQ(kind(2026, 2, d), DayKind::kInLieuDayOff) << d;
  // 清明 2026 falls on Sunday 4-5; 2025 on Friday 4-4.
  EXPECT_EQ(kind(2026, 4, 4), DayKind::kInLieuDayOff);
  EXPECT_EQ(kind(2026, 4, 5), DayKind::kStatutoryHoliday);
  EXPECT_EQ(kind(2025, 4, 4), DayKind::kStatutoryHoliday);
  // 2025: 中秋 (10-6) inside the National Day block.
  EXPECT_EQ(kind(2025, 10, 3), DayKind::kStatutoryHoliday);
  EXPECT_EQ(kind(2025, 10, 4), DayKind::kInLieuDayOff);
  EXPECT_EQ(kind(2025, 10, 6), DayKind::kStatutoryHoliday);
  EXPECT_EQ(kind(2026, 5, 2), DayKind::kStatutoryHoliday);
  EXPECT_EQ(kind(2026, 5, 3), DayKind::kInLieuDayOff);
  EXPECT_EQ(kind(2026, 1, 4), DayKind::kMakeupWorkday);
  EXPECT_EQ(DayKindName(kind(2026, 1, 4)), "makeup_workday");
}

TEST(CalendarTest, DayKindNamesAndOffDays) {
  EXPECT_EQ(DayKindName(DayKind::kStatutoryHoliday), "statutory_holiday");
  EXPECT_EQ(DayKindName(DayKind::kInLieuDayOff), "in_lieu_day_off");
  EXPECT_EQ(DayKindName(DayKind::kMakeupWorkday), "makeup_workday");
  EXPECT_EQ(DayKindName(DayKind::kCompanyDayOff), "company_day_off");
  EXPECT_EQ(DayKindName(DayKind::kLeave), "leave");
  EXPECT_EQ(DayKindName(static_cast<DayKind>(0)), "unknown");
  EXPECT_FALSE(IsDayOffKind(DayKind::kMakeupWorkday));
  EXPECT_TRUE(IsDayOffKind(DayKind::kLeave));
  EXPECT_TRUE(IsDayOffKind(DayKind::kCompanyDayOff));
}

// --- edges: holiday blocks, year boundaries, leap days --------------------------------

TEST(CalendarTest, SpringFestival2026BlockWithMakeupSaturdays) {
  const Calendar& c = Calendar::ChinaMainland();
  EXPECT_TRUE(c.IsWorkingDay(CivilDay(2026, 2, 14)));  // Saturday make-up
  for (int d = 15; d <= 23; ++d) EXPECT_FALSE(c.IsWorkingDay(CivilDay(2026, 2, d))) << d;
  EXPECT_TRUE(c.IsWorkingDay(CivilDay(2026, 2, 28)));  // Saturday make-up
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2026, 2, 13), 1), CivilDay(2026, 2, 14));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2026, 2, 14), 1), CivilDay(2026, 2, 24));
  EXPECT_EQ(c.NextWorkingDay(CivilDay(2026, 2, 17)), CivilDay(2026, 2, 24));
  EXPECT_EQ(c.PreviousWorkingDay(CivilDay(2026, 2, 24)), CivilDay(2026, 2, 14));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2026, 2, 24), -2), CivilDay(2026, 2, 13));
  // Feb 9-13 (5), 14 (1), 24-27 (4), 28 (1).
  EXPECT_EQ(c.WorkingDaysBetween(CivilDay(2026, 2, 9), CivilDay(2026, 3, 2)), 11);
  EXPECT_EQ(c.WorkingDaysBetween(CivilDay(2026, 3, 2), CivilDay(2026, 2, 9)), -11);
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 2, 13, 17), 1)),
            "2026-02-14 17:00:00 +08:00");
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 2, 14, 17), 1)),
            "2026-02-24 17:00:00 +08:00");
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 2, 18, 10), 2)),
            "2026-02-25 18:00:00 +08:00");
  // 2025: Sunday 1-26 make-up, 1-28..2-4 off, Saturday 2-8 make-up.
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2025, 1, 24), 1), CivilDay(2025, 1, 26));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2025, 1, 27), 1), CivilDay(2025, 2, 5));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2025, 2, 7), 1), CivilDay(2025, 2, 8));
}

TEST(CalendarTest, YearBoundaries) {
  const Calendar& c = Calendar::ChinaMainland();
  // 2026-01-01..03 off, Sunday 01-04 make-up.
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2025, 12, 31), 1), CivilDay(2026, 1, 4));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2026, 1, 4), -1), CivilDay(2025, 12, 31));
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2025, 12, 31, 17, 30), 1)),
            "2026-01-04 17:30:00 +08:00");
  EXPECT_EQ(c.WorkingTimeBetween(At(c, 2025, 12, 31, 17), At(c, 2026, 1, 4, 10)), absl::Hours(2));
  const Calendar plain;
  EXPECT_EQ(plain.AddWorkingDays(CivilDay(2026, 12, 31), 2), CivilDay(2027, 1, 4));
  EXPECT_EQ(plain.WorkdayOrdinal(CivilDay(2027, 1, 1)) - plain.WorkdayOrdinal(CivilDay(2026, 1, 1)),
            261);
}

TEST(CalendarTest, LeapDays) {
  const Calendar c;
  EXPECT_TRUE(c.IsWorkingDay(CivilDay(2024, 2, 29)));  // Thursday
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2028, 2, 28), 1), CivilDay(2028, 2, 29));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2028, 2, 28), 2), CivilDay(2028, 3, 1));
  EXPECT_EQ(c.WorkingDaysBetween(CivilDay(2024, 2, 1), CivilDay(2024, 3, 1)), 21);
  EXPECT_EQ(c.WorkingDaysBetween(CivilDay(2100, 2, 1), CivilDay(2100, 3, 1)), 20);  // no 2-29
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2024, 2, 28, 15), 1)),
            "2024-02-29 15:00:00 +08:00");
}

// --- instants: hours, breaks, deadlines ------------------------------------------------------

TEST(CalendarTest, InstantsInsideBreaksAndOutsideHours) {
  const Calendar c;
  // Tuesday 2026-11-24.
  EXPECT_EQ(Local(c, c.NextWorkingStart(At(c, 2026, 11, 24, 12, 30))),
            "2026-11-24 13:00:00 +08:00");
  EXPECT_EQ(c.NextWorkingStart(At(c, 2026, 11, 24, 10)), At(c, 2026, 11, 24, 10));
  EXPECT_EQ(Local(c, c.NextWorkingStart(At(c, 2026, 11, 24, 18))), "2026-11-25 09:00:00 +08:00");
  EXPECT_EQ(Local(c, c.NextWorkingStart(At(c, 2026, 11, 24, 7))), "2026-11-24 09:00:00 +08:00");
  EXPECT_EQ(Local(c, c.NextWorkingStart(At(c, 2026, 11, 28, 10))), "2026-11-30 09:00:00 +08:00");
  EXPECT_TRUE(c.IsWorkingTime(At(c, 2026, 11, 24, 11, 59)));
  EXPECT_FALSE(c.IsWorkingTime(At(c, 2026, 11, 24, 12)));
  EXPECT_TRUE(c.IsWorkingTime(At(c, 2026, 11, 24, 13)));
  EXPECT_FALSE(c.IsWorkingTime(At(c, 2026, 11, 24, 18)));
  EXPECT_EQ(Local(c, c.AddWorkingTime(At(c, 2026, 11, 24, 11), absl::Hours(2))),
            "2026-11-24 14:00:00 +08:00");
  EXPECT_EQ(Local(c, c.AddWorkingTime(At(c, 2026, 11, 24, 11), absl::Hours(1))),
            "2026-11-24 12:00:00 +08:00");  // the earliest instant: the break's start
  EXPECT_EQ(Local(c, c.AddWorkingTime(At(c, 2026, 11, 24, 12, 30), absl::Minutes(30))),
            "2026-11-24 13:30:00 +08:00");
  EXPECT_EQ(Local(c, c.AddWorkingTime(At(c, 2026, 11, 24, 14), -absl::Hours(2))),
            "2026-11-24 11:00:00 +08:00");
  EXPECT_EQ(Local(c, c.AddWorkingTime(At(c, 2026, 11, 23, 10), -absl::Hours(2))),
            "2026-11-20 17:00:00 +08:00");  // Monday back into Friday
  EXPECT_EQ(Local(c, c.AddWorkingTime(At(c, 2026, 11, 20, 17), absl::Hours(1))),
            "2026-11-20 18:00:00 +08:00");  // not Monday 09:00
  EXPECT_EQ(Local(c, c.AddWorkingTime(At(c, 2026, 11, 21, 3), absl::Hours(9) + absl::Minutes(1))),
            "2026-11-24 10:01:00 +08:00");  // Monday full, Tuesday 1h01m
  EXPECT_EQ(c.WorkingTimeBetween(At(c, 2026, 11, 24, 8), At(c, 2026, 11, 24, 20)), absl::Hours(8));
  EXPECT_EQ(c.WorkingTimeBetween(At(c, 2026, 11, 24, 20), At(c, 2026, 11, 24, 8)), -absl::Hours(8));
  EXPECT_EQ(c.WorkingTimeBetween(At(c, 2026, 11, 24, 12, 10), At(c, 2026, 11, 24, 12, 50)),
            absl::ZeroDuration());
  EXPECT_EQ(c.AddWorkingTime(At(c, 2026, 11, 28, 3), absl::ZeroDuration()), At(c, 2026, 11, 28, 3));
}

TEST(CalendarTest, DeadlineWithinWorkingDaysFollowsTheHeaderRule) {
  const Calendar& c = Calendar::ChinaMainland();
  // Inside hours: same local time n working days later.
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 20, 17), 1)),
            "2026-11-23 17:00:00 +08:00");  // Friday 17:00 -> Monday 17:00
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 24, 10), 1)),
            "2026-11-25 10:00:00 +08:00");
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 24, 10), 2)),
            "2026-11-26 10:00:00 +08:00");
  // Exactly at an opening: the equivalent earlier instant.
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 24, 9), 1)),
            "2026-11-24 18:00:00 +08:00");
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 24, 13), 1)),
            "2026-11-25 12:00:00 +08:00");
  // After hours / weekend / holiday: the clock starts at the next opening.
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 20, 19), 1)),
            "2026-11-23 18:00:00 +08:00");
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 21, 11), 1)),
            "2026-11-23 18:00:00 +08:00");
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 9, 26, 11), 1)),
            "2026-09-28 18:00:00 +08:00");  // during the Mid-Autumn holiday
  // In the break: from the break's end, landing at the break's start.
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 11, 24, 12, 30), 1)),
            "2026-11-25 12:00:00 +08:00");
  // The receiver SLA across the National Day block: filed Wednesday 9-30 15:00.
  EXPECT_EQ(Local(c, c.DeadlineWithinWorkingDays(At(c, 2026, 9, 30, 15), 1)),
            "2026-10-08 15:00:00 +08:00");
  EXPECT_EQ(c.DeadlineWithinWorkingDays(At(c, 2026, 9, 30, 15), 0), At(c, 2026, 9, 30, 15));
  EXPECT_EQ(c.DeadlineWithinWorkingDays(At(c, 2026, 9, 30, 15), -3), At(c, 2026, 9, 30, 15));
}

// --- daylight saving time ----------------------------------------------------------------------

TEST(CalendarTest, NewYorkDeadlinesKeepLocalTimeAcrossBothTransitions) {
  const Calendar c = NewYork({9 * 60, 17 * 60, -1, -1});
  // DST starts Sunday 2026-03-08, ends Sunday 2026-11-01.
  const absl::Time fri_march = At(c, 2026, 3, 6, 16);
  const absl::Time mon_march = c.DeadlineWithinWorkingDays(fri_march, 1);
  EXPECT_EQ(Local(c, fri_march), "2026-03-06 16:00:00 -05:00");
  EXPECT_EQ(Local(c, mon_march), "2026-03-09 16:00:00 -04:00");
  EXPECT_EQ(mon_march - fri_march, absl::Hours(71));
  EXPECT_EQ(c.WorkingTimeBetween(fri_march, mon_march), absl::Hours(8));
  const absl::Time fri_nov = At(c, 2026, 10, 30, 16);
  const absl::Time mon_nov = c.DeadlineWithinWorkingDays(fri_nov, 1);
  EXPECT_EQ(Local(c, mon_nov), "2026-11-02 16:00:00 -05:00");
  EXPECT_EQ(mon_nov - fri_nov, absl::Hours(73));
  EXPECT_EQ(Local(c, c.AddWorkingTime(mon_nov, -absl::Hours(8))), "2026-10-30 16:00:00 -04:00");
  EXPECT_EQ(c.WorkingDaysBetween(CivilDay(2026, 3, 1), CivilDay(2026, 3, 15)), 10);
}

TEST(CalendarTest, NewYorkTransitionInsideWorkingHours) {
  const WeeklyPattern every_day = {true, true, true, true, true, true, true};
  const Calendar round_the_clock = NewYork({0, 24 * 60, -1, -1}, every_day);
  const absl::Time mar8 = round_the_clock.OpeningOf(CivilDay(2026, 3, 8));
  const absl::Time mar9 = round_the_clock.OpeningOf(CivilDay(2026, 3, 9));
  EXPECT_EQ(round_the_clock.WorkingTimeBetween(mar8, mar9), absl::Hours(23));
  EXPECT_EQ(round_the_clock.AddWorkingTime(mar8, absl::Hours(23)), mar9);
  EXPECT_EQ(Local(round_the_clock, round_the_clock.AddWorkingTime(mar8, absl::Hours(3))),
            "2026-03-08 04:00:00 -04:00");
  const absl::Time nov1 = round_the_clock.OpeningOf(CivilDay(2026, 11, 1));
  const absl::Time nov2 = round_the_clock.OpeningOf(CivilDay(2026, 11, 2));
  EXPECT_EQ(round_the_clock.WorkingTimeBetween(nov1, nov2), absl::Hours(25));
  EXPECT_EQ(round_the_clock.AddWorkingTime(nov2, -absl::Hours(25)), nov1);
  // 01:00-04:00: 2h on the spring-forward day (02:00-03:00 is skipped), 4h
  // on the fall-back day (01:00-02:00 happens twice).
  const Calendar night = NewYork({60, 4 * 60, -1, -1}, every_day);
  EXPECT_EQ(night.WorkingTimeBetween(night.OpeningOf(CivilDay(2026, 3, 8)),
                                     night.OpeningOf(CivilDay(2026, 3, 9))),
            absl::Hours(2));
  EXPECT_EQ(night.WorkingTimeBetween(night.OpeningOf(CivilDay(2026, 11, 1)),
                                     night.OpeningOf(CivilDay(2026, 11, 2))),
            absl::Hours(4));
  EXPECT_EQ(night.WorkingTimeBetween(night.OpeningOf(CivilDay(2026, 1, 1)),
                                     night.OpeningOf(CivilDay(2027, 1, 1))),
            absl::Hours(365 * 3));  // one hour lost in March, one regained in November
  // A boundary in the skipped hour sits at the transition.
  const Calendar two_thirty = NewYork({150, 300, -1, -1}, every_day);
  EXPECT_EQ(Local(two_thirty, two_thirty.OpeningOf(CivilDay(2026, 3, 8))),
            "2026-03-08 03:00:00 -04:00");
}

// --- overlays ---------------------------------------------------------------------------------

TEST(CalendarTest, PersonOverlayAddsLeaveAndOverridesHolidays) {
  const Calendar& base = Calendar::ChinaMainland();
  CalendarOverlay leave{"p-li",
                        {{CivilDay(2026, 9, 20), DayKind::kLeave, "年假"},
                         {CivilDay(2026, 9, 21), DayKind::kLeave, "年假"},
                         {CivilDay(2026, 10, 1), DayKind::kMakeupWorkday, "值班"}}};
  auto person = base.WithOverlay(leave);
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->AddWorkingDays(CivilDay(2026, 9, 18), 1), CivilDay(2026, 9, 22));
  EXPECT_EQ(base.AddWorkingDays(CivilDay(2026, 9, 18), 1), CivilDay(2026, 9, 20));
  EXPECT_EQ(person->ExceptionOn(CivilDay(2026, 9, 21))->kind, DayKind::kLeave);
  EXPECT_TRUE(person->IsWorkingDay(CivilDay(2026, 10, 1)));
  EXPECT_FALSE(person->IsWorkingDay(CivilDay(2026, 10, 2)));  // base holiday kept
  EXPECT_EQ(person->spec().name, "cn-mainland-2025-2026+p-li");
  // 9-20 and 10-01 replace base entries, 9-21 is new.
  EXPECT_EQ(person->spec().exceptions.size(), base.spec().exceptions.size() + 1);
  // -1 (9-20 make-up day on leave), -1 (9-21), +1 (10-01 on duty).
  EXPECT_EQ(person->WorkdayCount(), base.WorkdayCount() - 1);
  EXPECT_EQ(person->WorkingDaysBetween(CivilDay(2026, 9, 14), CivilDay(2026, 10, 12)),
            base.WorkingDaysBetween(CivilDay(2026, 9, 14), CivilDay(2026, 10, 12)) - 1);
}

TEST(CalendarTest, DepartmentThenPersonOverlaysStack) {
  auto dept = Calendar::ChinaMainland().WithOverlay(
      {"d-market", {{CivilDay(2026, 9, 11), DayKind::kCompanyDayOff, "团建"}}});
  ASSERT_TRUE(dept.ok()) << dept.status();
  auto person = dept->WithOverlay({"p-li", {{CivilDay(2026, 9, 14), DayKind::kLeave, "事假"}}});
  ASSERT_TRUE(person.ok()) << person.status();
  EXPECT_EQ(person->spec().name, "cn-mainland-2025-2026+d-market+p-li");
  EXPECT_EQ(person->ExceptionOn(CivilDay(2026, 9, 11))->kind, DayKind::kCompanyDayOff);
  EXPECT_EQ(person->ExceptionOn(CivilDay(2026, 9, 14))->name, "事假");
  // Thursday 9-10 17:00 + 1 working day: Friday 9-11 off (department), Monday
  // 9-14 off (person) -> Tuesday 9-15 17:00.
  const absl::Time filed = At(*person, 2026, 9, 10, 17);
  EXPECT_EQ(Local(*person, person->DeadlineWithinWorkingDays(filed, 1)),
            "2026-09-15 17:00:00 +08:00");
  EXPECT_EQ(Local(*dept, dept->DeadlineWithinWorkingDays(filed, 1)), "2026-09-14 17:00:00 +08:00");
}

TEST(CalendarTest, OverlayRefusesDuplicatesAndOutOfRangeDates) {
  const Calendar base;
  CalendarOverlay twice{"p",
                        {{CivilDay(2026, 5, 6), DayKind::kLeave, ""},
                         {CivilDay(2026, 5, 6), DayKind::kMakeupWorkday, ""}}};
  auto r = base.WithOverlay(twice);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("exceptions[1]: 2026-05-06 is already listed"));
  CalendarOverlay far{"p", {{CivilDay(2200, 1, 1), DayKind::kLeave, ""}}};
  EXPECT_THAT(base.WithOverlay(far).status().message(),
              HasSubstr("outside the supported range 1970..2199"));
}

// --- validation: every refusal path ---------------------------------------------------------

TEST(CalendarTest, RejectsUnknownTimeZones) {
  for (const char* zone : {"Mars/Olympus", "", "localtime", "../../etc/passwd", "/etc/localtime",
                           "Asia//Shanghai", "Asia/Shang hai"}) {
    CalendarSpec spec;
    spec.time_zone = zone;
    const absl::Status s = CreateStatus(spec);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << zone;
    EXPECT_THAT(s.message(), HasSubstr("time_zone")) << zone;
  }
}

TEST(CalendarTest, RejectsBadWorkingHours) {
  struct Case {
    WorkingHours hours;
    const char* message;
  } cases[] = {
      {{18 * 60, 9 * 60, -1, -1}, "working_hours: end 09:00 is not after start 18:00"},
      {{9 * 60, 9 * 60, -1, -1}, "is not after start"},
      {{-1, 9 * 60, -1, -1}, "working_hours.start"},
      {{9 * 60, 24 * 60 + 1, -1, -1}, "working_hours.end"},
      {{9 * 60, 18 * 60, 8 * 60, 9 * 60 + 30},
       "working_hours.break: 08:00-09:30 is outside working hours 09:00-18:00"},
      {{9 * 60, 18 * 60, 17 * 60, 19 * 60}, "is outside working hours"},
      {{9 * 60, 18 * 60, 13 * 60, 12 * 60}, "is not a break"},
      {{9 * 60, 18 * 60, 12 * 60, -1}, "is not a break"},
      {{9 * 60, 18 * 60, 9 * 60, 18 * 60}, "covers all working hours"},
  };
  for (const Case& c : cases) {
    CalendarSpec spec;
    spec.hours = c.hours;
    const absl::Status s = CreateStatus(spec);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(s.message(), HasSubstr(c.message));
  }
}

TEST(CalendarTest, RejectsSpecWithoutWorkingWeekday) {
  CalendarSpec spec;
  spec.working_weekdays.fill(false);
  EXPECT_THAT(CreateStatus(spec).message(), HasSubstr("working_weekdays: no working weekday"));
}

TEST(CalendarTest, RejectsDateBothHolidayAndMakeupDay) {
  CalendarSpec spec;
  spec.exceptions = {{CivilDay(2026, 10, 1), DayKind::kStatutoryHoliday, "国庆节"},
                     {CivilDay(2026, 9, 20), DayKind::kMakeupWorkday, "国庆节"},
                     {CivilDay(2026, 10, 1), DayKind::kMakeupWorkday, "国庆节"}};
  const absl::Status s = CreateStatus(spec);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("exceptions[2]: 2026-10-01 is already listed at "
                                     "exceptions[0] (statutory_holiday and makeup_workday)"));
}

TEST(CalendarTest, RejectsExceptionDatesOutOfRange) {
  for (CivilDay day : {CivilDay(1969, 12, 31), CivilDay(2200, 1, 1)}) {
    CalendarSpec spec;
    spec.exceptions = {{day, DayKind::kCompanyDayOff, ""}};
    EXPECT_THAT(CreateStatus(spec).message(),
                HasSubstr("exceptions[0].date: " + absl::FormatCivilTime(day) +
                          " is outside the supported range 1970..2199"));
  }
}

TEST(CalendarTest, RejectsUnknownKindBadNamesAndTooManyExceptions) {
  CalendarSpec spec;
  spec.exceptions = {{CivilDay(2026, 1, 1), static_cast<DayKind>(9), ""}};
  EXPECT_THAT(CreateStatus(spec).message(), HasSubstr("exceptions[0].kind: unknown day kind 9"));
  spec.exceptions = {{CivilDay(2026, 1, 1), DayKind::kLeave, "\xff\xfe"}};
  EXPECT_THAT(CreateStatus(spec).message(), HasSubstr("exceptions[0].name"));
  spec.exceptions = {{CivilDay(2026, 1, 1), DayKind::kLeave, std::string(600, 'x')}};
  EXPECT_EQ(CreateStatus(spec).code(), absl::StatusCode::kResourceExhausted);
  spec.exceptions.clear();
  for (size_t i = 0; i <= kMaxCalendarExceptions; ++i) {
    spec.exceptions.push_back(
        {CivilDay(1980, 1, 1) + static_cast<int64_t>(i), DayKind::kLeave, ""});
  }
  const absl::Status s = CreateStatus(spec);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(s.message(), HasSubstr("exceptions"));
  spec = CalendarSpec{};
  spec.name = std::string(600, 'n');
  EXPECT_EQ(CreateStatus(spec).code(), absl::StatusCode::kResourceExhausted);
}

// --- text and binary forms --------------------------------------------------------------------

TEST(CalendarTest, TextFormRoundTripsAndKeepsChineseReadable) {
  const Calendar& c = Calendar::ChinaMainland();
  const std::string text = CalendarToText(c);
  EXPECT_THAT(text, HasSubstr("name: \"中秋节\""));
  EXPECT_THAT(text, HasSubstr("time_zone: \"Asia/Shanghai\""));
  EXPECT_THAT(text, HasSubstr("break_start: \"12:00\""));
  auto back = ParseCalendarText(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, c);
  EXPECT_EQ(back->spec(), c.spec());
  auto decoded = DecodeCalendar(EncodeCalendar(c));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, c);
  EXPECT_EQ(EncodeCalendar(c), EncodeCalendar(*decoded));
}

TEST(CalendarTest, TextFormDefaultsOmittedFields) {
  auto c = ParseCalendarText(
      "exceptions { date { year: 2026 month: 5 day: 6 } kind: DAY_KIND_COMPANY_DAY_OFF }");
  ASSERT_TRUE(c.ok()) << c.status();
  CalendarSpec expected;
  expected.exceptions = {{CivilDay(2026, 5, 6), DayKind::kCompanyDayOff, ""}};
  EXPECT_EQ(c->spec(), expected);
  auto weekend_shop = ParseCalendarText(
      "time_zone: \"Europe/Berlin\" working_weekdays: [WEEKDAY_SATURDAY, WEEKDAY_SUNDAY]\n"
      "working_hours { start: \"10:00\" end: \"24:00\" }");
  ASSERT_TRUE(weekend_shop.ok()) << weekend_shop.status();
  EXPECT_TRUE(weekend_shop->IsWorkingDay(CivilDay(2026, 11, 28)));
  EXPECT_FALSE(weekend_shop->IsWorkingDay(CivilDay(2026, 11, 27)));
  EXPECT_EQ(weekend_shop->WorkingDayLength(), absl::Hours(14));
}

TEST(CalendarTest, TextFormRefusesMalformedInput) {
  struct Case {
    const char* text;
    const char* message;
  } cases[] = {
      {"name: \"x\"\ntime_zone: ", "line 2"},
      {"colour: 3", "colour"},
      {"time_zone: \"Mars/Olympus\"", "unknown IANA time zone"},
      {"working_hours { start: \"9h\" }", "working_hours.start: \"9h\" is not a time of day"},
      {"working_hours { end: \"24:30\" }", "working_hours.end"},
      {"working_hours { break_start: \"12:00\" }", "both be set"},
      {"working_weekdays: [WEEKDAY_MONDAY, WEEKDAY_MONDAY]", "listed twice"},
      {"working_weekdays: [WEEKDAY_UNSPECIFIED]", "working_weekdays[0]"},
      {"exceptions { date { year: 2026 month: 2 day: 30 } kind: DAY_KIND_LEAVE }",
       "exceptions[0].date: 2026-02-30 is not a date"},
      {"exceptions { kind: DAY_KIND_LEAVE }", "exceptions[0].date: required"},
      {"exceptions { date { year: 2026 month: 2 day: 3 } }", "exceptions[0].kind"},
      {"exceptions { date { year: 3000 month: 2 day: 3 } kind: DAY_KIND_LEAVE }",
       "outside the supported range"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ParseCalendarText(c.text).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.text;
  }
  EXPECT_EQ(ParseCalendarText("name: \"\xff\"").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeCalendar("\xff\xff\xff").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CalendarTest, OverlayTextRoundTrips) {
  const CalendarOverlay overlay{"d-market",
                                {{CivilDay(2026, 12, 24), DayKind::kCompanyDayOff, "团建"}}};
  const std::string text = CalendarOverlayToText(overlay);
  EXPECT_THAT(text, HasSubstr("团建"));
  auto back = ParseCalendarOverlayText(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, overlay);
  EXPECT_EQ(ParseCalendarOverlayText(text + text).status().code(),
            absl::StatusCode::kInvalidArgument);  // name set twice
}

// --- ordinals, range ends, value semantics ----------------------------------------------------

TEST(CalendarTest, OrdinalsAreDenseAndInvertible) {
  const Calendar& c = Calendar::ChinaMainland();
  int32_t expected = c.WorkdayOrdinal(CivilDay(2025, 1, 1));
  for (CivilDay d(2025, 1, 1); d <= CivilDay(2026, 12, 31); ++d) {
    EXPECT_EQ(c.WorkdayOrdinal(d), expected) << d;
    if (c.IsWorkingDay(d)) {
      EXPECT_EQ(c.WorkdayAt(expected), d);
      ++expected;
    }
  }
  EXPECT_EQ(c.WorkdayOrdinal(kCalendarFirstDay), 0);
  EXPECT_EQ(c.WorkdayOrdinal(kCalendarLastDay + 1), c.WorkdayCount());
  EXPECT_EQ(c.WorkdayAt(0), CivilDay(1970, 1, 1));                       // a Thursday
  EXPECT_EQ(c.WorkdayAt(c.WorkdayCount() - 1), CivilDay(2199, 12, 31));  // a Tuesday
}

TEST(CalendarTest, OutOfRangeInputsClampAndSaturate) {
  const Calendar c;
  EXPECT_TRUE(c.IsWorkingDay(CivilDay(1969, 12, 31)));  // Wednesday: weekly pattern
  EXPECT_FALSE(c.IsWorkingDay(CivilDay(2300, 1, 6)));   // Saturday
  EXPECT_EQ(c.IsWorkingDay(CivilDay(int64_t{1} << 40, 1, 1)),
            absl::GetWeekday(CivilDay(int64_t{1} << 40, 1, 1)) < absl::Weekday::saturday);
  EXPECT_EQ(c.AddWorkingDays(CivilDay(-(int64_t{1} << 40), 1, 1), 3), CivilDay(1970, 1, 5));
  EXPECT_EQ(c.WorkdayOrdinal(CivilDay(int64_t{1} << 40, 1, 1)), c.WorkdayCount());
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2199, 12, 30), 10), kCalendarLastDay);
  EXPECT_EQ(c.AddWorkingDays(CivilDay(1970, 1, 5), -10), kCalendarFirstDay);
  EXPECT_EQ(c.AddWorkingDays(CivilDay(1900, 1, 1), 1), CivilDay(1970, 1, 1));
  EXPECT_EQ(c.AddWorkingDays(CivilDay(2026, 1, 1), int64_t{1} << 40), kCalendarLastDay);
  EXPECT_EQ(c.WorkdayAt(-5), CivilDay(1970, 1, 1));
  EXPECT_EQ(c.WorkdayAt(c.WorkdayCount() + 5), CivilDay(2199, 12, 31));
  const absl::Time last_close = c.CloseOf(kCalendarLastDay);
  EXPECT_EQ(c.AddWorkingTime(At(c, 2026, 1, 5, 10), absl::Hours(24 * 365 * 300)), last_close);
  EXPECT_EQ(c.AddWorkingTime(At(c, 2026, 1, 5, 10), absl::InfiniteDuration()), last_close);
  EXPECT_EQ(c.AddWorkingTime(At(c, 2026, 1, 5, 10), -absl::InfiniteDuration()),
            c.OpeningOf(kCalendarFirstDay));
  EXPECT_EQ(c.DeadlineWithinWorkingDays(At(c, 2026, 1, 5, 10), 2000000000), last_close);
  EXPECT_EQ(c.NextWorkingStart(absl::InfiniteFuture()), last_close);
  EXPECT_EQ(c.NextWorkingStart(absl::InfinitePast()), c.OpeningOf(kCalendarFirstDay));
  EXPECT_FALSE(c.IsWorkingTime(absl::InfiniteFuture()));
  EXPECT_EQ(c.WorkingTimeBetween(absl::InfinitePast(), absl::InfiniteFuture()),
            c.WorkdayCount() * absl::Hours(8));
}

TEST(CalendarTest, CopiesShareTablesAndAreSafeAcrossThreads) {
  const Calendar& china = Calendar::ChinaMainland();
  const Calendar copy = china;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy, china);
  EXPECT_EQ(&copy.spec(), &china.spec());  // one shared implementation
  const absl::Time start = At(china, 2025, 1, 1, 0);
  std::vector<absl::Time> expected;
  for (int i = 0; i < 2000; ++i) {
    expected.push_back(china.DeadlineWithinWorkingDays(start + absl::Minutes(i * 517), 1 + i % 20));
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const Calendar mine = copy;
      for (int i = 0; i < 2000; ++i) {
        const absl::Time got =
            mine.DeadlineWithinWorkingDays(start + absl::Minutes(i * 517), 1 + i % 20);
        mismatches[t] += got != expected[i];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(CalendarTest, ConcurrentFirstUseOfAZoneBuildsOneSharedTable) {
  CalendarSpec paris;
  paris.time_zone = "Europe/Paris";
  std::vector<std::optional<Calendar>> built(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto c = Calendar::Create(paris);
      if (c.ok()) built[t] = *c;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& c : built) {
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->time_zone().name(), "Europe/Paris");
    EXPECT_EQ(c->WorkingDaysBetween(CivilDay(2026, 3, 23), CivilDay(2026, 4, 6)), 10);
    EXPECT_EQ(absl::FormatTime("%H:%M %Ez", c->OpeningOf(CivilDay(2026, 3, 30)), c->time_zone()),
              "09:00 +02:00");
  }
}

}  // namespace
}  // namespace collabflow
