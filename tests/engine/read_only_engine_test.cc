// An engine opened read-only (EngineOptions::store.read_only) from a second
// process, beside a host that holds the store and keeps writing it: it sees
// every command acknowledged before its open (the same state, byte for
// byte), none after until it opens again, and refuses every call that would
// write.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/seed_scenario.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::ConfirmSeedCopy;
using ::collabflow::testing::DriveSeed;
using ::collabflow::testing::ReadBytes;
using ::collabflow::testing::ScratchDir;
using ::collabflow::testing::SeedDirectory;
using ::collabflow::testing::SeedRequestProto;
using ::collabflow::testing::Shanghai;
using ::collabflow::testing::UpdateDirectoryCommand;

EngineOptions Options(const std::string& dir, bool read_only) {
  EngineOptions o;
  o.store_dir = dir;
  o.store.durability = Durability::kSyncEveryCommand;
  o.store.read_only = read_only;
  o.snapshot_every_records = 0;
  return o;
}

// In a child process: opens the store read-only, writes its state's bytes
// to `out`, and checks that every write is refused. Returns the child's
// exit status (0: all held).
int ReadInAnotherProcess(const std::string& dir, const std::string& out) {
  const pid_t child = fork();
  if (child == 0) {
    auto engine = Engine::Open(Options(dir, /*read_only=*/true));
    if (!engine.ok()) _exit(10);
    {
      FILE* f = std::fopen(out.c_str(), "wb");
      const std::string bytes = (*engine)->StateBytes();
      if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) _exit(11);
      std::fclose(f);
    }
    const auto refused = [](const absl::Status& s) {
      return absl::IsFailedPrecondition(s) && absl::StrContains(s.message(), "opened read-only");
    };
    v1::CollaborationRequest another = SeedRequestProto();
    another.set_id("R-READER");
    const absl::Time t = Shanghai(2026, 9, 3, 9);
    if (!refused(ConfirmSeedCopy(**engine, another, t))) _exit(12);
    if (!refused((*engine)->Tick(t).status())) _exit(13);
    if (!refused((*engine)->AcknowledgeOutbox(1))) _exit(14);
    if (!refused((*engine)->WriteSnapshot())) _exit(15);
    _exit(0);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(ReadOnlyEngine, ASecondProcessSeesWhatTheHostAcknowledged) {
  ScratchDir scratch;
  const std::string dir = scratch.Sub("store");
  auto host = Engine::Open(Options(dir, /*read_only=*/false));
  ASSERT_TRUE(host.ok()) << host.status();
  ASSERT_TRUE(
      (*host)->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
  const absl::Status driven = DriveSeed(**host, 8);
  ASSERT_TRUE(driven.ok()) << driven;
  // The host holds the store: a writing open elsewhere is refused; a
  // read-only one is not.
  ASSERT_EQ(ReadInAnotherProcess(dir, scratch.Sub("state-1")), 0);
  EXPECT_EQ(ReadBytes(scratch.Sub("state-1")), (*host)->StateBytes());

  for (int i = 0; i < 5; ++i) {
    v1::CollaborationRequest copy = SeedRequestProto();
    copy.set_id(absl::StrCat("R-COPY-", i));
    ASSERT_TRUE(ConfirmSeedCopy(**host, copy, Shanghai(2026, 9, 2, 12)).ok());
  }
  ASSERT_TRUE((*host)->WriteSnapshot().ok());
  ASSERT_EQ(ReadInAnotherProcess(dir, scratch.Sub("state-2")), 0);
  const std::string later = ReadBytes(scratch.Sub("state-2"));
  EXPECT_EQ(later, (*host)->StateBytes());
  EXPECT_NE(later, ReadBytes(scratch.Sub("state-1")));
}

TEST(ReadOnlyEngine, NeedsAStoreDirectory) {
  EngineOptions o;
  o.store.read_only = true;
  auto engine = Engine::Open(o);
  EXPECT_TRUE(absl::IsInvalidArgument(engine.status())) << engine.status();
  ScratchDir scratch;
  auto missing = Engine::Open(Options(scratch.Sub("none"), /*read_only=*/true));
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
}

}  // namespace
}  // namespace collabflow
