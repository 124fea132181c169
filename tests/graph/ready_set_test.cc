#include "collabflow/ready_set.h"

#include <algorithm>
#include <random>
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

TEST(ReadySetTest, RemovedTaskIsNotFoundAndNoLongerBlocks) {
  TaskGraph g = Plan();
  ASSERT_TRUE(g.RemoveTask(0).ok());  // "data" gated "draft" (FS)
  ReadySet r(&g);
  EXPECT_EQ(r.Start(0).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.Complete(0).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.state(0), TaskState::kBlocked);
  EXPECT_THAT(Ready(r), UnorderedElementsAre(1));
  ASSERT_TRUE(r.Start(1).ok());
  EXPECT_THAT(Ready(r), UnorderedElementsAre(2));
}

// Random plans (all four types, handles unrelated to the order, some tasks
// removed) driven by random starts and completions: after every step the
// ready set, each state and each WaitingOn list equal a brute-force reading
// of the predecessors' states.
TEST(ReadySetTest, MatchesBruteForceOnRandomPlans) {
  std::mt19937 rng(77);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int round = 0; round < 200; ++round) {
    const int n = pick(2, 30);
    std::vector<TaskHandle> perm(n);
    for (int i = 0; i < n; ++i) perm[i] = TaskHandle(i);
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<Dependency> deps;
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        if (pick(0, 3) == 0) {
          deps.push_back({perm[i], perm[j], static_cast<DependencyType>(pick(0, 3)), 0});
        }
      }
    }
    auto built = TaskGraph::Build(std::vector<TaskSpec>(n), deps);
    ASSERT_TRUE(built.ok());
    TaskGraph g = *std::move(built);
    if (pick(0, 1) == 0) {
      ASSERT_TRUE(g.RemoveTask(pick(0, n - 1)).ok());
    }
    ReadySet r(&g);
    std::vector<TaskState> state(n, TaskState::kBlocked);
    for (int step = 0; step < 3 * n; ++step) {
      // Brute force: a live unstarted task is ready iff every FS predecessor
      // is complete and every SS predecessor has started.
      std::vector<TaskHandle> expected_ready;
      for (TaskHandle t = 0; t < TaskHandle(n); ++t) {
        if (!g.IsLive(t)) continue;
        size_t waiting = 0;
        for (const DependencyLink& l : g.predecessors(t)) {
          const TaskState p = state[l.task];
          if (l.type() == DependencyType::kFinishToStart && p != TaskState::kComplete) ++waiting;
          if (l.type() == DependencyType::kStartToStart && p != TaskState::kStarted &&
              p != TaskState::kComplete) {
            ++waiting;
          }
        }
        const bool started = state[t] == TaskState::kStarted || state[t] == TaskState::kComplete;
        if (!started) state[t] = waiting == 0 ? TaskState::kReady : TaskState::kBlocked;
        if (state[t] == TaskState::kReady) expected_ready.push_back(t);
        ASSERT_EQ(r.state(t), state[t]) << "round " << round << " task " << t;
        ASSERT_EQ(r.WaitingOn(t).size(), state[t] == TaskState::kBlocked ? waiting : 0)
            << "round " << round << " task " << t;
      }
      std::vector<TaskHandle> ready = Ready(r);
      std::sort(ready.begin(), ready.end());
      ASSERT_EQ(ready, expected_ready) << "round " << round;
      const TaskHandle t = pick(0, n - 1);
      const bool start = pick(0, 1) == 0;
      const absl::Status st = start ? r.Start(t) : r.Complete(t);
      const bool allowed =
          state[t] == TaskState::kReady || (!start && state[t] == TaskState::kStarted);
      ASSERT_EQ(st.ok(), allowed) << "round " << round << " " << st;
      if (st.ok()) state[t] = start ? TaskState::kStarted : TaskState::kComplete;
    }
  }
}

}  // namespace
}  // namespace collabflow
