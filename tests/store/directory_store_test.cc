// The EventStore contract on every implementation (memory, directory and
// PostgreSQL, each PostgreSQL test on a database of its own), and the directory store's
// recovery: torn tails are cut and reported, every other kind of damage fails
// the open with DATA_LOSS naming the file and offset.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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
#include "collabflow/v1/request.pb.h"
#include "gtest/gtest.h"
#include "store/journal_format.h"
#include "store/snapshot_file.h"
#include "store/stream_snapshot_file.h"
#include "support/pg_test_database.h"
#include "support/seed_scenario.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::Files;
using ::collabflow::testing::KvModel;
using ::collabflow::testing::ReadBytes;
using ::collabflow::testing::Replay;
using ::collabflow::testing::ScratchDir;
using ::collabflow::testing::WriteBytes;

std::string Payload(int i) { return absl::StrCat("record-", i, std::string(i % 13, '#')); }

std::vector<std::string> ReadAll(const EventStore& store, uint64_t after = 0) {
  std::vector<std::string> out;
  absl::Status s = store.ReadAll(after, [&](const StoredRecord& record) {
    out.emplace_back(record.payload);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

StoreOptions NoSync() {
  StoreOptions o;
  o.durability = Durability::kNoSync;
  return o;
}

// --- The contract, on every implementation ---------------------------------

enum class StoreKind { kMemory, kDirectory, kPostgres };

class EventStoreContract : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<EventStore>> s;
    switch (GetParam()) {
      case StoreKind::kMemory:
        s = OpenMemoryStore();
        break;
      case StoreKind::kDirectory:
        s = OpenDirectoryStore(dir_.Sub("store"));
        break;
      case StoreKind::kPostgres:
        db_ = std::make_unique<testing::TestDatabase>();
        ASSERT_TRUE(db_->ok());
        s = OpenStore(db_->uri());
        break;
    }
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = std::move(*s);
  }
  void TearDown() override {
    if (store_ != nullptr) {
      EXPECT_TRUE(store_->Close().ok());
    }
    store_.reset();  // before the database goes
  }
  ScratchDir dir_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<EventStore> store_;
};

TEST_P(EventStoreContract, NumbersRecordsFromOneAndReadsThemBack) {
  EXPECT_EQ(store_->LastPosition(), 0u);
  for (int i = 1; i <= 5; ++i) {
    auto seq = store_->Append(kEngineStream, kAnyVersion, Payload(i));
    ASSERT_TRUE(seq.ok()) << seq.status();
    EXPECT_EQ(*seq, static_cast<uint64_t>(i));
  }
  EXPECT_EQ(store_->LastPosition(), 5u);
  EXPECT_EQ(ReadAll(*store_),
            (std::vector<std::string>{Payload(1), Payload(2), Payload(3), Payload(4), Payload(5)}));
  EXPECT_EQ(ReadAll(*store_, 3), (std::vector<std::string>{Payload(4), Payload(5)}));
  EXPECT_TRUE(ReadAll(*store_, 5).empty());
}

TEST_P(EventStoreContract, AppendIsRefusedUnlessTheStreamIsAtTheExpectedVersion) {
  EXPECT_EQ(*store_->Append(kEngineStream, 0, "a"), 1u);
  auto stale = store_->Append(kEngineStream, 0, "b");  // decided before "a"
  EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
  EXPECT_TRUE(absl::StrContains(stale.status().message(), "at version 1")) << stale.status();
  auto ahead = store_->Append(kEngineStream, 2, "b");
  EXPECT_TRUE(absl::IsAborted(ahead.status())) << ahead.status();
  EXPECT_EQ(store_->LastPosition(), 1u);  // neither was written
  EXPECT_EQ(*store_->Append(kEngineStream, 1, "b"), 2u);
  EXPECT_EQ(ReadAll(*store_), (std::vector<std::string>{"a", "b"}));
}

TEST_P(EventStoreContract, EnqueueChecksTheVersionAgainstRecordsQueuedBefore) {
  auto first = store_->Enqueue(kEngineStream, 0, "a");
  ASSERT_TRUE(first.ok()) << first.status();
  // "a" is queued, perhaps not yet written: the stream is at version 1.
  auto stale = store_->Enqueue(kEngineStream, 0, "b");
  EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
  auto second = store_->Enqueue(kEngineStream, 1, "b");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*store_->Wait(std::move(*first)), 1u);
  EXPECT_EQ(*store_->Wait(std::move(*second)), 2u);
  EXPECT_EQ(ReadAll(*store_), (std::vector<std::string>{"a", "b"}));
}

// Every record of stream `stream` after `after`, as (position, version, payload).
struct Read {
  uint64_t position;
  uint64_t version;
  std::string payload;
  bool operator==(const Read& o) const {
    return position == o.position && version == o.version && payload == o.payload;
  }
};
std::vector<Read> ReadStream(const EventStore& store, absl::string_view stream,
                             uint64_t after = 0) {
  std::vector<Read> out;
  absl::Status s = store.ReadStream(stream, after, [&](const StoredRecord& record) {
    EXPECT_EQ(record.stream, stream);
    out.push_back(Read{record.position, record.version, std::string(record.payload)});
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

TEST_P(EventStoreContract, NumbersEachStreamApartAndPositionsAcrossThem) {
  ASSERT_EQ(*store_->Append("request/A", 0, "a1"), 1u);
  ASSERT_EQ(*store_->Append("request/B", 0, "b1"), 2u);
  ASSERT_EQ(*store_->Append("request/A", 1, "a2"), 3u);
  ASSERT_EQ(*store_->Append("directory", 0, "d1"), 4u);
  ASSERT_EQ(*store_->Append("request/A", 2, "a3"), 5u);
  EXPECT_EQ(store_->LastPosition(), 5u);
  EXPECT_EQ(ReadStream(*store_, "request/A"),
            (std::vector<Read>{{1, 1, "a1"}, {3, 2, "a2"}, {5, 3, "a3"}}));
  EXPECT_EQ(ReadStream(*store_, "request/A", 1), (std::vector<Read>{{3, 2, "a2"}, {5, 3, "a3"}}));
  EXPECT_EQ(ReadStream(*store_, "request/B"), (std::vector<Read>{{2, 1, "b1"}}));
  EXPECT_TRUE(ReadStream(*store_, "request/A", 3).empty());
  EXPECT_TRUE(ReadStream(*store_, "request/unknown").empty());
  absl::Status past =
      store_->ReadStream("request/B", 2, [](const StoredRecord&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsOutOfRange(past)) << past;
  // ReadAll sees every stream, in position order, with versions.
  std::vector<std::string> all;
  ASSERT_TRUE(store_
                  ->ReadAll(0,
                            [&](const StoredRecord& r) {
                              all.push_back(absl::StrCat(r.position, ":", r.stream, "@", r.version,
                                                         "=", r.payload));
                              return absl::OkStatus();
                            })
                  .ok());
  EXPECT_EQ(all,
            (std::vector<std::string>{"1:request/A@1=a1", "2:request/B@1=b1", "3:request/A@2=a2",
                                      "4:directory@1=d1", "5:request/A@3=a3"}));
}

TEST_P(EventStoreContract, EachStreamChecksItsOwnVersion) {
  ASSERT_TRUE(store_->Append("request/A", 0, "a1").ok());
  ASSERT_TRUE(store_->Append("request/B", 0, "b1").ok());
  // B moving on does not move A: A is at 1, B at 1.
  auto stale = store_->Append("request/A", 0, "a2");
  EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
  EXPECT_TRUE(absl::StrContains(stale.status().message(), "request/A")) << stale.status();
  auto new_stream_ahead = store_->Append("request/C", 1, "c1");
  EXPECT_TRUE(absl::IsAborted(new_stream_ahead.status())) << new_stream_ahead.status();
  EXPECT_TRUE(ReadStream(*store_, "request/C").empty());  // a refused append makes no stream
  EXPECT_EQ(*store_->Append("request/A", 1, "a2"), 3u);
  EXPECT_EQ(*store_->Append("request/C", 0, "c1"), 4u);
  // Two-phase: the check counts what is queued in each stream.
  auto a3 = store_->Enqueue("request/A", 2, "a3");
  ASSERT_TRUE(a3.ok()) << a3.status();
  auto b2 = store_->Enqueue("request/B", 1, "b2");
  ASSERT_TRUE(b2.ok()) << b2.status();
  auto a3_again = store_->Enqueue("request/A", 2, "a3'");
  EXPECT_TRUE(absl::IsAborted(a3_again.status())) << a3_again.status();
  EXPECT_EQ(*store_->Wait(std::move(*b2)), 6u);
  EXPECT_EQ(*store_->Wait(std::move(*a3)), 5u);
  EXPECT_EQ(ReadStream(*store_, "request/A", 2), (std::vector<Read>{{5, 3, "a3"}}));
}

TEST_P(EventStoreContract, StreamNamesAreOneToTheLimitOfBytes) {
  auto empty = store_->Append("", kAnyVersion, "x");
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status())) << empty.status();
  auto long_name = store_->Enqueue(std::string(kMaxStreamNameBytes + 1, 's'), kAnyVersion, "x");
  EXPECT_TRUE(absl::IsInvalidArgument(long_name.status())) << long_name.status();
  EXPECT_EQ(store_->LastPosition(), 0u);
  const std::string longest(kMaxStreamNameBytes, '\xe5');  // any bytes
  ASSERT_TRUE(store_->Append(longest, 0, "x").ok());
  EXPECT_EQ(ReadStream(*store_, longest), (std::vector<Read>{{1, 1, "x"}}));
}

TEST_P(EventStoreContract, TwoPhaseAppendKeepsEnqueueOrderWhateverTheWaitOrder) {
  auto first = store_->Enqueue(kEngineStream, kAnyVersion, Payload(1));
  auto second = store_->Enqueue(kEngineStream, kAnyVersion, Payload(2));
  ASSERT_TRUE(first.ok() && second.ok());
  auto second_seq = store_->Wait(std::move(*second));  // waited first
  auto first_seq = store_->Wait(std::move(*first));
  ASSERT_TRUE(first_seq.ok()) << first_seq.status();
  ASSERT_TRUE(second_seq.ok()) << second_seq.status();
  EXPECT_EQ(*first_seq, 1u);
  EXPECT_EQ(*second_seq, 2u);
  {
    auto dropped = store_->Enqueue(kEngineStream, kAnyVersion,
                                   Payload(3));  // destroyed unwaited: still written
    ASSERT_TRUE(dropped.ok());
  }
  EXPECT_EQ(ReadAll(*store_), (std::vector<std::string>{Payload(1), Payload(2), Payload(3)}));
  EXPECT_EQ(store_->Enqueue(kEngineStream, kAnyVersion, std::string(kMaxStoreRecordBytes + 1, 'x'))
                .status()
                .code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(store_->Wait(nullptr).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(EventStoreContract, StoresEmptyAndBinaryPayloads) {
  const std::string binary("\0\x01\xff\n", 4);
  ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, "").ok());
  ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, binary).ok());
  EXPECT_EQ(ReadAll(*store_), (std::vector<std::string>{"", binary}));
}

TEST_P(EventStoreContract, ReadAllPastTheEndIsOutOfRange) {
  ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, "a").ok());
  absl::Status s = store_->ReadAll(2, [](const StoredRecord&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsOutOfRange(s)) << s;
}

TEST_P(EventStoreContract, ReadAllStopsAtTheFirstCallbackError) {
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, Payload(i)).ok());
  int calls = 0;
  absl::Status s = store_->ReadAll(0, [&](const StoredRecord& record) {
    ++calls;
    return record.position == 2 ? absl::CancelledError("stop") : absl::OkStatus();
  });
  EXPECT_TRUE(absl::IsCancelled(s));
  EXPECT_EQ(calls, 2);
}

TEST_P(EventStoreContract, RefusesOversizedRecordAndStaysUsable) {
  const std::string big(kMaxStoreRecordBytes + 1, 'x');
  auto seq = store_->Append(kEngineStream, kAnyVersion, big);
  EXPECT_TRUE(absl::IsResourceExhausted(seq.status())) << seq.status();
  EXPECT_TRUE(absl::StrContains(seq.status().message(), "kMaxStoreRecordBytes"));
  EXPECT_EQ(store_->LastPosition(), 0u);
  EXPECT_EQ(*store_->Append(kEngineStream, kAnyVersion, "ok"), 1u);
}

TEST_P(EventStoreContract, SnapshotRoundTripsAndRefusesBadCoverage) {
  for (int i = 1; i <= 4; ++i)
    ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, Payload(i)).ok());
  EXPECT_FALSE(store_->LatestSnapshot()->has_value());
  absl::Status past = store_->WriteSnapshot(5, "state");
  EXPECT_TRUE(absl::IsOutOfRange(past)) << past;
  ASSERT_TRUE(store_->WriteSnapshot(3, "state-3").ok());
  auto snap = store_->LatestSnapshot();
  ASSERT_TRUE(snap.ok() && snap->has_value());
  EXPECT_EQ((*snap)->covers, 3u);
  EXPECT_EQ((*snap)->state, "state-3");
  absl::Status older = store_->WriteSnapshot(2, "state-2");
  EXPECT_TRUE(absl::IsFailedPrecondition(older)) << older;
  EXPECT_EQ((*store_->LatestSnapshot())->state, "state-3");  // unchanged by the refusal
  ASSERT_TRUE(store_->WriteSnapshot(4, "state-4").ok());
  EXPECT_EQ((*store_->LatestSnapshot())->covers, 4u);
}

TEST_P(EventStoreContract, StreamSnapshotsKeepTheNewestPerStreamWithinItsVersion) {
  for (int i = 1; i <= 3; ++i) ASSERT_TRUE(store_->Append("a", kAnyVersion, Payload(i)).ok());
  ASSERT_TRUE(store_->Append("b", kAnyVersion, Payload(4)).ok());
  EXPECT_FALSE(store_->ReadStreamSnapshot("a")->has_value());
  EXPECT_FALSE(store_->ReadStreamSnapshot("nobody")->has_value());

  EXPECT_TRUE(absl::IsOutOfRange(store_->WriteStreamSnapshot("a", 0, "zero")));
  EXPECT_TRUE(absl::IsOutOfRange(store_->WriteStreamSnapshot("a", 4, "past")));
  EXPECT_TRUE(absl::IsOutOfRange(store_->WriteStreamSnapshot("nobody", 1, "none")));
  EXPECT_TRUE(absl::IsInvalidArgument(store_->WriteStreamSnapshot("", 1, "no name")));
  EXPECT_FALSE(store_->ReadStreamSnapshot("a")->has_value());  // nothing kept by the refusals

  ASSERT_TRUE(store_->WriteStreamSnapshot("a", 2, std::string("two\0bytes", 9)).ok());
  absl::StatusOr<std::optional<EventStore::StreamSnapshot>> read = store_->ReadStreamSnapshot("a");
  ASSERT_TRUE(read.ok() && read->has_value()) << read.status();
  EXPECT_EQ((*read)->version, 2u);
  EXPECT_EQ((*read)->state, std::string("two\0bytes", 9));
  ASSERT_TRUE(store_->WriteStreamSnapshot("a", 3, "three").ok());  // replaces it
  EXPECT_EQ((*store_->ReadStreamSnapshot("a"))->version, 3u);
  EXPECT_EQ((*store_->ReadStreamSnapshot("a"))->state, "three");
  EXPECT_FALSE(store_->ReadStreamSnapshot("b")->has_value());  // one per stream
  ASSERT_TRUE(store_->WriteStreamSnapshot("b", 1, "").ok());
  EXPECT_EQ((*store_->ReadStreamSnapshot("b"))->state, "");
  // The history is untouched.
  EXPECT_EQ(store_->LastPosition(), 4u);
  EXPECT_EQ(ReadStream(*store_, "a", 0).size(), 3u);

  ASSERT_TRUE(store_->Close().ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->WriteStreamSnapshot("a", 1, "s")));
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->ReadStreamSnapshot("a").status()));
}

TEST_P(EventStoreContract, ClosedStoreRefusesEveryCall) {
  ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, "a").ok());
  ASSERT_TRUE(store_->Close().ok());
  ASSERT_TRUE(store_->Close().ok());  // idempotent
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->Append(kEngineStream, kAnyVersion, "b").status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->WriteSnapshot(1, "s")));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      store_->ReadAll(0, [](const StoredRecord&) { return absl::OkStatus(); })));
  EXPECT_TRUE(absl::IsFailedPrecondition(store_->LatestSnapshot().status()));
}

TEST_P(EventStoreContract, CallbackMayAppendWhileReading) {
  ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, "a").ok());
  absl::Status s = store_->ReadAll(0, [&](const StoredRecord&) {
    return store_->Append(kEngineStream, kAnyVersion, "b").status();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(store_->LastPosition(), 2u);
}

// Records of every size from empty to several megabytes, packed past many
// of the memory store's blocks; while a record is being read, appends that
// move the store's bookkeeping must not change what the reader sees.
TEST_P(EventStoreContract, LargeAndSmallRecordsReadBackIntactWhileAppending) {
  std::vector<std::string> written;
  for (int i = 0; i < 24; ++i) {
    const size_t size = i == 5 ? (size_t{3} << 20) : (static_cast<size_t>(i) * 97'531) % 400'000;
    std::string record(size, static_cast<char>('a' + i % 26));
    if (!record.empty()) record.front() = record.back() = static_cast<char>(i);
    ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, record).ok());
    written.push_back(std::move(record));
  }
  size_t read = 0;
  absl::Status s = store_->ReadAll(0, [&](const StoredRecord& record) {
    if (record.position > written.size()) return absl::OkStatus();  // appended below
    for (int k = 0; k < 64; ++k) {
      if (absl::Status a =
              store_->Append(kEngineStream, kAnyVersion, std::string(20'000, 'z')).status();
          !a.ok())
        return a;
    }
    EXPECT_EQ(record.payload, written[record.position - 1]) << "record " << record.position;
    ++read;
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(read, written.size());
  EXPECT_EQ(store_->LastPosition(), written.size() * 65);
}

INSTANTIATE_TEST_SUITE_P(Stores, EventStoreContract,
                         ::testing::Values(StoreKind::kMemory, StoreKind::kDirectory,
                                           StoreKind::kPostgres),
                         [](const auto& info) {
                           switch (info.param) {
                             case StoreKind::kMemory:
                               return "Memory";
                             case StoreKind::kDirectory:
                               return "Directory";
                             case StoreKind::kPostgres:
                               return "Postgres";
                           }
                           return "";
                         });

// --- The directory store ---------------------------------------------------

class DirectoryStoreDurability : public ::testing::TestWithParam<Durability> {};

TEST_P(DirectoryStoreDurability, AcknowledgedRecordsSurviveReopen) {
  ScratchDir dir;
  StoreOptions options;
  options.durability = GetParam();
  {
    auto store = OpenDirectoryStore(dir.Sub("s"), options);
    ASSERT_TRUE(store.ok()) << store.status();
    for (int i = 1; i <= 20; ++i)
      ASSERT_EQ(*(*store)->Append(kEngineStream, kAnyVersion, Payload(i)), uint64_t(i));
    ASSERT_TRUE((*store)->Close().ok());
  }
  auto store = OpenDirectoryStore(dir.Sub("s"), options);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->LastPosition(), 20u);
  EXPECT_FALSE((*store)->recovery().torn_tail_truncated);
  // The clean close wrote the stream index: nothing was read at open.
  EXPECT_TRUE((*store)->recovery().index_used);
  EXPECT_EQ((*store)->recovery().records_scanned, 0u);
  const auto all = ReadAll(**store);
  ASSERT_EQ(all.size(), 20u);
  for (int i = 1; i <= 20; ++i) EXPECT_EQ(all[i - 1], Payload(i));
  EXPECT_EQ(*(*store)->Append(kEngineStream, kAnyVersion, "next"), 21u);
}

INSTANTIATE_TEST_SUITE_P(Modes, DirectoryStoreDurability,
                         ::testing::Values(Durability::kSyncEveryCommand, Durability::kGroupCommit,
                                           Durability::kNoSync),
                         [](const auto& info) {
                           switch (info.param) {
                             case Durability::kSyncEveryCommand:
                               return "SyncEveryCommand";
                             case Durability::kGroupCommit:
                               return "GroupCommit";
                             case Durability::kNoSync:
                               return "NoSync";
                           }
                           return "Unknown";
                         });

TEST(DirectoryStore, ProtobufPayloadWithChineseTextRoundTripsThroughReopen) {
  // The engine's records are protobuf bytes; the seed request stands in.
  ScratchDir dir;
  const std::string bytes = testing::SeedRequestProto().SerializeAsString();
  {
    auto store = OpenDirectoryStore(dir.Sub("s"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, bytes).ok());
  }
  auto store = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(store.ok()) << store.status();
  const auto all = ReadAll(**store);
  ASSERT_EQ(all.size(), 1u);
  v1::CollaborationRequest decoded;
  ASSERT_TRUE(decoded.ParseFromString(all[0]));
  EXPECT_EQ(decoded.topic(), "Q3新品上市营销方案执行");
  EXPECT_EQ(decoded.SerializeAsString(), bytes);
}

TEST(DirectoryStore, RefusesInvalidOptions) {
  ScratchDir dir;
  StoreOptions o;
  o.segment_bytes = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(OpenDirectoryStore(dir.Sub("s"), o).status()));
  o = StoreOptions();
  o.max_group_bytes = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(OpenDirectoryStore(dir.Sub("s"), o).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(OpenDirectoryStore("").status()));
}

TEST(DirectoryStore, MissingDirectoryWithoutCreateIsNotFound) {
  ScratchDir dir;
  StoreOptions o;
  o.create_if_missing = false;
  auto s = OpenDirectoryStore(dir.Sub("absent"), o);
  EXPECT_TRUE(absl::IsNotFound(s.status())) << s.status();
  EXPECT_TRUE(absl::StrContains(s.status().message(), "absent"));
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("absent")));
}

TEST(DirectoryStore, MissingParentDirectoryIsNotFound) {
  ScratchDir dir;
  auto s = OpenDirectoryStore(dir.Sub("no/such/parent"));
  EXPECT_TRUE(absl::IsNotFound(s.status())) << s.status();
}

TEST(DirectoryStore, SecondHandleIsRefusedNamingTheHolder) {
  ScratchDir dir;
  auto first = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(first.ok());
  auto second = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(absl::IsFailedPrecondition(second.status())) << second.status();
  EXPECT_TRUE(absl::StrContains(second.status().message(), absl::StrCat("pid ", getpid())))
      << second.status();
  EXPECT_TRUE(absl::StrContains(second.status().message(), "LOCK"));
  ASSERT_TRUE((*first)->Close().ok());
  EXPECT_TRUE(OpenDirectoryStore(dir.Sub("s")).ok());  // released on close
}

TEST(DirectoryStore, SecondProcessIsRefusedUntilTheHolderDies) {
  ScratchDir dir;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = OpenDirectoryStore(dir.Sub("s"));
    const char c = store.ok() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    for (;;) pause();
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  auto refused = OpenDirectoryStore(dir.Sub("s"));
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), absl::StrCat("pid ", child)))
      << refused.status();
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  close(ready[0]);
  close(ready[1]);
  EXPECT_TRUE(OpenDirectoryStore(dir.Sub("s")).ok());
}

TEST(DirectoryStore, RollsSegmentsAndReadsAcrossThem) {
  ScratchDir dir;
  StoreOptions o = NoSync();
  o.segment_bytes = 200;
  {
    auto store = OpenDirectoryStore(dir.Sub("s"), o);
    ASSERT_TRUE(store.ok());
    for (int i = 1; i <= 40; ++i)
      ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, Payload(i)).ok());
    EXPECT_EQ(ReadAll(**store, 17).size(), 23u);
  }
  EXPECT_GT(Files(dir.Sub("s"), "journal-").size(), 5u);
  auto store = OpenDirectoryStore(dir.Sub("s"), o);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->recovery().segments, Files(dir.Sub("s"), "journal-").size());
  const auto all = ReadAll(**store);
  ASSERT_EQ(all.size(), 40u);
  EXPECT_EQ(all[39], Payload(40));
}

TEST(DirectoryStore, SnapshotKeepsTheJournalWhole) {
  ScratchDir dir;
  StoreOptions o = NoSync();
  o.segment_bytes = 200;
  auto store = OpenDirectoryStore(dir.Sub("s"), o);
  ASSERT_TRUE(store.ok());
  for (int i = 1; i <= 40; ++i)
    ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, Payload(i)).ok());
  const auto before = Files(dir.Sub("s"), "journal-");
  ASSERT_TRUE((*store)->WriteSnapshot(30, "s30").ok());
  EXPECT_EQ(Files(dir.Sub("s"), "journal-"), before);
  EXPECT_EQ(ReadAll(**store).size(), 40u);
  ASSERT_TRUE((*store)->Close().ok());

  auto reopened = OpenDirectoryStore(dir.Sub("s"), o);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->recovery().snapshot_position, 30u);
  // The close's stream index covers all 40: none is read at open.
  EXPECT_EQ((*reopened)->recovery().index_position, 40u);
  EXPECT_EQ((*reopened)->recovery().records_replayed, 0u);
  EXPECT_EQ((*reopened)->LastPosition(), 40u);
  EXPECT_EQ((*(*reopened)->LatestSnapshot())->state, "s30");
  EXPECT_EQ(ReadAll(**reopened).size(), 40u);
  EXPECT_EQ(ReadStream(**reopened, kEngineStream, 38).size(), 2u);
  EXPECT_EQ(Files(dir.Sub("s"), "snapshot-").size(), 1u);
}

TEST(DirectoryStore, StreamSnapshotsSurviveReopenAndDamageIsDataLoss) {
  ScratchDir dir;
  {
    auto store = OpenDirectoryStore(dir.Sub("s"), NoSync());
    ASSERT_TRUE(store.ok());
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE((*store)->Append("a", kAnyVersion, Payload(i)).ok());
    ASSERT_TRUE((*store)->Append("b", kAnyVersion, Payload(4)).ok());
    ASSERT_TRUE((*store)->WriteStreamSnapshot("a", 3, "a at 3").ok());
    ASSERT_TRUE((*store)->WriteStreamSnapshot("b", 1, "b at 1").ok());
  }
  const std::string a_file = internal::StreamSnapshotPath(dir.Sub("s"), "a");
  const std::string b_file = internal::StreamSnapshotPath(dir.Sub("s"), "b");
  {
    auto store = OpenDirectoryStore(dir.Sub("s"), NoSync());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*(*store)->ReadStreamSnapshot("a"))->state, "a at 3");
  }
  // Every flipped byte of a's file is found, and named.
  const std::string good = ReadBytes(a_file);
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    WriteBytes(a_file, bad);
    auto store = OpenDirectoryStore(dir.Sub("s"), NoSync());
    ASSERT_TRUE(store.ok()) << store.status();
    absl::StatusOr<std::optional<EventStore::StreamSnapshot>> read =
        (*store)->ReadStreamSnapshot("a");
    ASSERT_TRUE(absl::IsDataLoss(read.status())) << "byte " << i << ": " << read.status();
    EXPECT_TRUE(absl::StrContains(read.status().message(), a_file)) << read.status();
  }
  WriteBytes(a_file, good.substr(0, good.size() - 1));
  {
    auto store = OpenDirectoryStore(dir.Sub("s"), NoSync());
    EXPECT_TRUE(absl::IsDataLoss((*store)->ReadStreamSnapshot("a").status()));
  }
  // Another stream's snapshot under a's name.
  WriteBytes(a_file, ReadBytes(b_file));
  {
    auto store = OpenDirectoryStore(dir.Sub("s"), NoSync());
    absl::Status s = (*store)->ReadStreamSnapshot("a").status();
    EXPECT_TRUE(absl::IsDataLoss(s) && absl::StrContains(s.message(), "another stream")) << s;
  }
  // A snapshot past its stream (as a power loss under kNoSync may leave
  // one whose records were lost): none.
  {
    auto other = OpenDirectoryStore(dir.Sub("t"), NoSync());
    ASSERT_TRUE((*other)->Append("a", kAnyVersion, Payload(1)).ok());
    ASSERT_TRUE((*other)->WriteStreamSnapshot("a", 1, "a at 1").ok());
    WriteBytes(internal::StreamSnapshotPath(dir.Sub("t"), "a"), good);  // version 3
    absl::StatusOr<std::optional<EventStore::StreamSnapshot>> read =
        (*other)->ReadStreamSnapshot("a");
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_FALSE(read->has_value());
  }
}

TEST(DirectoryStore, StreamsContinueAcrossSegmentsAndReopens) {
  ScratchDir dir;
  StoreOptions o = NoSync();
  o.segment_bytes = 300;
  std::mt19937_64 rng(5);
  std::map<std::string, std::vector<Read>> model;
  uint64_t position = 0;
  for (int round = 0; round < 3; ++round) {
    auto store = OpenDirectoryStore(dir.Sub("s"), o);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->recovery().streams, model.size());
    for (int i = 0; i < 60; ++i) {
      const std::string stream = absl::StrCat("request/R", rng() % 7);
      std::vector<Read>& records = model[stream];
      const std::string payload =
          absl::StrCat(stream, "#", records.size() + 1, std::string(rng() % 40, '.'));
      auto appended = (*store)->Append(stream, records.size(), payload);
      ASSERT_TRUE(appended.ok()) << appended.status();
      EXPECT_EQ(*appended, ++position);
      records.push_back(Read{position, records.size() + 1, payload});
    }
    for (const auto& [stream, records] : model) {
      EXPECT_EQ(ReadStream(**store, stream), records) << stream;
      const uint64_t after = rng() % (records.size() + 1);
      EXPECT_EQ(
          ReadStream(**store, stream, after),
          std::vector<Read>(records.begin() + static_cast<std::ptrdiff_t>(after), records.end()))
          << stream << " after " << after;
    }
  }
  EXPECT_GT(Files(dir.Sub("s"), "journal-").size(), 5u);
}

TEST(DirectoryStore, ARecordOutOfItsStreamsOrderIsDataLoss) {
  ScratchDir dir;
  std::string segment;
  const uint32_t salt = 77;
  internal::AppendSegmentHeader(salt, 1, &segment);
  const uint64_t first = segment.size();
  internal::AppendRecord(salt, internal::RecordFrame{1, 1, {}}, "request/A", "a1", &segment);
  const uint64_t second = segment.size();
  // Version 3 where 2 is due (a record of the stream went missing).
  internal::AppendRecord(salt, internal::RecordFrame{2, 3, {1, first}}, "request/A", "a3",
                         &segment);
  std::filesystem::create_directories(dir.Sub("s"));
  WriteBytes(dir.Sub("s/" + internal::SegmentFileName(1)), segment);
  auto store = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(absl::IsDataLoss(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), absl::StrCat("at offset ", second)))
      << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "expected version 2")) << store.status();
}

// --- Journals written by 0.1 and 0.2 (format 1) -----------------------------

TEST(DirectoryStore, ReadsAFormat1JournalAndAppendsInTodaysFormat) {
  ScratchDir dir;
  std::string segment;
  internal::AppendSegmentHeaderV1(9, 1, &segment);
  for (int i = 1; i <= 4; ++i) internal::AppendRecordV1(9, i, Payload(i), &segment);
  std::filesystem::create_directories(dir.Sub("s"));
  WriteBytes(dir.Sub("s/" + internal::SegmentFileName(1)), segment);
  {
    auto store = OpenDirectoryStore(dir.Sub("s"));
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->LastPosition(), 4u);
    EXPECT_EQ((*store)->recovery().streams, 1u);
    // Its one stream is kEngineStream, where version is position.
    auto stale = (*store)->Append(kEngineStream, 3, "x");
    EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
    ASSERT_EQ(*(*store)->Append(kEngineStream, 4, Payload(5)), 5u);
    ASSERT_EQ(*(*store)->Append("request/A", 0, "a1"), 6u);
    ASSERT_EQ(*(*store)->Append(kEngineStream, 5, Payload(6)), 7u);
  }
  EXPECT_EQ(Files(dir.Sub("s"), "journal-").size(), 2u);  // the old one, untouched, and a new one
  EXPECT_EQ(ReadBytes(dir.Sub("s/" + internal::SegmentFileName(1))), segment);
  auto store = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(store.ok()) << store.status();
  const std::vector<Read> engine = ReadStream(**store, kEngineStream);
  ASSERT_EQ(engine.size(), 6u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(engine[i], (Read{i + 1u, i + 1u, Payload(i + 1)}));
  EXPECT_EQ(engine[4], (Read{5, 5, Payload(5)}));
  EXPECT_EQ(engine[5], (Read{7, 6, Payload(6)}));
  EXPECT_EQ(ReadStream(**store, kEngineStream, 2).size(), 4u);
  EXPECT_EQ(ReadStream(**store, kEngineStream, 5), (std::vector<Read>{{7, 6, Payload(6)}}));
  EXPECT_EQ(ReadAll(**store).size(), 7u);
}

TEST(DirectoryStore, AnEmptyFormat1SegmentIsReplacedByOneOfTodaysFormat) {
  ScratchDir dir;
  std::string first, empty;
  internal::AppendSegmentHeaderV1(9, 1, &first);
  internal::AppendRecordV1(9, 1, Payload(1), &first);
  internal::AppendSegmentHeaderV1(10, 2, &empty);
  std::filesystem::create_directories(dir.Sub("s"));
  WriteBytes(dir.Sub("s/" + internal::SegmentFileName(1)), first);
  WriteBytes(dir.Sub("s/" + internal::SegmentFileName(2)), empty);
  {
    auto store = OpenDirectoryStore(dir.Sub("s"));
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_EQ(*(*store)->Append(kEngineStream, 1, Payload(2)), 2u);
  }
  auto store = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(ReadStream(**store, kEngineStream),
            (std::vector<Read>{{1, 1, Payload(1)}, {2, 2, Payload(2)}}));
}

TEST(DirectoryStore, OpensTheStoreWritten_by_0_2) {
  // tests/testdata/format1: the seed scenario over four requests, written by
  // collabflow 0.2.0 (make_fixture.sh).
  ScratchDir dir;
  std::filesystem::copy(std::string(COLLABFLOW_TESTDATA_DIR) + "/format1/store", dir.Sub("s"));
  auto store = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(store.ok()) << store.status();
  const std::vector<Read> engine = ReadStream(**store, kEngineStream);
  EXPECT_EQ(engine.size(), (*store)->LastPosition());
  EXPECT_GT(engine.size(), 50u);
  EXPECT_EQ(ReadAll(**store).size(), engine.size());
}

TEST(DirectoryStore, NewSnapshotReplacesTheOldOne) {
  ScratchDir dir;
  auto store = OpenDirectoryStore(dir.Sub("s"), NoSync());
  ASSERT_TRUE(store.ok());
  for (int i = 1; i <= 5; ++i)
    ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, Payload(i)).ok());
  ASSERT_TRUE((*store)->WriteSnapshot(2, "two").ok());
  ASSERT_TRUE((*store)->WriteSnapshot(5, "five").ok());
  const auto snaps = Files(dir.Sub("s"), "snapshot-");
  ASSERT_EQ(snaps.size(), 1u);
  EXPECT_TRUE(absl::EndsWith(snaps[0], internal::SnapshotFileName(5)));
}

TEST(DirectoryStore, ReplayIsDeterministicAcrossReopens) {
  ScratchDir dir;
  StoreOptions o = NoSync();
  o.segment_bytes = 1000;
  KvModel reference;
  std::mt19937_64 rng(11);
  {
    auto store = OpenDirectoryStore(dir.Sub("s"), o);
    ASSERT_TRUE(store.ok());
    for (int i = 1; i <= 300; ++i) {
      const std::string cmd = KvModel::RandomCommand(rng);
      ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, cmd).ok());
      ASSERT_TRUE(reference.Apply(cmd).ok());
      if (i == 150) {
        ASSERT_TRUE((*store)->WriteSnapshot(150, reference.Encode()).ok());
      }
    }
  }
  uint32_t hashes[2];
  for (uint32_t& h : hashes) {
    auto store = OpenDirectoryStore(dir.Sub("s"), o);
    ASSERT_TRUE(store.ok()) << store.status();
    auto recovered = Replay(**store);
    ASSERT_TRUE(recovered.ok()) << recovered.status();
    EXPECT_EQ(recovered->snapshot_covers, 150u);
    EXPECT_EQ(recovered->tail.size(), 150u);
    h = recovered->model.Hash();
  }
  EXPECT_EQ(hashes[0], hashes[1]);
  EXPECT_EQ(hashes[0], reference.Hash());
}

TEST(DirectoryStore, LeftoverTempFilesAreRemovedAtOpen) {
  ScratchDir dir;
  { ASSERT_TRUE(OpenDirectoryStore(dir.Sub("s")).ok()); }
  WriteBytes(dir.Sub("s/snapshot-00000000000000000009.cfs.tmp"), "half a snapshot");
  WriteBytes(dir.Sub("s/journal-00000000000000000001.cfj.tmp"), "half a segment");
  WriteBytes(dir.Sub("s/NOTES"), "not ours: left alone");
  auto store = OpenDirectoryStore(dir.Sub("s"));
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->recovery().temp_files_removed, 2u);
  EXPECT_TRUE(Files(dir.Sub("s"), "snapshot-").empty());
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("s/NOTES")));
}

// --- Recovery: torn tails and the corruption matrix -------------------------

// A store of kRecords records in one segment, closed, with the byte range of
// its last record known. Each case rewrites the segment and reopens.
class Recovery : public ::testing::Test {
 protected:
  static constexpr int kRecords = 6;

  void SetUp() override {
    {
      auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
      ASSERT_TRUE(store.ok());
      for (int i = 1; i <= kRecords; ++i)
        ASSERT_TRUE((*store)->Append(kEngineStream, kAnyVersion, Payload(i)).ok());
    }
    segment_ = Files(dir_.Sub("s"), "journal-").at(0);
    original_ = ReadBytes(segment_);
    last_start_ =
        original_.size() - internal::RecordBytes(kEngineStream.size(), Payload(kRecords).size());
    middle_start_ = internal::kSegmentHeaderBytes;
    for (int i = 1; i < kRecords / 2; ++i) {
      middle_start_ += internal::RecordBytes(kEngineStream.size(), Payload(i).size());
    }
  }

  absl::StatusOr<std::unique_ptr<EventStore>> OpenWith(const std::string& bytes,
                                                       bool full_scan = false) {
    WriteBytes(segment_, bytes);
    StoreOptions o = NoSync();
    o.verify_whole_journal_on_open = full_scan;
    return OpenDirectoryStore(dir_.Sub("s"), o);
  }

  void ExpectDataLossAt(const absl::Status& s, uint64_t offset, const std::string& file) {
    EXPECT_TRUE(absl::IsDataLoss(s)) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), file)) << s;
    EXPECT_TRUE(absl::StrContains(s.message(), absl::StrCat("at offset ", offset))) << s;
  }

  ScratchDir dir_;
  std::string segment_;
  std::string original_;
  size_t last_start_ = 0;
  size_t middle_start_ = 0;
};

TEST_F(Recovery, EveryTruncationOfTheLastRecordRecoversTheOthers) {
  for (size_t cut = last_start_; cut < original_.size(); ++cut) {
    SCOPED_TRACE(cut);
    {
      auto store = OpenWith(original_.substr(0, cut));
      ASSERT_TRUE(store.ok()) << store.status();
      const RecoveryReport& r = (*store)->recovery();
      EXPECT_EQ(r.torn_tail_truncated, cut > last_start_);
      if (cut > last_start_) {
        EXPECT_EQ(r.file, segment_);
        EXPECT_EQ(r.offset, last_start_);
        EXPECT_EQ(r.truncated_bytes, cut - last_start_);
      }
      EXPECT_EQ((*store)->LastPosition(), uint64_t{kRecords - 1});
      const auto all = ReadAll(**store);  // never a partial record
      ASSERT_EQ(all.size(), size_t{kRecords - 1});
      for (int i = 1; i < kRecords; ++i) EXPECT_EQ(all[i - 1], Payload(i));
      // The tail is gone from disk and the next append takes its place.
      EXPECT_EQ(ReadBytes(segment_).size(), last_start_);
      EXPECT_EQ(*(*store)->Append(kEngineStream, kAnyVersion, Payload(kRecords)),
                uint64_t{kRecords});
    }
    auto reopened = OpenDirectoryStore(dir_.Sub("s"), NoSync());
    ASSERT_TRUE(reopened.ok()) << reopened.status();
    EXPECT_FALSE((*reopened)->recovery().torn_tail_truncated);
    EXPECT_EQ(ReadAll(**reopened).back(), Payload(kRecords));
  }
}

TEST_F(Recovery, EveryBitFlipInTheLastOrAMiddleRecordIsDataLoss) {
  // At open with verify_whole_journal_on_open. With the stream index (the
  // default), a damaged middle record is found by the reads (the open does
  // not read what the index covers), and a damaged last record at open (the
  // index is checked against the record it ends at, and rejected).
  for (size_t start : {middle_start_, last_start_}) {
    const size_t len = internal::RecordBytes(
        kEngineStream.size(),
        (start == last_start_ ? Payload(kRecords) : Payload(kRecords / 2)).size());
    for (size_t byte = start; byte < start + len; ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        SCOPED_TRACE(absl::StrCat("byte ", byte, " bit ", bit));
        std::string bad = original_;
        bad[byte] ^= static_cast<char>(1 << bit);
        auto scanned = OpenWith(bad, /*full_scan=*/true);
        ExpectDataLossAt(scanned.status(), start, segment_);
        auto store = OpenWith(bad);
        if (start == last_start_) {
          ExpectDataLossAt(store.status(), start, segment_);
          continue;
        }
        ASSERT_TRUE(store.ok()) << store.status();
        EXPECT_TRUE((*store)->recovery().index_used);
        ExpectDataLossAt((*store)->ReadAll(0, [](const StoredRecord&) { return absl::OkStatus(); }),
                         start, segment_);
        ExpectDataLossAt((*store)->ReadStream(kEngineStream, 0,
                                              [](const StoredRecord&) { return absl::OkStatus(); }),
                         start, segment_);
      }
    }
  }
}

TEST_F(Recovery, FailedOpenLeavesTheDirectoryUntouched) {
  const std::string temp = dir_.Sub("s/snapshot-00000000000000000003.cfs.tmp");
  WriteBytes(temp, "interrupted");
  std::string bad = original_;
  bad[last_start_ + internal::kRecordHeaderBytes] ^= 0x01;  // a payload bit
  auto store = OpenWith(bad);
  ExpectDataLossAt(store.status(), last_start_, segment_);
  EXPECT_EQ(ReadBytes(segment_), bad);  // nothing truncated or rewritten
  EXPECT_TRUE(std::filesystem::exists(temp));
  // Repaired, it opens and then cleans up.
  auto repaired = OpenWith(original_);
  ASSERT_TRUE(repaired.ok()) << repaired.status();
  EXPECT_EQ((*repaired)->recovery().temp_files_removed, 1u);
  EXPECT_FALSE(std::filesystem::exists(temp));
}

TEST_F(Recovery, SegmentHeaderDamageIsDataLossAtItsStart) {
  for (size_t byte = 0; byte < internal::kSegmentHeaderBytes; ++byte) {
    SCOPED_TRACE(byte);
    std::string bad = original_;
    bad[byte] ^= 0x04;
    auto store = OpenWith(bad);
    EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
    EXPECT_TRUE(absl::StrContains(store.status().message(), segment_));
  }
}

TEST_F(Recovery, AppendedGarbageIsDataLoss) {
  for (const std::string& garbage :
       {std::string("\x01", 1), std::string("garbage!"), std::string(19, '\x7f'),
        std::string(20, '\0'), std::string(300, 'z')}) {
    SCOPED_TRACE(garbage.size());
    auto store = OpenWith(original_ + garbage);
    ExpectDataLossAt(store.status(), original_.size(), segment_);
  }
}

TEST_F(Recovery, TornTailInAnOlderSegmentIsDataLoss) {
  // Put a newer segment behind the torn one: the tear is no longer at the end.
  WriteBytes(segment_, original_.substr(0, original_.size() - 3));
  std::string next;
  internal::AppendSegmentHeader(99, kRecords, &next);
  WriteBytes(dir_.Sub("s/" + internal::SegmentFileName(kRecords)), next);
  auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
  ExpectDataLossAt(store.status(), last_start_, segment_);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "not the newest")) << store.status();
}

TEST_F(Recovery, GapBetweenSegmentsIsDataLoss) {
  std::string next;
  internal::AppendSegmentHeader(99, kRecords + 2, &next);
  const std::string path = dir_.Sub("s/" + internal::SegmentFileName(kRecords + 2));
  WriteBytes(path, next);
  auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
  ExpectDataLossAt(store.status(), 0, path);
}

TEST_F(Recovery, MissingFirstSegmentIsDataLoss) {
  std::filesystem::remove(segment_);
  std::string later;
  internal::AppendSegmentHeader(99, 5, &later);
  const std::string path = dir_.Sub("s/" + internal::SegmentFileName(5));
  WriteBytes(path, later);
  auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
  ExpectDataLossAt(store.status(), 0, path);
  EXPECT_TRUE(absl::StrContains(store.status().message(), "records 1..4 are missing"))
      << store.status();
}

TEST_F(Recovery, EveryDamagedSnapshotByteIsDataLoss) {
  {
    auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->WriteSnapshot(4, "snapshot state").ok());
  }
  const std::string snap = Files(dir_.Sub("s"), "snapshot-").at(0);
  const std::string good = ReadBytes(snap);
  for (size_t byte = 0; byte < good.size(); ++byte) {
    SCOPED_TRACE(byte);
    std::string bad = good;
    bad[byte] ^= static_cast<char>(1 << (byte % 8));
    WriteBytes(snap, bad);
    auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
    EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
    EXPECT_TRUE(absl::StrContains(store.status().message(), snap)) << store.status();
    EXPECT_TRUE(absl::StrContains(store.status().message(), "at offset")) << store.status();
  }
  for (size_t cut : {size_t{0}, size_t{10}, good.size() - 1}) {
    WriteBytes(snap, good.substr(0, cut));
    EXPECT_TRUE(absl::IsDataLoss(OpenDirectoryStore(dir_.Sub("s"), NoSync()).status())) << cut;
  }
  WriteBytes(snap, good);
  auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*(*store)->LatestSnapshot())->state, "snapshot state");
}

// The open checks a snapshot a piece at a time: damage past the first
// megabyte is found as well.
TEST_F(Recovery, ADamagedByteInALargeSnapshotIsDataLoss) {
  std::string state(3 << 20, 'x');
  for (size_t i = 0; i < state.size(); i += 4096) state[i] = static_cast<char>(i / 4096);
  {
    auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->WriteSnapshot(4, state).ok());
  }
  const std::string snap = Files(dir_.Sub("s"), "snapshot-").at(0);
  const std::string good = ReadBytes(snap);
  for (size_t byte : {size_t{(2 << 20) + 12345}, good.size() - 5}) {
    std::string bad = good;
    bad[byte] ^= 0x10;
    WriteBytes(snap, bad);
    auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
    EXPECT_TRUE(absl::IsDataLoss(store.status())) << byte << ": " << store.status();
  }
  WriteBytes(snap, good);
  auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*(*store)->LatestSnapshot())->state, state);
}

TEST_F(Recovery, SnapshotBeyondTheJournalIsDataLoss) {
  // A snapshot claiming records the journal never had.
  {
    auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->WriteSnapshot(kRecords, "s").ok());
  }
  WriteBytes(segment_, original_.substr(0, last_start_));
  auto store = OpenDirectoryStore(dir_.Sub("s"), NoSync());
  EXPECT_TRUE(absl::IsDataLoss(store.status())) << store.status();
}

}  // namespace
}  // namespace collabflow
