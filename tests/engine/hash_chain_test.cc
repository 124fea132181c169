// Tamper evidence: every event is chained to the one before; each kind of
// edit (changed, re-hashed, removed, reordered, renumbered, cut off) is
// detected and located, in memory and in a journal on disk.
#include "engine/journal/hash_chain.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "base/sha256.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/journal_format.h"
#include "support/commands.h"
#include "support/records_seed.h"
#include "wire/proto_io.h"

namespace collabflow {
namespace {

using ::testing::HasSubstr;
using namespace collabflow::testing;  // NOLINT: the seed vocabulary

struct Seeded {
  std::unique_ptr<Engine> engine;
  std::vector<v1::Event> events;
  std::string head;
};

Seeded SeedHistory() {
  Seeded s;
  s.engine = OpenSeedEngine();
  DriveSeedSteps(*s.engine, 8);
  s.events = AllEvents(*s.engine);
  v1::EngineState state;
  EXPECT_TRUE(internal::ParseBinary(s.engine->StateBytes(), &state).ok());
  s.head = state.head_hash();
  return s;
}

absl::Status Verify(const Seeded& s, const std::vector<v1::Event>& events) {
  return internal::VerifyChain(events, s.head, s.events.back().sequence());
}

TEST(HashChainTest, EveryEventCarriesAHashChainedFromGenesis) {
  Seeded s = SeedHistory();
  ASSERT_GE(s.events.size(), 10u);
  std::string prev(32, '\0');
  for (const v1::Event& e : s.events) {
    ASSERT_EQ(e.hash().size(), 32u) << e.sequence();
    // The definition, spelled out: SHA-256(prev || event without its hash).
    v1::Event bare = e;
    bare.clear_hash();
    EXPECT_EQ(e.hash(), internal::Sha256Bytes(prev + internal::SerializeBinary(bare)));
    prev = e.hash();
  }
  EXPECT_EQ(s.head, s.events.back().hash());
  EXPECT_TRUE(Verify(s, s.events).ok());
  EXPECT_TRUE(s.engine->VerifyHistory().ok());
}

TEST(HashChainTest, EmptyHistoryVerifies) {
  EXPECT_TRUE(internal::VerifyChain({}, "", 0).ok());
  auto engine = Engine::Open();
  ASSERT_TRUE(engine.ok());
  EXPECT_TRUE((*engine)->VerifyHistory().ok());
}

TEST(HashChainTest, DetectsAChangedEventAndNamesIt) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  edited[4].mutable_response_recorded()->mutable_response()->set_comment("改过");
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(),
              HasSubstr(absl::StrCat("event ", edited[4].sequence(), " was changed")));
}

TEST(HashChainTest, DetectsAChangedEventWhoseHashWasRecomputed) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  *edited[4].mutable_time() = edited[3].time();
  edited[4].set_hash(internal::ChainHash(edited[3].hash(), edited[4]));
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  // The next event no longer chains to it.
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", edited[5].sequence(), " carries")));
  EXPECT_THAT(st.message(),
              HasSubstr(absl::StrCat("event ", edited[4].sequence(), " was replaced")));
}

TEST(HashChainTest, DetectsARemovedEventAndSaysWhich) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  const uint64_t removed = edited[3].sequence();
  edited.erase(edited.begin() + 3);
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("expected event ", removed, " but found event ",
                                                   removed + 1)));
}

TEST(HashChainTest, DetectsARemovedEventWhenTheRestIsRenumbered) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  edited.erase(edited.begin() + 3);
  for (size_t i = 3; i < edited.size(); ++i) edited[i].set_sequence(edited[i].sequence() - 1);
  absl::Status st = internal::VerifyChain(edited, s.head, edited.back().sequence());
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", edited[3].sequence(), " carries")));
}

TEST(HashChainTest, DetectsReorderedEvents) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  std::swap(edited[5], edited[6]);
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("expected event ", s.events[5].sequence())));
  // Swapping the numbers too still breaks the links.
  edited[5].set_sequence(s.events[5].sequence());
  edited[6].set_sequence(s.events[6].sequence());
  st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", s.events[5].sequence(), " carries")));
}

TEST(HashChainTest, DetectsEventsCutOffTheEnd) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited(s.events.begin(), s.events.end() - 2);
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr("were removed"));
  // A forged head with the right number is caught by the hash.
  st = internal::VerifyChain(s.events, std::string(32, 'x'), s.events.back().sequence());
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr("rewritten"));
}

TEST(HashChainTest, DetectsAnEventWithoutHash) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  edited[0].clear_hash();
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr("event 1 carries no hash"));
}

TEST(HashChainTest, ReplayedEngineHasTheSameHead) {
  Seeded s = SeedHistory();
  auto replay = Engine::Open();
  ASSERT_TRUE(replay.ok());
  // Replaying the same commands gives the same hashes: time is in the events.
  DriveSeedSteps(**replay, 0);
  ASSERT_TRUE((*replay)->Execute(UpdateDirectoryCommand(SeedDirectory(), At(8, 28, 9))).ok());
  DriveSeedSteps(**replay, 8);
  EXPECT_EQ((*replay)->StateBytes(), s.engine->StateBytes());
}

// A journal on disk, written record by record so that its CRCs are valid
// but its content is what the test says.
EngineOptions AtDir(std::string dir) {
  EngineOptions options;
  options.store_dir = std::move(dir);
  return options;
}

std::string WriteJournal(const std::vector<v1::Event>& events, const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/hash_chain_" + name;
  std::filesystem::remove_all(dir);
  auto store = OpenDirectoryStore(dir);
  EXPECT_TRUE(store.ok()) << store.status();
  for (const v1::Event& e : events) {
    v1::EventBatch batch;
    *batch.add_events() = e;
    EXPECT_TRUE(
        (*store)->Append(kEngineStream, kAnyVersion, internal::SerializeBinary(batch)).ok());
  }
  EXPECT_TRUE((*store)->Close().ok());
  return dir;
}

TEST(HashChainTest, VerifyHistoryFindsAChangedEventInTheJournal) {
  Seeded s = SeedHistory();
  {
    auto engine = Engine::Open(AtDir(WriteJournal(s.events, "clean")));
    ASSERT_TRUE(engine.ok()) << engine.status();
    EXPECT_TRUE((*engine)->VerifyHistory().ok());
  }
  std::vector<v1::Event> edited = s.events;
  edited[6].mutable_response_recorded()->mutable_response()->set_decision(v1::DECISION_DECLINE);
  auto engine = Engine::Open(AtDir(WriteJournal(edited, "changed")));
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status st = (*engine)->VerifyHistory();
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(),
              HasSubstr(absl::StrCat("event ", edited[6].sequence(), " was changed")));
}

TEST(HashChainTest, VerifyHistoryFindsAnEventRemovedFromTheJournal) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  edited.erase(edited.begin() + 2);
  auto engine = Engine::Open(AtDir(WriteJournal(edited, "removed")));
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status st = (*engine)->VerifyHistory();
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("expected event ", s.events[2].sequence())));
}

TEST(HashChainTest, VerifyHistoryStartsAfterACompactedSnapshot) {
  const std::string dir = ::testing::TempDir() + "/hash_chain_compacted";
  std::filesystem::remove_all(dir);
  EngineOptions options;
  options.store_dir = dir;
  options.store.segment_bytes = 1;  // one record a segment
  options.store.durability = Durability::kNoSync;
  uint64_t covers = 0;
  {
    auto engine = OpenSeedEngine(options);
    DriveSeedSteps(*engine, 5);
    ASSERT_TRUE(engine->WriteSnapshot().ok());
    covers = engine->LastSequence();
    DriveSeedSteps(*engine, 0);
    ASSERT_TRUE(engine
                    ->Execute(RespondCommand(kOwner, At(9, 1, 14), kRequestId,
                                             Accept("market", "方案策划")))
                    .ok());
    EXPECT_TRUE(engine->VerifyHistory().ok());
  }
  // As collabflow 0.1 and 0.2 left a journal compacted after a snapshot: in
  // format 1, without the segments the snapshot covers.
  std::vector<std::pair<uint64_t, std::string>> records;
  {
    auto store = OpenDirectoryStore(dir, options.store);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->ReadAll(covers,
                              [&](const StoredRecord& r) {
                                records.emplace_back(r.position, std::string(r.payload));
                                return absl::OkStatus();
                              })
                    .ok());
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("journal-", 0) == 0) {
      std::filesystem::remove(entry.path());
    }
  }
  for (const auto& [position, payload] : records) {
    std::string segment;
    internal::AppendSegmentHeaderV1(1, position, &segment);
    internal::AppendRecordV1(1, position, payload, &segment);
    std::ofstream(dir + "/" + internal::SegmentFileName(position), std::ios::binary) << segment;
  }
  auto engine = Engine::Open(options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  // The start of the journal is gone (so the check must anchor at the snapshot).
  EXPECT_TRUE(absl::IsFailedPrecondition(
      (*engine)->ReadEvents(0, [](const v1::Event&) { return absl::OkStatus(); })));
  EXPECT_TRUE((*engine)->VerifyHistory().ok());
}

}  // namespace
}  // namespace collabflow
