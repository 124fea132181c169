// Kill test: a forked child appends random valid commands through
// OpenDirectoryStore (sync every command), reporting each acknowledged
// sequence over a pipe, and writes snapshots now and then; the parent SIGKILLs
// it at a random moment, reopens the store and checks that the recovered
// history is a prefix of what was issued, holds every acknowledged command,
// and folds to the reference model's state. Trials share one store, so each
// child also recovers from the previous kill.
//
// Trials: 50, or $COLLABFLOW_KILL_TRIALS (the long run registers 1000); the
// group-commit variant runs half as many.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::KvModel;
using ::collabflow::testing::Replay;
using ::collabflow::testing::ScratchDir;

int Trials() {
  const char* env = std::getenv("COLLABFLOW_KILL_TRIALS");
  return env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 50;
}

StoreOptions ChildOptions() {
  StoreOptions o;
  o.durability = Durability::kSyncEveryCommand;
  o.segment_bytes = 2048;  // roll often, so kills land in segment creation too
  return o;
}

// The child: never returns. Exit codes other than death by SIGKILL are failures.
[[noreturn]] void RunChild(const std::string& dir, uint64_t seed, int ack_fd) {
  auto store = OpenDirectoryStore(dir, ChildOptions());
  if (!store.ok()) _exit(3);
  auto recovered = Replay(**store);
  if (!recovered.ok()) _exit(4);
  KvModel model = std::move(recovered->model);
  std::mt19937_64 rng(seed);  // the commands; the parent replays this stream
  std::mt19937_64 snapshot_rng(~seed);
  for (;;) {
    const std::string command = KvModel::RandomCommand(rng);
    auto seq = (*store)->Append(kEngineStream, kAnyVersion, command);
    if (!seq.ok()) _exit(5);
    if (!model.Apply(command).ok()) _exit(6);
    const uint64_t ack = *seq;
    if (write(ack_fd, &ack, sizeof(ack)) != sizeof(ack)) _exit(7);
    if (snapshot_rng() % 16 == 0 && !(*store)->WriteSnapshot(ack, model.Encode()).ok()) _exit(8);
  }
}

KvModel Fold(const std::vector<std::string>& history, size_t n) {
  KvModel m;
  for (size_t i = 0; i < n; ++i) EXPECT_TRUE(m.Apply(history[i]).ok());
  return m;
}

TEST(StoreKill, RecoveredHistoryIsAPrefixHoldingEveryAcknowledgedCommand) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  const int trials = Trials();
  std::mt19937_64 killer(20260928);
  std::vector<std::string> history;  // every record known durable, in order
  uint64_t torn_tails = 0, acked_total = 0, unacked_survivors = 0, index_opens = 0;

  for (int trial = 0; trial < trials; ++trial) {
    SCOPED_TRACE(absl::StrCat("trial ", trial));
    const uint64_t seed = 1000 + static_cast<uint64_t>(trial);
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      RunChild(dir, seed, fds[1]);
    }
    close(fds[1]);

    // Kill after a random number of acknowledgements plus a random delay
    // (sometimes before the first one, i.e. during open and recovery).
    const uint64_t wait_acks = killer() % 5 == 0 ? 0 : killer() % 40;
    std::vector<uint64_t> acks;
    uint64_t ack = 0;
    while (acks.size() < wait_acks && read(fds[0], &ack, sizeof(ack)) == sizeof(ack)) {
      acks.push_back(ack);
    }
    const struct timespec delay = {0, static_cast<long>(killer() % 3000) * 1000};
    nanosleep(&delay, nullptr);
    kill(child, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "child failed on its own, exit code "
        << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
    while (read(fds[0], &ack, sizeof(ack)) == sizeof(ack)) acks.push_back(ack);
    close(fds[0]);

    // What the child issued: the same command stream, numbered after history.
    for (size_t i = 0; i < acks.size(); ++i) ASSERT_EQ(acks[i], history.size() + 1 + i);
    const uint64_t max_acked = acks.empty() ? history.size() : acks.back();
    acked_total += acks.size();

    // The child's snapshots write the stream index, and a kill may land in
    // one: the store opened through it reads as a full scan of the same files.
    const std::string scanned_dir = dir + "-scanned";
    std::filesystem::remove_all(scanned_dir);
    std::filesystem::copy(dir, scanned_dir, std::filesystem::copy_options::recursive);
    auto store = OpenDirectoryStore(dir, ChildOptions());
    ASSERT_TRUE(store.ok()) << store.status();
    if ((*store)->recovery().torn_tail_truncated) ++torn_tails;
    if ((*store)->recovery().index_used) ++index_opens;
    ASSERT_TRUE((*store)->recovery().index_rejected.empty()) << (*store)->recovery().index_rejected;
    {
      StoreOptions full_scan = ChildOptions();
      full_scan.verify_whole_journal_on_open = true;
      auto scanned = OpenDirectoryStore(scanned_dir, full_scan);
      ASSERT_TRUE(scanned.ok()) << scanned.status();
      ASSERT_EQ((*scanned)->LastPosition(), (*store)->LastPosition());
      ASSERT_EQ((*scanned)->recovery().streams, (*store)->recovery().streams);
      std::vector<std::string> a, b;
      const auto collect = [](std::vector<std::string>* out) {
        return [out](const StoredRecord& r) {
          out->push_back(absl::StrCat(r.position, " ", r.stream, " ", r.version, " ", r.payload));
          return absl::OkStatus();
        };
      };
      ASSERT_TRUE((*store)->ReadStream(kEngineStream, 0, collect(&a)).ok());
      ASSERT_TRUE((*scanned)->ReadStream(kEngineStream, 0, collect(&b)).ok());
      ASSERT_EQ(a, b);
    }
    std::filesystem::remove_all(scanned_dir);
    const uint64_t last = (*store)->LastPosition();
    ASSERT_GE(last, max_acked) << "an acknowledged command was lost";
    // At most one command can be durable without its acknowledgement reaching
    // us: the child writes the ack right after Append returns.
    ASSERT_LE(last, max_acked + 1);
    unacked_survivors += last - max_acked;

    std::mt19937_64 rng(seed);
    for (uint64_t seq = history.size() + 1; seq <= last; ++seq) {
      history.push_back(KvModel::RandomCommand(rng));
    }
    auto recovered = Replay(**store);
    ASSERT_TRUE(recovered.ok()) << recovered.status();
    // The journal after the snapshot is exactly the issued history there.
    ASSERT_EQ(recovered->tail.size(), last - recovered->snapshot_covers);
    for (size_t i = 0; i < recovered->tail.size(); ++i) {
      ASSERT_EQ(recovered->tail[i], history[recovered->snapshot_covers + i]);
    }
    // And the snapshot is the fold of the history it covers.
    auto snapshot = (*store)->LatestSnapshot();
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    if (snapshot->has_value()) {
      ASSERT_EQ((*snapshot)->state, Fold(history, (*snapshot)->covers).Encode());
    }
    ASSERT_EQ(recovered->model.Hash(), Fold(history, history.size()).Hash());
  }
  RecordProperty("trials", trials);
  RecordProperty("acknowledged", static_cast<int>(acked_total));
  std::printf(
      "%d trials, %llu acknowledged, %llu torn tails cut, %llu unacknowledged survivors, %llu "
      "opens through the stream index\n",
      trials, static_cast<unsigned long long>(acked_total),
      static_cast<unsigned long long>(torn_tails),
      static_cast<unsigned long long>(unacked_survivors),
      static_cast<unsigned long long>(index_opens));
  EXPECT_GT(acked_total, 0u);
}

// Group commit under SIGKILL: the child runs kThreads appending threads on one
// store, each reporting (thread, index, sequence) for every acknowledged
// append. Thread t's commands are "S t<t>=<trial>.<index>", in index order.
// After the kill: every acknowledged append is at its acknowledged sequence,
// each thread's surviving commands are a gap-free prefix of what it issued,
// at most one unacknowledged command per thread survives, and the folded
// state is each thread's last surviving value.
constexpr int kThreads = 4;

struct GroupAck {
  uint32_t thread;
  uint32_t index;
  uint64_t sequence;
};

std::string GroupCommand(int trial, uint32_t thread, uint32_t index) {
  return KvModel::Set(absl::StrCat("t", thread), absl::StrCat(trial, ".", index));
}

[[noreturn]] void RunGroupChild(const std::string& dir, int trial, int ack_fd) {
  StoreOptions o = ChildOptions();
  o.durability = Durability::kGroupCommit;
  auto store = OpenDirectoryStore(dir, o);
  if (!store.ok()) _exit(3);
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (uint32_t i = 0;; ++i) {
        auto seq = (*store)->Append(kEngineStream, kAnyVersion, GroupCommand(trial, t, i));
        if (!seq.ok()) _exit(5);
        const GroupAck ack{t, i, *seq};  // 16 bytes < PIPE_BUF: atomic
        if (write(ack_fd, &ack, sizeof(ack)) != sizeof(ack)) _exit(7);
      }
    });
  }
  for (;;) pause();
}

TEST(StoreKill, GroupCommitLosesNoAcknowledgedAppendOfAnyThread) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  const int trials = std::max(10, Trials() / 2);
  std::mt19937_64 killer(77);
  std::vector<std::string> history;
  StoreOptions o = ChildOptions();
  o.durability = Durability::kGroupCommit;

  for (int trial = 0; trial < trials; ++trial) {
    SCOPED_TRACE(absl::StrCat("trial ", trial));
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      RunGroupChild(dir, trial, fds[1]);
    }
    close(fds[1]);
    const uint64_t wait_acks = killer() % 5 == 0 ? 0 : killer() % 80;
    std::vector<GroupAck> acks;
    GroupAck ack;
    while (acks.size() < wait_acks && read(fds[0], &ack, sizeof(ack)) == sizeof(ack)) {
      acks.push_back(ack);
    }
    const struct timespec delay = {0, static_cast<long>(killer() % 3000) * 1000};
    nanosleep(&delay, nullptr);
    kill(child, SIGKILL);
    int wstatus = 0;
    ASSERT_EQ(waitpid(child, &wstatus, 0), child);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL);
    while (read(fds[0], &ack, sizeof(ack)) == sizeof(ack)) acks.push_back(ack);
    close(fds[0]);

    auto store = OpenDirectoryStore(dir, o);
    ASSERT_TRUE(store.ok()) << store.status();
    std::vector<std::string> records;
    ASSERT_TRUE((*store)
                    ->ReadAll(0,
                              [&](const StoredRecord& record) {
                                records.emplace_back(record.payload);
                                return absl::OkStatus();
                              })
                    .ok());
    ASSERT_GE(records.size(), history.size());
    for (size_t i = 0; i < history.size(); ++i) ASSERT_EQ(records[i], history[i]);
    // Every acknowledged append sits at its acknowledged sequence.
    for (const GroupAck& a : acks) {
      ASSERT_LE(a.sequence, records.size()) << "acknowledged append lost";
      ASSERT_EQ(records[a.sequence - 1], GroupCommand(trial, a.thread, a.index));
    }
    // The new records: per thread, a gap-free prefix of its commands.
    uint32_t next_index[kThreads] = {};
    for (size_t i = history.size(); i < records.size(); ++i) {
      bool matched = false;
      for (uint32_t t = 0; t < kThreads && !matched; ++t) {
        if (records[i] == GroupCommand(trial, t, next_index[t])) {
          ++next_index[t];
          matched = true;
        }
      }
      ASSERT_TRUE(matched) << "record " << i + 1 << " was never issued in order: " << records[i];
    }
    uint32_t acked_per_thread[kThreads] = {};
    for (const GroupAck& a : acks) {
      acked_per_thread[a.thread] = std::max(acked_per_thread[a.thread], a.index + 1);
    }
    for (uint32_t t = 0; t < kThreads; ++t) {
      ASSERT_GE(next_index[t], acked_per_thread[t]);
      ASSERT_LE(next_index[t], acked_per_thread[t] + 1);
    }
    history = records;
    KvModel expected;
    for (const std::string& r : history) ASSERT_TRUE(expected.Apply(r).ok());
    auto recovered = Replay(**store);
    ASSERT_TRUE(recovered.ok()) << recovered.status();
    ASSERT_EQ(recovered->model.Hash(), expected.Hash());
  }
  EXPECT_GT(history.size(), 0u);
}

}  // namespace
}  // namespace collabflow
