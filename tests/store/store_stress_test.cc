// Many threads on one store: appenders in every durability mode, each to its
// own stream with the version it expects, a reader that keeps replaying the
// journal and one stream, and a snapshotter. Checks that every acknowledged
// position is unique, contiguous and holds what its thread appended, and that
// each stream reads back whole and in order. Built and run under
// ThreadSanitizer by the tsan preset. On PostgreSQL the appends commit in
// any order, so the reader's check that positions come contiguous and in
// order is the check that reading up to the high-water mark skips nothing.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "support/pg_test_database.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::ScratchDir;

enum class Kind { kMemory, kDirectory, kPostgres };

struct StressCase {
  const char* name;
  Kind kind;
  Durability durability;
  int threads;
  int appends_per_thread;
};
void PrintTo(const StressCase& c, std::ostream* os) { *os << c.name; }

// $COLLABFLOW_STRESS_SCALE multiplies the appends (the long run uses 20).
int Scale() {
  const char* env = std::getenv("COLLABFLOW_STRESS_SCALE");
  return env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 1;
}

class StoreStress : public ::testing::TestWithParam<StressCase> {};

TEST_P(StoreStress, ConcurrentAppendsReadsAndSnapshotsStayConsistent) {
  const StressCase& c = GetParam();
  const int appends_per_thread = c.appends_per_thread * Scale();
  ScratchDir scratch;
  StoreOptions options;
  options.durability = c.durability;
  options.segment_bytes = 4096;  // many rolls: streams link across segments
  std::unique_ptr<testing::TestDatabase> db;
  if (c.kind == Kind::kPostgres) {
    db = std::make_unique<testing::TestDatabase>();
    ASSERT_TRUE(db->ok());
  }
  auto opened = c.kind == Kind::kDirectory  ? OpenDirectoryStore(scratch.Sub("s"), options)
                : c.kind == Kind::kPostgres ? OpenStore(db->uri(), options)
                                            : OpenMemoryStore();
  ASSERT_TRUE(opened.ok()) << opened.status();
  EventStore& store = **opened;

  std::mutex mu;
  std::map<uint64_t, std::string> acknowledged;  // guarded by mu
  std::atomic<int> appenders_left{c.threads};
  std::atomic<int> failures{0};

  std::vector<std::thread> threads;
  threads.reserve(c.threads + 2);
  for (int t = 0; t < c.threads; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = absl::StrCat("t", t);
      for (int i = 0; i < appends_per_thread; ++i) {
        const std::string payload = absl::StrCat("t", t, "-", i);
        auto seq = store.Append(stream, static_cast<uint64_t>(i), payload);
        if (!seq.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> l(mu);
        if (!acknowledged.emplace(*seq, payload).second) ++failures;  // duplicate sequence
      }
      --appenders_left;
    });
  }
  // The reader: replays the journal and the first thread's stream, checking
  // order, while appends run.
  threads.emplace_back([&] {
    while (appenders_left.load() > 0) {
      uint64_t expect = 1;
      absl::Status s = store.ReadAll(0, [&](const StoredRecord& record) {
        if (record.position != expect++ || record.payload.empty() || record.payload[0] != 't') {
          return absl::InternalError("out of order");
        }
        return absl::OkStatus();
      });
      uint64_t version = 1;
      s.Update(store.ReadStream("t0", 0, [&](const StoredRecord& record) {
        if (record.version != version || record.payload != absl::StrCat("t0-", version - 1)) {
          return absl::InternalError(absl::StrCat("stream t0 out of order at ", version));
        }
        ++version;
        return absl::OkStatus();
      }));
      if (!s.ok()) {
        ADD_FAILURE() << s;
        ++failures;
        return;
      }
    }
  });
  // The snapshotter.
  threads.emplace_back([&] {
    while (appenders_left.load() > 0) {
      const uint64_t covers = store.LastPosition();
      absl::Status s = store.WriteSnapshot(covers, absl::StrCat("covers ", covers));
      if (!s.ok() && !absl::IsFailedPrecondition(s)) {  // a racing newer snapshot is fine
        ADD_FAILURE() << s;
        ++failures;
        return;
      }
      std::this_thread::yield();
    }
  });
  for (std::thread& th : threads) th.join();

  EXPECT_EQ(failures.load(), 0);
  const uint64_t total = static_cast<uint64_t>(c.threads) * appends_per_thread;
  ASSERT_EQ(acknowledged.size(), total);
  EXPECT_EQ(acknowledged.begin()->first, 1u);
  EXPECT_EQ(acknowledged.rbegin()->first, total);
  EXPECT_EQ(store.LastPosition(), total);

  // Every record is the one its appender was told, and each stream holds its
  // thread's records in order.
  auto check = [&](const EventStore& s) {
    uint64_t checked = 0;
    ASSERT_TRUE(s.ReadAll(0, [&](const StoredRecord& record) {
                   EXPECT_EQ(record.payload, acknowledged[record.position]) << record.position;
                   ++checked;
                   return absl::OkStatus();
                 }).ok());
    EXPECT_EQ(checked, total);
    for (int t = 0; t < c.threads; ++t) {
      uint64_t version = 0;
      ASSERT_TRUE(s.ReadStream(absl::StrCat("t", t), 0, [&](const StoredRecord& record) {
                     EXPECT_EQ(record.version, ++version);
                     EXPECT_EQ(record.payload, absl::StrCat("t", t, "-", version - 1));
                     EXPECT_EQ(acknowledged[record.position], record.payload);
                     return absl::OkStatus();
                   }).ok());
      EXPECT_EQ(version, static_cast<uint64_t>(appends_per_thread));
    }
  };
  check(store);
  ASSERT_TRUE(store.Close().ok());

  if (c.kind != Kind::kMemory) {
    auto reopened = c.kind == Kind::kDirectory ? OpenDirectoryStore(scratch.Sub("s"), options)
                                               : OpenStore(db->uri(), options);
    ASSERT_TRUE(reopened.ok()) << reopened.status();
    EXPECT_EQ((*reopened)->LastPosition(), total);
    if (c.kind == Kind::kDirectory) {
      EXPECT_EQ((*reopened)->recovery().streams, static_cast<uint64_t>(c.threads));
    }
    check(**reopened);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Modes, StoreStress,
    ::testing::Values(
        StressCase{"GroupCommit8Threads", Kind::kDirectory, Durability::kGroupCommit, 8, 60},
        StressCase{"SyncEveryCommand4Threads", Kind::kDirectory, Durability::kSyncEveryCommand, 4,
                   30},
        StressCase{"NoSync8Threads", Kind::kDirectory, Durability::kNoSync, 8, 300},
        StressCase{"Memory8Threads", Kind::kMemory, Durability::kNoSync, 8, 300},
        StressCase{"Postgres8Threads", Kind::kPostgres, Durability::kSyncEveryCommand, 8, 150}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(StoreStress, CloseWaitsForInFlightAppends) {
  ScratchDir scratch;
  StoreOptions options;
  options.durability = Durability::kGroupCommit;
  auto store = OpenDirectoryStore(scratch.Sub("s"), options);
  ASSERT_TRUE(store.ok());
  std::atomic<uint64_t> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto seq = (*store)->Append(kEngineStream, kAnyVersion, "x");
        if (seq.ok()) {
          ++ok;
        } else {
          EXPECT_TRUE(absl::IsFailedPrecondition(seq.status())) << seq.status();
        }
      }
    });
  }
  ASSERT_TRUE((*store)->Close().ok());
  for (std::thread& th : threads) th.join();
  store->reset();
  auto reopened = OpenDirectoryStore(scratch.Sub("s"), options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->LastPosition(), ok.load());  // every acknowledged one, nothing else
}

}  // namespace
}  // namespace collabflow
