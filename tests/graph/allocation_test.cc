#include "collabflow/allocation.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;

TaskSpec Task(int32_t duration, const char* assignee, int32_t snet = kNoDate) {
  TaskSpec t;
  t.duration = duration;
  t.assignee = assignee;
  t.start_no_earlier_than = snet;
  return t;
}

TEST(AllocationTest, ReportsOverlappingDaysBeyondCapacity) {
  // market: [0,4) and [2,5) overlap on days 2..4; sales: [0,3) alone.
  auto g = TaskGraph::Build(
      {Task(4, "市场部"), Task(3, "市场部", 2), Task(3, "销售部"), Task(0, "市场部")}, {});
  ASSERT_TRUE(g.ok());
  auto s = Schedule::Compute(*g);
  ASSERT_TRUE(s.ok());
  std::vector<OverAllocation> over = FindOverAllocations(*g, *s);
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].assignee, "市场部");
  EXPECT_EQ(over[0].first_day, 2);
  EXPECT_EQ(over[0].end_day, 4);
  EXPECT_EQ(over[0].load, 2);
  EXPECT_EQ(over[0].capacity, 1);
  EXPECT_THAT(over[0].tasks, ElementsAre(0, 1));
}

TEST(AllocationTest, CapacityOverridesAndBackToBackTasks) {
  auto g =
      TaskGraph::Build({Task(2, "a"), Task(2, "a"), Task(2, "b", 0), Task(2, "b", 2)}, {{0, 1}});
  ASSERT_TRUE(g.ok());
  auto s = Schedule::Compute(*g);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(FindOverAllocations(*g, *s).empty());  // [0,2) then [2,4): no overlap
  TaskGraph g2 = *g;
  ASSERT_TRUE(g2.AddTask(Task(4, "a")).ok());
  auto s2 = Schedule::Compute(g2);
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(FindOverAllocations(g2, *s2).size(), 2u);  // [0,2) and [2,4)
  AllocationOptions two;
  two.capacity["a"] = 2;
  EXPECT_TRUE(FindOverAllocations(g2, *s2, two).empty());
}

}  // namespace
}  // namespace collabflow
