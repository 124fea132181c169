// The one conversion of a store written by collabflow 0.2 (format 1, one
// chain over the engine) into streams, on the fixture in
// tests/testdata/format1 (make_fixture.sh): every request comes back as it
// was, the history verifies, the old store is kept beside, a damaged old
// history is refused with nothing replaced, and a swap a crash cut short is
// finished. (The views, field by field against what 0.2 printed, are
// compared by the Python suite's test_format1.py.)
#include "engine/journal/format1_conversion.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/archive.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/crc32c.h"
#include "store/file_system.h"
#include "store/fixed_coding.h"
#include "store/journal_format.h"
#include "store/snapshot_file.h"
#include "wire/proto_io.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Fixture() { return std::string(COLLABFLOW_TESTDATA_DIR) + "/format1/store"; }

std::string CopyOfTheFixture(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/format1_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(dir + ".format1");
  std::filesystem::remove_all(dir + ".converting");
  std::filesystem::copy(Fixture(), dir);
  return dir;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<std::unique_ptr<Engine>> Open(const std::string& dir) {
  EngineOptions options;
  options.store_dir = dir;
  return Engine::Open(options);
}

TEST(Format1Conversion, EveryRequestComesBackAndTheHistoryVerifies) {
  const std::string dir = CopyOfTheFixture("seed");
  auto engine = Open(dir);
  ASSERT_TRUE(engine.ok()) << engine.status();
  Engine& e = **engine;
  EXPECT_THAT(e.RequestIds(), ElementsAre("REQ-A", "REQ-B", "REQ-C", "REQ-D"));
  EXPECT_EQ(e.GetRequest("REQ-A")->record().state(), v1::REQUEST_STATE_ARCHIVED);
  EXPECT_EQ(e.GetRequest("REQ-B")->record().state(), v1::REQUEST_STATE_IN_PROGRESS);
  EXPECT_EQ(e.GetRequest("REQ-C")->record().state(), v1::REQUEST_STATE_NEGOTIATING);
  EXPECT_EQ(e.GetRequest("REQ-D")->record().state(), v1::REQUEST_STATE_CANCELLED);
  EXPECT_TRUE(e.VerifyHistory().ok());
  // Each request is its own stream now, chained from its first event.
  auto history = e.ReadRequestHistory("REQ-B");
  ASSERT_TRUE(history.ok()) << history.status();
  for (size_t i = 0; i < history->events.size(); ++i) {
    EXPECT_EQ(history->events[i].version(), i + 1);
    EXPECT_EQ(history->events[i].sequence(), 0u);
  }
  // The archived request exports a bundle of today's format that verifies.
  auto bundle = ExportArchive(e, "REQ-A");
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  auto read = ReadArchive(*bundle);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->format_version(), 2);
  // Notifications are numbered within their request.
  for (const v1::Notification& n : e.ReadOutbox(0, 1000)) EXPECT_GT(n.position(), 0u);
  // The old store is kept beside, untouched.
  EXPECT_EQ(Read(dir + ".format1/" + internal::SegmentFileName(1)),
            Read(Fixture() + "/" + internal::SegmentFileName(1)));
  EXPECT_FALSE(std::filesystem::exists(dir + ".converting"));
  // Commands go on.
  EXPECT_TRUE(e.Tick(absl::FromUnixSeconds(1790000000)).ok());
}

TEST(Format1Conversion, HappensOnceAndStaysConvertedAcrossReopens) {
  const std::string dir = CopyOfTheFixture("once");
  std::string state;
  {
    auto engine = Open(dir);
    ASSERT_TRUE(engine.ok()) << engine.status();
    state = (*engine)->StateBytes();
  }
  internal::Format1Conversion report;
  ASSERT_TRUE(internal::ConvertFormat1StoreIfNeeded(dir, StoreOptions(), &report).ok());
  EXPECT_FALSE(report.converted);
  auto engine = Open(dir);
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->StateBytes(), state);
}

TEST(Format1Conversion, ReportsWhatItDidAndRefusesToOverwriteAKeptStore) {
  const std::string dir = CopyOfTheFixture("report");
  internal::Format1Conversion report;
  ASSERT_TRUE(internal::ConvertFormat1StoreIfNeeded(dir, StoreOptions(), &report).ok());
  EXPECT_TRUE(report.converted);
  EXPECT_EQ(report.events, 78u);  // views/verify.json: what 0.2 counted
  EXPECT_GE(report.records, 1u);
  EXPECT_EQ(report.kept_at, dir + ".format1");
  // Another format 1 store where the kept one would go: refused, nothing moved.
  std::filesystem::remove_all(dir);
  std::filesystem::copy(Fixture(), dir);
  const absl::Status again = internal::ConvertFormat1StoreIfNeeded(dir, StoreOptions(), &report);
  EXPECT_TRUE(absl::IsAlreadyExists(again)) << again;
  EXPECT_EQ(Read(dir + "/" + internal::SegmentFileName(1)),
            Read(Fixture() + "/" + internal::SegmentFileName(1)));
}

TEST(Format1Conversion, AChangedOldEventIsDataLossAndNothingIsReplaced) {
  const std::string dir = CopyOfTheFixture("changed");
  // Rewrite the journal with one event changed, every checksum valid.
  std::vector<std::string> payloads;
  {
    auto store = OpenDirectoryStore(dir);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->ReadAll(0,
                              [&](const StoredRecord& r) {
                                payloads.emplace_back(r.payload);
                                return absl::OkStatus();
                              })
                    .ok());
  }
  v1::EventBatch batch;
  ASSERT_TRUE(internal::ParseBinary(payloads[5], &batch).ok());
  batch.mutable_events(0)->set_actor_id("p-forger");
  const uint64_t changed = batch.events(0).sequence();
  payloads[5] = internal::SerializeBinary(batch);
  std::string segment;
  internal::AppendSegmentHeaderV1(7, 1, &segment);
  for (size_t i = 0; i < payloads.size(); ++i) {
    internal::AppendRecordV1(7, i + 1, payloads[i], &segment);
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + internal::SegmentFileName(1), std::ios::binary) << segment;

  auto engine = Open(dir);
  EXPECT_TRUE(absl::IsDataLoss(engine.status())) << engine.status();
  EXPECT_THAT(engine.status().message(),
              HasSubstr(absl::StrCat("event ", changed, " carries hash")));
  EXPECT_EQ(Read(dir + "/" + internal::SegmentFileName(1)), segment);
  EXPECT_FALSE(std::filesystem::exists(dir + ".format1"));
  EXPECT_FALSE(std::filesystem::exists(dir + ".converting"));
}

TEST(Format1Conversion, ASwapACrashCutShortIsFinishedAtTheNextOpen) {
  const std::string dir = CopyOfTheFixture("swap");
  std::string state;
  {
    auto engine = Open(dir);
    ASSERT_TRUE(engine.ok()) << engine.status();
    state = (*engine)->StateBytes();
  }
  // As if the crash came between the two renames: the old store kept, the
  // new one not yet in place.
  std::filesystem::rename(dir, dir + ".converting");
  auto engine = Open(dir);
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->StateBytes(), state);
  EXPECT_FALSE(std::filesystem::exists(dir + ".converting"));
}

TEST(Format1Conversion, AJournalCompactedBy0_2IsRefusedClearly) {
  const std::string dir = CopyOfTheFixture("compacted");
  // Records 1..3 gone, as a 0.2 snapshot's compaction left them.
  std::vector<std::string> payloads;
  {
    auto store = OpenDirectoryStore(dir);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->ReadAll(0,
                              [&](const StoredRecord& r) {
                                payloads.emplace_back(r.payload);
                                return absl::OkStatus();
                              })
                    .ok());
  }
  std::string segment;
  internal::AppendSegmentHeaderV1(7, 4, &segment);
  for (size_t i = 3; i < payloads.size(); ++i) {
    internal::AppendRecordV1(7, i + 1, payloads[i], &segment);
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + internal::SegmentFileName(4), std::ios::binary) << segment;
  // And the format 1 snapshot covering 3 beside it: written as today's,
  // then marked format 1 (both checksums recomputed).
  bool unknown = false;
  ASSERT_TRUE(
      internal::WriteSnapshotFile(DefaultFileSystem(), dir, 3, "a state of 0.2", &unknown).ok());
  const std::string path = dir + "/" + internal::SnapshotFileName(3);
  std::string bytes = Read(path);
  internal::EncodeFixed32(&bytes[8], 1);
  internal::EncodeFixed32(&bytes[28],
                          internal::crc32c::Mask(internal::crc32c::Value(bytes.data(), 28)));
  const size_t body = bytes.size() - 4;
  internal::EncodeFixed32(&bytes[body],
                          internal::crc32c::Mask(internal::crc32c::Value(bytes.data(), body)));
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;

  auto engine = Open(dir);
  EXPECT_TRUE(absl::IsFailedPrecondition(engine.status())) << engine.status();
  EXPECT_THAT(engine.status().message(), HasSubstr("compacted after a snapshot"));
  EXPECT_FALSE(std::filesystem::exists(dir + ".format1"));
}

}  // namespace
}  // namespace collabflow
