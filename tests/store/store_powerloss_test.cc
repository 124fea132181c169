// Power loss, not only process death. The fault-injecting file system tracks
// what is durable (file bytes up to the last fdatasync, directory entries up
// to the last directory fsync) and SimulatePowerLoss() drops the rest (the
// model is in fault_injecting_file_system.h). First the model itself, then
// the trial loop: each trial runs a random workload on a fresh directory in
// one to three rounds; a round opens the store as the last power loss left
// it, appends from one or more threads (sync every command, or group commit
// with several threads), writes snapshots and rolls small segments, and
// loses power at a random mutating call. A copy of the directory must then
// open (no DATA_LOSS) with every acknowledged append and snapshot, nothing
// but a prefix of what was attempted (in each thread's order), and a state
// equal to the reference fold of that prefix. The next round recovers the
// original directory, so crashes land in recovery too. Records go to several
// streams, and every snapshot writes the stream index, so power also goes
// out in index writes: the recovered store, opened through its index when
// one is valid, must read exactly as a full scan of the same files (heads,
// streams, records). Last, the same
// through the Engine: its state after the crash is an in-memory engine's
// after the surviving commands.
//
// Trials: 100 (the engine's: a quarter of that); 10 in sanitizer builds (the
// loop runs once per CI pass, not again under ASan);
// $COLLABFLOW_POWERLOSS_TRIALS overrides (the long run registers 1,000).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "store/fault_injecting_file_system.h"
#include "store/file_system.h"
#include "support/commands.h"
#include "support/seed_scenario.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::KvModel;
using ::collabflow::testing::Replay;
using ::collabflow::testing::ScratchDir;

int Trials() {
  const char* env = std::getenv("COLLABFLOW_POWERLOSS_TRIALS");
  if (env != nullptr && std::atoi(env) > 0) return std::atoi(env);
#ifdef COLLABFLOW_SANITIZED_BUILD
  return 10;
#else
  return 100;
#endif
}

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

TEST(PowerLossModel, SyncFileMakesWhatAnotherHandleAppendedDurable) {
  ScratchDir scratch;
  FaultInjectingFileSystem fs(DefaultFileSystem());
  const std::string path = scratch.Sub("f");
  Write(&fs, path, "durable", /*sync=*/true);
  ASSERT_TRUE(fs.SyncDir(scratch.path()).ok());
  {
    auto file = fs.OpenAppendableFile(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append("+synced").ok());
    ASSERT_TRUE(fs.SyncFile(path).ok());  // through a handle of its own
    ASSERT_TRUE((*file)->Append("+lost").ok());
  }
  EXPECT_FALSE(fs.SyncFile(scratch.Sub("missing")).ok());
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

// ---- The trial loop ----

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Command `index` of thread `thread` in round `round`: it names itself, so a
// record read back says who attempted it; keys are shared, so the fold
// depends on the order.
std::string Command(int round, int thread, uint64_t index) {
  const uint64_t h =
      Mix((static_cast<uint64_t>(round) << 48) ^ (static_cast<uint64_t>(thread) << 40) ^ index);
  return KvModel::Set(absl::StrCat("k", h % 11),
                      absl::StrCat(round, ".", thread, ".", index, ".", std::string(h % 97, 'v')));
}

KvModel Fold(const std::vector<std::string>& records, size_t n) {
  KvModel m;
  for (size_t i = 0; i < n; ++i) EXPECT_TRUE(m.Apply(records[i]).ok());
  return m;
}

// A thread's records go to its own stream, one in three to kEngineStream
// (shared by every thread).
std::string StreamOf(int thread, uint64_t index) {
  return index % 3 == 0 ? std::string(kEngineStream) : absl::StrCat("thread-", thread);
}
constexpr int kMaxThreads = 4;

// Everything a reader can see: ReadAll, and each possible stream read by
// ReadStream (whose versions must run 1, 2, 3, ...).
std::vector<std::string> Listing(const EventStore& store) {
  std::vector<std::string> out = {
      absl::StrCat("last ", store.LastPosition(), ", streams ", store.recovery().streams)};
  absl::Status s = store.ReadAll(0, [&](const StoredRecord& r) {
    out.push_back(absl::StrCat(r.position, " ", r.stream, " ", r.version, " ", r.payload));
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  for (int t = -1; t < kMaxThreads; ++t) {
    const std::string stream = t < 0 ? std::string(kEngineStream) : absl::StrCat("thread-", t);
    uint64_t version = 0;
    s = store.ReadStream(stream, 0, [&](const StoredRecord& r) {
      EXPECT_EQ(r.version, ++version);
      out.push_back(absl::StrCat(stream, " ", r.version, " at ", r.position, " ", r.payload));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
  }
  return out;
}

struct RoundPlan {
  int round = 0;
  Durability durability = Durability::kSyncEveryCommand;
  int threads = 1;
  uint64_t segment_bytes = 512;
  size_t max_group_bytes = size_t{1} << 20;
  uint64_t snapshot_one_in = 8;  // thread 0 snapshots after about 1 in this many acks
  uint64_t crash_at = 1;         // the mutating call the power goes out at
  PowerLoss power_loss = PowerLoss::kDropUnsynced;
  uint64_t seed = 0;
};

struct RoundResult {
  bool opened = false;
  // acked[t][i]: the position command i of thread t was acknowledged at.
  std::vector<std::vector<uint64_t>> acked;
  uint64_t snapshot_acked = 0;           // the largest acknowledged WriteSnapshot
  std::vector<absl::Status> stopped_by;  // each thread's failed append
};

constexpr uint64_t kMaxAppendsPerThread = 5000;  // far beyond any crash point

// Runs one round on `dir` through `fs` until the power goes out, then drops
// what was not durable.
RoundResult RunRound(FaultInjectingFileSystem* fs, const std::string& dir, const RoundPlan& plan,
                     const std::vector<std::string>& history) {
  RoundResult result;
  result.acked.resize(plan.threads);
  result.stopped_by.resize(plan.threads);
  StoreOptions options;
  options.durability = plan.durability;
  options.segment_bytes = plan.segment_bytes;
  options.max_group_bytes = plan.max_group_bytes;
  options.file_system = fs;
  fs->Arm(FaultPlan{FaultPlan::Calls::kAnyMutation, FaultPlan::Effect::kIoError, plan.crash_at,
                    /*persistent=*/true});
  {
    auto store = OpenDirectoryStore(dir, options);
    if (store.ok()) {
      result.opened = true;
      EventStore* s = store->get();
      EXPECT_EQ(s->LastPosition(), history.size()) << "recovery disagrees with the last check";
      std::vector<std::thread> threads;
      for (int t = 0; t < plan.threads; ++t) {
        threads.emplace_back([&, t] {
          std::mt19937_64 rng(Mix(plan.seed ^ static_cast<uint64_t>(t)));
          // Thread 0's snapshots: the fold through `folded`, advanced by reading.
          KvModel model = t == 0 ? Fold(history, history.size()) : KvModel();
          uint64_t folded = history.size();
          for (uint64_t i = 0; i < kMaxAppendsPerThread; ++i) {
            auto position = s->Append(StreamOf(t, i), kAnyVersion, Command(plan.round, t, i));
            if (!position.ok()) {                        // the power is out
              result.stopped_by[t] = position.status();  // checked after the join
              return;
            }
            result.acked[t].push_back(*position);
            if (t != 0 || rng() % plan.snapshot_one_in != 0) continue;
            absl::Status read = s->ReadAll(folded, [&](const StoredRecord& r) {
              folded = r.position;
              return model.Apply(r.payload);
            });
            if (!read.ok()) {
              ADD_FAILURE() << "reading acknowledged records: " << read;
              return;
            }
            if (s->WriteSnapshot(folded, model.Encode()).ok()) result.snapshot_acked = folded;
          }
        });
      }
      for (std::thread& thread : threads) thread.join();
      // Nothing but the power failed. (Read here, not in the threads: they
      // share the poison status, whose reference count ThreadSanitizer cannot
      // see in Debian's uninstrumented Abseil.)
      for (const absl::Status& stopped_by : result.stopped_by) {
        EXPECT_TRUE(absl::StrContains(stopped_by.message(), "injected fault"))
            << (stopped_by.ok() ? "the power never went out" : stopped_by.ToString());
      }
    } else {
      EXPECT_TRUE(absl::StrContains(store.status().message(), "injected fault")) << store.status();
    }
  }  // the store is gone: a dead process holds no files
  EXPECT_GT(fs->faults_injected(), 0u) << "the power never went out";
  fs->Disarm();
  absl::Status lost = fs->SimulatePowerLoss(plan.power_loss, plan.seed);
  EXPECT_TRUE(lost.ok()) << lost;
  return result;
}

struct Totals {
  uint64_t rounds = 0, acked = 0, unacked_survivors = 0, torn_tails = 0, crashes_in_open = 0,
           snapshots = 0, missing_dirs = 0, index_opens = 0, index_rejections = 0;
};

// Opens a copy of `dir` (so the next round recovers the original) and checks
// it against the round; returns the surviving history through `history`.
void CheckRound(const std::string& dir, const std::string& copy, const RoundPlan& plan,
                const RoundResult& result, uint64_t* durable_snapshot,
                std::vector<std::string>* history, Totals* totals) {
  uint64_t acked = 0;
  for (const auto& positions : result.acked) acked += positions.size();
  totals->acked += acked;
  if (!std::filesystem::exists(dir)) {
    // Only an unsynced creation of the directory may vanish, and then nothing
    // in it was ever acknowledged.
    ++totals->missing_dirs;
    ASSERT_TRUE(history->empty()) << "the store directory vanished with durable records in it";
    ASSERT_EQ(acked, 0u) << "acknowledged appends in a directory that vanished";
    return;
  }
  std::filesystem::copy(dir, copy, std::filesystem::copy_options::recursive);
  // The same files opened by a full scan, for comparison.
  const std::string scanned_copy = copy + "-scanned";
  std::filesystem::copy(dir, scanned_copy, std::filesystem::copy_options::recursive);
  auto store = OpenDirectoryStore(copy);
  ASSERT_TRUE(store.ok()) << "the store does not open after the power loss: " << store.status();
  if ((*store)->recovery().torn_tail_truncated) ++totals->torn_tails;
  if ((*store)->recovery().index_used) ++totals->index_opens;
  if (!(*store)->recovery().index_rejected.empty()) {
    ++totals->index_rejections;
    // An index is whole or absent (written aside, synced, renamed) and covers
    // only durable records: a power loss never makes it disagree.
    ADD_FAILURE() << "index rejected after a power loss: " << (*store)->recovery().index_rejected;
  }
  {
    StoreOptions full_scan;
    full_scan.verify_whole_journal_on_open = true;
    auto scanned = OpenDirectoryStore(scanned_copy, full_scan);
    ASSERT_TRUE(scanned.ok()) << scanned.status();
    ASSERT_EQ(Listing(**store), Listing(**scanned))
        << "the store opened through its index reads otherwise than a full scan";
  }
  auto recovered = Replay(**store);
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  const uint64_t last = (*store)->LastPosition();
  const uint64_t covers = recovered->snapshot_covers;
  ASSERT_GE(last, history->size()) << "records durable before this round were lost";
  ASSERT_GE(covers, *durable_snapshot) << "an acknowledged snapshot was lost";
  ASSERT_GE(covers, result.snapshot_acked) << "an acknowledged snapshot was lost";

  // Every position, from what was durable before, the acknowledgements, and
  // the tail read back.
  std::vector<std::optional<std::string>> records(last);
  for (size_t p = 0; p < history->size(); ++p) records[p] = (*history)[p];
  for (int t = 0; t < plan.threads; ++t) {
    for (size_t i = 0; i < result.acked[t].size(); ++i) {
      const uint64_t position = result.acked[t][i];
      ASSERT_LE(position, last) << "acknowledged append lost: thread " << t << " command " << i;
      ASSERT_GT(position, history->size());
      ASSERT_FALSE(records[position - 1].has_value()) << "position " << position << " twice";
      records[position - 1] = Command(plan.round, t, i);
    }
  }
  std::vector<bool> survivor_used(plan.threads, false);
  for (size_t i = 0; i < recovered->tail.size(); ++i) {
    const uint64_t position = covers + 1 + i;
    const std::string& got = recovered->tail[i];
    if (records[position - 1].has_value()) {
      ASSERT_EQ(got, *records[position - 1]) << "position " << position;
      continue;
    }
    // Not acknowledged: only a thread's one append in flight may have reached
    // the disk, after everything that thread had acknowledged.
    bool matched = false;
    for (int t = 0; t < plan.threads && !matched; ++t) {
      if (survivor_used[t] || got != Command(plan.round, t, result.acked[t].size())) continue;
      if (!result.acked[t].empty()) {
        ASSERT_GT(position, result.acked[t].back());
      }
      survivor_used[t] = matched = true;
    }
    ASSERT_TRUE(matched) << "position " << position
                         << " holds what was never attempted there: " << got;
    records[position - 1] = got;
    ++totals->unacked_survivors;
  }
  std::vector<std::string> surviving;
  for (uint64_t p = 1; p <= last; ++p) {
    ASSERT_TRUE(records[p - 1].has_value())
        << "position " << p << " is covered by the snapshot but was never acknowledged";
    surviving.push_back(*records[p - 1]);
  }
  // The state: the snapshot is the fold of what it covers, and the replay is
  // the fold of the surviving prefix.
  if (covers > 0) {
    auto snapshot = (*store)->LatestSnapshot();
    ASSERT_TRUE(snapshot.ok() && snapshot->has_value());
    ASSERT_EQ((*snapshot)->state, Fold(surviving, covers).Encode());
  }
  ASSERT_EQ(recovered->model.Hash(), Fold(surviving, surviving.size()).Hash());
  *durable_snapshot = covers;
  *history = std::move(surviving);
}

void RunTrial(uint64_t seed, Totals* totals) {
  std::mt19937_64 rng(seed);
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  FaultInjectingFileSystem fs(DefaultFileSystem());
  fs.set_forward_syncs(false);  // durability is what fs tracks
  std::vector<std::string> history;
  uint64_t durable_snapshot = 0;
  const int rounds = 1 + static_cast<int>(rng() % 3);
  for (int round = 0; round < rounds; ++round) {
    RoundPlan plan;
    plan.round = round;
    plan.durability = rng() % 2 == 0 ? Durability::kSyncEveryCommand : Durability::kGroupCommit;
    plan.threads = plan.durability == Durability::kGroupCommit ? 2 + static_cast<int>(rng() % 3)
                                                               : 1 + static_cast<int>(rng() % 2);
    // Mostly small segments, rolled often; sometimes one that never rolls,
    // so a snapshot has no segment to compact.
    plan.segment_bytes = rng() % 4 == 0 ? uint64_t{1} << 20 : 128 + rng() % 900;
    if (rng() % 2 == 0) plan.max_group_bytes = 128 + rng() % 400;
    plan.snapshot_one_in = 3 + rng() % 10;
    // One round in four loses power early: in recovery, or soon after.
    plan.crash_at = 1 + rng() % (rng() % 4 == 0 ? 24 : 240);
    plan.power_loss = rng() % 2 == 0 ? PowerLoss::kDropUnsynced : PowerLoss::kKeepSomeUnsynced;
    plan.seed = rng();
    SCOPED_TRACE(absl::StrCat(
        "round ", round, ": ",
        plan.durability == Durability::kGroupCommit ? "group commit" : "sync every command", ", ",
        plan.threads, " threads, segment_bytes ", plan.segment_bytes, ", max_group_bytes ",
        plan.max_group_bytes, ", power lost at mutating call ", plan.crash_at, ", ",
        plan.power_loss == PowerLoss::kDropUnsynced ? "dropping" : "keeping some",
        " unsynced writes"));
    const RoundResult result = RunRound(&fs, dir, plan, history);
    ++totals->rounds;
    if (!result.opened) ++totals->crashes_in_open;
    if (result.snapshot_acked > 0) ++totals->snapshots;
    CheckRound(dir, scratch.Sub(absl::StrCat("check-", round)), plan, result, &durable_snapshot,
               &history, totals);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(StorePowerLoss, EveryAcknowledgedWriteSurvivesAndTheStateIsTheFoldOfAPrefix) {
  const int trials = Trials();
  Totals totals;
  for (int trial = 0; trial < trials; ++trial) {
    const uint64_t seed = 20261001 + static_cast<uint64_t>(trial);
    SCOPED_TRACE(absl::StrCat("trial ", trial, " (seed ", seed, ")"));
    RunTrial(seed, &totals);
    if (HasFatalFailure()) return;
  }
  RecordProperty("trials", trials);
  RecordProperty("acknowledged", static_cast<int>(totals.acked));
  std::printf(
      "%d trials, %llu rounds: %llu appends acknowledged, %llu unacknowledged survived, "
      "%llu torn tails cut, %llu power losses during open, %llu rounds with a snapshot, "
      "%llu store directories lost before their first sync, %llu opens through the stream "
      "index, %llu indexes rejected\n",
      trials, static_cast<unsigned long long>(totals.rounds),
      static_cast<unsigned long long>(totals.acked),
      static_cast<unsigned long long>(totals.unacked_survivors),
      static_cast<unsigned long long>(totals.torn_tails),
      static_cast<unsigned long long>(totals.crashes_in_open),
      static_cast<unsigned long long>(totals.snapshots),
      static_cast<unsigned long long>(totals.missing_dirs),
      static_cast<unsigned long long>(totals.index_opens),
      static_cast<unsigned long long>(totals.index_rejections));
  // The loop reaches what it claims to (needs enough trials to be sure).
  EXPECT_GT(totals.acked, 0u);
  if (trials >= 100) {
    EXPECT_GT(totals.unacked_survivors, 0u);
    EXPECT_GT(totals.torn_tails, 0u);
    EXPECT_GT(totals.crashes_in_open, 0u);
    EXPECT_GT(totals.snapshots, 0u);
    EXPECT_GT(totals.index_opens, 0u);
  }
}

// ---- Through the engine ----
// The same crash against Engine commands: the seed scenario and copies of
// its request, executed in order by one thread (sync every command, or group
// commit's two-phase path), with snapshots now and then. After each power
// loss the engine reopens a copy with a state equal to that of an in-memory
// engine that executed the acknowledged commands, or those and the one in
// flight, and a history that verifies; the next round continues on the
// original directory from there.

std::vector<v1::Command> EngineCommands() {
  using namespace collabflow::testing;  // NOLINT: the seed vocabulary
  const absl::Time t0 = Shanghai(2026, 8, 31, 9);
  std::vector<v1::Command> commands = {UpdateDirectoryCommand(SeedDirectory(), t0)};
  for (v1::Command& c : SeedCommands()) commands.push_back(std::move(c));
  for (int i = 0; i < 8; ++i) {
    v1::CollaborationRequest request = SeedRequestProto();
    const std::string id = absl::StrCat("R-", i);
    request.set_id(id);
    commands.push_back(CreateRequestCommand(kInitiator, t0, request));
    commands.push_back(SubmitRequestCommand(kInitiator, t0, id));
    commands.push_back(RespondCommand(kOwner, t0, id, Accept("market", "策划")));
    commands.push_back(RespondCommand(kSalesHead, t0, id, Accept("sales", "数据")));
  }
  return commands;
}

TEST(EnginePowerLoss, StateIsTheReferenceFoldOfTheSurvivingCommands) {
  const std::vector<v1::Command> commands = EngineCommands();
  // states[k]: the state after the first k commands, from an in-memory engine.
  std::vector<std::string> states;
  {
    auto reference = Engine::Open();
    ASSERT_TRUE(reference.ok()) << reference.status();
    states.push_back((*reference)->StateBytes());
    for (const v1::Command& c : commands) {
      auto accepted = (*reference)->Execute(c);
      ASSERT_TRUE(accepted.ok()) << accepted.status();
      states.push_back((*reference)->StateBytes());
    }
  }
  const int trials = std::max(1, Trials() / 4);
  uint64_t acked_total = 0, unacked_survivors = 0, crashes_in_open = 0, completed = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const uint64_t seed = 20261101 + static_cast<uint64_t>(trial);
    SCOPED_TRACE(absl::StrCat("trial ", trial, " (seed ", seed, ")"));
    std::mt19937_64 rng(seed);
    ScratchDir scratch;
    const std::string dir = scratch.Sub("store");
    FaultInjectingFileSystem fs(DefaultFileSystem());
    fs.set_forward_syncs(false);
    size_t durable = 0;  // commands known to be on disk
    const int rounds = 1 + static_cast<int>(rng() % 3);
    for (int round = 0; round < rounds && durable < commands.size(); ++round) {
      EngineOptions options;
      options.store_dir = dir;
      options.store.durability =
          rng() % 2 == 0 ? Durability::kSyncEveryCommand : Durability::kGroupCommit;
      options.store.segment_bytes = 1024 + rng() % 4096;
      options.store.file_system = &fs;
      const uint64_t crash_at = 1 + rng() % (rng() % 4 == 0 ? 24 : 120);
      const uint64_t snapshot_one_in = 3 + rng() % 8;
      const PowerLoss power_loss =
          rng() % 2 == 0 ? PowerLoss::kDropUnsynced : PowerLoss::kKeepSomeUnsynced;
      SCOPED_TRACE(absl::StrCat("round ", round, ", power lost at mutating call ", crash_at));
      size_t acked = durable;
      fs.Arm(FaultPlan{FaultPlan::Calls::kAnyMutation, FaultPlan::Effect::kIoError, crash_at,
                       /*persistent=*/true});
      {
        auto engine = Engine::Open(options);
        if (engine.ok()) {
          ASSERT_EQ((*engine)->StateBytes(), states[durable]);
          while (acked < commands.size()) {
            auto executed = (*engine)->Execute(commands[acked]);
            if (!executed.ok()) {  // the power is out: nothing else may fail
              EXPECT_TRUE(absl::StrContains(executed.status().message(), "injected fault"))
                  << executed.status();
              break;
            }
            ++acked;
            if (rng() % snapshot_one_in == 0) (*engine)->WriteSnapshot().IgnoreError();
          }
        } else {
          ++crashes_in_open;
        }
      }
      if (acked == commands.size()) ++completed;  // the power went out after the last command
      acked_total += acked - durable;
      fs.Disarm();
      ASSERT_TRUE(fs.SimulatePowerLoss(power_loss, rng()).ok());

      if (!std::filesystem::exists(dir)) {
        ASSERT_EQ(acked, 0u) << "acknowledged commands in a directory that vanished";
        continue;
      }
      const std::string copy = scratch.Sub(absl::StrCat("check-", round));
      std::filesystem::copy(dir, copy, std::filesystem::copy_options::recursive);
      EngineOptions check;
      check.store_dir = copy;
      auto recovered = Engine::Open(check);
      ASSERT_TRUE(recovered.ok()) << "the engine does not open after the power loss: "
                                  << recovered.status();
      const absl::Status history = (*recovered)->VerifyHistory();
      ASSERT_TRUE(history.ok()) << history;
      const std::string state = (*recovered)->StateBytes();
      if (state == states[acked]) {
        durable = acked;
      } else if (acked < commands.size() && state == states[acked + 1]) {
        durable = acked + 1;  // the command in flight reached the disk
        ++unacked_survivors;
      } else {
        size_t k = 0;
        while (k < states.size() && states[k] != state) ++k;
        FAIL() << acked << " commands were acknowledged, but the recovered state is "
               << (k < states.size() ? absl::StrCat("that after ", k)
                                     : std::string("none of the reference states"));
      }
    }
  }
  std::printf(
      "%d trials: %llu commands acknowledged, %llu unacknowledged survived, %llu power losses "
      "during open, %llu after the last command\n",
      trials, static_cast<unsigned long long>(acked_total),
      static_cast<unsigned long long>(unacked_survivors),
      static_cast<unsigned long long>(crashes_in_open), static_cast<unsigned long long>(completed));
  EXPECT_GT(acked_total, 0u);
}

}  // namespace
}  // namespace collabflow
