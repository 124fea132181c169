#include "collabflow/task_graph_text.h"

#include <string>

#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using ::testing::HasSubstr;

constexpr char kTasks[] =
    "id,duration\n"
    "客户数据收集,3\n"
    "# a comment\n"
    "\n"
    "方案初稿, 4\n"
    "评审,0\n";

TEST(TaskGraphTextTest, ReadsCsvWithHeaderCommentsAndAllLinkTypes) {
  auto g = TaskGraphFromEdgeList(kTasks,
                                 "from,to,type,lag\n"
                                 "客户数据收集,方案初稿\n"
                                 "方案初稿,评审,ff,-1\n"
                                 "客户数据收集,评审,SS,2\n");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->task_count(), 3u);
  EXPECT_EQ(g->dependency_count(), 3u);
  EXPECT_EQ(g->id(0), "客户数据收集");
  EXPECT_EQ(g->duration(1), 4);
  Dependency d;
  ASSERT_TRUE(g->FindDependency(1, 2, &d));
  EXPECT_EQ(d.type, DependencyType::kFinishToFinish);
  EXPECT_EQ(d.lag, -1);
  ASSERT_TRUE(g->FindDependency(0, 1, &d));
  EXPECT_EQ(d.type, DependencyType::kFinishToStart);
  EXPECT_EQ(d.lag, 0);
  auto s = Schedule::Compute(*g);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->project_finish(), 7);
}

TEST(TaskGraphTextTest, ReadsTsvWithoutHeader) {
  auto g = TaskGraphFromEdgeList("A\t2\nB\t3\n", "A\tB\tSF\t1\n");
  ASSERT_TRUE(g.ok()) << g.status();
  Dependency d;
  ASSERT_TRUE(g->FindDependency(0, 1, &d));
  EXPECT_EQ(d.type, DependencyType::kStartToFinish);
  EXPECT_EQ(d.lag, 1);
}

TEST(TaskGraphTextTest, RefusesUnknownTaskIdNamingTheLine) {
  auto g = TaskGraphFromEdgeList("A,1\nB,1\n", "from,to\nA,B\nB,Q\n");
  EXPECT_EQ(g.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(g.status().message(), HasSubstr("edges line 3: to: unknown task id \"Q\""));
}

TEST(TaskGraphTextTest, RefusesMalformedLines) {
  auto fields = TaskGraphFromEdgeList("A,1\nB,1\n", "A,B,FS,0,extra\n");
  EXPECT_THAT(fields.status().message(),
              HasSubstr("edges line 1: expected 2 to 4 fields (from, to, type, lag), found 5"));
  auto duration = TaskGraphFromEdgeList("A,1\nB,x\n", "");
  EXPECT_THAT(duration.status().message(),
              HasSubstr("tasks line 2: duration \"x\" is not an integer"));
  auto range = TaskGraphFromEdgeList("A,100001\n", "");
  EXPECT_THAT(range.status().message(), HasSubstr("tasks line 1: duration 100001 is outside"));
  auto lag = TaskGraphFromEdgeList("A,1\nB,1\n", "A,B,FS,1.5\n");
  EXPECT_THAT(lag.status().message(), HasSubstr("edges line 1: lag \"1.5\" is not an integer"));
  auto task_fields = TaskGraphFromEdgeList("A\n", "");
  EXPECT_THAT(task_fields.status().message(),
              HasSubstr("tasks line 1: expected 2 fields (id, duration), found 1"));
}

TEST(TaskGraphTextTest, RefusesBadTypeNamingTheLine) {
  auto g = TaskGraphFromEdgeList("A,1\nB,1\n", "A,B,XY\n");
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(g.status().message(),
              HasSubstr("edges line 1: unknown type \"XY\" (FS, SS, FF or SF)"));
}

TEST(TaskGraphTextTest, RefusesRepeatedTaskIdAndDependencyNamingBothLines) {
  auto id = TaskGraphFromEdgeList("A,1\nB,1\nA,2\n", "");
  EXPECT_EQ(id.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(id.status().message(), HasSubstr("tasks line 3: task id \"A\" repeats line 1"));
  auto dep = TaskGraphFromEdgeList("A,1\nB,1\n", "A,B\n# again\nA,B,SS\n");
  EXPECT_EQ(dep.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(dep.status().message(), HasSubstr("edges line 3 repeats edges line 1"));
}

TEST(TaskGraphTextTest, RefusesSelfLoop) {
  auto g = TaskGraphFromEdgeList("A,1\n", "A,A\n");
  EXPECT_THAT(g.status().message(), HasSubstr("edges line 1: task \"A\" cannot depend on itself"));
}

TEST(TaskGraphTextTest, RefusesCycleNamingItsTasksAndLines) {
  auto g = TaskGraphFromEdgeList("A,1\nB,1\nC,1\nD,1\n", "D,A\nA,B\nB,C\nC,A\n");
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(g.status().message(),
              HasSubstr("edges: the plan has a cycle: \"A\" -> \"B\" -> \"C\" -> \"A\" "
                        "(lines 2, 3, 4)"));
}

TEST(TaskGraphTextTest, ReadsJson) {
  auto g = TaskGraphFromJson(
      R"({"tasks":[{"id":"A","duration":2},{"id":"B","duration":3}],
          "dependencies":[{"from":"A","to":"B","type":"SS","lag":1}]})");
  ASSERT_TRUE(g.ok()) << g.status();
  Dependency d;
  ASSERT_TRUE(g->FindDependency(0, 1, &d));
  EXPECT_EQ(d.type, DependencyType::kStartToStart);
  EXPECT_EQ(d.lag, 1);
  auto no_deps = TaskGraphFromJson(R"({"tasks":[{"id":"A","duration":2}]})");
  ASSERT_TRUE(no_deps.ok()) << no_deps.status();
}

TEST(TaskGraphTextTest, RefusesBadJsonNamingTheElement) {
  auto unknown = TaskGraphFromJson(
      R"({"tasks":[{"id":"A","duration":2}],"dependencies":[{"from":"A","to":"Z"}]})");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("dependencies[0].to: unknown task id \"Z\""));
  auto key = TaskGraphFromJson(R"({"tasks":[{"id":"A","duration":2,"owner":"x"}]})");
  EXPECT_THAT(key.status().message(), HasSubstr("tasks[0]: unknown key \"owner\""));
  auto duration = TaskGraphFromJson(R"({"tasks":[{"id":"A","duration":2.5}]})");
  EXPECT_THAT(duration.status().message(), HasSubstr("tasks[0].duration: 2.5 is not an integer"));
  auto type = TaskGraphFromJson(
      R"({"tasks":[{"id":"A","duration":1},{"id":"B","duration":1}],
          "dependencies":[{"from":"A","to":"B","type":"X"}]})");
  EXPECT_THAT(type.status().message(), HasSubstr("dependencies[0].type: unknown type \"X\""));
  auto cycle = TaskGraphFromJson(
      R"({"tasks":[{"id":"A","duration":1},{"id":"B","duration":1}],
          "dependencies":[{"from":"A","to":"B"},{"from":"B","to":"A"}]})");
  EXPECT_THAT(cycle.status().message(),
              HasSubstr("the plan has a cycle: \"A\" -> \"B\" -> \"A\" (dependencies 0, 1)"));
  auto syntax = TaskGraphFromJson("{\"tasks\": [");
  EXPECT_EQ(syntax.status().code(), absl::StatusCode::kInvalidArgument);
  auto missing = TaskGraphFromJson("{}");
  EXPECT_THAT(missing.status().message(), HasSubstr("tasks: missing"));
}

// Found by tests/fuzz/task_graph_fuzz.cc: a number beyond int64 was converted
// to an integer (undefined behaviour) before its range was checked.
TEST(TaskGraphTextTest, RefusesJsonNumbersBeyondAnyIntegerAsOutOfRange) {
  const std::string huge(114, '1');
  auto duration = TaskGraphFromJson(R"({"tasks":[{"id":"only","duration":)" + huge + "0}]}");
  EXPECT_EQ(duration.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(duration.status().message(),
              HasSubstr("tasks[0].duration: 1.11111e+114 is outside [0, 100000]"));
  auto lag = TaskGraphFromJson(
      R"({"tasks":[{"id":"A","duration":1},{"id":"B","duration":1}],
          "dependencies":[{"from":"A","to":"B","lag":-1e300}]})");
  EXPECT_EQ(lag.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(lag.status().message(),
              HasSubstr("dependencies[0].lag: -1e+300 is outside [-100000, 100000]"));
  auto near = TaskGraphFromJson(R"({"tasks":[{"id":"A","duration":9007199254740993}]})");
  EXPECT_THAT(near.status().message(),
              HasSubstr("tasks[0].duration: 9007199254740992 is outside [0, 100000]"));
}

}  // namespace
}  // namespace collabflow
