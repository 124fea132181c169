// Snapshots that follow the changes (engine/state/index_snapshot.h): the
// changes captured since a snapshot, merged with that snapshot's bytes, give
// the index's bytes byte for byte — for made-up indexes with requests
// changed, added before, between and after the others, and for the index of
// a year of commands folded record by record with every record dropped
// after each (a cache of one byte) or every record held. A previous snapshot
// the changes cannot follow is refused, never merged wrong.
#include "engine/state/index_snapshot.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/folded_state.h"
#include "gtest/gtest.h"
#include "support/company_year.h"
#include "support/store_test_support.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

using collabflow::testing::ScratchDir;

std::string RestOf(v1::EngineState state) {
  state.clear_summaries();
  return SerializeBinary(state);
}

std::string EntryOf(const std::string& id, const v1::RequestSummary& summary) {
  v1::EngineState one;
  (*one.mutable_summaries())[id] = summary;
  return SerializeBinary(one);
}

v1::RequestSummary SummaryOf(std::mt19937_64& rng) {
  v1::RequestSummary s;
  s.set_state(static_cast<v1::RequestState>(1 + rng() % 5));
  if (rng() % 2 == 0) s.set_topic(absl::StrCat("协作 ", rng() % 1000));
  for (int i = static_cast<int>(rng() % 3); i > 0; --i) {
    s.add_open_dues()->set_key(absl::StrCat("report/T", rng() % 9));
  }
  s.mutable_head()->set_records(1 + rng() % 40);
  s.mutable_head()->set_hash(std::string(32, static_cast<char>(rng())));
  return s;
}

TEST(IndexSnapshotTest, ChangesMergedWithThePreviousSnapshotGiveTheIndexBytes) {
  std::mt19937_64 rng(20261207);
  v1::EngineState state;
  state.mutable_directory()->add_people()->set_id("p-wu");
  std::string previous = SerializeBinary(state);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    // Some requests change or come (ids spread so new ones land before,
    // between and after the others), and the other fields change.
    std::map<std::string, v1::RequestSummary> changed;
    for (int k = static_cast<int>(rng() % 6); k > 0; --k) {
      const std::string id = absl::StrCat("R", rng() % 200);
      changed[id] = SummaryOf(rng);
      (*state.mutable_summaries())[id] = changed[id];
    }
    state.set_last_position(state.last_position() + 1 + rng() % 5);
    if (rng() % 4 == 0) state.mutable_directory()->add_people()->set_id(absl::StrCat("p", round));
    IndexChanges changes;
    changes.rest = RestOf(state);
    for (const auto& [id, summary] : changed) changes.summaries.emplace_back(id, summary);
    absl::StatusOr<std::string> merged = MergeIndexChanges(previous, changes);
    ASSERT_TRUE(merged.ok()) << merged.status();
    ASSERT_EQ(*merged, SerializeBinary(state));
    previous = *merged;
  }
  EXPECT_GT(state.summaries().size(), 150u);
}

TEST(IndexSnapshotTest, APreviousSnapshotTheChangesCannotFollowIsRefused) {
  v1::RequestSummary s;
  s.set_state(v1::REQUEST_STATE_IN_PROGRESS);
  IndexChanges changes;
  changes.summaries.emplace_back("R1", s);

  // Records in the state: the layout before summaries.
  v1::EngineState with_records;
  (*with_records.mutable_requests())["R2"].set_state(v1::REQUEST_STATE_ARCHIVED);
  EXPECT_EQ(MergeIndexChanges(SerializeBinary(with_records), changes).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Summaries out of order.
  EXPECT_EQ(MergeIndexChanges(EntryOf("R3", s) + EntryOf("R2", s), changes).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The same id twice.
  EXPECT_EQ(MergeIndexChanges(EntryOf("R3", s) + EntryOf("R3", s), changes).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Another field after the summaries.
  v1::EngineState later;
  later.set_last_position(9);
  EXPECT_EQ(MergeIndexChanges(EntryOf("R3", s) + SerializeBinary(later), changes).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Bytes that do not parse.
  EXPECT_EQ(MergeIndexChanges(std::string("\x62\x7f", 2), changes).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(MergeIndexChanges(std::string("\x62\x02\x12\x00", 4), changes).status().code(),
            absl::StatusCode::kDataLoss);  // an entry without its key first
}

TEST(IndexSnapshotTest, SplittingTheIndexGivesItsOtherFieldsAndEachSummary) {
  std::mt19937_64 rng(3);
  v1::EngineState state;
  state.mutable_directory()->add_people()->set_id("p-wu");
  state.set_last_position(77);
  for (int i = 0; i < 50; ++i) (*state.mutable_summaries())[absl::StrCat("R", i)] = SummaryOf(rng);
  std::string rest;
  v1::EngineState summaries;
  ASSERT_TRUE(
      SplitIndexBytes(SerializeBinary(state), &rest,
                      [&](absl::string_view key, absl::string_view value) {
                        v1::RequestSummary s;
                        if (!s.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                          return absl::InternalError("value");
                        }
                        (*summaries.mutable_summaries())[std::string(key)] = s;
                        return absl::OkStatus();
                      })
          .ok());
  EXPECT_EQ(rest, RestOf(state));
  v1::EngineState whole;
  ASSERT_TRUE(ParseBinary(rest, &whole).ok());
  *whole.mutable_summaries() = summaries.summaries();
  EXPECT_EQ(SerializeBinary(whole), SerializeBinary(state));

  // An entry's value before its key reads the same; bytes that are not
  // fields are DATA_LOSS.
  const std::string reversed("\x62\x07\x12\x02\x08\x02\x0a\x01X", 9);
  std::string key, value;
  ASSERT_TRUE(SplitIndexBytes(reversed, &rest, [&](absl::string_view k, absl::string_view v) {
                key = std::string(k);
                value = std::string(v);
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(key, "X");
  EXPECT_EQ(value, std::string("\x08\x02", 2));
  EXPECT_EQ(SplitIndexBytes(std::string("\x62\x7f", 2), &rest,
                            [](absl::string_view, absl::string_view) { return absl::OkStatus(); })
                .code(),
            absl::StatusCode::kDataLoss);
}

// A store holding a year of 30 requests' commands (no snapshot), in `dir`.
void BuildYearStore(const std::string& dir) {
  EngineOptions o;
  o.store_dir = dir;
  o.store.durability = Durability::kNoSync;
  o.snapshot_every_records = 0;
  auto engine = Engine::Open(o);
  ASSERT_TRUE(engine.ok()) << engine.status();
  for (const v1::Command& c : testing::YearCommands(30)) (void)(*engine)->Execute(c);
}

// Folds one stored record into `state` as the open's replay does.
absl::Status FoldRecord(FoldedState& state, const StoredRecord& record) {
  CFLOW_ASSIGN_OR_RETURN(v1::EventBatch batch, ParseEventBatch(record.position, record.payload));
  for (v1::Event& e : *batch.mutable_events()) {
    CFLOW_RETURN_IF_ERROR(state.Apply(&e, record.position));
  }
  state.Trim([](const std::string&) {});
  return absl::OkStatus();
}

// A year of commands in a store, then its records folded one by one into a
// FoldedState that captures its changes every few records: each capture
// merged with the bytes before it gives Serialize().
void FoldAndCaptureAll(size_t cache_bytes) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  BuildYearStore(dir);
  auto store = OpenDirectoryStore(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  FoldedState state(store->get(), cache_bytes);
  std::string previous = state.Serialize();
  state.StartTracking();
  std::mt19937_64 rng(7);
  int captures = 0;
  absl::Status folded = (*store)->ReadAll(0, [&](const StoredRecord& record) -> absl::Status {
    CFLOW_RETURN_IF_ERROR(FoldRecord(state, record));
    if (rng() % 11 == 0) {
      absl::StatusOr<std::string> merged = MergeIndexChanges(previous, state.CaptureChanges());
      if (!merged.ok()) return merged.status();
      const std::string whole = state.Serialize();
      if (*merged != whole) {
        return absl::InternalError(absl::StrCat("at record ", record.position, ": the merge gives ",
                                                merged->size(), " bytes, the index ",
                                                whole.size()));
      }
      previous = *merged;
      ++captures;
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(folded.ok()) << folded;
  EXPECT_GT(captures, 20);
}

// A capture in steps while records go on folding (as the engine's
// snapshots let go of its lock between steps): a summary may hold records
// after the capture's position. Restored and folded from that position to
// the end, every such snapshot gives the index the fold of every record
// gives.
void CaptureInStepsWhileFolding(size_t cache_bytes) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  BuildYearStore(dir);
  auto store = OpenDirectoryStore(dir);
  ASSERT_TRUE(store.ok()) << store.status();
  FoldedState live(store->get(), cache_bytes);
  std::string previous = live.Serialize();
  live.StartTracking();
  std::mt19937_64 rng(17);
  std::optional<FoldedState::Capture> capture;
  uint64_t capture_covers = 0;
  std::vector<std::pair<uint64_t, std::string>> snapshots;  // (covers, bytes)
  int stepped = 0;
  absl::Status folded = (*store)->ReadAll(0, [&](const StoredRecord& record) -> absl::Status {
    CFLOW_RETURN_IF_ERROR(FoldRecord(live, record));
    if (capture.has_value()) {
      // One step after each record folded.
      if (!live.CaptureSummaries(&*capture, 1)) {
        absl::StatusOr<std::string> merged =
            MergeIndexChanges(previous, std::move(capture->changes));
        if (!merged.ok()) return merged.status();
        snapshots.emplace_back(capture_covers, *merged);
        previous = *merged;
        capture.reset();
      } else {
        ++stepped;
      }
    } else if (rng() % 29 == 0) {
      capture = live.BeginCapture();
      FoldedState::SettleCapture(&*capture);
      capture_covers = record.position;
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(folded.ok()) << folded;
  ASSERT_GT(snapshots.size(), 5u);
  ASSERT_GT(stepped, 20);
  const std::string expected = live.Serialize();
  for (const auto& [covers, bytes] : snapshots) {
    SCOPED_TRACE(absl::StrCat("the snapshot covering ", covers));
    FoldedState reopened(store->get(), cache_bytes);
    ASSERT_TRUE(reopened.Restore(bytes).ok());
    absl::Status replayed = (*store)->ReadAll(
        covers, [&](const StoredRecord& record) { return FoldRecord(reopened, record); });
    ASSERT_TRUE(replayed.ok()) << replayed;
    ASSERT_EQ(reopened.Serialize(), expected);
  }
}

TEST(IndexSnapshotTest, ACaptureInStepsWhileRecordsFoldReopensToTheSameIndexHoldingNothing) {
  CaptureInStepsWhileFolding(/*cache_bytes=*/1);
}

TEST(IndexSnapshotTest, ACaptureInStepsWhileRecordsFoldReopensToTheSameIndexHoldingEverything) {
  CaptureInStepsWhileFolding(FoldedState::kUnbounded);
}

TEST(IndexSnapshotTest, AFoldedYearCapturedEveryFewRecordsHoldingNothing) {
  FoldAndCaptureAll(/*cache_bytes=*/1);
}

TEST(IndexSnapshotTest, AFoldedYearCapturedEveryFewRecordsHoldingEverything) {
  FoldAndCaptureAll(FoldedState::kUnbounded);
}

// Through the engine: every snapshot, the first written whole and the next
// ones following the changes, holds the index's bytes as they were when it
// was written, with the engine reopened from it now and then.
TEST(IndexSnapshotTest, EverySnapshotTheEngineWritesHoldsItsIndex) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  EngineOptions o;
  o.store_dir = dir;
  o.store.durability = Durability::kNoSync;
  o.request_cache_bytes = 1;
  std::unique_ptr<Engine> engine;
  std::mt19937_64 rng(11);
  const std::vector<v1::Command> commands = testing::YearCommands(30);
  int checked = 0;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (engine == nullptr) {
      auto e = Engine::Open(o);
      ASSERT_TRUE(e.ok()) << e.status();
      engine = std::move(*e);
    }
    (void)engine->Execute(commands[i]);
    if (rng() % 13 != 0 && i + 1 != commands.size()) continue;
    const std::string index = engine->StateBytes();
    ASSERT_TRUE(engine->WriteSnapshot().ok());
    if (rng() % 2 != 0 && i + 1 != commands.size()) continue;
    engine.reset();
    auto store = OpenDirectoryStore(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    auto snapshot = (*store)->LatestSnapshot();
    ASSERT_TRUE(snapshot.ok() && snapshot->has_value());
    ASSERT_EQ((*snapshot)->state, index) << "after command " << i;
    ++checked;
  }
  EXPECT_GT(checked, 5);
}

// The index's bytes keep the directory's between its changes: a directory
// updated after they were written is in the next ones, and in a snapshot.
TEST(IndexSnapshotTest, TheIndexFollowsADirectoryUpdate) {
  ScratchDir scratch;
  EngineOptions o;
  o.store_dir = scratch.Sub("store");
  o.store.durability = Durability::kNoSync;
  const std::vector<v1::Command> commands = testing::YearCommands(3);
  std::string before;
  std::string after;
  {
    auto engine = Engine::Open(o);
    ASSERT_TRUE(engine.ok()) << engine.status();
    for (const v1::Command& c : commands) (void)(*engine)->Execute(c);
    ASSERT_TRUE((*engine)->WriteSnapshot().ok());
    before = (*engine)->StateBytes();
    v1::Directory directory = testing::CompanyDirectory();
    v1::Person* newcomer = directory.add_people();
    *newcomer = directory.people(0);
    newcomer->set_id("p-newcomer");
    ASSERT_TRUE((*engine)
                    ->Execute(testing::UpdateDirectoryCommand(directory, testing::kAfterTheYear))
                    .ok());
    after = (*engine)->StateBytes();
    ASSERT_TRUE((*engine)->WriteSnapshot().ok());
  }
  ASSERT_NE(after, before);
  v1::EngineState state;
  ASSERT_TRUE(ParseBinary(after, &state).ok());
  EXPECT_EQ(state.directory().people(state.directory().people_size() - 1).id(), "p-newcomer");
  auto reopened = Engine::Open(o);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->StateBytes(), after);
}

}  // namespace
}  // namespace collabflow::internal
