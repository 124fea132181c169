// The engine on a PostgreSQL store. One host: the seed scenario gives the
// same views, state digest, outbox and history as on a directory store, and
// reopening (from the records alone, then from a snapshot) rebuilds the same.
// Two hosts on one database: each decides on what the other committed
// (conflicts decided again, refusals confirmed), rungs fire once, and both
// reach the state one engine alone reaches.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/engine.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/pg_test_database.h"
#include "support/seed_scenario.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT: the seed vocabulary

std::unique_ptr<Engine> OpenEngine(const std::string& store) {
  EngineOptions options;
  options.store_dir = store;
  options.snapshot_every_records = 0;  // snapshots when the test says
  auto engine = Engine::Open(std::move(options));
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? std::move(*engine) : nullptr;
}

// Everything a host reads of the seed request, as bytes.
struct Views {
  std::string state;
  std::string request;
  std::string schedule;
  std::vector<std::string> outbox;
  std::vector<std::string> events;
  uint64_t last_position = 0;
};

Views ViewsOf(const Engine& e) {
  Views v;
  v.state = e.StateBytes();
  auto request = e.GetRequest(kRequestId);
  EXPECT_TRUE(request.ok()) << request.status();
  if (request.ok()) v.request = request->SerializeAsString();
  auto schedule = e.GetSchedule(kRequestId);
  EXPECT_TRUE(schedule.ok()) << schedule.status();
  if (schedule.ok()) v.schedule = schedule->SerializeAsString();
  for (const v1::Notification& n : e.ReadOutbox(0, 1000)) v.outbox.push_back(n.SerializeAsString());
  EXPECT_TRUE(e.ReadEvents(0, [&](const v1::Event& ev) {
                 v.events.push_back(ev.SerializeAsString());
                 return absl::OkStatus();
               }).ok());
  v.last_position = e.LastPosition();
  return v;
}

void ExpectSame(const Views& a, const Views& b) {
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.request, b.request);
  EXPECT_EQ(a.schedule, b.schedule);
  EXPECT_EQ(a.outbox, b.outbox);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.last_position, b.last_position);
}

Views RunSeed(const std::string& store) {
  std::unique_ptr<Engine> e = OpenEngine(store);
  if (e == nullptr) return {};
  EXPECT_TRUE(e->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
  absl::Status s = DriveSeed(*e, 8);
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_TRUE(e->Tick(Shanghai(2026, 9, 8, 18)).ok());
  return ViewsOf(*e);
}

TEST(EnginePostgres, SeedScenarioMatchesTheDirectoryStoreAndSurvivesReopen) {
  ScratchDir dir;
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  const Views on_directory = RunSeed(dir.Sub("store"));
  const Views on_postgres = RunSeed(db.uri());
  ASSERT_FALSE(on_directory.events.empty());
  ExpectSame(on_postgres, on_directory);
  {
    // Reopened from the records alone.
    std::unique_ptr<Engine> e = OpenEngine(db.uri());
    ASSERT_NE(e, nullptr);
    ExpectSame(ViewsOf(*e), on_directory);
    EXPECT_TRUE(e->VerifyHistory().ok());
    ASSERT_TRUE(e->WriteSnapshot().ok());
  }
  // Reopened from the snapshot; and it goes on.
  std::unique_ptr<Engine> e = OpenEngine(db.uri());
  ASSERT_NE(e, nullptr);
  ExpectSame(ViewsOf(*e), on_directory);
  const uint64_t before = e->LastPosition();
  auto updated = e->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 9, 18, 18)));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(e->LastPosition(), before + 1);
}

// Two engines on one database, as two hosts behind a load balancer.
struct TwoHosts {
  TestDatabase db;
  std::unique_ptr<Engine> a, b;
  TwoHosts() {
    if (!db.ok()) return;
    a = OpenEngine(db.uri());
    b = OpenEngine(db.uri());
  }
  bool ok() const { return a != nullptr && b != nullptr; }
};

TEST(EnginePostgres, EachEngineDecidesOnWhatTheOtherCommitted) {
  TwoHosts hosts;
  ASSERT_TRUE(hosts.ok());
  const std::vector<v1::Command> seed = SeedCommands();
  // A sets the directory; B has not read it, yet the initiator is known to
  // it by the time it decides (a refusal is confirmed on the latest state).
  ASSERT_TRUE(
      hosts.a->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
  auto created = hosts.b->Execute(seed[0]);
  ASSERT_TRUE(created.ok()) << created.status();
  // The seed's commands alternate between the hosts: each decides the next
  // on the other's last, which it has not read before.
  for (size_t i = 1; i < seed.size(); ++i) {
    Engine& host = i % 2 == 1 ? *hosts.a : *hosts.b;
    auto r = host.Execute(seed[i]);
    ASSERT_TRUE(r.ok()) << "command " << i << ": " << r.status();
    EXPECT_EQ(r->first_version() > 1, true);
  }
  // A refusal that holds on the latest state stays a refusal.
  auto unknown =
      hosts.a->Execute(SubmitRequestCommand(kInitiator, Shanghai(2026, 9, 3, 9), "NOPE"));
  EXPECT_TRUE(absl::IsNotFound(unknown.status())) << unknown.status();
  auto again =  // submitted long ago
      hosts.b->Execute(SubmitRequestCommand(kInitiator, Shanghai(2026, 9, 3, 9), kRequestId));
  EXPECT_TRUE(absl::IsFailedPrecondition(again.status())) << again.status();

  // Both read the same history into the same state, which one engine on a
  // directory store running the seed alone also reaches.
  ASSERT_TRUE(hosts.a->CatchUp().ok());
  ASSERT_TRUE(hosts.b->CatchUp().ok());
  EXPECT_EQ(hosts.a->LastPosition(), hosts.b->LastPosition());
  EXPECT_EQ(hosts.a->StateBytes(), hosts.b->StateBytes());
  ScratchDir dir;
  std::unique_ptr<Engine> alone = OpenEngine(dir.Sub("store"));
  ASSERT_TRUE(
      alone->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
  ASSERT_TRUE(DriveSeed(*alone, 8).ok());
  EXPECT_EQ(hosts.a->StateBytes(), alone->StateBytes());
  EXPECT_TRUE(hosts.b->VerifyHistory().ok());
}

TEST(EnginePostgres, AStaleEngineDecidesAgainOnTheStreamsNewVersion) {
  TwoHosts hosts;
  ASSERT_TRUE(hosts.ok());
  ASSERT_TRUE(
      hosts.a->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
  ASSERT_TRUE(DriveSeed(*hosts.a, 4).ok());  // up to sales' counter-proposal
  ASSERT_TRUE(hosts.b->CatchUp().ok());
  // Both hold the request at the same version. A revises it; B, not having
  // read that, answers the counter-proposal's request: its append is refused
  // by the database (the stream moved on), it reads A's revision and decides
  // again: market's acceptance now answers revision 2.
  const std::vector<v1::Command> seed = SeedCommands();
  auto revised = hosts.a->Execute(seed[4]);
  ASSERT_TRUE(revised.ok()) << revised.status();
  auto accepted = hosts.b->Execute(seed[5]);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->first_version(), revised->last_version() + 1);
  EXPECT_GT(accepted->position(), revised->position());
  // A sees B's command once it waits for its position.
  ASSERT_TRUE(hosts.a->CatchUp(accepted->position()).ok());
  EXPECT_EQ(hosts.a->LastPosition(), accepted->position());
  EXPECT_EQ(hosts.a->GetRequest(kRequestId)->SerializeAsString(),
            hosts.b->GetRequest(kRequestId)->SerializeAsString());
  EXPECT_EQ(hosts.a->StateBytes(), hosts.b->StateBytes());
}

// The directory, then five requests submitted and awaiting their answers
// (whose reminders and escalations fire from 9-01 12:00).
absl::Status SubmitFive(Engine& e) {
  CFLOW_RETURN_IF_ERROR(
      e.Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).status());
  for (int i = 0; i < 5; ++i) {
    v1::CollaborationRequest request = SeedRequestProto();
    request.set_id(absl::StrCat("REQ-", i));
    CFLOW_RETURN_IF_ERROR(
        e.Execute(CreateRequestCommand(kInitiator, Shanghai(2026, 8, 31, 9, 30), request))
            .status());
    CFLOW_RETURN_IF_ERROR(
        e.Execute(SubmitRequestCommand(kInitiator, Shanghai(2026, 8, 31, 10), request.id()))
            .status());
  }
  return absl::OkStatus();
}

TEST(EnginePostgres, EveryRungFiresOnceWhicheverEnginesTick) {
  // Both engines tick at the same times: the rungs fired are those one
  // engine alone fires.
  ScratchDir dir;
  std::unique_ptr<Engine> alone = OpenEngine(dir.Sub("store"));
  ASSERT_TRUE(SubmitFive(*alone).ok());
  TwoHosts hosts;
  ASSERT_TRUE(hosts.ok());
  ASSERT_TRUE(SubmitFive(*hosts.a).ok());
  ASSERT_TRUE(hosts.b->CatchUp().ok());
  int alone_fired = 0, hosts_fired = 0;
  for (int day = 1; day <= 10; ++day) {
    const absl::Time t = Shanghai(2026, 9, day, 12);
    auto x = alone->Tick(t);
    ASSERT_TRUE(x.ok()) << x.status();
    alone_fired += *x;
    // Each ticks first on alternate days, without having read the other's
    // last tick.
    Engine& first = day % 2 == 0 ? *hosts.a : *hosts.b;
    Engine& second = day % 2 == 0 ? *hosts.b : *hosts.a;
    auto y = first.Tick(t);
    ASSERT_TRUE(y.ok()) << y.status();
    auto z = second.Tick(t);
    ASSERT_TRUE(z.ok()) << z.status();
    EXPECT_EQ(*y, *x) << "day " << day;
    EXPECT_EQ(*z, 0) << "day " << day;
    hosts_fired += *y + *z;
  }
  EXPECT_GE(alone_fired, 20);  // 5 requests x 2 receivers x rungs 1 and 2 at least
  EXPECT_EQ(hosts_fired, alone_fired);
  ASSERT_TRUE(hosts.a->CatchUp().ok());
  ASSERT_TRUE(hosts.b->CatchUp().ok());
  EXPECT_EQ(hosts.a->StateBytes(), alone->StateBytes());
  EXPECT_EQ(hosts.b->StateBytes(), alone->StateBytes());
}

// Two requests awaiting answers, the later one first due; A answers the
// later one; B, which does not follow (and has not read the answers),
// ticks when both are due. Committing the first request's rungs makes B
// read A's answers (they lie before its record), which moves the second
// request on after B decided it: B must decide it again (no reminder for
// answers given), not commit the stale decision against the new head.
absl::Status TwoDueRequests(Engine& e) {
  CFLOW_RETURN_IF_ERROR(
      e.Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).status());
  for (const auto& [id, hour] : {std::pair<const char*, int>{"REQ-EARLY", 9}, {"REQ-LATE", 11}}) {
    v1::CollaborationRequest request = SeedRequestProto();
    request.set_id(id);
    CFLOW_RETURN_IF_ERROR(
        e.Execute(CreateRequestCommand(kInitiator, Shanghai(2026, 8, 31, hour), request)).status());
    CFLOW_RETURN_IF_ERROR(
        e.Execute(SubmitRequestCommand(kInitiator, Shanghai(2026, 8, 31, hour), id)).status());
  }
  return absl::OkStatus();
}

absl::Status AnswerLate(Engine& e) {
  const absl::Time t = Shanghai(2026, 9, 1, 10, 30);
  CFLOW_RETURN_IF_ERROR(
      e.Execute(RespondCommand(kOwner, t, "REQ-LATE", Accept("market", "策划"))).status());
  return e.Execute(RespondCommand(kSalesHead, t, "REQ-LATE", Accept("sales", "数据"))).status();
}

TEST(EnginePostgres, ATickDecidesAgainARequestMovedOnWhileItCommitted) {
  const absl::Time due = Shanghai(2026, 9, 1, 12);
  ScratchDir dir;
  std::unique_ptr<Engine> alone = OpenEngine(dir.Sub("store"));
  ASSERT_TRUE(TwoDueRequests(*alone).ok());
  ASSERT_TRUE(AnswerLate(*alone).ok());
  auto fired_alone = alone->Tick(due);
  ASSERT_TRUE(fired_alone.ok()) << fired_alone.status();
  ASSERT_GT(*fired_alone, 0);

  TestDatabase db;
  ASSERT_TRUE(db.ok());
  std::unique_ptr<Engine> a = OpenEngine(db.uri());
  EngineOptions options;
  options.store_dir = db.uri();
  options.snapshot_every_records = 0;
  options.follow_others = false;
  auto b = Engine::Open(options);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(TwoDueRequests(*a).ok());
  ASSERT_TRUE((*b)->CatchUp().ok());
  ASSERT_TRUE(AnswerLate(*a).ok());
  auto fired = (*b)->Tick(due);
  ASSERT_TRUE(fired.ok()) << fired.status();
  EXPECT_EQ(*fired, *fired_alone);  // no reminder for the answers A recorded
  ASSERT_TRUE(a->CatchUp((*b)->LastPosition()).ok());
  EXPECT_EQ((*b)->StateBytes(), alone->StateBytes());
  EXPECT_EQ(a->StateBytes(), alone->StateBytes());
}

TEST(EnginePostgres, AnEngineFollowsTheOthersCommitsOnItsOwn) {
  TwoHosts hosts;
  ASSERT_TRUE(hosts.ok());
  // B calls nothing: the store wakes it after A's commits (NOTIFY), and it
  // reads them. Waited for up to 30 s: a correctness bound, not a speed
  // target (the benchmark measures how soon).
  const auto seen_by_b = [&](uint64_t position) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (hosts.b->LastPosition() < position) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  };
  auto r = hosts.a->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9)));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(seen_by_b(r->position()));
  ASSERT_TRUE(DriveSeed(*hosts.a, 8).ok());
  ASSERT_TRUE(seen_by_b(hosts.a->LastPosition()));
  EXPECT_EQ(hosts.b->StateBytes(), hosts.a->StateBytes());
  auto request = hosts.b->GetRequest(kRequestId);
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->SerializeAsString(), hosts.a->GetRequest(kRequestId)->SerializeAsString());
}

TEST(EnginePostgres, CatchUpWaitsForAPositionAndBoundsTheWait) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  EngineOptions options;
  options.store_dir = db.uri();
  options.store.statement_timeout_ms = 300;
  auto e = Engine::Open(options);
  ASSERT_TRUE(e.ok()) << e.status();
  auto r = (*e)->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9)));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE((*e)->CatchUp(r->position()).ok());
  // A position no command has reached yet: the wait ends at the timeout.
  absl::Status later = (*e)->CatchUp(r->position() + 5);
  EXPECT_TRUE(absl::IsDeadlineExceeded(later)) << later;
  // On a store only one engine writes, there is nothing to wait for.
  ScratchDir dir;
  std::unique_ptr<Engine> alone = OpenEngine(dir.Sub("store"));
  auto d = alone->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9)));
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(alone->CatchUp(d->position()).ok());
  EXPECT_TRUE(absl::IsOutOfRange(alone->CatchUp(d->position() + 1)));
}

}  // namespace
}  // namespace collabflow
