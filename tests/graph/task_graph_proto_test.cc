#include "graph/task_graph_proto.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"
#include "collabflow/task_graph_codec.h"
#include "collabflow/v1/task_graph.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wire/packed_varint.h"

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

// A graph with every column filled: ids, assignees, dates, progress, all four
// dependency types with negative and positive lags, and removed tasks.
TaskGraph RandomGraph(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<TaskSpec> tasks(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    TaskSpec& t = tasks[static_cast<size_t>(i)];
    t.duration = static_cast<int32_t>(rng() % 300);
    if (rng() % 3 == 0) t.id = "T" + std::to_string(i);
    if (rng() % 4 == 0) t.assignee = "dept" + std::to_string(rng() % 5);
    if (rng() % 5 == 0) t.start_no_earlier_than = static_cast<int32_t>(rng() % 2000);
    if (rng() % 7 == 0) t.finish_no_later_than = static_cast<int32_t>(rng() % 200000);
    if (rng() % 6 == 0) {
      t.actual_start = static_cast<int32_t>(rng() % 100);
      if (rng() % 2 == 0) t.actual_finish = t.actual_start + static_cast<int32_t>(rng() % 9);
      t.percent_complete = static_cast<int32_t>(rng() % 101);
    }
  }
  std::vector<Dependency> deps;
  for (int k = 0; k < 4 * n; ++k) {
    TaskHandle a = static_cast<TaskHandle>(rng() % n), b = static_cast<TaskHandle>(rng() % n);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    deps.push_back(
        {a, b, static_cast<DependencyType>(rng() % 4), static_cast<int32_t>(rng() % 401) - 200});
  }
  std::sort(deps.begin(), deps.end(), [](const Dependency& x, const Dependency& y) {
    return std::make_pair(x.predecessor, x.successor) < std::make_pair(y.predecessor, y.successor);
  });
  deps.erase(std::unique(deps.begin(), deps.end(),
                         [](const Dependency& x, const Dependency& y) {
                           return x.predecessor == y.predecessor && x.successor == y.successor;
                         }),
             deps.end());
  auto g = TaskGraph::Build(tasks, deps);
  EXPECT_TRUE(g.ok()) << g.status();
  for (int k = 0; k < n / 10; ++k) (void)g->RemoveTask(static_cast<TaskHandle>(rng() % n));
  return *std::move(g);
}

void ExpectSameGraph(const TaskGraph& a, const TaskGraph& b) {
  EXPECT_EQ(a.handle_count(), b.handle_count());
  EXPECT_EQ(a.TopologicalOrder(), b.TopologicalOrder());
  EXPECT_EQ(a.Dependencies(), b.Dependencies());
  for (TaskHandle t = 0; t < a.handle_count(); ++t) {
    ASSERT_EQ(a.IsLive(t), b.IsLive(t)) << t;
    if (a.IsLive(t)) {
      EXPECT_EQ(a.Spec(t), b.Spec(t)) << t;
    }
  }
  EXPECT_TRUE(b.CheckInvariants().ok());
}

TEST(TaskGraphProtoTest, EncodeWritesProtobufsOwnBytes) {
  // Encode writes the columns itself; protobuf's serializer is the reference.
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const TaskGraph g = RandomGraph(seed, 5 + static_cast<int>(seed) * 37);
    v1::TaskGraph m;
    internal::ToProto(g, &m);
    ASSERT_EQ(EncodeTaskGraph(g), m.SerializeAsString()) << seed;
    auto back = DecodeTaskGraph(EncodeTaskGraph(g));
    ASSERT_TRUE(back.ok()) << back.status();
    ExpectSameGraph(g, *back);
  }
  v1::TaskGraph m;
  internal::ToProto(Sample(), &m);
  EXPECT_EQ(EncodeTaskGraph(Sample()), m.SerializeAsString());
  internal::ToProto(TaskGraph(), &m);
  EXPECT_EQ(EncodeTaskGraph(TaskGraph()), m.SerializeAsString());
}

void AppendVarint(uint64_t v, std::string* out) {
  for (;; v >>= 7) {
    out->push_back(static_cast<char>((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)));
    if (v < 0x80) return;
  }
}

// Bytes of `m` with field `number` replaced by a length-delimited field
// holding `payload` (written last; protobuf accepts fields in any order).
std::string WithField(v1::TaskGraph m, int number, const std::string& payload) {
  m.GetReflection()->ClearField(&m, m.GetDescriptor()->FindFieldByNumber(number));
  std::string bytes = m.SerializeAsString();
  bytes.push_back(static_cast<char>(number << 3 | 2));
  AppendVarint(payload.size(), &bytes);
  return bytes + payload;
}

void ExpectDecodeRefused(const std::string& bytes, absl::string_view needle) {
  auto g = DecodeTaskGraph(bytes);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument) << g.status();
  EXPECT_THAT(g.status().message(), HasSubstr(needle));
}

TEST(TaskGraphProtoTest, DecodeAcceptsEveryValidEncoding) {
  const TaskGraph g = RandomGraph(7, 300);
  v1::TaskGraph m;
  internal::ToProto(g, &m);
  // The order column unpacked (one varint field per entry), fields out of
  // number order, and an unknown field: all valid protobuf.
  v1::TaskGraph rest = m;
  rest.clear_order();
  std::string bytes = rest.SerializeAsString();
  std::string order;  // packed
  for (uint32_t t : m.order()) {
    bytes.push_back(static_cast<char>(3 << 3));
    AppendVarint(t, &bytes);
    AppendVarint(t, &order);
  }
  bytes += std::string("\xa0\x06\x05", 3);  // field 100, varint 5
  auto back = DecodeTaskGraph(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSameGraph(g, *back);
  // Reordered packed fields and an unknown one stay on the direct path.
  back = DecodeTaskGraph(WithField(m, 3, order) + std::string("\xa0\x06\x05", 3));
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSameGraph(g, *back);
  // Fields protobuf keeps as unknown and writes back: a known number with
  // another wire type (field 1 as bytes), and a group (field 100).
  back = DecodeTaskGraph(m.SerializeAsString() + std::string("\x0a\x00\xa3\x06\xa4\x06", 6));
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSameGraph(g, *back);
}

TEST(TaskGraphProtoTest, DecodeRefusesMalformedPackedColumns) {
  const v1::TaskGraph m = SampleMessage();
  ASSERT_EQ(m.duration_size(), 5);
  // Truncated: the column ends inside a varint.
  ExpectDecodeRefused(WithField(m, 4, std::string("\x03\x04\x05\x00\x82", 5)),
                      "task graph duration: the packed column ends inside a varint");
  // Overlong: six bytes, and five bytes above 2^32 - 1.
  ExpectDecodeRefused(
      WithField(m, 4, std::string("\x03\x04\x80\x80\x80\x80\x80\x01\x05\x00\x02", 11)),
      "task graph duration[2]: varint longer than 5 bytes");
  ExpectDecodeRefused(WithField(m, 4, std::string("\x03\xff\xff\xff\xff\x1f\x05\x00\x02", 9)),
                      "task graph duration[1]: varint longer than 5 bytes");
  // The same in the edge columns, decoded straight into the pools.
  std::string forward;
  for (uint32_t f : m.edge_forward()) forward.push_back(static_cast<char>(f));
  std::string overlong = forward;
  overlong.replace(1, 1, std::string("\x81\x80\x80\x80\x80\x00", 6));
  ExpectDecodeRefused(WithField(m, 14, overlong), "task graph edge_forward[1]: varint longer");
  std::string lag;
  for (int32_t x : m.edge_lag_type()) lag.push_back(static_cast<char>(internal::ZigZagEncode32(x)));
  ExpectDecodeRefused(WithField(m, 15, lag + "\x80"),
                      "task graph edge_lag_type: the packed column");
  ExpectDecodeRefused(WithField(m, 15, lag.substr(1)), "out_degree sums to");
  ExpectDecodeRefused(WithField(m, 14, forward + "\x01"), "out_degree sums to");
  // The untouched columns still load.
  EXPECT_TRUE(DecodeTaskGraph(WithField(m, 14, forward)).ok());
  EXPECT_TRUE(DecodeTaskGraph(WithField(m, 15, lag)).ok());
  // A position beyond the last task, from the direct path.
  std::string far = forward;
  far[0] = 0x7f;
  ExpectDecodeRefused(WithField(m, 14, far), "edge_forward[0]: 127 from position");
}

TEST(TaskGraphProtoTest, DecodeRefusesTruncatedBytes) {
  // A prefix that ends between fields is a message too: the first 4 bytes
  // (format_version, handle_count) are a valid graph without tasks. Any
  // longer prefix cuts into a column or drops one the others need.
  const std::string bytes = EncodeTaskGraph(Sample());
  ASSERT_EQ(bytes.substr(0, 4), std::string("\x08\x01\x10\x06", 4));
  EXPECT_TRUE(DecodeTaskGraph(bytes.substr(0, 4)).ok());
  for (size_t size = 5; size < bytes.size(); ++size) {
    auto g = DecodeTaskGraph(absl::string_view(bytes).substr(0, size));
    ASSERT_FALSE(g.ok()) << size;
    EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument) << size;
  }
}

TEST(TaskGraphProtoTest, DecodeOfMutatedBytesLoadsAValidGraphOrRefuses) {
  // The hand-written reader against random damage: every outcome is either
  // a refusal with a clear code or a graph whose invariants hold (a byte
  // flip can leave a valid message behind, e.g. another duration).
  const std::string good = EncodeTaskGraph(RandomGraph(3, 60));
  std::mt19937_64 rng(11);
  int loaded = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = good;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 4) {
        case 0:
          bytes[at] = static_cast<char>(rng());
          break;
        case 1:
          bytes[at] = static_cast<char>(bytes[at] ^ (1 << (rng() % 8)));
          break;
        case 2:
          bytes.insert(at, 1, static_cast<char>(rng()));
          break;
        default:
          bytes.resize(at);
      }
      if (bytes.empty()) bytes = good;
    }
    auto g = DecodeTaskGraph(bytes);
    if (g.ok()) {
      ++loaded;
      EXPECT_TRUE(g->CheckInvariants().ok()) << round;
    } else {
      EXPECT_TRUE(g.status().code() == absl::StatusCode::kInvalidArgument ||
                  g.status().code() == absl::StatusCode::kResourceExhausted)
          << round << ": " << g.status();
    }
  }
  EXPECT_LT(loaded, 3000);  // damage is noticed, at least mostly
}

TEST(TaskGraphProtoTest, DecodeRefusesGarbage) {
  EXPECT_EQ(DecodeTaskGraph("\xff\xff\xff garbage").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace collabflow
