// Records loaded on demand (engine/state/folded_state.h, request_cache.h):
// an engine that holds every record and one that holds none between
// commands (a cache of one byte: every record is dropped after each command
// and query, and read back from its stream when needed) give the same views,
// lists, outbox, records and state, live and after reopening at any point,
// with or without a snapshot; and records dropped and loaded by many threads
// at once, with snapshots written in the background meanwhile, leave the
// same history as one thread would.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/company_year.h"
#include "support/seed_scenario.h"
#include "support/store_test_support.h"
#include "wire/proto_io.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT: the company's vocabulary

constexpr int kRequests = 40;

absl::Time TimeOf(const v1::Command& c) { return internal::FromProto(c.time()); }

std::vector<v1::Command> YearCommands() { return testing::YearCommands(kRequests); }

std::string Bytes(const google::protobuf::Message& m) { return internal::SerializeBinary(m); }

// Everything a host can read of the engine, as text to compare.
struct Reading {
  std::vector<std::string> parts;
  bool operator==(const Reading& o) const { return parts == o.parts; }
};

Reading ReadAll(const Engine& e, absl::Time at, bool with_history) {
  Reading r;
  r.parts.push_back(e.StateBytes());
  const std::vector<std::string> ids = e.RequestIds();
  for (const std::string& id : ids) {
    r.parts.push_back(id);
    absl::StatusOr<v1::RequestView> view = e.GetRequest(id);
    r.parts.push_back(view.ok() ? Bytes(*view) : view.status().ToString());
    absl::StatusOr<v1::ScheduleView> schedule = e.GetSchedule(id);
    r.parts.push_back(schedule.ok() ? Bytes(*schedule) : schedule.status().ToString());
    if (with_history) {
      absl::StatusOr<RequestHistory> history = e.ReadRequestHistory(id);
      r.parts.push_back(history.ok() ? absl::StrCat(Bytes(history->record), history->head_hash,
                                                    history->events.size())
                                     : history.status().ToString());
    }
  }
  r.parts.push_back(Bytes(e.Overdue(at)));
  for (int d = 0; d < kDepartments; d += 7) {
    for (int k = 0; k < kPeoplePerDepartment; k += 3) {
      absl::StatusOr<v1::MustDoList> list = e.MustDo(PersonId(d, k), at);
      r.parts.push_back(list.ok() ? Bytes(*list) : list.status().ToString());
    }
  }
  for (const v1::Notification& n : e.ReadOutbox(0, 1 << 20)) r.parts.push_back(Bytes(n));
  return r;
}

// What differs first, for the failure message: the state field by field,
// else which part.
std::string FirstDifference(const Reading& a, const Reading& b) {
  for (size_t i = 0; i < std::min(a.parts.size(), b.parts.size()); ++i) {
    if (a.parts[i] == b.parts[i]) continue;
    if (i > 0) return absl::StrCat("part ", i, " (request list, views, lists, outbox)");
    v1::EngineState x, y;
    if (!x.ParseFromString(a.parts[0]) || !y.ParseFromString(b.parts[0])) return "the state";
    google::protobuf::util::MessageDifferencer differencer;
    std::string report;
    differencer.ReportDifferencesToString(&report);
    differencer.Compare(x, y);
    return absl::StrCat("the state: ", report.substr(0, 4000));
  }
  return absl::StrCat("sizes ", a.parts.size(), " and ", b.parts.size());
}

// Acknowledgements are stamped by the clock: one clock for every engine.
const FakeClock& TheClock() {
  static const FakeClock* clock = new FakeClock(kAfterTheYear);
  return *clock;
}

EngineOptions HoldingEverything() {
  EngineOptions o;
  o.clock = &TheClock();
  return o;
}

EngineOptions HoldingNothing(const std::string& dir = {}) {
  EngineOptions o = HoldingEverything();
  o.store_dir = dir;
  o.store.durability = Durability::kNoSync;
  o.request_cache_bytes = 1;
  return o;
}

TEST(RequestCacheTest, ACacheOfOneByteGivesTheSameViewsAsHoldingEveryRecord) {
  const std::vector<v1::Command> commands = YearCommands();
  auto all = Engine::Open(HoldingEverything());
  ASSERT_TRUE(all.ok()) << all.status();
  auto none = Engine::Open(HoldingNothing());
  ASSERT_TRUE(none.ok()) << none.status();
  for (size_t i = 0; i < commands.size(); ++i) {
    const absl::Time t = TimeOf(commands[i]);
    absl::StatusOr<v1::CommandResult> a = (*all)->Execute(commands[i]);
    absl::StatusOr<v1::CommandResult> b = (*none)->Execute(commands[i]);
    ASSERT_EQ(a.status(), b.status()) << "command " << i;
    if (a.ok()) {
      ASSERT_EQ(Bytes(*a), Bytes(*b)) << "command " << i;
    }
    if (i % 40 == 39) {
      // Reminders and escalations, which read the records of what is due.
      absl::StatusOr<int> ta = (*all)->Tick(t);
      absl::StatusOr<int> tb = (*none)->Tick(t);
      ASSERT_EQ(ta.status(), tb.status());
      if (ta.ok()) {
        EXPECT_EQ(*ta, *tb);
      }
      const uint64_t up_to = (*all)->LastPosition() / 2;
      ASSERT_TRUE((*all)->AcknowledgeOutbox(up_to).ok());
      ASSERT_TRUE((*none)->AcknowledgeOutbox(up_to).ok());
    }
    if (i % 60 == 59 || i + 1 == commands.size()) {
      const Reading ra = ReadAll(**all, t, /*with_history=*/i + 1 == commands.size());
      const Reading rb = ReadAll(**none, t, /*with_history=*/i + 1 == commands.size());
      ASSERT_TRUE(ra == rb) << "after command " << i << ": " << FirstDifference(ra, rb);
    }
  }
}

TEST(RequestCacheTest, ReopeningAtAnyPointWithOrWithoutASnapshotGivesTheSameViews) {
  const std::vector<v1::Command> commands = YearCommands();
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  auto all = Engine::Open(HoldingEverything());
  ASSERT_TRUE(all.ok()) << all.status();
  std::mt19937_64 rng(20261207);
  std::unique_ptr<Engine> reopened;
  size_t next = 0;
  for (int round = 0; next < commands.size(); ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round, " from command ", next));
    {
      reopened.reset();  // closes the store
      auto e = Engine::Open(HoldingNothing(dir));
      ASSERT_TRUE(e.ok()) << e.status();
      reopened = std::move(*e);
    }
    if (round > 0) {
      const absl::Time t = TimeOf(commands[next - 1]);
      const Reading ra = ReadAll(**all, t, /*with_history=*/false);
      const Reading rb = ReadAll(*reopened, t, /*with_history=*/false);
      ASSERT_TRUE(ra == rb) << FirstDifference(ra, rb);
    }
    const size_t until = std::min(commands.size(), next + 1 + rng() % 150);
    for (; next < until; ++next) {
      absl::StatusOr<v1::CommandResult> a = (*all)->Execute(commands[next]);
      absl::StatusOr<v1::CommandResult> b = reopened->Execute(commands[next]);
      ASSERT_EQ(a.status(), b.status()) << "command " << next;
      // A snapshot now and then, at any point: the next open reads it and
      // the commands after it.
      if (rng() % 97 == 0) {
        ASSERT_TRUE(reopened->WriteSnapshot().ok());
      }
    }
  }
  const absl::Time t = TimeOf(commands.back());
  const Reading ra = ReadAll(**all, t, /*with_history=*/true);
  const Reading rb = ReadAll(*reopened, t, /*with_history=*/true);
  ASSERT_TRUE(ra == rb) << FirstDifference(ra, rb);
  EXPECT_TRUE(reopened->VerifyHistory().ok());
}

// Request snapshots (EngineOptions::request_snapshot_every_records): an
// engine holding no record loads every request it touches, and each load
// that folds two records or more queues the request's snapshot (written by
// the engine's writer, and by WriteSnapshot); later loads start from them,
// with the same views as holding everything.
EngineOptions WritingRequestSnapshots(const std::string& dir, uint64_t every = 2) {
  EngineOptions o = HoldingNothing(dir);
  o.snapshot_every_records = 0;
  o.request_snapshot_every_records = every;
  return o;
}

TEST(RequestCacheTest, LoadsFromRequestSnapshotsGiveTheSameViews) {
  const std::vector<v1::Command> commands = YearCommands();
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  auto all = Engine::Open(HoldingEverything());
  ASSERT_TRUE(all.ok()) << all.status();
  std::mt19937_64 rng(7);
  size_t next = 0;
  for (int round = 0; next < commands.size(); ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round, " from command ", next));
    {
      auto writer = Engine::Open(WritingRequestSnapshots(dir));
      ASSERT_TRUE(writer.ok()) << writer.status();
      const size_t until = std::min(commands.size(), next + 1 + rng() % 120);
      for (; next < until; ++next) {
        absl::StatusOr<v1::CommandResult> a = (*all)->Execute(commands[next]);
        absl::StatusOr<v1::CommandResult> b = (*writer)->Execute(commands[next]);
        ASSERT_EQ(a.status(), b.status()) << "command " << next;
        if (rng() % 23 == 0) {
          ASSERT_TRUE((*writer)->WriteSnapshot().ok());
        }
      }
    }
    auto reader = Engine::Open(HoldingNothing(dir));
    ASSERT_TRUE(reader.ok()) << reader.status();
    const absl::Time t = TimeOf(commands[next - 1]);
    const bool last = next == commands.size();
    const Reading ra = ReadAll(**all, t, /*with_history=*/last);
    const Reading rb = ReadAll(**reader, t, /*with_history=*/last);
    ASSERT_TRUE(ra == rb) << FirstDifference(ra, rb);
    if (last) {
      EXPECT_TRUE((*reader)->VerifyHistory().ok());
    }
  }
  EXPECT_GT(Files(dir + "/streams", "").size(), static_cast<size_t>(kRequests / 2));
}

TEST(RequestCacheTest, ALoadStartsFromARequestSnapshotOnlyIfItLinksToTheStream) {
  const std::vector<v1::Command> commands = YearCommands();
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  {
    auto writer = Engine::Open(WritingRequestSnapshots(dir, /*every=*/1));
    ASSERT_TRUE(writer.ok()) << writer.status();
    for (size_t i = 0; i < 300; ++i) ASSERT_TRUE((*writer)->Execute(commands[i]).ok()) << i;
    ASSERT_TRUE((*writer)->WriteSnapshot().ok());  // and the request snapshots queued
  }
  // A request with a snapshot, read as the store keeps it.
  std::string id;
  for (const v1::Command& c : commands) {
    if (!c.request_id().empty()) {
      id = c.request_id();
      break;
    }
  }
  const std::string stream = absl::StrCat("request/", id);
  StoreOptions nosync;
  nosync.durability = Durability::kNoSync;
  v1::RequestSnapshot snapshot;
  {
    absl::StatusOr<std::unique_ptr<EventStore>> store = OpenDirectoryStore(dir, nosync);
    ASSERT_TRUE(store.ok()) << store.status();
    absl::StatusOr<std::optional<EventStore::StreamSnapshot>> kept =
        (*store)->ReadStreamSnapshot(stream);
    ASSERT_TRUE(kept.ok() && kept->has_value()) << kept.status();
    ASSERT_TRUE(snapshot.ParseFromString((*kept)->state));
  }
  const std::string topic = snapshot.record().request().topic();
  // Keeps `s` as the request's snapshot, and reads the request's topic with
  // a cache of one byte (the load of its record).
  auto topic_read = [&](const v1::RequestSnapshot& s) -> std::string {
    {
      absl::StatusOr<std::unique_ptr<EventStore>> store = OpenDirectoryStore(dir, nosync);
      EXPECT_TRUE(store.ok()) << store.status();
      if (!store.ok()) return "";
      EXPECT_TRUE(
          (*store)->WriteStreamSnapshot(stream, s.records(), internal::SerializeBinary(s)).ok());
    }
    auto reader = Engine::Open(HoldingNothing(dir));
    EXPECT_TRUE(reader.ok()) << reader.status();
    if (!reader.ok()) return "";
    absl::StatusOr<v1::RequestView> view = (*reader)->GetRequest(id);
    EXPECT_TRUE(view.ok()) << view.status();
    return view.ok() ? view->record().request().topic() : "";
  };
  // The load reads the snapshot (what it says is what the view shows)...
  v1::RequestSnapshot altered = snapshot;
  altered.mutable_record()->mutable_request()->set_topic("read from the snapshot");
  EXPECT_EQ(topic_read(altered), "read from the snapshot");
  // ...but not one that does not end with the stream's event at its place:
  // another hash, or another event's version.
  altered.set_hash(std::string(32, '\x5a'));
  EXPECT_EQ(topic_read(altered), topic);
  altered = snapshot;
  altered.mutable_record()->mutable_request()->set_topic("read from the snapshot");
  altered.set_events(snapshot.events() - 1);
  EXPECT_EQ(topic_read(altered), topic);
}

TEST(RequestCacheTest, RecordsDroppedAndLoadedByManyThreadsLeaveTheHistoryOneThreadWould) {
  // Each writer drives its own requests' lifecycles while readers read
  // every request, the must-do lists and the overdue list: with a cache of
  // one byte, every command and query loads what it touches and drops it;
  // the engine writes a snapshot in the background every 16 records, which
  // the reopen below starts from, and the request snapshots long loads
  // queue.
  constexpr int kWriters = 4;
  const std::vector<v1::Command> commands = YearCommands();
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  EngineOptions options = HoldingNothing(dir);
  options.store.durability = Durability::kGroupCommit;
  options.snapshot_every_records = 16;
  options.request_snapshot_every_records = 4;  // long loads queue snapshots, written meanwhile
  std::string live;
  {
    auto e = Engine::Open(options);
    ASSERT_TRUE(e.ok()) << e.status();
    Engine& engine = **e;
    ASSERT_TRUE(engine.Execute(commands[0]).ok());  // the directory
    std::atomic<bool> writing{true};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        for (size_t i = 1; i < commands.size(); ++i) {
          // Request r's commands all go to writer r % kWriters, in order.
          const int r = std::stoi(commands[i].request_id().substr(1));
          if (r % kWriters != w) continue;
          if (!engine.Execute(commands[i]).ok()) failures.fetch_add(1);
        }
      });
    }
    threads.emplace_back([&] {
      while (writing.load()) {
        for (const std::string& id : engine.RequestIds()) {
          if (!engine.GetRequest(id).ok()) failures.fetch_add(1);
        }
        engine.Overdue(kAfterTheYear);
        if (!engine.MustDo(PersonId(1, 2), kAfterTheYear).ok()) failures.fetch_add(1);
      }
    });
    for (int w = 0; w < kWriters; ++w) threads[w].join();
    writing.store(false);
    threads.back().join();
    EXPECT_EQ(failures.load(), 0);
    live = engine.StateBytes();
  }
  // One thread, the same commands: each request's view is the same (the
  // positions differ, not what any request holds).
  auto one = Engine::Open(HoldingEverything());
  ASSERT_TRUE(one.ok()) << one.status();
  for (const v1::Command& c : commands) ASSERT_TRUE((*one)->Execute(c).ok());
  auto reopened = Engine::Open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->StateBytes(), live);
  EXPECT_TRUE((*reopened)->VerifyHistory().ok());
  const std::vector<std::string> ids = (*one)->RequestIds();
  ASSERT_EQ((*reopened)->RequestIds(), ids);
  for (const std::string& id : ids) {
    absl::StatusOr<v1::RequestView> a = (*one)->GetRequest(id);
    absl::StatusOr<v1::RequestView> b = (*reopened)->GetRequest(id);
    ASSERT_TRUE(a.ok() && b.ok()) << id;
    EXPECT_EQ(Bytes(a->record()), Bytes(b->record())) << id;
  }
}

TEST(RequestCacheTest, ARecordTakesAboutTwiceItsEventsBytesInMemory) {
  // What the cache charges a record (request_cache.h) against what the
  // record takes: within a factor of two either way, on every request of
  // the year, at every stage.
  auto e = Engine::Open(HoldingEverything());
  ASSERT_TRUE(e.ok()) << e.status();
  for (const v1::Command& c : YearCommands()) ASSERT_TRUE((*e)->Execute(c).ok());
  double lowest = 1e9, highest = 0;
  for (const std::string& id : (*e)->RequestIds()) {
    absl::StatusOr<RequestHistory> history = (*e)->ReadRequestHistory(id);
    ASSERT_TRUE(history.ok()) << history.status();
    size_t wire = 0;
    for (v1::Event event : history->events) {
      event.clear_position();
      wire += event.ByteSizeLong();
    }
    const double ratio = static_cast<double>(history->record.SpaceUsedLong()) / wire;
    lowest = std::min(lowest, ratio);
    highest = std::max(highest, ratio);
  }
  EXPECT_GE(lowest, 2.0 / 2) << "highest " << highest;
  EXPECT_LE(highest, 2.0 * 2) << "lowest " << lowest;
}

}  // namespace
}  // namespace collabflow
