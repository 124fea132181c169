// Fault loop: a small workload (open, appends across several segment rolls, a
// snapshot with compaction, more appends, close) runs with the Nth I/O call
// failing, for N = 1, 2, ... until the workload completes without reaching a
// fault; once and persistently, with EIO, ENOSPC and short writes, counting
// every mutating call or only syncs. Each run must surface a clear error,
// refuse later writes if the journal failed, lose no acknowledged record, and
// reopen consistent once the fault clears.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "store/fault_injecting_file_system.h"
#include "store/file_system.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::KvModel;
using ::collabflow::testing::Replay;
using ::collabflow::testing::ScratchDir;

constexpr int kCommands = 14;
constexpr int kSnapshotAfter = 8;

struct Outcome {
  std::optional<absl::Status> first_error;
  bool error_from_append = false;
  std::optional<absl::Status> append_after_error;
  uint64_t acknowledged = 0;  // commands 1..acknowledged were acknowledged
};

StoreOptions Options(FileSystem* fs) {
  StoreOptions o;
  o.durability = Durability::kSyncEveryCommand;
  o.segment_bytes = 300;
  o.file_system = fs;
  return o;
}

std::vector<std::string> Commands() {
  std::mt19937_64 rng(99);
  std::vector<std::string> out;
  out.reserve(kCommands + 1);
  for (int i = 0; i < kCommands + 1; ++i) out.push_back(KvModel::RandomCommand(rng));
  return out;
}

// Runs the workload from an empty directory; stops at the first error.
Outcome RunWorkload(FileSystem* fs, const std::string& dir,
                    const std::vector<std::string>& commands) {
  Outcome out;
  auto store = OpenDirectoryStore(dir, Options(fs));
  if (!store.ok()) {
    out.first_error = store.status();
    return out;
  }
  KvModel model;
  for (int i = 0; i < kCommands; ++i) {
    auto seq = (*store)->Append(kEngineStream, kAnyVersion, commands[i]);
    if (!seq.ok()) {
      out.first_error = seq.status();
      out.error_from_append = true;
      out.append_after_error =
          (*store)->Append(kEngineStream, kAnyVersion, commands[kCommands]).status();
      return out;
    }
    EXPECT_EQ(*seq, static_cast<uint64_t>(i + 1));
    out.acknowledged = *seq;
    EXPECT_TRUE(model.Apply(commands[i]).ok());
    if (i + 1 == kSnapshotAfter) {
      if (absl::Status s = (*store)->WriteSnapshot(*seq, model.Encode()); !s.ok()) {
        out.first_error = s;
        return out;
      }
    }
  }
  if (absl::Status s = (*store)->Close(); !s.ok()) out.first_error = s;
  return out;
}

struct Case {
  const char* name;
  FaultPlan::Calls calls;
  FaultPlan::Effect effect;
  bool persistent;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class FaultLoop : public ::testing::TestWithParam<Case> {};

TEST_P(FaultLoop, ClearErrorNoAcknowledgedLossConsistentReopen) {
  const Case& c = GetParam();
  const std::vector<std::string> commands = Commands();
  FaultInjectingFileSystem fs(DefaultFileSystem());
  int faulted_runs = 0;
  for (uint64_t n = 1;; ++n) {
    SCOPED_TRACE(absl::StrCat("fault at call ", n));
    ASSERT_LT(n, 1000u) << "the workload never completed";
    ScratchDir scratch;
    const std::string dir = scratch.Sub("s");
    fs.Arm(FaultPlan{c.calls, c.effect, n, c.persistent});
    const Outcome out = RunWorkload(&fs, dir, commands);
    const uint64_t injected = fs.faults_injected();
    fs.Disarm();
    if (injected == 0) {
      // The fault point lies beyond the workload: it must have succeeded.
      ASSERT_FALSE(out.first_error.has_value()) << *out.first_error;
      ASSERT_EQ(out.acknowledged, static_cast<uint64_t>(kCommands));
      break;
    }
    ++faulted_runs;
    // Every injected fault reaches the caller, with the failing call named.
    ASSERT_TRUE(out.first_error.has_value()) << "an injected fault was swallowed";
    EXPECT_TRUE(absl::StrContains(out.first_error->message(), "injected fault"))
        << *out.first_error;
    if (c.effect == FaultPlan::Effect::kNoSpace && c.calls != FaultPlan::Calls::kSync) {
      EXPECT_TRUE(absl::StrContains(out.first_error->ToString(), "No space left") ||
                  absl::StrContains(out.first_error->ToString(), "RESOURCE_EXHAUSTED"))
          << *out.first_error;
    }
    if (out.error_from_append) {
      // A failed journal write or sync poisons the store until reopen.
      ASSERT_TRUE(out.append_after_error.has_value());
      EXPECT_TRUE(absl::IsFailedPrecondition(*out.append_after_error)) << *out.append_after_error;
      EXPECT_TRUE(absl::StrContains(out.append_after_error->message(), "reopen"))
          << *out.append_after_error;
      EXPECT_TRUE(absl::StrContains(out.append_after_error->message(), "injected fault"))
          << *out.append_after_error;
    }

    // The fault has cleared: the store reopens with every acknowledged record
    // and nothing but a prefix of the issued commands.
    auto store = OpenDirectoryStore(dir, Options(&fs));
    ASSERT_TRUE(store.ok()) << store.status();
    const uint64_t last = (*store)->LastPosition();
    ASSERT_GE(last, out.acknowledged) << "acknowledged record lost";
    ASSERT_LE(last, out.acknowledged + 1) << "more records than were issued";
    auto recovered = Replay(**store);
    ASSERT_TRUE(recovered.ok()) << recovered.status();
    KvModel reference;
    for (uint64_t i = 0; i < last; ++i) ASSERT_TRUE(reference.Apply(commands[i]).ok());
    EXPECT_EQ(recovered->model.Hash(), reference.Hash());
    for (size_t i = 0; i < recovered->tail.size(); ++i) {
      EXPECT_EQ(recovered->tail[i], commands[recovered->snapshot_covers + i]);
    }
    // And it keeps working.
    auto next = (*store)->Append(kEngineStream, kAnyVersion, commands[kCommands]);
    ASSERT_TRUE(next.ok()) << next.status();
    EXPECT_EQ(*next, last + 1);
    ASSERT_TRUE((*store)->Close().ok());
    auto again = OpenDirectoryStore(dir, Options(&fs));
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ((*again)->LastPosition(), last + 1);
  }
  EXPECT_GT(faulted_runs, 3);
  std::printf("%s: %d faulted runs\n", c.name, faulted_runs);
}

using Calls = FaultPlan::Calls;
using Effect = FaultPlan::Effect;
INSTANTIATE_TEST_SUITE_P(
    Faults, FaultLoop,
    ::testing::Values(Case{"AnyCallEioOnce", Calls::kAnyMutation, Effect::kIoError, false},
                      Case{"AnyCallEioPersistent", Calls::kAnyMutation, Effect::kIoError, true},
                      Case{"AnyCallEnospcOnce", Calls::kAnyMutation, Effect::kNoSpace, false},
                      Case{"AnyCallEnospcPersistent", Calls::kAnyMutation, Effect::kNoSpace, true},
                      Case{"ShortWriteOnce", Calls::kWrite, Effect::kShortWrite, false},
                      Case{"ShortWritePersistent", Calls::kWrite, Effect::kShortWrite, true},
                      Case{"FsyncFailsOnce", Calls::kSync, Effect::kIoError, false},
                      Case{"FsyncFailsPersistent", Calls::kSync, Effect::kIoError, true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(FaultInjectingFileSystem, FailsExactlyTheNthCountedCall) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  fs.Arm(FaultPlan{Calls::kWrite, Effect::kShortWrite, 2, false});
  auto file = fs.NewWritableFile(scratch.Sub("f"));  // not a write: not counted
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE((*file)->Append("abcd").ok());
  absl::Status s = (*file)->Append("efgh");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ((*file)->Size(), 6u);           // half of the second write landed
  EXPECT_TRUE((*file)->Append("ij").ok());  // once: the next write succeeds
  EXPECT_EQ(fs.counted_calls(), 3u);
  EXPECT_EQ(fs.faults_injected(), 1u);
}

TEST(FaultInjectingFileSystem, NoSpaceIsResourceExhausted) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  fs.Arm(FaultPlan{Calls::kAnyMutation, Effect::kNoSpace, 1, true});
  auto file = fs.NewWritableFile(scratch.Sub("f"));
  EXPECT_TRUE(absl::IsResourceExhausted(file.status())) << file.status();
  EXPECT_TRUE(absl::IsResourceExhausted(fs.CreateDir(scratch.Sub("d"))));
  fs.Disarm();
  EXPECT_TRUE(fs.CreateDir(scratch.Sub("d")).ok());
}

TEST(StoreFault, FailedFsyncPoisonsUntilReopen) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  auto store = OpenDirectoryStore(scratch.Sub("s"), Options(&fs));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, "one").ok());
  fs.Arm(FaultPlan{Calls::kSync, Effect::kIoError, 1, false});
  auto failed = (*store)->Append(kEngineStream, kAnyVersion, "two");
  EXPECT_FALSE(failed.ok());
  fs.Disarm();
  // The fault is gone, but what the kernel did with the unsynced pages is not
  // known: the store keeps refusing, naming the first failure.
  auto refused = (*store)->Append(kEngineStream, kAnyVersion, "three");
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "fdatasync")) << refused.status();
  EXPECT_TRUE(absl::IsFailedPrecondition((*store)->WriteSnapshot(1, "s")));
  EXPECT_EQ((*store)->LastPosition(), 1u);
  // Reads of acknowledged records still work.
  int read = 0;
  EXPECT_TRUE((*store)
                  ->ReadAll(0,
                            [&](const StoredRecord&) {
                              ++read;
                              return absl::OkStatus();
                            })
                  .ok());
  EXPECT_EQ(read, 1);
  store->reset();
  auto reopened = OpenDirectoryStore(scratch.Sub("s"), Options(&fs));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_GE((*reopened)->LastPosition(), 1u);
  EXPECT_TRUE((*reopened)->Append(kEngineStream, kAnyVersion, "four").ok());
}

TEST(StoreFault, FailedSnapshotWriteLeavesTheStoreWritable) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  auto store = OpenDirectoryStore(scratch.Sub("s"), Options(&fs));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, "one").ok());
  fs.Arm(FaultPlan{Calls::kWrite, Effect::kNoSpace, 1, false});
  absl::Status s = (*store)->WriteSnapshot(1, "state");
  EXPECT_TRUE(absl::IsResourceExhausted(s)) << s;
  fs.Disarm();
  // Nothing reached the disk that could be mistaken for a snapshot, so the
  // journal carries on.
  EXPECT_FALSE((*store)->LatestSnapshot()->has_value());
  EXPECT_EQ(*(*store)->Append(kEngineStream, kAnyVersion, "two"), 2u);
  for (const auto& e : std::filesystem::directory_iterator(scratch.Sub("s"))) {
    EXPECT_FALSE(absl::EndsWith(e.path().string(), ".tmp")) << e.path();
  }
}

TEST(StoreFault, FailedSnapshotFsyncPoisons) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  auto store = OpenDirectoryStore(scratch.Sub("s"), Options(&fs));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, "one").ok());
  fs.Arm(FaultPlan{Calls::kSync, Effect::kIoError, 1, false});
  EXPECT_FALSE((*store)->WriteSnapshot(1, "state").ok());
  fs.Disarm();
  auto refused = (*store)->Append(kEngineStream, kAnyVersion, "two");
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
  store->reset();
  auto reopened = OpenDirectoryStore(scratch.Sub("s"), Options(&fs));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->LastPosition(), 1u);
  EXPECT_FALSE((*reopened)->LatestSnapshot()->has_value());  // the temp file never counted
}

}  // namespace
}  // namespace collabflow
