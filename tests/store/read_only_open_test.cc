// A directory store opened read-only (StoreOptions::read_only): beside a
// handle that holds the store and writes it, a reader sees every record
// complete at its open and none after (until it opens again), changes
// nothing on disk, and refuses every write.
#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "store/file_system.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::ReadBytes;
using ::collabflow::testing::ScratchDir;
using ::collabflow::testing::WriteBytes;

StoreOptions Writing() {
  StoreOptions o;
  o.durability = Durability::kNoSync;
  o.segment_bytes = 600;
  return o;
}

StoreOptions ReadOnly() {
  StoreOptions o = Writing();
  o.read_only = true;
  return o;
}

std::vector<std::string> Payloads(const EventStore& store) {
  std::vector<std::string> out;
  EXPECT_TRUE(store
                  .ReadAll(0,
                           [&](const StoredRecord& r) {
                             out.emplace_back(r.payload);
                             return absl::OkStatus();
                           })
                  .ok());
  return out;
}

// Every file under `dir` and its bytes.
std::map<std::string, std::string> Contents(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out[entry.path().string()] = ReadBytes(entry.path().string());
  }
  return out;
}

absl::Status AppendSome(EventStore& store, int from, int to) {
  for (int i = from; i <= to; ++i) {
    absl::Status s = store
                         .Append(absl::StrCat("request/R", i % 4), kAnyVersion,
                                 absl::StrCat("record ", i, std::string(40, '.')))
                         .status();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

TEST(ReadOnlyOpen, BesideTheWriterItSeesWhatWasCompleteAtItsOpen) {
  ScratchDir dir;
  auto writer = OpenDirectoryStore(dir.Sub("s"), Writing());
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE(AppendSome(**writer, 1, 30).ok());
  ASSERT_TRUE((*writer)->WriteSnapshot(20, "state at 20").ok());

  auto reader = OpenDirectoryStore(dir.Sub("s"), ReadOnly());  // the writer holds the lock
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(Payloads(**reader), Payloads(**writer));
  EXPECT_EQ((*reader)->LastPosition(), 30u);
  EXPECT_EQ((*(*reader)->LatestSnapshot())->state, "state at 20");

  ASSERT_TRUE(AppendSome(**writer, 31, 45).ok());
  EXPECT_EQ((*reader)->LastPosition(), 30u);  // what it read at its open
  EXPECT_EQ(Payloads(**reader).size(), 30u);
  // The writer's next snapshot removes the one the reader opened with: the
  // reader then has none (and folds from the start), not an error.
  ASSERT_TRUE((*writer)->WriteSnapshot(40, "state at 40").ok());
  auto gone = (*reader)->LatestSnapshot();
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_FALSE(gone->has_value());

  auto again = OpenDirectoryStore(dir.Sub("s"), ReadOnly());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(Payloads(**again), Payloads(**writer));
  EXPECT_EQ((*(*again)->LatestSnapshot())->state, "state at 40");
}

TEST(ReadOnlyOpen, EveryWriteIsRefused) {
  ScratchDir dir;
  {
    auto writer = OpenDirectoryStore(dir.Sub("s"), Writing());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(AppendSome(**writer, 1, 5).ok());
  }
  auto reader = OpenDirectoryStore(dir.Sub("s"), ReadOnly());
  ASSERT_TRUE(reader.ok()) << reader.status();
  const std::vector<absl::Status> refused = {
      (*reader)->Append("request/R1", kAnyVersion, "x").status(),
      (*reader)->WriteSnapshot(5, "state"),
      (*reader)->WriteStreamSnapshot("request/R1", 1, "state"),
  };
  for (const absl::Status& s : refused) {
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), "opened read-only")) << s;
  }
  EXPECT_EQ((*reader)->LastPosition(), 5u);
  EXPECT_TRUE((*reader)->Close().ok());
}

// A torn tail (a record being written), a leftover temporary file, no
// manifest: a writing open would cut, remove and write; a reader leaves
// every byte as it was and reads the records complete.
TEST(ReadOnlyOpen, NothingOnDiskChanges) {
  ScratchDir dir;
  const std::string s = dir.Sub("s");
  {
    auto writer = OpenDirectoryStore(s, Writing());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(AppendSome(**writer, 1, 13).ok());
  }
  std::vector<std::string> segments;
  for (const auto& e : std::filesystem::directory_iterator(s)) {
    if (absl::StartsWith(e.path().filename().string(), "journal-")) {
      segments.push_back(e.path().string());
    }
  }
  std::sort(segments.begin(), segments.end());
  // Record 13 cut short, as a crash (or a reader racing its writer) sees it.
  const std::string newest = ReadBytes(segments.back());
  WriteBytes(segments.back(), newest.substr(0, newest.size() - 10));
  WriteBytes(JoinPath(s, "snapshot-00000000000000000009.cfs.tmp"), "interrupted");
  std::filesystem::remove(JoinPath(s, "manifest.cfm"));
  const auto before = Contents(s);

  auto reader = OpenDirectoryStore(s, ReadOnly());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->LastPosition(), 12u);
  EXPECT_FALSE((*reader)->recovery().torn_tail_truncated);
  EXPECT_EQ(Payloads(**reader).size(), 12u);
  ASSERT_TRUE((*reader)->Close().ok());
  reader->reset();
  EXPECT_EQ(Contents(s), before);
}

TEST(ReadOnlyOpen, AMissingDirectoryIsNotFoundAndNotCreated) {
  ScratchDir dir;
  auto reader = OpenDirectoryStore(dir.Sub("none"), ReadOnly());
  EXPECT_TRUE(absl::IsNotFound(reader.status())) << reader.status();
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("none")));
}

TEST(ReadOnlyOpen, OnlyADirectoryStoreOpensReadOnly) {
  auto pg = OpenStore("postgresql:///nowhere?host=/nonexistent", ReadOnly());
  EXPECT_TRUE(absl::IsInvalidArgument(pg.status())) << pg.status();
}

}  // namespace
}  // namespace collabflow
