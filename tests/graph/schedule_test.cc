#include "collabflow/schedule.h"

#include <string>
#include <vector>

#include "collabflow/task_graph.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;

TaskSpec Task(const std::string& id, int32_t duration) {
  TaskSpec t;
  t.id = id;
  t.duration = duration;
  return t;
}

Schedule MustCompute(const TaskGraph& g, ScheduleOptions o = {}) {
  auto s = Schedule::Compute(g, o);
  EXPECT_TRUE(s.ok()) << s.status();
  return *std::move(s);
}

TEST(ScheduleTest, FinishToStartChainOccupiesHalfOpenDays) {
  auto g = TaskGraph::Build({Task("a", 3), Task("b", 2)}, {{0, 1}});
  ASSERT_TRUE(g.ok());
  Schedule s = MustCompute(*g, {10, kNoDate});
  EXPECT_EQ(s[0].early_start, 10);
  EXPECT_EQ(s[0].early_finish, 13);  // works days 10, 11, 12
  EXPECT_EQ(s[1].early_start, 13);
  EXPECT_EQ(s.project_finish(), 15);
  EXPECT_EQ(s[0].total_float, 0);
  EXPECT_TRUE(s[1].critical());
}

TEST(ScheduleTest, EachDependencyTypeWithLagAndLead) {
  // p: [0, 4). Successors of duration 2 under each type.
  auto g = TaskGraph::Build(
      {Task("p", 4), Task("fs", 2), Task("ss", 2), Task("ff", 2), Task("sf", 2), Task("lead", 2)},
      {{0, 1, DependencyType::kFinishToStart, 1},
       {0, 2, DependencyType::kStartToStart, 1},
       {0, 3, DependencyType::kFinishToFinish, 2},
       {0, 4, DependencyType::kStartToFinish, 3},
       {0, 5, DependencyType::kFinishToStart, -2}});
  ASSERT_TRUE(g.ok());
  Schedule s = MustCompute(*g);
  EXPECT_EQ(s[1].early_start, 5);   // EF(p)=4, +1
  EXPECT_EQ(s[2].early_start, 1);   // ES(p)=0, +1
  EXPECT_EQ(s[3].early_finish, 6);  // EF(p)+2
  EXPECT_EQ(s[4].early_finish, 3);  // ES(p)+3
  EXPECT_EQ(s[5].early_start, 2);   // lead of 2 days
  EXPECT_EQ(s.project_finish(), 7);
  for (TaskHandle t = 1; t <= 5; ++t) {
    EXPECT_EQ(s[t].driver, 0u);
    EXPECT_EQ(s[t].driver_kind, StartDriver::kPredecessor);
  }
}

TEST(ScheduleTest, FinishNoLaterThanGivesNegativeFloat) {
  TaskSpec late = Task("late", 5);
  late.finish_no_later_than = 2;  // must finish by the end of day 2: EF <= 3
  auto g = TaskGraph::Build({Task("first", 1), late}, {{0, 1}});
  ASSERT_TRUE(g.ok());
  Schedule s = MustCompute(*g);
  EXPECT_EQ(s[1].early_finish, 6);
  EXPECT_EQ(s[1].late_finish, 3);
  EXPECT_EQ(s[1].total_float, -3);
  EXPECT_EQ(s[0].total_float, -3);
  EXPECT_THAT(s.NegativeFloatTasks(*g), ElementsAre(0, 1));
}

TEST(ScheduleTest, FreeFloatAndTotalFloatDiffer) {
  // a(1) -> c(1); b(3) -> c. a has 2 days of float, all of it free.
  // x(1) -> y(1) -> c: y free float 1, x free float 0, both total float 1.
  auto g = TaskGraph::Build({Task("a", 1), Task("b", 3), Task("c", 1), Task("x", 1), Task("y", 1)},
                            {{0, 2}, {1, 2}, {3, 4}, {4, 2}});
  ASSERT_TRUE(g.ok());
  Schedule s = MustCompute(*g);
  EXPECT_EQ(s[0].total_float, 2);
  EXPECT_EQ(s[0].free_float, 2);
  EXPECT_EQ(s[3].total_float, 1);
  EXPECT_EQ(s[3].free_float, 0);
  EXPECT_EQ(s[4].free_float, 1);
  EXPECT_THAT(s.CriticalPath(*g), ElementsAre(1, 2));
  EXPECT_THAT(s.CriticalTasks(*g), ElementsAre(1, 2));
}

// The seed example: sales supplies regional customer data, market drafts the
// plan (first draft by 9-10), then the final plan (by 9-20). With ordinals
// 0 = 9-01 and a plain Monday-Friday calendar, 9-10 is ordinal 7 and 9-20
// (a Sunday make-up working day in 2026 is not modelled here) is ordinal 14.
TEST(ScheduleTest, SeedExampleExplainsWhyTheDraftStartsWhenItDoes) {
  TaskSpec data = Task("客户数据收集", 3);
  data.assignee = "d-sales";
  TaskSpec draft = Task("方案初稿", 4);
  draft.assignee = "d-market";
  draft.finish_no_later_than = 7;
  TaskSpec final_plan = Task("方案定稿", 5);
  final_plan.assignee = "d-market";
  final_plan.finish_no_later_than = 14;
  TaskSpec research = Task("竞品调研", 2);
  research.assignee = "d-market";
  auto g = TaskGraph::Build({data, draft, final_plan, research},
                            {{0, 1}, {1, 2}, {3, 1, DependencyType::kFinishToStart, 0}});
  ASSERT_TRUE(g.ok()) << g.status();
  Schedule s = MustCompute(*g);
  EXPECT_EQ(s[1].early_start, 3);
  EXPECT_THAT(s.DrivingChain(1), ElementsAre(0, 1));  // the data drives the draft
  EXPECT_EQ(s[1].early_finish, 7);  // last working day 6 = 9-09, a day before 9-10
  EXPECT_EQ(s[1].late_finish, 7);   // but the final plan needs it then
  EXPECT_EQ(s[1].total_float, 0);
  EXPECT_EQ(s[2].early_finish, 12);
  EXPECT_EQ(s[3].total_float, 1);
  EXPECT_THAT(s.CriticalPath(*g), ElementsAre(0, 1, 2));
  // The data takes 2 days longer: the draft finishes on 9-11 (EF 9), one day
  // after its 9-10 deadline (EF <= 8).
  TaskGraph late = *g;
  ASSERT_TRUE(late.SetDuration(0, 5).ok());
  ASSERT_TRUE(s.Update(late).ok());
  EXPECT_EQ(s[1].total_float, -1);
  EXPECT_EQ(s.NegativeFloatTasks(late), (std::vector<TaskHandle>{0, 1}));
}

TEST(ScheduleTest, StatusDateAndActualsOverridePlan) {
  TaskSpec done = Task("done", 3);
  done.actual_start = 0;
  done.actual_finish = 4;  // took 5 days
  TaskSpec running = Task("running", 4);
  running.actual_start = 6;
  running.percent_complete = 50;
  auto g = TaskGraph::Build({done, running, Task("next", 1), Task("free", 2)}, {{0, 1}, {1, 2}});
  ASSERT_TRUE(g.ok());
  Schedule s = MustCompute(*g, {0, 8});
  EXPECT_EQ(s[0].early_finish, 5);
  EXPECT_EQ(s[0].driver_kind, StartDriver::kActualStart);
  EXPECT_EQ(s[1].early_start, 6);
  EXPECT_EQ(s[1].early_finish, 10);  // 2 days left from the status date 8
  EXPECT_EQ(s[2].early_start, 10);
  EXPECT_EQ(s[3].early_start, 8);  // unstarted work starts no earlier than the status date
  EXPECT_EQ(s[3].driver_kind, StartDriver::kStatusDate);
}

TEST(ScheduleTest, StartNoEarlierThanDrivesStart) {
  TaskSpec t = Task("t", 1);
  t.start_no_earlier_than = 20;
  auto g = TaskGraph::Build({Task("p", 2), t}, {{0, 1}});
  ASSERT_TRUE(g.ok());
  Schedule s = MustCompute(*g);
  EXPECT_EQ(s[1].early_start, 20);
  EXPECT_EQ(s[1].driver_kind, StartDriver::kStartNoEarlierThan);
  EXPECT_THAT(s.DrivingChain(1), ElementsAre(1));
}

TEST(ScheduleTest, RefusesOptionsOutOfRange) {
  TaskGraph g;
  EXPECT_EQ(Schedule::Compute(g, {-1, kNoDate}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Schedule::Compute(g, {0, kMaxOrdinal + 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto empty = Schedule::Compute(g, {5, kNoDate});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->project_finish(), 5);
}

TEST(ScheduleTest, RefusesPlansBeyondOrdinalRange) {
  std::vector<TaskSpec> tasks(1000, Task("", kMaxTaskDuration));
  std::vector<Dependency> deps;
  for (TaskHandle i = 0; i + 1 < 1000; ++i) deps.push_back({i, i + 1});
  auto g = TaskGraph::Build(tasks, deps);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(Schedule::Compute(*g).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(ScheduleTest, RemovedTaskDisappearsFromSchedule) {
  auto g = TaskGraph::Build({Task("a", 10), Task("b", 1)}, {});
  ASSERT_TRUE(g.ok());
  Schedule s = MustCompute(*g);
  EXPECT_EQ(s.project_finish(), 10);
  ASSERT_TRUE(g->RemoveTask(0).ok());
  ASSERT_TRUE(s.Update(*g).ok());
  EXPECT_EQ(s.project_finish(), 1);
  EXPECT_EQ(s[0].driver_kind, StartDriver::kRemoved);
}

}  // namespace
}  // namespace collabflow
