// Tamper evidence: every event is chained to the one before it in its
// stream; each kind of edit (changed, re-hashed, removed, reordered,
// renumbered, cut off) is detected and located, in memory and in a journal
// on disk.
#include "engine/journal/hash_chain.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/records_seed.h"
#include "wire/proto_io.h"

namespace collabflow {
namespace {

using ::testing::HasSubstr;
using namespace collabflow::testing;  // NOLINT: the seed vocabulary

// The seed request's stream: its events and its head.
struct Seeded {
  std::unique_ptr<Engine> engine;
  std::vector<v1::Event> events;
  std::string head;
};

Seeded SeedHistory() {
  Seeded s;
  s.engine = OpenSeedEngine();
  DriveSeedSteps(*s.engine, 8);
  auto history = s.engine->ReadRequestHistory(kRequestId);
  EXPECT_TRUE(history.ok()) << history.status();
  s.events = history->events;
  v1::EngineState state;
  EXPECT_TRUE(internal::ParseBinary(s.engine->StateBytes(), &state).ok());
  s.head = state.streams().at(absl::StrCat("request/", kRequestId)).hash();
  return s;
}

absl::Status Verify(const Seeded& s, const std::vector<v1::Event>& events) {
  return internal::VerifyChain(events, s.head, s.events.back().version());
}

TEST(HashChainTest, EveryEventCarriesAHashChainedFromGenesis) {
  Seeded s = SeedHistory();
  ASSERT_GE(s.events.size(), 8u);
  std::string prev(32, '\0');
  uint64_t version = 0;
  for (const v1::Event& e : s.events) {
    ASSERT_EQ(e.hash().size(), 32u) << e.version();
    EXPECT_EQ(e.version(), ++version);
    EXPECT_EQ(e.sequence(), 0u);
    // The definition, spelled out: SHA-256(prev || event without its hash
    // and its position, which is the store's, not the event's).
    v1::Event bare = e;
    bare.clear_hash();
    bare.clear_position();
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
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", edited[4].version(), " was changed")));
}

TEST(HashChainTest, DetectsAChangedEventWhoseHashWasRecomputed) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  *edited[4].mutable_time() = edited[3].time();
  edited[4].set_hash(internal::ChainHash(edited[3].hash(), edited[4]));
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  // The next event no longer chains to it.
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", edited[5].version(), " carries")));
  EXPECT_THAT(st.message(),
              HasSubstr(absl::StrCat("event ", edited[4].version(), " was replaced")));
}

TEST(HashChainTest, DetectsARemovedEventAndSaysWhich) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  const uint64_t removed = edited[3].version();
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
  for (size_t i = 3; i < edited.size(); ++i) edited[i].set_version(edited[i].version() - 1);
  absl::Status st = internal::VerifyChain(edited, s.head, edited.back().version());
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", edited[3].version(), " carries")));
}

TEST(HashChainTest, DetectsReorderedEvents) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = s.events;
  std::swap(edited[5], edited[6]);
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("expected event ", s.events[5].version())));
  // Swapping the numbers too still breaks the links.
  edited[5].set_version(s.events[5].version());
  edited[6].set_version(s.events[6].version());
  st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", s.events[5].version(), " carries")));
}

TEST(HashChainTest, DetectsEventsCutOffTheEnd) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited(s.events.begin(), s.events.end() - 2);
  absl::Status st = Verify(s, edited);
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr("were removed"));
  // A forged head with the right number is caught by the hash.
  st = internal::VerifyChain(s.events, std::string(32, 'x'), s.events.back().version());
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
    EXPECT_TRUE((*store)
                    ->Append(e.has_directory_updated() ? "directory"
                                                       : absl::StrCat("request/", e.request_id()),
                             kAnyVersion, internal::SerializeBinary(batch))
                    .ok());
  }
  EXPECT_TRUE((*store)->Close().ok());
  return dir;
}

TEST(HashChainTest, VerifyHistoryFindsAChangedEventInTheJournal) {
  Seeded s = SeedHistory();
  const std::vector<v1::Event> all = AllEvents(*s.engine);
  {
    auto engine = Engine::Open(AtDir(WriteJournal(all, "clean")));
    ASSERT_TRUE(engine.ok()) << engine.status();
    EXPECT_TRUE((*engine)->VerifyHistory().ok());
  }
  std::vector<v1::Event> edited = all;
  ASSERT_TRUE(edited[6].has_response_recorded());
  edited[6].mutable_response_recorded()->mutable_response()->set_decision(v1::DECISION_DECLINE);
  auto engine = Engine::Open(AtDir(WriteJournal(edited, "changed")));
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status st = (*engine)->VerifyHistory();
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", edited[6].version(), " was changed")));
}

TEST(HashChainTest, VerifyHistoryFindsAnEventRemovedFromTheJournal) {
  Seeded s = SeedHistory();
  std::vector<v1::Event> edited = AllEvents(*s.engine);
  const v1::Event removed = edited[2];
  ASSERT_FALSE(removed.has_directory_updated());
  edited.erase(edited.begin() + 2);
  auto engine = Engine::Open(AtDir(WriteJournal(edited, "removed")));
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status st = (*engine)->VerifyHistory();
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("expected event ", removed.version())));
}

}  // namespace
}  // namespace collabflow
