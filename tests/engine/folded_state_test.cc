// The folded state's index (engine/state/folded_state.h) read from a
// snapshot: one written before requests had summaries (0.3.0's first
// snapshots held every record, and the requests' heads among the streams')
// gives the summaries and heads the index keeps now.
#include "engine/state/folded_state.h"

#include <string>

#include "collabflow/event_store.h"
#include "engine/journal/replay.h"
#include "gtest/gtest.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

TEST(FoldedStateTest, ASnapshotHoldingRecordsGivesTheirSummariesAndHeads) {
  v1::EngineState old;
  v1::RequestRecord& open = (*old.mutable_requests())["R1"];
  open.mutable_request()->set_id("R1");
  open.mutable_request()->set_topic("Q3新品上市营销方案执行");
  open.set_state(v1::REQUEST_STATE_IN_PROGRESS);
  v1::DueItem* due = open.add_open_dues();
  due->set_key("report/T1");
  due->add_owed_by("p-wu");
  v1::RequestRecord& ended = (*old.mutable_requests())["R2"];
  ended.mutable_request()->set_topic("已归档");
  ended.set_state(v1::REQUEST_STATE_ARCHIVED);
  (*old.mutable_streams())["request/R1"].set_records(7);
  (*old.mutable_streams())["request/R2"].set_records(20);
  (*old.mutable_streams())["directory"].set_records(1);
  old.set_last_position(28);

  FoldedState state(/*store=*/nullptr);
  ASSERT_TRUE(state.Restore(SerializeBinary(old)).ok());
  const v1::EngineState& index = state.state();
  EXPECT_TRUE(index.requests().empty());
  ASSERT_EQ(index.streams().size(), 1u);
  EXPECT_EQ(index.streams().at("directory").records(), 1u);
  ASSERT_EQ(state.request_count(), 2u);
  const v1::RequestSummary r1 = *state.FindSummary("R1");
  EXPECT_EQ(r1.state(), v1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(r1.topic(), "Q3新品上市营销方案执行");
  ASSERT_EQ(r1.open_dues_size(), 1);
  EXPECT_EQ(r1.open_dues(0).key(), "report/T1");
  EXPECT_EQ(r1.head().records(), 7u);
  const v1::RequestSummary r2 = *state.FindSummary("R2");
  EXPECT_EQ(r2.state(), v1::REQUEST_STATE_ARCHIVED);
  EXPECT_TRUE(r2.topic().empty());  // an ended request keeps its state and head alone
  EXPECT_EQ(r2.head().records(), 20u);
  EXPECT_EQ(state.packed_requests(), 1u);  // and is kept packed
  ASSERT_NE(state.FindStream("request/R2"), nullptr);
  EXPECT_EQ(state.FindStream("request/R2")->records(), 20u);
  EXPECT_EQ(state.FindStream("request/R3"), nullptr);
  EXPECT_TRUE(state.HasRequest("R1"));
  // Without a store, a record that is not held cannot be loaded: an error,
  // not an empty record.
  EXPECT_FALSE(state.LoadRequest("R1").ok());
  EXPECT_EQ(*state.LoadRequest("R9"), nullptr);  // unknown
}

TEST(FoldedStateTest, ARequestsEventAfterOneWithoutPayloadInARecordIsFolded) {
  // A record whose first event has no payload (none is decided so, but a
  // journal may hold one) and whose second creates the request.
  v1::EventBatch batch;
  v1::Event* empty = batch.add_events();
  empty->set_request_id("R1");
  empty->set_version(1);
  v1::Event* created = batch.add_events();
  created->set_request_id("R1");
  created->set_version(2);
  created->mutable_request_created()->mutable_request()->set_id("R1");
  created->mutable_request_created()->mutable_request()->set_topic("Q3");
  auto store = OpenMemoryStore();
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Append("request/R1", 0, SerializeBinary(batch)).ok());

  FoldedState state(store->get());
  ASSERT_TRUE(Replay(**store, &state).ok());
  const v1::RequestRecord* record = state.HeldRequest("R1");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->request().topic(), "Q3");
  EXPECT_EQ(state.FindStream("request/R1")->records(), 1u);
  EXPECT_EQ(state.FindStream("request/R1")->events(), 2u);
}

}  // namespace
}  // namespace collabflow::internal
