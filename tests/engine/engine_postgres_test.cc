// The engine on a PostgreSQL store, one host: the seed scenario gives the
// same views, state digest, outbox and history as on a directory store, and
// reopening (from the records alone, then from a snapshot) rebuilds the same.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

TEST(EnginePostgres, ASecondEngineOnTheSameDatabaseIsRefused) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  std::unique_ptr<Engine> first = OpenEngine(db.uri());
  ASSERT_NE(first, nullptr);
  EngineOptions options;
  options.store_dir = db.uri();
  auto second = Engine::Open(std::move(options));
  EXPECT_TRUE(absl::IsFailedPrecondition(second.status())) << second.status();
}

}  // namespace
}  // namespace collabflow
