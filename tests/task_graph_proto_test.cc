#include "task_graph_proto.h"

#include <string>
#include <vector>

#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"
#include "collabflow/task_graph_codec.h"
#include "collabflow/v1/task_graph.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using ::testing::HasSubstr;

TaskGraph Sample() {
  std::vector<TaskSpec> tasks(6);
  tasks[0].id = "客户数据收集";
  tasks[0].duration = 3;
  tasks[0].assignee = "销售部";
  tasks[0].actual_start = 0;
  tasks[0].actual_finish = 2;
  tasks[0].percent_complete = 100;
  tasks[1].id = "方案初稿";
  tasks[1].duration = 4;
  tasks[1].finish_no_later_than = 7;
  tasks[1].assignee = "市场部";
  tasks[2].duration = 5;
  tasks[2].start_no_earlier_than = 9;
  tasks[3].id = "gone";
  tasks[4].id = "T5";
  tasks[4].actual_start = 1;
  tasks[4].percent_complete = 30;
  tasks[5].duration = 2;
  auto g = TaskGraph::Build(tasks, {{0, 1},
                                    {1, 2, DependencyType::kStartToStart, -2},
                                    {4, 2, DependencyType::kFinishToFinish, 3},
                                    {5, 0, DependencyType::kStartToFinish, 1},
                                    {3, 2}});
  EXPECT_TRUE(g.ok()) << g.status();
  EXPECT_TRUE(g->RemoveTask(3).ok());
  EXPECT_TRUE(g->AddDependency({2, 5}).ok() == false);  // would close 5 -> 0 -> 1 -> 2 -> 5
  EXPECT_TRUE(g->AddDependency({4, 5}).ok());           // against the order: reorders
  return *std::move(g);
}

TEST(TaskGraphProtoTest, RoundTripKeepsEverything) {
  const TaskGraph g = Sample();
  auto back = DecodeTaskGraph(EncodeTaskGraph(g));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->handle_count(), g.handle_count());
  EXPECT_EQ(back->task_count(), g.task_count());
  EXPECT_FALSE(back->IsLive(3));
  EXPECT_EQ(back->TopologicalOrder(), g.TopologicalOrder());
  EXPECT_EQ(back->Dependencies(), g.Dependencies());
  for (TaskHandle t = 0; t < g.handle_count(); ++t) {
    if (!g.IsLive(t)) continue;
    EXPECT_EQ(back->Spec(t), g.Spec(t)) << t;
  }
  EXPECT_EQ(*back->Find("方案初稿"), 1u);
  EXPECT_TRUE(back->CheckInvariants().ok());
  auto s1 = Schedule::Compute(g, {0, 3});
  auto s2 = Schedule::Compute(*back, {0, 3});
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_TRUE(s1->TasksByHandle() == s2->TasksByHandle());
  // A loaded graph edits like any other.
  TaskGraph edit = *back;
  EXPECT_EQ(edit.AddDependency({2, 4}).code(), absl::StatusCode::kInvalidArgument);  // cycle
  EXPECT_TRUE(edit.AddDependency({5, 1}).ok());
}

TEST(TaskGraphProtoTest, EmptyGraphRoundTrips) {
  auto back = DecodeTaskGraph(EncodeTaskGraph(TaskGraph()));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->task_count(), 0u);
}

v1::TaskGraph SampleMessage() {
  v1::TaskGraph m;
  internal::ToProto(Sample(), &m);
  return m;
}

void ExpectRefused(const v1::TaskGraph& m, absl::string_view needle) {
  auto g = internal::FromProto(m);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument) << g.status();
  EXPECT_THAT(g.status().message(), HasSubstr(needle));
}

TEST(TaskGraphProtoTest, LoadRefusesDanglingAndRepeatedTasks) {
  v1::TaskGraph m = SampleMessage();
  m.set_order(0, 99);
  ExpectRefused(m, "order[0]: handle 99");
  m = SampleMessage();
  m.set_order(1, m.order(0));
  ExpectRefused(m, "listed twice");
  m = SampleMessage();
  m.set_edge_forward(0, 50);
  ExpectRefused(m, "edge_forward[0]");
  m = SampleMessage();
  m.set_out_degree(0, m.out_degree(0) + 1);
  ExpectRefused(m, "out_degree sums to");
}

TEST(TaskGraphProtoTest, LoadRefusesBackwardEdgesSoNoCycleCanLoad) {
  v1::TaskGraph m = SampleMessage();
  m.set_edge_forward(0, 0);  // a self-loop / backward edge
  ExpectRefused(m, "edge_forward[0]");
}

TEST(TaskGraphProtoTest, LoadRefusesOutOfRangeValues) {
  v1::TaskGraph m = SampleMessage();
  m.set_duration(2, kMaxTaskDuration + 1);
  ExpectRefused(m, "duration[2]");
  m = SampleMessage();
  m.set_percent_complete(0, 101);
  ExpectRefused(m, "percent_complete[0]");
  m = SampleMessage();
  m.mutable_finish_no_later_than()->Set(0, kMaxOrdinal + 5);
  ExpectRefused(m, "finish_no_later_than[0]");
  m = SampleMessage();
  m.set_edge_lag_type(0, (kMaxLag + 1) * 4);
  ExpectRefused(m, "lag");
  m = SampleMessage();
  m.set_format_version(2);
  ExpectRefused(m, "format_version");
  m = SampleMessage();
  m.add_duration(1);
  ExpectRefused(m, "duration: 6 entries for 5 tasks");
  m = SampleMessage();
  m.set_assignee(0, 17);
  ExpectRefused(m, "assignee[0]");
}

TEST(TaskGraphProtoTest, LoadRefusesDuplicateIdsAndEdges) {
  v1::TaskGraph m = SampleMessage();
  m.set_id(1, m.id(0).empty() ? "x" : m.id(0));
  if (m.id(0).empty()) m.set_id(0, "x");
  ExpectRefused(m, "used twice");
  // Two edges from one task to the same successor.
  m = SampleMessage();
  for (int i = 0; i < m.order_size(); ++i) {
    if (m.out_degree(i) >= 1) {
      int k = 0;
      for (int j = 0; j < i; ++j) k += m.out_degree(j);
      m.set_out_degree(i, m.out_degree(i) + 1);
      m.mutable_edge_forward()->Add(0);
      m.mutable_edge_lag_type()->Add(0);
      // Insert a copy of edge k right after it.
      for (int e = m.edge_forward_size() - 1; e > k + 1; --e) {
        m.set_edge_forward(e, m.edge_forward(e - 1));
        m.set_edge_lag_type(e, m.edge_lag_type(e - 1));
      }
      m.set_edge_forward(k + 1, m.edge_forward(k));
      m.set_edge_lag_type(k + 1, m.edge_lag_type(k));
      break;
    }
  }
  ExpectRefused(m, "listed twice");
}

TEST(TaskGraphProtoTest, DecodeRefusesGarbage) {
  EXPECT_EQ(DecodeTaskGraph("\xff\xff\xff garbage").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace collabflow
