// The directory store's stream index (index-<position>.cfi): an open with a
// valid index reads only the journal after it, with the same heads and reads
// as a full scan; a damaged, truncated, future-format or disagreeing index is
// rejected, reported, and the heads rebuilt by the full scan, never used
// wrong; damage in the records the index covers is found when they are read,
// or at open with verify_whole_journal_on_open.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "store/crc32c.h"
#include "store/fault_injecting_file_system.h"
#include "store/file_system.h"
#include "store/fixed_coding.h"
#include "store/journal_format.h"
#include "store/manifest_file.h"
#include "store/stream_index_file.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::Files;
using ::collabflow::testing::ReadBytes;
using ::collabflow::testing::ScratchDir;
using ::collabflow::testing::WriteBytes;

constexpr int kStreams = 5;
constexpr int kRecords = 60;

std::string StreamName(int i) { return absl::StrCat("request/", i % kStreams); }
std::string Payload(int i) { return absl::StrCat("record-", i, std::string(i % 17, '#')); }

StoreOptions Options(bool full_scan = false) {
  StoreOptions o;
  o.durability = Durability::kNoSync;
  o.segment_bytes = 400;  // many segments
  o.verify_whole_journal_on_open = full_scan;
  return o;
}

// What a reader sees: every stream by ReadStream, everything by ReadAll.
struct View {
  uint64_t last_position = 0;
  uint64_t streams = 0;
  std::map<std::string, std::vector<std::string>> by_stream;
  std::vector<std::string> all;
  bool operator==(const View& o) const {
    return last_position == o.last_position && streams == o.streams && by_stream == o.by_stream &&
           all == o.all;
  }
};

View ViewOf(const EventStore& store) {
  View v;
  v.last_position = store.LastPosition();
  v.streams = store.recovery().streams;
  for (int s = 0; s < kStreams; ++s) {
    const std::string stream = StreamName(s);
    std::vector<std::string>& records = v.by_stream[stream];
    uint64_t expected = 1;
    absl::Status status = store.ReadStream(stream, 0, [&](const StoredRecord& r) {
      EXPECT_EQ(r.version, expected++);
      records.emplace_back(r.payload);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
  }
  absl::Status status = store.ReadAll(0, [&](const StoredRecord& r) {
    v.all.push_back(absl::StrCat(r.position, ":", r.stream, ":", r.version, ":", r.payload));
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return v;
}

absl::Status AppendRecords(EventStore* store, int from, int to) {
  for (int i = from; i <= to; ++i) {
    auto position = store->Append(StreamName(i), kAnyVersion, Payload(i));
    if (!position.ok()) return position.status();
    if (*position != static_cast<uint64_t>(i)) return absl::InternalError("unexpected position");
  }
  return absl::OkStatus();
}

class StreamIndexTest : public ::testing::Test {
 protected:
  // kRecords records in kStreams streams over several segments; the clean
  // close writes the index covering them all.
  void SetUp() override {
    {
      auto store = OpenDirectoryStore(dir(), Options());
      ASSERT_TRUE(store.ok()) << store.status();
      ASSERT_TRUE(AppendRecords(store->get(), 1, kRecords).ok());
      ASSERT_TRUE((*store)->Close().ok());
    }
    ASSERT_GE(Files(dir(), "journal-").size(), 3u);
    ASSERT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(kRecords)});
    index_ = ReadBytes(IndexPath(kRecords));
    full_ = FullScanView();
  }

  std::string dir() const { return scratch_.Sub("s"); }
  std::string IndexPath(uint64_t covers) const {
    return JoinPath(dir(), internal::StreamIndexFileName(covers));
  }
  View FullScanView() {
    auto store = OpenDirectoryStore(dir(), Options(/*full_scan=*/true));
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return View();
    EXPECT_FALSE((*store)->recovery().index_used);
    EXPECT_EQ((*store)->recovery().records_scanned, (*store)->LastPosition());
    return ViewOf(**store);
  }
  // Replaces the index with `bytes` and opens: the index must be rejected
  // (the reason naming it), and the store read as the full scan reads it.
  void ExpectRejected(const std::string& bytes, absl::string_view reason) {
    WriteBytes(IndexPath(kRecords), bytes);
    {
      auto store = OpenDirectoryStore(dir(), Options());
      ASSERT_TRUE(store.ok()) << store.status();
      const RecoveryReport& r = (*store)->recovery();
      EXPECT_FALSE(r.index_used);
      EXPECT_EQ(r.records_scanned, full_.last_position);
      EXPECT_TRUE(absl::StrContains(r.index_rejected, IndexPath(kRecords))) << r.index_rejected;
      EXPECT_TRUE(absl::StrContains(r.index_rejected, reason)) << r.index_rejected;
      EXPECT_EQ(ViewOf(**store), full_);
      ASSERT_TRUE((*store)->Close().ok());
    }
    // The rejected index is gone (a reader's close writes none), so the next
    // open scans without complaint; a snapshot writes a good one.
    EXPECT_TRUE(Files(dir(), "index-").empty());
    {
      auto store = OpenDirectoryStore(dir(), Options());
      ASSERT_TRUE(store.ok()) << store.status();
      EXPECT_FALSE((*store)->recovery().index_used);
      EXPECT_TRUE((*store)->recovery().index_rejected.empty());
      ASSERT_TRUE((*store)->WriteSnapshot(full_.last_position, "state").ok());
    }
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_TRUE((*store)->recovery().index_used);
    EXPECT_EQ((*store)->recovery().records_scanned, 0u);
    EXPECT_EQ(ViewOf(**store), full_);
  }
  // An index file re-encoded with its checksums made to hold.
  static std::string Resealed(std::string bytes) {
    internal::EncodeFixed32(bytes.data() + 28,
                            internal::crc32c::Mask(internal::crc32c::Value(bytes.data(), 28)));
    const size_t end = bytes.size() - 4;
    internal::EncodeFixed32(bytes.data() + end,
                            internal::crc32c::Mask(internal::crc32c::Value(bytes.data(), end)));
    return bytes;
  }

  ScratchDir scratch_;
  std::string index_;
  View full_;
};

TEST_F(StreamIndexTest, OpenTakesTheHeadsFromTheIndexAndScansNothingBehindIt) {
  auto store = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(store.ok()) << store.status();
  const RecoveryReport& r = (*store)->recovery();
  EXPECT_TRUE(r.index_used);
  EXPECT_EQ(r.index_position, uint64_t{kRecords});
  EXPECT_EQ(r.records_scanned, 0u);
  EXPECT_EQ(r.records_replayed, 0u);
  EXPECT_TRUE(r.index_rejected.empty()) << r.index_rejected;
  EXPECT_EQ(r.segments, Files(dir(), "journal-").size());
  EXPECT_EQ(ViewOf(**store), full_);
  // Appends continue each stream where the index left it.
  for (int s = 0; s < kStreams; ++s) {
    const uint64_t version = full_.by_stream[StreamName(s)].size();
    EXPECT_TRUE(absl::IsAborted((*store)->Append(StreamName(s), version - 1, "stale").status()));
    EXPECT_TRUE((*store)->Append(StreamName(s), version, "next").ok());
  }
}

TEST_F(StreamIndexTest, AnIndexOlderThanTheJournalTailScansOnlyTheTail) {
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(AppendRecords(store->get(), kRecords + 1, kRecords + 23).ok());
  }
  // Put the old index back in place of the one the close wrote.
  ASSERT_TRUE(std::filesystem::remove(IndexPath(kRecords + 23)));
  WriteBytes(IndexPath(kRecords), index_);
  View view;
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_TRUE((*store)->recovery().index_used);
    EXPECT_EQ((*store)->recovery().index_position, uint64_t{kRecords});
    EXPECT_EQ((*store)->recovery().records_scanned, 23u);
    view = ViewOf(**store);
  }
  const View full = FullScanView();
  EXPECT_EQ(view, full);
  EXPECT_EQ(full.last_position, uint64_t{kRecords + 23});
}

TEST_F(StreamIndexTest, AnIndexOlderThanTheSnapshotWorks) {
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(AppendRecords(store->get(), kRecords + 1, kRecords + 20).ok());
    ASSERT_TRUE((*store)->WriteSnapshot(kRecords + 15, "state at 75").ok());
    // The snapshot wrote an index covering everything, and replaced the old.
    EXPECT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(kRecords + 20)});
  }
  ASSERT_TRUE(std::filesystem::remove(IndexPath(kRecords + 20)));
  WriteBytes(IndexPath(kRecords), index_);
  View view;
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok()) << store.status();
    const RecoveryReport& r = (*store)->recovery();
    EXPECT_TRUE(r.index_used);
    EXPECT_EQ(r.snapshot_position, uint64_t{kRecords + 15});
    EXPECT_EQ(r.records_scanned, 20u);
    EXPECT_EQ(r.records_replayed, 5u);
    EXPECT_EQ((*(*store)->LatestSnapshot())->state, "state at 75");
    view = ViewOf(**store);
  }
  EXPECT_EQ(view, FullScanView());
}

TEST_F(StreamIndexTest, ASnapshotWritesTheIndexAndOnlyTheNewestIsKept) {
  auto store = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(AppendRecords(store->get(), kRecords + 1, kRecords + 5).ok());
  ASSERT_TRUE((*store)->WriteSnapshot(kRecords + 2, "s").ok());
  EXPECT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(kRecords + 5)});
  ASSERT_TRUE(AppendRecords(store->get(), kRecords + 6, kRecords + 7).ok());
  ASSERT_TRUE((*store)->Close().ok());
  EXPECT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(kRecords + 7)});
  // A stray older index and an interrupted one are removed at the next open.
  WriteBytes(IndexPath(kRecords), index_);
  WriteBytes(IndexPath(kRecords + 9) + ".tmp", "interrupted");
  auto reopened = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_TRUE((*reopened)->recovery().index_used);
  EXPECT_EQ((*reopened)->recovery().index_position, uint64_t{kRecords + 7});
  EXPECT_EQ((*reopened)->recovery().temp_files_removed, 1u);
  EXPECT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(kRecords + 7)});
}

// Every stream's head as ReadAll finds it: (version, position).
std::map<std::string, std::pair<uint64_t, uint64_t>> HeadsOf(const EventStore& store) {
  std::map<std::string, std::pair<uint64_t, uint64_t>> heads;
  EXPECT_TRUE(store
                  .ReadAll(0,
                           [&](const StoredRecord& r) {
                             heads[std::string(r.stream)] = {r.version, r.position};
                             return absl::OkStatus();
                           })
                  .ok());
  return heads;
}

TEST_F(StreamIndexTest, AnIndexWrittenOverTheLastOneHoldsEveryStreamsHead) {
  // After the open from an index, each snapshot's index goes over the one
  // before it (only the streams changed since are copied out of the store's
  // lock): each holds every stream's head, new streams included.
  std::mt19937 rng(5);
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->recovery().index_used);
    for (int round = 0; round < 6; ++round) {
      SCOPED_TRACE(absl::StrCat("round ", round));
      for (int k = 1 + static_cast<int>(rng() % 6); k > 0; --k) {
        const std::string stream = rng() % 3 == 0 ? absl::StrCat("other/", rng() % 4)
                                                  : StreamName(static_cast<int>(rng()));
        ASSERT_TRUE((*store)->Append(stream, kAnyVersion, Payload(round)).ok());
      }
      const uint64_t last = (*store)->LastPosition();
      ASSERT_TRUE((*store)->WriteSnapshot(last, "s").ok());
      ASSERT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(last)});
      auto index = internal::ReadStreamIndexFile(DefaultFileSystem(), IndexPath(last), last);
      ASSERT_TRUE(index.ok()) << index.status();
      std::map<std::string, std::pair<uint64_t, uint64_t>> indexed;
      for (const internal::IndexedStream& stream : index->streams) {
        ASSERT_TRUE(
            indexed.emplace(stream.name, std::make_pair(stream.version, stream.newest.position))
                .second)
            << stream.name << " twice";
      }
      ASSERT_EQ(indexed, HeadsOf(**store));
    }
  }
  const View full = FullScanView();
  auto store = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE((*store)->recovery().index_used);
  EXPECT_EQ((*store)->recovery().records_scanned, 0u);
  EXPECT_EQ(ViewOf(**store), full);
}

TEST_F(StreamIndexTest, ASnapshotThatFailsLeavesItsChangesToTheNextIndex) {
  // The first snapshot captures the streams changed since the index (and
  // stops tracking them), then fails to write; the next index must still
  // hold their heads. It used to go over the index on disk with only the
  // changes since the failed capture, and the open after rejected it.
  FaultInjectingFileSystem fs(DefaultFileSystem());
  StoreOptions options = Options();
  options.file_system = &fs;
  {
    auto store = OpenDirectoryStore(dir(), options);
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->recovery().index_used);
    ASSERT_TRUE((*store)->Append(StreamName(1), kAnyVersion, "changed before").ok());
    fs.Arm(FaultPlan{FaultPlan::Calls::kWrite, FaultPlan::Effect::kNoSpace, 1, false});
    const absl::Status failed = (*store)->WriteSnapshot((*store)->LastPosition(), "s");
    fs.Disarm();
    ASSERT_TRUE(absl::IsResourceExhausted(failed)) << failed;
    ASSERT_TRUE((*store)->Append(StreamName(2), kAnyVersion, "changed after").ok());
    ASSERT_TRUE((*store)->WriteSnapshot((*store)->LastPosition(), "s").ok());
  }
  const View full = FullScanView();
  auto store = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE((*store)->recovery().index_used) << (*store)->recovery().index_rejected;
  EXPECT_EQ((*store)->recovery().records_scanned, 0u);
  EXPECT_EQ(ViewOf(**store), full);
}

TEST_F(StreamIndexTest, AStoreWithoutAnIndexOpensByAFullScanAndGetsOneAfterItsNextAppend) {
  ASSERT_TRUE(std::filesystem::remove(IndexPath(kRecords)));
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_FALSE((*store)->recovery().index_used);
    EXPECT_TRUE((*store)->recovery().index_rejected.empty());
    EXPECT_EQ((*store)->recovery().records_scanned, uint64_t{kRecords});
    EXPECT_EQ(ViewOf(**store), full_);
  }
  // A handle that only read writes nothing.
  EXPECT_TRUE(Files(dir(), "index-").empty());
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(AppendRecords(store->get(), kRecords + 1, kRecords + 1).ok());
  }
  EXPECT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(kRecords + 1)});
  auto store = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->recovery().index_used);
  EXPECT_EQ((*store)->recovery().records_scanned, 0u);
}

TEST_F(StreamIndexTest, VerifyWholeJournalOnOpenScansEverythingAndKeepsTheIndex) {
  {
    auto store = OpenDirectoryStore(dir(), Options(/*full_scan=*/true));
    ASSERT_TRUE(store.ok());
    EXPECT_FALSE((*store)->recovery().index_used);
    EXPECT_TRUE((*store)->recovery().index_rejected.empty());
    EXPECT_EQ((*store)->recovery().records_scanned, uint64_t{kRecords});
  }
  EXPECT_EQ(Files(dir(), "index-"), std::vector<std::string>{IndexPath(kRecords)});
  auto store = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE((*store)->recovery().index_used);
}

TEST_F(StreamIndexTest, EveryFlippedByteIsRejected) {
  for (size_t byte = 0; byte < index_.size(); ++byte) {
    SCOPED_TRACE(byte);
    std::string bad = index_;
    bad[byte] ^= static_cast<char>(1 << (byte % 8));
    ExpectRejected(bad, "at offset");
    if (HasFatalFailure()) return;
  }
}

TEST_F(StreamIndexTest, ATruncatedIndexIsRejected) {
  for (size_t cut : {size_t{0}, size_t{7}, size_t{31}, size_t{32}, index_.size() / 2,
                     index_.size() - 4, index_.size() - 1}) {
    SCOPED_TRACE(cut);
    ExpectRejected(index_.substr(0, cut), "at offset");
  }
}

TEST_F(StreamIndexTest, GarbageIsRejected) {
  std::mt19937 rng(7);
  std::string garbage(index_.size(), '\0');
  for (char& c : garbage) c = static_cast<char>(rng());
  ExpectRejected(garbage, "bad magic");
  ExpectRejected(index_ + "trailing", "at offset");
}

TEST_F(StreamIndexTest, AFutureFormatIsRejected) {
  std::string future = index_;
  internal::EncodeFixed32(future.data() + 8, internal::kStreamIndexFormatVersion + 1);
  ExpectRejected(Resealed(future), "format version 2");
}

TEST_F(StreamIndexTest, AnIndexNamedForAnotherPositionIsRejected) {
  std::string other = index_;
  internal::EncodeFixed32(other.data() + 12, kRecords - 1);
  ExpectRejected(Resealed(other), "its name says");
}

TEST_F(StreamIndexTest, AShorterNewestSegmentIsRejectedAndTheScanDecides) {
  // Cut the newest segment back by its last record: the full scan opens with
  // one record less (as it would have without an index); the index, which
  // covers that record, must not be believed.
  const std::string segment = Files(dir(), "journal-").back();
  const std::string bytes = ReadBytes(segment);
  const uint64_t last =
      internal::RecordBytes(StreamName(kRecords).size(), Payload(kRecords).size());
  WriteBytes(segment, bytes.substr(0, bytes.size() - last));
  full_ = FullScanView();
  ASSERT_EQ(full_.last_position, uint64_t{kRecords - 1});
  ExpectRejected(index_, "the index says at least");
}

// The manifest names the newest segment: without it the journal would
// open shorter, as if its last records had never been.
TEST_F(StreamIndexTest, AMissingNewestSegmentIsDataLoss) {
  const std::string newest = Files(dir(), "journal-").back();
  ASSERT_TRUE(std::filesystem::remove(newest));
  auto store = OpenDirectoryStore(dir(), Options());
  EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), newest)) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "manifest")) << store.status();
  // The failed open left the directory (and the index) as it was.
  EXPECT_EQ(ReadBytes(IndexPath(kRecords)), index_);
}

// A store without a manifest (written before it) and without its newest
// segment: the index names a segment the directory does not hold, and the
// scan decides.
TEST_F(StreamIndexTest, AMissingNewestSegmentOfAStoreWithoutManifestIsRejected) {
  ASSERT_TRUE(std::filesystem::remove(Files(dir(), "journal-").back()));
  ASSERT_TRUE(std::filesystem::remove(JoinPath(dir(), internal::kManifestFileName)));
  full_ = FullScanView();
  ExpectRejected(index_, "segments, the directory holds");
}

TEST_F(StreamIndexTest, AMissingOlderSegmentIsDataLoss) {
  const std::vector<std::string> segments = Files(dir(), "journal-");
  ASSERT_TRUE(std::filesystem::remove(segments[1]));
  auto store = OpenDirectoryStore(dir(), Options());
  EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
  // The failed open left the directory (and the index) as it was.
  EXPECT_EQ(ReadBytes(IndexPath(kRecords)), index_);
}

TEST_F(StreamIndexTest, AnOlderSegmentGrownOrReplacedIsRejectedAndTheScanFindsTheDamage) {
  const std::string segment = Files(dir(), "journal-").front();
  const std::string bytes = ReadBytes(segment);
  WriteBytes(segment, bytes + "garbage");
  auto grown = OpenDirectoryStore(dir(), Options());
  EXPECT_TRUE(absl::IsDataLoss(grown.status())) << grown.status();
  // Same length, its header damaged.
  std::string replaced = bytes;
  replaced[12] ^= 0x01;
  WriteBytes(segment, replaced);
  auto other = OpenDirectoryStore(dir(), Options());
  EXPECT_TRUE(absl::IsDataLoss(other.status())) << other.status();
  WriteBytes(segment, bytes);
  auto repaired = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(repaired.ok()) << repaired.status();
  EXPECT_TRUE((*repaired)->recovery().index_used);
}

TEST_F(StreamIndexTest, ACheckedButWrongIndexIsRejected) {
  // Indexes with valid checksums that do not describe this journal.
  // Stream heads off by one: the versions no longer add up to the records.
  const auto rewrite_heads = [&](int delta_version, int64_t delta_offset) {
    // The streams start after the segments: 32 (header) + 4 + 24 per segment + 8.
    std::string bytes = index_;
    const uint32_t segments = internal::DecodeFixed32(bytes.data() + 32);
    const size_t first_stream = 32 + 4 + 24 * size_t{segments} + 8;
    const uint64_t version = internal::DecodeFixed64(bytes.data() + first_stream + 4);
    const uint64_t offset = internal::DecodeFixed64(bytes.data() + first_stream + 20);
    std::string v(8, '\0'), o(8, '\0');
    const uint64_t new_version = version + delta_version;
    const uint64_t new_offset = offset + delta_offset;
    std::memcpy(v.data(), &new_version, 8);
    std::memcpy(o.data(), &new_offset, 8);
    bytes.replace(first_stream + 4, 8, v);
    bytes.replace(first_stream + 20, 8, o);
    return Resealed(bytes);
  };
  ExpectRejected(rewrite_heads(1, 0), "its streams hold");
  ExpectRejected(rewrite_heads(0, 1 << 20), "past the end of");
  // A segment's committed size that is not where the last record ends.
  std::string bytes = index_;
  const uint32_t segments = internal::DecodeFixed32(bytes.data() + 32);
  const size_t last_size = 32 + 4 + 24 * size_t{segments - 1} + 16;
  internal::EncodeFixed32(bytes.data() + last_size,
                          internal::DecodeFixed32(bytes.data() + last_size) - 1);
  ExpectRejected(Resealed(bytes), "is not the stream's newest");
}

TEST_F(StreamIndexTest, DamageBehindTheIndexIsFoundByReadsOrByAFullScan) {
  // A payload bit of record 2, which the index covers: the open does not
  // read it; ReadAll and ReadStream of its stream do, and fail naming it.
  const std::string segment = Files(dir(), "journal-").front();
  const std::string good = ReadBytes(segment);
  const uint64_t second = internal::kSegmentHeaderBytes +
                          internal::RecordBytes(StreamName(1).size(), Payload(1).size());
  std::string bad = good;
  bad[second + internal::kRecordHeaderBytes + StreamName(2).size()] ^= 0x10;
  WriteBytes(segment, bad);
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_TRUE((*store)->recovery().index_used);
    const absl::Status all =
        (*store)->ReadAll(0, [](const StoredRecord&) { return absl::OkStatus(); });
    EXPECT_TRUE(absl::IsDataLoss(all)) << all;
    EXPECT_TRUE(absl::StrContains(all.message(), absl::StrCat(segment, " at offset ", second)))
        << all;
    const absl::Status one = (*store)->ReadStream(
        StreamName(2), 0, [](const StoredRecord&) { return absl::OkStatus(); });
    EXPECT_TRUE(absl::IsDataLoss(one)) << one;
    EXPECT_TRUE(absl::StrContains(one.message(), absl::StrCat("at offset ", second))) << one;
    // Other streams read as before.
    EXPECT_TRUE(
        (*store)
            ->ReadStream(StreamName(3), 0, [](const StoredRecord&) { return absl::OkStatus(); })
            .ok());
  }
  auto full = OpenDirectoryStore(dir(), Options(/*full_scan=*/true));
  EXPECT_TRUE(absl::IsDataLoss(full.status())) << full.status();
  EXPECT_TRUE(
      absl::StrContains(full.status().message(), absl::StrCat(segment, " at offset ", second)))
      << full.status();
}

TEST_F(StreamIndexTest, ATornTailAfterTheIndexIsCutAsBefore) {
  {
    auto store = OpenDirectoryStore(dir(), Options());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(AppendRecords(store->get(), kRecords + 1, kRecords + 3).ok());
  }
  ASSERT_TRUE(std::filesystem::remove(IndexPath(kRecords + 3)));
  WriteBytes(IndexPath(kRecords), index_);
  const std::string segment = Files(dir(), "journal-").back();
  const std::string bytes = ReadBytes(segment);
  WriteBytes(segment, bytes.substr(0, bytes.size() - 5));
  auto store = OpenDirectoryStore(dir(), Options());
  ASSERT_TRUE(store.ok()) << store.status();
  const RecoveryReport& r = (*store)->recovery();
  EXPECT_TRUE(r.index_used);
  EXPECT_TRUE(r.torn_tail_truncated);
  EXPECT_EQ(r.file, segment);
  EXPECT_EQ(
      r.truncated_bytes,
      internal::RecordBytes(StreamName(kRecords + 3).size(), Payload(kRecords + 3).size()) - 5);
  EXPECT_EQ((*store)->LastPosition(), uint64_t{kRecords + 2});
  EXPECT_EQ(r.records_scanned, 2u);
}

}  // namespace
}  // namespace collabflow
