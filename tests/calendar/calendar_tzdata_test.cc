// Without a time zone database (TZDIR pointing nowhere), the default and the
// shipped calendar still work and other zones fail with a clear message. Its
// own binary: the zone cache is process-wide, so no other test may load a
// zone first.
#include <cstdlib>

#include "collabflow/calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

TEST(CalendarTzdataTest, DefaultZoneWorksWithoutATimeZoneDatabase) {
  ASSERT_EQ(setenv("TZDIR", "/nonexistent-collabflow-zoneinfo", 1), 0);
  CalendarSpec new_york;
  new_york.time_zone = "America/New_York";
  const absl::Status s = Calendar::Create(new_york).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), ::testing::HasSubstr("install tzdata or set TZDIR"));

  const Calendar& china = Calendar::ChinaMainland();
  EXPECT_TRUE(china.IsWorkingDay(absl::CivilDay(2026, 9, 20)));
  const absl::Time filed =
      absl::FromCivil(absl::CivilSecond(2026, 9, 18, 17, 0, 0), absl::FixedTimeZone(8 * 3600));
  EXPECT_EQ(
      china.DeadlineWithinWorkingDays(filed, 1),
      absl::FromCivil(absl::CivilSecond(2026, 9, 20, 17, 0, 0), absl::FixedTimeZone(8 * 3600)));
  EXPECT_EQ(Calendar().spec().time_zone, "Asia/Shanghai");
  EXPECT_TRUE(Calendar::Create(CalendarSpec{}).ok());
  CalendarSpec utc;
  utc.time_zone = "UTC";
  EXPECT_TRUE(Calendar::Create(utc).ok());
}

}  // namespace
}  // namespace collabflow
