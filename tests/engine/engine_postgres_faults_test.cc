// Faults with many hosts on one PostgreSQL database (issue 21):
//  - a host process killed (SIGKILL) at a random moment of its commands, 20
//    times: every command it was told had committed is in the history, and
//    another host's commands go on meanwhile;
//  - the server stopped and started again under open engines: commands fail
//    with UNAVAILABLE while it is down, nothing of them is in the history,
//    and the same engines go on once it is back, without being reopened.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
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

EngineOptions HostOptions(const std::string& uri) {
  EngineOptions options;
  options.store_dir = uri;
  options.snapshot_every_records = 0;
  options.clock_tolerance = absl::Hours(24);
  options.store.statement_timeout_ms = 5000;
  return options;
}

// The seed confirmed and planned.
absl::Status Prepare(Engine& e) {
  absl::Status s =
      e.Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).status();
  if (s.ok()) s = DriveSeed(e, 8);
  return s;
}

// A risk raised on the seed request's first task: accepted whenever it
// comes, each a new record.
v1::Command RaiseRisk(int n) {
  v1::Command c = NewCommand(kSalesData, Shanghai(2026, 9, 3, 9), kRequestId);
  v1::Risk* risk = c.mutable_raise_risk()->mutable_risk();
  risk->set_task_id("T1");
  risk->set_description(absl::StrCat("区域数据延迟 ", n));
  risk->set_type(v1::RISK_TYPE_DELAY);
  risk->set_severity(v1::SEVERITY_MEDIUM);
  return c;
}

std::set<uint64_t> RequestPositions(const Engine& e) {
  std::set<uint64_t> positions;
  EXPECT_TRUE(e.ReadEvents(0, [&](const v1::Event& ev) {
                 positions.insert(ev.position());
                 return absl::OkStatus();
               }).ok());
  return positions;
}

TEST(PostgresFaults, AHostKilledMidCommandLosesNothingItAcknowledged) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  auto other = Engine::Open(HostOptions(db.uri()));
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(Prepare(**other).ok());
  std::mt19937_64 rng(20261208);
  std::vector<uint64_t> acknowledged;
  int other_commands = 0;
  for (int trial = 0; trial < 20; ++trial) {
    int acks[2];
    ASSERT_EQ(pipe(acks), 0);
    const pid_t host = fork();
    ASSERT_GE(host, 0);
    if (host == 0) {
      close(acks[0]);
      auto e = Engine::Open(HostOptions(db.uri()));
      if (!e.ok()) _exit(10);
      for (int n = 0;; ++n) {
        auto r = (*e)->Execute(RaiseRisk(n));
        if (!r.ok()) _exit(11);
        const uint64_t position = r->position();
        if (write(acks[1], &position, sizeof position) != sizeof position) _exit(12);
      }
    }
    close(acks[1]);
    // Killed at a random moment: before its open, mid-command, mid-read.
    usleep(static_cast<useconds_t>(20'000 + rng() % 200'000));
    ASSERT_EQ(kill(host, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(host, &status, 0), host);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the host ended by itself: " << status;
    for (uint64_t position; read(acks[0], &position, sizeof position) == sizeof position;) {
      acknowledged.push_back(position);
    }
    close(acks[0]);
    // The others carry on.
    auto r = (*other)->Execute(RaiseRisk(1000 + trial));
    ASSERT_TRUE(r.ok()) << "trial " << trial << ": " << r.status();
    ++other_commands;
  }
  ASSERT_TRUE((*other)->CatchUp().ok());
  const std::set<uint64_t> history = RequestPositions(**other);
  for (uint64_t position : acknowledged) {
    EXPECT_TRUE(history.count(position) == 1) << "acknowledged position " << position << " lost";
  }
  EXPECT_GT(acknowledged.size(), 20u);  // the hosts got commands through
  EXPECT_TRUE((*other)->VerifyHistory().ok());
  // A fresh replay of the database agrees with the host that stayed.
  auto replay = Engine::Open(HostOptions(db.uri()));
  ASSERT_TRUE(replay.ok()) << replay.status();
  ASSERT_TRUE((*other)->CatchUp((*replay)->LastPosition()).ok());
  EXPECT_EQ((*replay)->StateBytes(), (*other)->StateBytes());
}

// A server of this test's own (the suite's is shared by the other tests).
class OwnServer {
 public:
  OwnServer() : dir_(absl::StrCat("/tmp/cflow-pgf-", getpid())) {}
  ~OwnServer() { (void)Run("stop"); }
  bool Start() { return Run("start"); }
  bool Down() { return Run("down"); }
  std::string uri() const {
    return absl::StrCat("postgresql:///postgres?host=", dir_, "&port=5432&user=postgres");
  }

 private:
  bool Run(const char* what) {
    const std::string command =
        absl::StrCat(COLLABFLOW_TESTDATA_DIR, "/../../scripts/pg_test_server.sh ", what, " ", dir_,
                     " >/dev/null");
    return std::system(command.c_str()) == 0;
  }
  std::string dir_;
};

TEST(PostgresFaults, EnginesGoOnAfterTheServerRestartsWithoutReopening) {
  UseBuiltPostgresModule();
  OwnServer server;
  ASSERT_TRUE(server.Start());
  auto a = Engine::Open(HostOptions(server.uri()));
  ASSERT_TRUE(a.ok()) << a.status();
  auto b = Engine::Open(HostOptions(server.uri()));
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(Prepare(**a).ok());
  ASSERT_TRUE((*b)->CatchUp((*a)->LastPosition()).ok());
  const std::string before = (*a)->StateBytes();
  const std::set<uint64_t> history_before = RequestPositions(**a);

  ASSERT_TRUE(server.Down());
  for (int n = 0; n < 3; ++n) {
    auto r = (*a)->Execute(RaiseRisk(n));
    EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  }
  EXPECT_TRUE(absl::IsUnavailable((*b)->Execute(RaiseRisk(5)).status()));
  EXPECT_TRUE(absl::IsUnavailable((*b)->CatchUp()));
  EXPECT_EQ((*a)->StateBytes(), before);  // nothing half-applied

  ASSERT_TRUE(server.Start());
  EXPECT_EQ(RequestPositions(**a), history_before);  // nothing of the failed commands
  auto r = (*a)->Execute(RaiseRisk(10));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE((*b)->CatchUp(r->position()).ok());
  auto s = (*b)->Execute(RaiseRisk(11));
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE((*a)->CatchUp(s->position()).ok());
  EXPECT_EQ((*a)->StateBytes(), (*b)->StateBytes());
  EXPECT_TRUE((*a)->VerifyHistory().ok());

  // Restarted while nothing was asked of them: the first command after it
  // goes through (a pooled session the server ended is not handed out).
  ASSERT_TRUE(server.Down());
  ASSERT_TRUE(server.Start());
  auto first = (*b)->Execute(RaiseRisk(12));
  EXPECT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE((*a)->CatchUp().ok());
}

}  // namespace
}  // namespace collabflow
