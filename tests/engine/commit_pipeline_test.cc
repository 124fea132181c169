// The commit pipeline on its own: one record per stream a command touches,
// numbered and chained after that stream's head, folded once written with
// its position; a writer that lost the race for the stream is refused with
// nothing folded; the events come back to the arena for reuse.
#include "engine/journal/commit_pipeline.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

void AddEvents(DecidedEvents* events, int n, bool notify, const std::string& request = "R-1") {
  for (int i = 0; i < n; ++i) {
    v1::Event& e = events->emplace_back();
    e.set_request_id(request);
    e.mutable_request_cancelled()->set_reason("预算取消");
    if (notify) e.add_notifications()->add_recipient_ids("p-li");
  }
}

std::vector<v1::Event> StoredEvents(const EventStore& store, const std::string& stream) {
  std::vector<v1::Event> out;
  EXPECT_TRUE(store
                  .ReadStream(stream, 0,
                              [&](const StoredRecord& record) {
                                v1::EventBatch batch;
                                EXPECT_TRUE(ParseBinary(record.payload, &batch).ok());
                                for (const v1::Event& e : batch.events()) out.push_back(e);
                                return absl::OkStatus();
                              })
                  .ok());
  return out;
}

// Heads by stream, as the state would keep them.
struct Heads {
  std::map<std::string, v1::StreamHead> by_stream;
  const v1::StreamHead* operator()(const std::string& stream) const {
    auto it = by_stream.find(stream);
    return it == by_stream.end() ? nullptr : &it->second;
  }
};

TEST(CommitPipelineTest, WritesOneRecordChainedAfterItsStreamsHeadThenFoldsIt) {
  Fixture f;
  // The stream's head: 41 events in 3 records, notification 7.
  ASSERT_TRUE(f.raw->Append("request/R-1", 0, "r1").ok());
  ASSERT_TRUE(f.raw->Append("request/R-1", 1, "r2").ok());
  ASSERT_TRUE(f.raw->Append("request/R-1", 2, "r3").ok());
  Heads heads;
  v1::StreamHead& head = heads.by_stream["request/R-1"];
  head.set_records(3);
  head.set_events(41);
  head.set_notifications(7);
  head.set_hash(std::string(32, 'h'));
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  AddEvents(&events, 2, /*notify=*/true);
  int folds = 0;
  std::vector<uint64_t> folded_versions;
  std::vector<uint64_t> folded_positions;
  auto result = f.pipeline->Commit(
      events, lock, heads, [&](DecidedEvents& committed, absl::Span<const uint64_t> positions) {
        ++folds;
        EXPECT_EQ(f.raw->LastPosition(), 4u);  // folded only once written
        for (const v1::Event& e : committed) folded_versions.push_back(e.version());
        folded_positions.assign(positions.begin(), positions.end());
      });
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(folds, 1);
  EXPECT_THAT(folded_versions, ElementsAre(42, 43));
  EXPECT_THAT(folded_positions, ElementsAre(4, 4));
  EXPECT_EQ(result->first_version(), 42u);
  EXPECT_EQ(result->last_version(), 43u);
  EXPECT_EQ(result->position(), 4u);
  EXPECT_THAT(result->event_kinds(), ElementsAre("request_cancelled", "request_cancelled"));
  EXPECT_TRUE(lock.owns_lock());

  std::vector<v1::Event> stored;
  ASSERT_TRUE(f.raw
                  ->ReadStream("request/R-1", 3,
                               [&](const StoredRecord& record) {
                                 EXPECT_EQ(record.version, 4u);
                                 v1::EventBatch batch;
                                 EXPECT_TRUE(ParseBinary(record.payload, &batch).ok());
                                 for (const v1::Event& e : batch.events()) stored.push_back(e);
                                 return absl::OkStatus();
                               })
                  .ok());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].notifications(0).id(), 8u);  // after the head's notification 7
  EXPECT_EQ(stored[1].notifications(0).id(), 9u);
  EXPECT_EQ(stored[0].sequence(), 0u);  // format 1's numbering is gone
  ChainVerifier verifier(head.hash(), 42);
  for (const v1::Event& e : stored) EXPECT_TRUE(verifier.Add(e).ok());
  EXPECT_TRUE(verifier.Finish(stored[1].hash(), 43).ok());
}

TEST(CommitPipelineTest, ATickWritesOneRecordPerRequestEachChainedOnItsOwn) {
  Fixture f;
  Heads heads;
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  // Interleaved, as a tick decides them by due time.
  AddEvents(&events, 1, /*notify=*/true, "R-1");
  AddEvents(&events, 1, /*notify=*/true, "R-2");
  AddEvents(&events, 1, /*notify=*/true, "R-1");
  std::vector<std::string> folded;
  auto result = f.pipeline->Commit(
      events, lock, heads, [&](DecidedEvents& committed, absl::Span<const uint64_t> positions) {
        for (size_t i = 0; i < committed.size(); ++i) {
          folded.push_back(absl::StrCat(committed[i].request_id(), "@", positions[i], "#",
                                        committed[i].version()));
        }
      });
  ASSERT_TRUE(result.ok()) << result.status();
  // Each request's events together, its records' positions ascending.
  EXPECT_THAT(folded, ElementsAre("R-1@1#1", "R-1@1#2", "R-2@2#1"));
  for (const char* stream : {"request/R-1", "request/R-2"}) {
    const std::vector<v1::Event> stored = StoredEvents(*f.raw, stream);
    ChainVerifier verifier;
    for (const v1::Event& e : stored) EXPECT_TRUE(verifier.Add(e).ok()) << stream;
    EXPECT_EQ(stored.back().notifications(0).id(), stored.size()) << stream;  // per request
  }
}

TEST(CommitPipelineTest, NoEventsWritesNothing) {
  Fixture f;
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  auto result = f.pipeline->Commit(
      events, lock, Heads{},
      [&](DecidedEvents&, absl::Span<const uint64_t>) { ADD_FAILURE() << "folded nothing"; });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->event_kinds_size(), 0);
  EXPECT_EQ(f.raw->LastPosition(), 0u);
}

TEST(CommitPipelineTest, ARecordAnotherWriterAppendedFirstAbortsTheCommitUnfolded) {
  Fixture f;
  // Another writer moves the stream on after the pipeline read its head.
  ASSERT_TRUE(f.raw->Append("request/R-1", 0, "someone else's record").ok());
  std::unique_lock<std::mutex> lock(f.mu);
  DecidedEvents events;
  AddEvents(&events, 1, /*notify=*/false);
  auto result = f.pipeline->Commit(
      events, lock, Heads{},
      [&](DecidedEvents&, absl::Span<const uint64_t>) { ADD_FAILURE() << "folded a refusal"; });
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
  ASSERT_TRUE(
      f.pipeline->Commit(events, lock, Heads{}, [](DecidedEvents&, absl::Span<const uint64_t>) {})
          .ok());

  DecidedEvents next;
  v1::Event& reused = arena.New(&next);
  EXPECT_EQ(reused.payload_case(), v1::Event::PAYLOAD_NOT_SET);
  EXPECT_TRUE(reused.request_id().empty());
  EXPECT_EQ(reused.version(), 0u);
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
