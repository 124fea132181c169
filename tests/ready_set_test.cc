#include "collabflow/ready_set.h"

#include <algorithm>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::vector<TaskHandle> Ready(const ReadySet& r) {
  return std::vector<TaskHandle>(r.ready().begin(), r.ready().end());
}

TaskGraph Plan() {
  // 0 -FS-> 2, 1 -SS-> 2, 1 -FF-> 3, 2 -FS-> 3
  std::vector<TaskSpec> tasks(4);
  tasks[0].id = "data";
  tasks[1].id = "research";
  tasks[2].id = "draft";
  tasks[3].id = "final";
  auto g = TaskGraph::Build(tasks, {{0, 2},
                                    {1, 2, DependencyType::kStartToStart, 0},
                                    {1, 3, DependencyType::kFinishToFinish, 0},
                                    {2, 3}});
  EXPECT_TRUE(g.ok());
  return *std::move(g);
}

TEST(ReadySetTest, TasksWithoutBlockingPredecessorsAreReady) {
  TaskGraph g = Plan();
  ReadySet r(&g);
  EXPECT_THAT(Ready(r), UnorderedElementsAre(0, 1));
  EXPECT_EQ(r.state(2), TaskState::kBlocked);
}

TEST(ReadySetTest, BlockedTaskNamesWhatItWaitsOn) {
  TaskGraph g = Plan();
  ReadySet r(&g);
  std::vector<Dependency> waits = r.WaitingOn(2);
  ASSERT_EQ(waits.size(), 2u);
  absl::Status s = r.Start(2);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("data (FS)"));
  EXPECT_THAT(s.message(), HasSubstr("research (SS)"));
  EXPECT_EQ(r.state(2), TaskState::kBlocked);
}

TEST(ReadySetTest, StartSatisfiesStartToStartAndCompleteSatisfiesFinishToStart) {
  TaskGraph g = Plan();
  ReadySet r(&g);
  ASSERT_TRUE(r.Start(1).ok());
  EXPECT_THAT(Ready(r), ElementsAre(0));
  EXPECT_THAT(r.WaitingOn(2), ElementsAre(Dependency{0, 2}));
  ASSERT_TRUE(r.Complete(0).ok());
  EXPECT_THAT(Ready(r), ElementsAre(2));
  // FF does not block a start: final waits only on draft.
  EXPECT_THAT(r.WaitingOn(3), ElementsAre(Dependency{2, 3}));
  ASSERT_TRUE(r.Complete(2).ok());  // completing a ready task starts it too
  EXPECT_THAT(Ready(r), ElementsAre(3));
}

TEST(ReadySetTest, RefusalsChangeNothing) {
  TaskGraph g = Plan();
  ReadySet r(&g);
  EXPECT_EQ(r.Start(99).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.Complete(99).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.Complete(2).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(r.Complete(0).ok());
  EXPECT_EQ(r.Complete(0).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(r.Start(1).ok());
  EXPECT_EQ(r.Start(1).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(Ready(r), ElementsAre(2));
}

TEST(ReadySetTest, InitialStateComesFromActuals) {
  TaskGraph g = Plan();
  ASSERT_TRUE(g.SetProgress(0, 1, 3, 100).ok());
  ASSERT_TRUE(g.SetProgress(1, 2, kNoDate, 40).ok());
  ReadySet r(&g);
  EXPECT_EQ(r.state(0), TaskState::kComplete);
  EXPECT_EQ(r.state(1), TaskState::kStarted);
  EXPECT_THAT(Ready(r), ElementsAre(2));
}

TEST(ReadySetTest, WideFanOutBecomesReadyTogether) {
  TaskGraph g;
  const TaskHandle root = *g.AddTask(TaskSpec{});
  for (int i = 0; i < 100; ++i) {
    const TaskHandle t = *g.AddTask(TaskSpec{});
    ASSERT_TRUE(g.AddDependency({root, t}).ok());
  }
  ReadySet r(&g);
  EXPECT_EQ(r.ready().size(), 1u);
  ASSERT_TRUE(r.Complete(root).ok());
  EXPECT_EQ(r.ready().size(), 100u);
}

}  // namespace
}  // namespace collabflow
