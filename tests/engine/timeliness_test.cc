// Timeliness in working time, on both sides of the 2026 Mid-Autumn holiday
// (Fri 9-25 .. Sun 9-27) and the make-up working day Sunday 9-20; the
// default rectification deadline of 2 working days.
#include "engine/state/timeliness.h"

#include "gtest/gtest.h"
#include "support/seed_scenario.h"

namespace collabflow::internal {
namespace {

using collabflow::testing::Shanghai;

absl::Time T(int mo, int d, int h, int mi = 0) { return Shanghai(2026, mo, d, h, mi); }
const Calendar& Cn() { return Calendar::ChinaMainland(); }

TEST(TimelinessTest, OnTimeBeforeTheDueAndEarlyByTheWorkingTimeLeft) {
  const Timeliness t = ComputeTimeliness(Cn(), T(9, 24, 18), T(9, 24, 16));
  EXPECT_TRUE(t.on_time);
  EXPECT_EQ(t.late_by_working_minutes, -120);
}

TEST(TimelinessTest, AfterTheHolidayIsLateOnlyByWorkingTime) {
  // Due Thursday 9-24 18:00; the next working time is Monday 9-28 09:00.
  const Timeliness t = ComputeTimeliness(Cn(), T(9, 24, 18), T(9, 28, 10));
  EXPECT_FALSE(t.on_time);
  EXPECT_EQ(t.late_by_working_minutes, 60);
}

TEST(TimelinessTest, DuringTheHolidayJustPastTheDueIsOnTime) {
  const Timeliness t = ComputeTimeliness(Cn(), T(9, 24, 18), T(9, 26, 11));
  EXPECT_TRUE(t.on_time);
  EXPECT_EQ(t.late_by_working_minutes, 0);
}

TEST(TimelinessTest, TheMakeUpWorkingDayCounts) {
  // Due Saturday-eve Friday 9-18 18:00; Sunday 9-20 is worked (调休上班).
  const Timeliness t = ComputeTimeliness(Cn(), T(9, 18, 18), T(9, 20, 11));
  EXPECT_FALSE(t.on_time);
  EXPECT_EQ(t.late_by_working_minutes, 120);
}

TEST(TimelinessTest, DueByEndOfANonWorkingDayIsTheCloseOfTheWorkingDayBefore) {
  EXPECT_EQ(DueByEndOf(Cn(), absl::CivilDay(2026, 9, 20)), T(9, 20, 18));  // make-up day
  EXPECT_EQ(DueByEndOf(Cn(), absl::CivilDay(2026, 9, 26)), T(9, 24, 18));  // holiday
  EXPECT_EQ(DueByEndOf(Cn(), absl::CivilDay(2026, 9, 10)), T(9, 10, 18));
}

TEST(TimelinessTest, SetTimelinessFillsTheReviewAndKeepsAWaiver) {
  v1::Review review;
  review.set_timeliness_waived(true);
  review.set_waiver_reason("数据接口故障,非承办人原因");
  SetTimeliness(Cn(), T(9, 24, 18), T(9, 28, 10), &review);
  EXPECT_FALSE(review.on_time());
  EXPECT_EQ(review.late_by_working_minutes(), 60);
  EXPECT_TRUE(review.timeliness_waived());
}

TEST(TimelinessTest, RectificationIsDueTwoWorkingDaysLaterAcrossTheHoliday) {
  // Reviewed Thursday 9-24 15:00: two working days are Mon 9-28 and Tue 9-29.
  EXPECT_EQ(RectificationDue(Cn(), T(9, 24, 15)), T(9, 29, 15));
  EXPECT_EQ(RectificationDue(Cn(), T(9, 8, 15)), T(9, 10, 15));
}

}  // namespace
}  // namespace collabflow::internal
