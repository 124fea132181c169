// The commit pipeline on its own: one record per command, numbered and
// chained after the head it is given, folded once written; a writer that
// lost the race for the stream is refused with nothing folded; the events
// come back to the arena for reuse.
#include "engine/journal/commit_pipeline.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collabflow/event_store.h"
#include "engine/journal/hash_chain.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

using ::testing::ElementsAre;

struct Fixture {
  Fixture() {
    auto store = OpenMemoryStore();
    EXPECT_TRUE(store.ok());
    raw = store->get();
    pipeline = std::make_unique<CommitPipeline>(std::move(*store), Durability::kSyncEveryCommand);
  }
  EventStore* raw = nullptr;
  std::unique_ptr<CommitPipeline> pipeline;
  std::mutex mu;
};

void AddEvents(DecidedEvents* events, int n, bool notify) {
  for (int i = 0; i < n; ++i) {
    v1::Event& e = events->emplace_back();
    e.set_request_id("R-1");
    e.mutable_request_cancelled()->set_reason("预算取消");
    if (notify) e.add_notifications()->add_recipient_ids("p-li");
  }
}

std::vector<v1::Event> StoredEvents(const EventStore& store) {
  std::vector<v1::Event> out;
  EXPECT_TRUE(store
                  .ReadAll(0,
                           [&](const StoredRecord& record) {
                             v1::EventBatch batch;
                             EXPECT_TRUE(ParseBinary(record.payload, &batch).ok());
                             for (const v1::Event& e : batch.events()) out.push_back(e);
                             return absl::OkStatus();
                           })
                  .ok());
  return out;
}

TEST(CommitPipelineTest, WritesOneRecordChainedAfterTheHeadThenFoldsIt) {
  Fixture f;
  const std::string head = GenesisHash();
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  AddEvents(&events, 2, /*notify=*/true);
  int folds = 0;
  std::vector<uint64_t> folded_sequences;
  auto result = f.pipeline->Commit(events, {41, 7, head}, lock, [&](DecidedEvents& committed) {
    ++folds;
    EXPECT_EQ(f.raw->LastPosition(), 1u);  // folded only once written
    for (const v1::Event& e : committed) folded_sequences.push_back(e.sequence());
  });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(folds, 1);
  EXPECT_THAT(folded_sequences, ElementsAre(42, 43));
  EXPECT_EQ(result->first_sequence(), 42u);
  EXPECT_EQ(result->last_sequence(), 43u);
  EXPECT_THAT(result->event_kinds(), ElementsAre("request_cancelled", "request_cancelled"));
  EXPECT_TRUE(lock.owns_lock());

  const std::vector<v1::Event> stored = StoredEvents(*f.raw);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].notifications(0).id(), 8u);  // after the head's notification 7
  EXPECT_EQ(stored[1].notifications(0).id(), 9u);
  ChainVerifier verifier(head, 42);
  for (const v1::Event& e : stored) EXPECT_TRUE(verifier.Add(e).ok());
  EXPECT_TRUE(verifier.Finish(stored[1].hash(), 43).ok());
}

TEST(CommitPipelineTest, NoEventsWritesNothing) {
  Fixture f;
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  const std::string head;
  auto result = f.pipeline->Commit(events, {0, 0, head}, lock,
                                   [&](DecidedEvents&) { ADD_FAILURE() << "folded nothing"; });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->event_kinds_size(), 0);
  EXPECT_EQ(f.raw->LastPosition(), 0u);
}

TEST(CommitPipelineTest, ARecordAnotherWriterAppendedFirstAbortsTheCommitUnfolded) {
  Fixture f;
  // Another writer moves the stream on after the pipeline read its version.
  ASSERT_TRUE(f.raw->Append(kEngineStream, 0, "someone else's record").ok());
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  AddEvents(&events, 1, /*notify=*/false);
  const std::string head;
  auto result = f.pipeline->Commit(events, {0, 0, head}, lock,
                                   [&](DecidedEvents&) { ADD_FAILURE() << "folded a refusal"; });
  EXPECT_TRUE(absl::IsAborted(result.status())) << result.status();
  EXPECT_EQ(f.raw->LastPosition(), 1u);
}

TEST(CommitPipelineTest, FoldedEventsComeBackClearedForTheNextCommand) {
  Fixture f;
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  EventArena& arena = f.pipeline->arena();
  v1::Event& first = arena.New(&events);
  first.set_request_id("R-1");
  first.mutable_request_cancelled()->set_reason(std::string(100, 'x'));
  const std::string head;
  ASSERT_TRUE(f.pipeline->Commit(events, {0, 0, head}, lock, [](DecidedEvents&) {}).ok());

  DecidedEvents next;
  v1::Event& reused = arena.New(&next);
  EXPECT_EQ(reused.payload_case(), v1::Event::PAYLOAD_NOT_SET);
  EXPECT_TRUE(reused.request_id().empty());
  EXPECT_EQ(reused.sequence(), 0u);
  EXPECT_TRUE(reused.hash().empty());
}

TEST(EventArenaTest, KeepsAFewEventsForReuse) {
  EventArena arena;
  DecidedEvents events;
  for (int i = 0; i < 20; ++i) arena.New(&events).set_request_id("R-1");
  for (v1::Event& e : events) e.ByteSizeLong();  // what sealing computes
  arena.Recycle(events);
  EXPECT_EQ(arena.kept(), 8u);
  DecidedEvents next;
  for (int i = 0; i < 3; ++i) arena.New(&next);
  EXPECT_EQ(arena.kept(), 5u);
}

TEST(EventArenaTest, DoesNotKeepALargeEvent) {
  EventArena arena;
  DecidedEvents events;
  arena.New(&events).mutable_request_cancelled()->set_reason(std::string(100 << 10, 'x'));
  arena.New(&events).set_request_id("R-1");
  for (v1::Event& e : events) e.ByteSizeLong();  // what sealing computes
  arena.Recycle(events);
  EXPECT_EQ(arena.kept(), 1u);  // its cleared strings would hold 100 KiB
}

}  // namespace
}  // namespace collabflow::internal
