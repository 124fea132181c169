// Power loss, not only process death. The fault-injecting file system tracks
// what is durable (file bytes up to the last fdatasync, directory entries up
// to the last directory fsync) and SimulatePowerLoss() drops the rest (the
// model is in fault_injecting_file_system.h). These tests pin the model.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "store/fault_injecting_file_system.h"
#include "store/file_system.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::ScratchDir;

std::string Read(const std::string& path) {
  auto bytes = ReadWholeFile(DefaultFileSystem(), path);
  return bytes.ok() ? *bytes : "<" + bytes.status().ToString() + ">";
}

void Write(FileSystem* fs, const std::string& path, absl::string_view bytes, bool sync) {
  auto file = fs->NewWritableFile(path);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_TRUE((*file)->Append(bytes).ok());
  if (sync) {
    ASSERT_TRUE((*file)->Sync().ok());
  }
  ASSERT_TRUE((*file)->Close().ok());
}

// ---- The model ----

TEST(PowerLossModel, DropsBytesAppendedAfterTheLastSync) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  const std::string path = scratch.Sub("f");
  Write(&fs, path, "durable", /*sync=*/true);
  ASSERT_TRUE(fs.SyncDir(scratch.path()).ok());
  {
    auto file = fs.OpenAppendableFile(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append("+synced").ok());
    ASSERT_TRUE((*file)->Sync().ok());
    ASSERT_TRUE((*file)->Append("+lost").ok());
  }
  EXPECT_EQ(Read(path), "durable+synced+lost");  // the page cache, before the crash
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_EQ(Read(path), "durable+synced");
}

TEST(PowerLossModel, FileSyncedInAnUnsyncedDirectoryDisappears) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  Write(&fs, scratch.Sub("f"), "data", /*sync=*/true);
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_FALSE(std::filesystem::exists(scratch.Sub("f")));
}

TEST(PowerLossModel, DirectorySyncMakesCreationRenameAndRemovalDurable) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  Write(&fs, scratch.Sub("a"), "a", /*sync=*/true);
  Write(&fs, scratch.Sub("b.tmp"), "b", /*sync=*/true);
  ASSERT_TRUE(fs.RenameFile(scratch.Sub("b.tmp"), scratch.Sub("b")).ok());
  Write(&fs, scratch.Sub("c"), "c", /*sync=*/true);
  ASSERT_TRUE(fs.RemoveFile(scratch.Sub("c")).ok());
  ASSERT_TRUE(fs.SyncDir(scratch.path()).ok());
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_EQ(Read(scratch.Sub("a")), "a");
  EXPECT_EQ(Read(scratch.Sub("b")), "b");
  EXPECT_FALSE(std::filesystem::exists(scratch.Sub("b.tmp")));
  EXPECT_FALSE(std::filesystem::exists(scratch.Sub("c")));
}

TEST(PowerLossModel, UnsyncedRenameRevertsAndBringsBackTheFileItReplaced) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  Write(&fs, scratch.Sub("snap"), "old", /*sync=*/true);
  Write(&fs, scratch.Sub("snap.tmp"), "new", /*sync=*/true);
  ASSERT_TRUE(fs.SyncDir(scratch.path()).ok());
  ASSERT_TRUE(fs.RenameFile(scratch.Sub("snap.tmp"), scratch.Sub("snap")).ok());
  EXPECT_EQ(Read(scratch.Sub("snap")), "new");
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_EQ(Read(scratch.Sub("snap")), "old");
  EXPECT_EQ(Read(scratch.Sub("snap.tmp")), "new");
}

TEST(PowerLossModel, UnsyncedRemovalBringsTheFileBackWithItsDurableBytes) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  const std::string path = scratch.Sub("segment");
  Write(&fs, path, "synced", /*sync=*/true);
  ASSERT_TRUE(fs.SyncDir(scratch.path()).ok());
  {
    auto file = fs.OpenAppendableFile(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append("+unsynced").ok());
  }
  ASSERT_TRUE(fs.RemoveFile(path).ok());
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_EQ(Read(path), "synced");
}

TEST(PowerLossModel, UnsyncedTruncationIsUndone) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  const std::string path = scratch.Sub("f");
  Write(&fs, path, "0123456789", /*sync=*/true);
  ASSERT_TRUE(fs.SyncDir(scratch.path()).ok());
  {
    auto file = fs.OpenAppendableFile(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Truncate(6).ok());
    ASSERT_TRUE((*file)->Append("ab").ok());
    ASSERT_TRUE((*file)->Truncate(4).ok());
    ASSERT_TRUE((*file)->Append("xyz").ok());
  }
  EXPECT_EQ(Read(path), "0123xyz");
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kKeepSomeUnsynced, 7).ok());
  EXPECT_EQ(Read(path), "0123456789");
}

TEST(PowerLossModel, UnsyncedCreateDirRemovesTheDirectoryAndItsFiles) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  const std::string dir = scratch.Sub("store");
  ASSERT_TRUE(fs.CreateDir(dir).ok());
  Write(&fs, JoinPath(dir, "f"), "data", /*sync=*/true);
  ASSERT_TRUE(fs.SyncDir(dir).ok());  // the file's entry, not the directory's own
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST(PowerLossModel, KeepSomeUnsyncedKeepsPrefixesOfOperationsAndBytes) {
  // Directory operations: create a, rename a to b, create c (all unsynced).
  // A power loss keeps a prefix of them: nothing, {a}, {b}, or {b, c}; and of
  // b's or c's unsynced bytes, a prefix.
  std::vector<bool> seen(4, false);
  bool torn = false;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ScratchDir scratch;
    FaultInjectingFileSystem fs(DefaultFileSystem());
    Write(&fs, scratch.Sub("a"), "synced", /*sync=*/true);
    ASSERT_TRUE(fs.RenameFile(scratch.Sub("a"), scratch.Sub("b")).ok());
    Write(&fs, scratch.Sub("c"), "unsynced", /*sync=*/false);
    ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kKeepSomeUnsynced, seed).ok());
    const bool a = std::filesystem::exists(scratch.Sub("a"));
    const bool b = std::filesystem::exists(scratch.Sub("b"));
    const bool c = std::filesystem::exists(scratch.Sub("c"));
    int state = -1;
    if (!a && !b && !c) state = 0;
    if (a && !b && !c) state = 1;
    if (!a && b && !c) state = 2;
    if (!a && b && c) state = 3;
    ASSERT_GE(state, 0) << "not a prefix: a=" << a << " b=" << b << " c=" << c;
    seen[state] = true;
    if (a) {
      EXPECT_EQ(Read(scratch.Sub("a")), "synced");
    }
    if (b) {
      EXPECT_EQ(Read(scratch.Sub("b")), "synced");
    }
    if (c) {
      const std::string kept = Read(scratch.Sub("c"));
      EXPECT_TRUE(absl::StartsWith("unsynced", kept)) << kept;
      if (!kept.empty() && kept != "unsynced") torn = true;
    }
  }
  for (int state = 0; state < 4; ++state) EXPECT_TRUE(seen[state]) << "never saw state " << state;
  EXPECT_TRUE(torn) << "never kept part of the unsynced bytes";
}

TEST(PowerLossModel, RefusesWhileAFileOrLockIsOpen) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  {
    auto file = fs.NewWritableFile(scratch.Sub("f"));
    ASSERT_TRUE(file.ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1)));
  }
  {
    auto lock = fs.LockFile(scratch.Sub("LOCK"), "test");
    ASSERT_TRUE(lock.ok());
    EXPECT_TRUE(absl::IsFailedPrecondition(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1)));
  }
  EXPECT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_FALSE(std::filesystem::exists(scratch.Sub("LOCK")));
}

TEST(PowerLossModel, SyncsAreTrackedWhenNotForwarded) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  fs.set_forward_syncs(false);
  Write(&fs, scratch.Sub("f"), "data", /*sync=*/true);
  ASSERT_TRUE(fs.SyncDir(scratch.path()).ok());
  ASSERT_TRUE(fs.SimulatePowerLoss(PowerLoss::kDropUnsynced, 1).ok());
  EXPECT_EQ(Read(scratch.Sub("f")), "data");
}

}  // namespace
}  // namespace collabflow
