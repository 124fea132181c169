#include "collabflow/task_graph.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TaskSpec Task(const std::string& id, int32_t duration = 1) {
  TaskSpec t;
  t.id = id;
  t.duration = duration;
  return t;
}

// A graph a -> b -> c plus an isolated d.
TaskGraph Chain() {
  auto g = TaskGraph::Build({Task("a"), Task("b"), Task("c"), Task("d")}, {{0, 1}, {1, 2}});
  EXPECT_TRUE(g.ok()) << g.status();
  return *std::move(g);
}

// Everything observable about a graph, to show that a refusal changed nothing.
struct Snapshot {
  std::vector<Dependency> deps;
  std::vector<TaskHandle> order;
  std::vector<TaskSpec> specs;
  size_t tasks;
  bool operator==(const Snapshot& o) const {
    return deps == o.deps && order == o.order && specs == o.specs && tasks == o.tasks;
  }
};
Snapshot Snap(const TaskGraph& g) {
  Snapshot s{g.Dependencies(), g.TopologicalOrder(), {}, g.task_count()};
  for (TaskHandle t = 0; t < g.handle_count(); ++t) {
    if (g.IsLive(t)) s.specs.push_back(g.Spec(t));
  }
  return s;
}

TEST(TaskGraphTest, BuildAssignsHandlesInInputOrderAndSortsTopologically) {
  auto g = TaskGraph::Build({Task("c"), Task("b"), Task("a")}, {{2, 1}, {1, 0}});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(*g->Find("a"), 2u);
  EXPECT_THAT(g->TopologicalOrder(), ElementsAre(2, 1, 0));
  EXPECT_TRUE(g->CheckInvariants().ok());
}

TEST(TaskGraphTest, BuildNamesTheCycle) {
  auto g = TaskGraph::Build({Task("T1"), Task("T2"), Task("T3"), Task("x")},
                            {{0, 1}, {1, 2}, {2, 0}, {3, 0}});
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  // The cycle may be reported from any of its tasks; it must be all three.
  EXPECT_THAT(g.status().message(), HasSubstr("cycle"));
  for (const char* id : {"T1", "T2", "T3"}) EXPECT_THAT(g.status().message(), HasSubstr(id));
  EXPECT_THAT(g.status().message(), ::testing::Not(HasSubstr("x")));
}

TEST(TaskGraphTest, BuildRefusesBadInput) {
  EXPECT_EQ(TaskGraph::Build({Task("a")}, {{0, 0}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TaskGraph::Build({Task("a")}, {{0, 5}}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(TaskGraph::Build({Task("a"), Task("b")}, {{0, 1}, {0, 1}}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(TaskGraph::Build({Task("a"), Task("a")}, {}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(TaskGraph::Build({Task("a", -1)}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  Dependency big_lag{0, 1, DependencyType::kFinishToStart, kMaxLag + 1};
  EXPECT_THAT(TaskGraph::Build({Task("a"), Task("b")}, {big_lag}).status().message(),
              HasSubstr("lag"));
}

TEST(TaskGraphTest, RejectsEdgeThatClosesCycle) {
  TaskGraph g = Chain();
  const Snapshot before = Snap(g);
  std::vector<TaskHandle> cycle;
  absl::Status s = g.AddDependency({2, 0}, &cycle);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("c -> a -> b -> c"));
  EXPECT_THAT(cycle, ElementsAre(2, 0, 1, 2));
  EXPECT_TRUE(Snap(g) == before);
  EXPECT_TRUE(g.CheckInvariants().ok());
}

TEST(TaskGraphTest, RefusalsLeaveGraphUnchanged) {
  TaskGraph g = Chain();
  const Snapshot before = Snap(g);
  EXPECT_EQ(g.AddDependency({1, 1}).code(), absl::StatusCode::kInvalidArgument);  // self-loop
  EXPECT_EQ(g.AddDependency({0, 9}).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(g.AddDependency({0, 1}).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(g.AddDependency({0, 3, DependencyType::kFinishToStart, -kMaxLag - 1}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.AddDependency({0, 3, static_cast<DependencyType>(7), 0}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.RemoveDependency(0, 2).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(g.SetDuration(0, -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetDuration(0, kMaxTaskDuration + 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetDuration(42, 1).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(g.SetStartNoEarlierThan(0, -5).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetFinishNoLaterThan(0, kMaxOrdinal + 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetProgress(0, kNoDate, 5, 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetProgress(0, 6, 5, 0).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.SetProgress(0, 5, kNoDate, 101).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.AddTask(Task("a")).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(g.AddTask(Task("bad id")).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(g.RemoveTask(77).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Snap(g) == before);
  EXPECT_TRUE(g.CheckInvariants().ok());
}

TEST(TaskGraphTest, ErrorsNameTasksByIdOrHandle) {
  TaskGraph g;
  TaskHandle named = *g.AddTask(Task("客户数据收集"));
  TaskHandle anon = *g.AddTask(TaskSpec{});
  ASSERT_TRUE(g.AddDependency({named, anon}).ok());
  absl::Status s = g.AddDependency({anon, named});
  EXPECT_THAT(s.message(), HasSubstr("#1 -> 客户数据收集 -> #1"));
}

TEST(TaskGraphTest, EdgeAgainstOrderReordersTasks) {
  TaskGraph g = Chain();  // order a b c d
  ASSERT_TRUE(g.AddDependency({3, 0}).ok());
  EXPECT_LT(g.position(3), g.position(0));
  EXPECT_TRUE(g.CheckInvariants().ok());
}

TEST(TaskGraphTest, RemoveTaskDropsItsEdgesAndFreesItsId) {
  TaskGraph g = Chain();
  ASSERT_TRUE(g.RemoveTask(1).ok());
  EXPECT_EQ(g.task_count(), 3u);
  EXPECT_EQ(g.dependency_count(), 0u);
  EXPECT_FALSE(g.IsLive(1));
  EXPECT_EQ(g.Find("b").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(g.SetDuration(1, 3).code(), absl::StatusCode::kNotFound);
  auto again = g.AddTask(Task("b"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 4u);  // handles are never reused
  EXPECT_TRUE(g.CheckInvariants().ok());
}

TEST(TaskGraphTest, LinksPackTypeAndNegativeLag) {
  for (DependencyType type : {DependencyType::kFinishToStart, DependencyType::kStartToStart,
                              DependencyType::kFinishToFinish, DependencyType::kStartToFinish}) {
    for (int32_t lag : {-kMaxLag, -3, -1, 0, 1, 7, kMaxLag}) {
      DependencyLink l = DependencyLink::Make(5, type, lag);
      EXPECT_EQ(l.type(), type);
      EXPECT_EQ(l.lag(), lag);
    }
  }
}

TEST(TaskGraphTest, ChangeLogRecordsTouchedTasks) {
  TaskGraph g = Chain();
  EXPECT_TRUE(g.change_log().empty());
  ASSERT_TRUE(g.SetDuration(2, 4).ok());
  ASSERT_TRUE(g.AddDependency({3, 2}).ok());
  EXPECT_THAT(g.change_log(), ElementsAre(2, 3, 2));
  g.ClearChangeLog();
  EXPECT_TRUE(g.change_log().empty());
}

TEST(TaskGraphTest, ManyAppendsRelocateAndCompactAdjacency) {
  TaskGraph g;
  const int n = 3000;
  for (int i = 0; i < n; ++i) ASSERT_TRUE(g.AddTask(TaskSpec{}).ok());
  // Interleave growth of many lists, then remove half, then add again.
  for (int round = 0; round < 6; ++round) {
    for (int i = 0; i + round + 1 < n; i += 3) {
      ASSERT_TRUE(
          g.AddDependency({static_cast<TaskHandle>(i + round + 1), static_cast<TaskHandle>(i)})
              .ok());
    }
  }
  for (int i = 0; i + 2 < n; i += 6) ASSERT_TRUE(g.RemoveDependency(i + 1, i).ok());
  EXPECT_TRUE(g.CheckInvariants().ok());
  for (int i = 0; i < n; i += 2) ASSERT_TRUE(g.RemoveTask(i).ok());
  EXPECT_TRUE(g.CheckInvariants().ok());
}

// Stamps come from per-thread blocks of one counter: equal stamps must still
// mean the same structure, so no two edits anywhere may share one.
TEST(TaskGraphTest, StructureStampsAreUniqueAcrossGraphsAndThreads) {
  constexpr int kThreads = 4;
  constexpr int kEdits = 3000;
  std::vector<std::vector<uint64_t>> stamps(kThreads);
  std::vector<std::thread> threads;
  for (int k = 0; k < kThreads; ++k) {
    threads.emplace_back([&stamps, k] {
      TaskGraph g;
      stamps[k].push_back(g.structure_stamp());
      for (int i = 0; i < kEdits; ++i) {
        if (!g.AddTask(TaskSpec{}).ok()) return;
        stamps[k].push_back(g.structure_stamp());
        if (i == 0) continue;
        if (!g.AddDependency({static_cast<TaskHandle>(i - 1), static_cast<TaskHandle>(i)}).ok()) {
          return;
        }
        stamps[k].push_back(g.structure_stamp());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<uint64_t> all;
  size_t count = 0;
  for (const auto& s : stamps) {
    all.insert(s.begin(), s.end());
    count += s.size();
  }
  EXPECT_EQ(count, static_cast<size_t>(kThreads) * 2 * kEdits);
  EXPECT_EQ(all.size(), count);
  // A copy keeps the stamp; an edit of either side gives a new one.
  TaskGraph a = Chain();
  TaskGraph b = a;
  EXPECT_EQ(a.structure_stamp(), b.structure_stamp());
  ASSERT_TRUE(b.AddDependency({0, 3}).ok());
  EXPECT_NE(a.structure_stamp(), b.structure_stamp());
  EXPECT_EQ(all.count(b.structure_stamp()), 0u);
}

}  // namespace
}  // namespace collabflow
