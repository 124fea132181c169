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
#include "engine/journal/sealed_batch.h"
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
  s.head = state.summaries().at(kRequestId).head().hash();
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

// A journal of `events` written as the commit pipeline writes records (one
// event per record, sealed: sealed_batch.h), which the journal check reads
// without parsing; event `changed` (if any) is written as `replacement` but
// keeps the hash the original was sealed with, and `to_stream` (if not
// empty) names the stream its record is appended to.
std::string WriteSealedJournal(const std::vector<v1::Event>& events, const std::string& name,
                               int changed = -1, const v1::Event* replacement = nullptr,
                               const std::string& to_stream = {}) {
  const std::string dir = ::testing::TempDir() + "/hash_chain_sealed_" + name;
  std::filesystem::remove_all(dir);
  auto store = OpenDirectoryStore(dir);
  EXPECT_TRUE(store.ok()) << store.status();
  for (int i = 0; i < static_cast<int>(events.size()); ++i) {
    const v1::Event& e = events[i];
    std::string stream =
        e.has_directory_updated() ? "directory" : absl::StrCat("request/", e.request_id());
    const auto seal = [](v1::Event copy, const std::string& prev) {
      copy.clear_hash();
      copy.clear_position();
      internal::SealedBatchWriter writer(prev);
      writer.Seal(&copy);
      return writer.TakeWire();
    };
    // The hash before it: the original was sealed after it.
    const std::string prev = i == 0 || events[i].version() == 1 ? internal::GenesisHash() : [&] {
      for (int j = i - 1; j >= 0; --j) {
        if (events[j].version() + 1 == e.version() && events[j].request_id() == e.request_id() &&
            events[j].has_directory_updated() == e.has_directory_updated()) {
          return events[j].hash();
        }
      }
      return internal::GenesisHash();
    }();
    std::string wire = seal(e, prev);
    EXPECT_EQ(wire.substr(wire.size() - 32), e.hash()) << "event " << i << " reseals to its hash";
    if (i == changed) {
      std::string edited = seal(*replacement, prev);
      wire = edited.replace(edited.size() - 32, 32, e.hash());
      if (!to_stream.empty()) stream = to_stream;
    }
    EXPECT_TRUE((*store)->Append(stream, kAnyVersion, wire).ok());
  }
  EXPECT_TRUE((*store)->Close().ok());
  return dir;
}

TEST(HashChainTest, VerifyHistoryReadsRecordsAsWrittenAndFindsAChangedOne) {
  Seeded s = SeedHistory();
  const std::vector<v1::Event> all = AllEvents(*s.engine);
  {
    auto engine = Engine::Open(AtDir(WriteSealedJournal(all, "clean")));
    ASSERT_TRUE(engine.ok()) << engine.status();
    EXPECT_TRUE((*engine)->VerifyHistory().ok());
  }
  v1::Event edited = all[6];
  ASSERT_TRUE(edited.has_response_recorded());
  edited.mutable_response_recorded()->mutable_response()->set_decision(v1::DECISION_DECLINE);
  auto engine = Engine::Open(AtDir(WriteSealedJournal(all, "changed", 6, &edited)));
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status st = (*engine)->VerifyHistory();
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr(absl::StrCat("event ", edited.version(), " was changed")));
}

TEST(HashChainTest, VerifyHistoryFindsAnEventInAnotherStreamsRecord) {
  Seeded s = SeedHistory();
  const std::vector<v1::Event> all = AllEvents(*s.engine);
  ASSERT_FALSE(all[6].has_directory_updated());
  auto engine =
      Engine::Open(AtDir(WriteSealedJournal(all, "moved", 6, &all[6], "request/REQ-OTHER")));
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status st = (*engine)->VerifyHistory();
  EXPECT_TRUE(absl::IsDataLoss(st)) << st;
  EXPECT_THAT(st.message(), HasSubstr("holds an event of another stream"));
}

}  // namespace
}  // namespace collabflow
