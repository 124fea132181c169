// FormatLocal writes the same text as absl::FormatTime("%Y-%m-%d %H:%M") in
// the calendar's zone, for every instant the engine accepts and beyond.
#include "engine/state/time_rules.h"

#include <random>

#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

TEST(FormatLocalTest, MatchesFormatTimeOnRandomInstants) {
  const Calendar& calendar = Calendar::ChinaMainland();
  std::mt19937_64 rng(20261128);
  // 1900..2300: the engine's range (1970..2199) and a margin on each side.
  std::uniform_int_distribution<int64_t> seconds(-2'208'988'800, 10'413'792'000);
  for (int i = 0; i < 20000; ++i) {
    const absl::Time t = absl::FromUnixSeconds(seconds(rng));
    ASSERT_EQ(FormatLocal(calendar, t), absl::FormatTime("%Y-%m-%d %H:%M", t, calendar.time_zone()))
        << absl::ToUnixSeconds(t);
  }
}

TEST(FormatLocalTest, EdgesOfTheDayAndTheInfinities) {
  const Calendar& calendar = Calendar::ChinaMainland();
  const absl::TimeZone& tz = calendar.time_zone();
  for (const absl::Time t : {absl::FromCivil(absl::CivilMinute(2026, 9, 30, 23, 59), tz),
                             absl::FromCivil(absl::CivilMinute(2026, 10, 1, 0, 0), tz),
                             absl::UnixEpoch(), absl::InfiniteFuture(), absl::InfinitePast()}) {
    EXPECT_EQ(FormatLocal(calendar, t), absl::FormatTime("%Y-%m-%d %H:%M", t, tz));
  }
  EXPECT_EQ(FormatLocal(calendar, absl::FromCivil(absl::CivilMinute(2026, 9, 1, 18, 5), tz)),
            "2026-09-01 18:05");
}

}  // namespace
}  // namespace collabflow::internal
