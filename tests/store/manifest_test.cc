// The store's manifest (store/manifest_file.h): a directory store that had
// history never opens as an empty or shorter one. Each file-level change to
// a store of several segments, one row of a table: removed, renamed or
// damaged files are DATA_LOSS naming what is missing; a store written
// before the manifest, or whose manifest a crash left behind its newest
// segment, opens whole and gets one.
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "store/crc32c.h"
#include "store/file_system.h"
#include "store/journal_format.h"
#include "store/manifest_file.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::Files;
using ::collabflow::testing::ReadBytes;
using ::collabflow::testing::ScratchDir;
using ::collabflow::testing::WriteBytes;

constexpr int kRecords = 40;

StoreOptions Small() {
  StoreOptions o;
  o.durability = Durability::kNoSync;
  o.segment_bytes = 400;  // a segment every few records
  return o;
}

uint64_t RecordsIn(const EventStore& store) {
  uint64_t n = 0;
  EXPECT_TRUE(store
                  .ReadAll(0,
                           [&](const StoredRecord&) {
                             ++n;
                             return absl::OkStatus();
                           })
                  .ok());
  return n;
}

class ManifestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenDirectoryStore(dir(), Small());
    ASSERT_TRUE(store.ok()) << store.status();
    for (int i = 1; i <= kRecords; ++i) {
      ASSERT_TRUE((*store)
                      ->Append(absl::StrCat("request/R", i % 5), kAnyVersion,
                               std::string(30, static_cast<char>('a' + i % 26)))
                      .ok());
    }
    segments_ = Files(dir(), "journal-");
    ASSERT_GE(segments_.size(), 4u);
  }

  std::string dir() const { return scratch_.Sub("s"); }
  std::string manifest() const { return JoinPath(dir(), internal::kManifestFileName); }

  ScratchDir scratch_;
  std::vector<std::string> segments_;
};

TEST_F(ManifestTest, ItNamesTheNewestSegment) {
  auto read = internal::ReadManifestFile(DefaultFileSystem(), dir());
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(JoinPath(dir(), internal::SegmentFileName((*read)->newest_segment)), segments_.back());
}

struct Damage {
  const char* what;
  std::function<void(const std::string& dir, const std::vector<std::string>& segments)> apply;
  // What the open's DATA_LOSS message names (a file), or "" for any.
  std::function<std::string(const std::string& dir, const std::vector<std::string>& segments)>
      named;
};

TEST_F(ManifestTest, EveryFileLevelLossIsDataLoss) {
  namespace fs = std::filesystem;
  const auto newest = [](const std::string&, const std::vector<std::string>& s) {
    return s.back();
  };
  const auto manifest_file = [](const std::string& d, const std::vector<std::string>&) {
    return JoinPath(d, internal::kManifestFileName);
  };
  const std::vector<Damage> damages = {
      {"every segment removed",
       [](const std::string&, const std::vector<std::string>& s) {
         for (const std::string& p : s) fs::remove(p);
       },
       newest},
      {"the newest segment removed",
       [](const std::string&, const std::vector<std::string>& s) { fs::remove(s.back()); }, newest},
      {"the newest segment renamed to a name the store does not know",
       [](const std::string&, const std::vector<std::string>& s) {
         fs::rename(s.back(), s.back() + ".old");
       },
       newest},
      {"a middle segment removed",
       [](const std::string&, const std::vector<std::string>& s) { fs::remove(s[1]); },
       [](const std::string&, const std::vector<std::string>& s) { return s[2]; }},
      {"the first segment removed",
       [](const std::string&, const std::vector<std::string>& s) { fs::remove(s[0]); },
       [](const std::string&, const std::vector<std::string>& s) { return s[1]; }},
      {"a byte of the manifest changed",
       [](const std::string& d, const std::vector<std::string>&) {
         const std::string path = JoinPath(d, internal::kManifestFileName);
         std::string bytes = ReadBytes(path);
         bytes[14] ^= 0x01;
         WriteBytes(path, bytes);
       },
       manifest_file},
      {"the manifest cut short",
       [](const std::string& d, const std::vector<std::string>&) {
         const std::string path = JoinPath(d, internal::kManifestFileName);
         WriteBytes(path, ReadBytes(path).substr(0, 10));
       },
       manifest_file},
      {"the manifest replaced by a directory",
       [](const std::string& d, const std::vector<std::string>&) {
         const std::string path = JoinPath(d, internal::kManifestFileName);
         fs::remove(path);
         fs::create_directory(path);
       },
       manifest_file},
  };
  for (const Damage& damage : damages) {
    SCOPED_TRACE(damage.what);
    ScratchDir copy;
    const std::string d = copy.Sub("s");
    fs::copy(dir(), d);
    std::vector<std::string> segments;
    for (const std::string& p : segments_)
      segments.push_back(JoinPath(d, fs::path(p).filename().string()));
    damage.apply(d, segments);
    auto store = OpenDirectoryStore(d, Small());
    EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
    EXPECT_TRUE(absl::StrContains(store.status().message(), damage.named(d, segments)))
        << store.status();
  }
}

TEST_F(ManifestTest, AStoreWithoutOneOpensWholeAndGetsOne) {
  ASSERT_TRUE(std::filesystem::remove(manifest()));
  {
    auto store = OpenDirectoryStore(dir(), Small());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(RecordsIn(**store), static_cast<uint64_t>(kRecords));
  }
  // It has one now: the newest segment's loss is found.
  std::filesystem::remove(segments_.back());
  EXPECT_TRUE(absl::IsDataLoss(OpenDirectoryStore(dir(), Small()).status()));
}

// A crash after a segment was started and before the manifest named it:
// the manifest names an older segment; the open catches it up.
TEST_F(ManifestTest, AManifestBehindTheNewestSegmentIsCaughtUp) {
  ASSERT_TRUE(internal::WriteManifestFile(DefaultFileSystem(), dir(), internal::Manifest{1}).ok());
  {
    auto store = OpenDirectoryStore(dir(), Small());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(RecordsIn(**store), static_cast<uint64_t>(kRecords));
  }
  auto read = internal::ReadManifestFile(DefaultFileSystem(), dir());
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ(JoinPath(dir(), internal::SegmentFileName((*read)->newest_segment)), segments_.back());
}

TEST_F(ManifestTest, AManifestOfAnotherFormatIsRefused) {
  std::string bytes = ReadBytes(manifest());
  bytes[8] = 9;  // format 9, its checksum made to hold
  const uint32_t crc = internal::crc32c::Mask(internal::crc32c::Value(bytes.data(), 20));
  std::memcpy(&bytes[20], &crc, 4);
  WriteBytes(manifest(), bytes);
  auto store = OpenDirectoryStore(dir(), Small());
  EXPECT_TRUE(absl::IsFailedPrecondition(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "manifest format version 9"))
      << store.status();
}

}  // namespace
}  // namespace collabflow
