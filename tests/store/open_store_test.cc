// OpenStore: a directory opens the directory store without loading libpq; a
// postgresql:// URI loads the PostgreSQL module on demand; a module that
// cannot be loaded is a clear FAILED_PRECONDITION naming the path.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::ScratchDir;

std::string Maps() {
  std::ifstream in("/proc/self/maps");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void UseBuiltModule() { setenv("COLLABFLOW_PG_MODULE", COLLABFLOW_TEST_PG_MODULE, 0); }

TEST(OpenStore, TellsPostgresUrisFromDirectories) {
  EXPECT_TRUE(IsPostgresUri("postgresql://u@h/db"));
  EXPECT_TRUE(IsPostgresUri("postgres:///db?host=/tmp"));
  EXPECT_FALSE(IsPostgresUri("/var/lib/collabflow"));
  EXPECT_FALSE(IsPostgresUri("postgresql"));
  EXPECT_FALSE(IsPostgresUri("./postgresql://x"));
}

// The first test of the binary (each runs in a process of its own under ctest).
TEST(OpenStore, ADirectoryStoreLoadsNoLibpq) {
  ScratchDir dir;
  auto store = OpenStore(dir.Sub("store"));
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Append("s", 0, "x").ok());
  ASSERT_TRUE((*store)->Close().ok());
  const std::string maps = Maps();
  EXPECT_FALSE(absl::StrContains(maps, "libpq")) << maps;
  EXPECT_FALSE(absl::StrContains(maps, "libcollabflow_pg")) << maps;
}

TEST(OpenStore, APostgresUriLoadsTheModuleOnDemand) {
  UseBuiltModule();
  ScratchDir nowhere;  // a socket directory with no server in it
  const auto start = std::chrono::steady_clock::now();
  auto store = OpenStore(absl::StrCat("postgresql:///db?host=", nowhere.path()));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(absl::IsUnavailable(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), nowhere.path())) << store.status();
  const std::string maps = Maps();
  EXPECT_TRUE(absl::StrContains(maps, "libcollabflow_pg.so")) << maps;
  EXPECT_TRUE(absl::StrContains(maps, "libpq")) << maps;
}

// In a child process: the module is looked up once per process.
TEST(OpenStore, AModuleThatCannotBeLoadedIsFailedPreconditionNamingThePath) {
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipefd[0]);
    setenv("COLLABFLOW_PG_MODULE", "/nonexistent/libcollabflow_pg.so", 1);
    auto store = OpenStore("postgresql:///db?host=/nonexistent");
    const std::string report =
        absl::StrCat(static_cast<int>(store.status().code()), " ", store.status().message());
    (void)!write(pipefd[1], report.data(), report.size());
    _exit(0);
  }
  close(pipefd[1]);
  std::string report;
  char buf[512];
  for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) > 0;) report.append(buf, n);
  close(pipefd[0]);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(absl::StartsWith(
      report, absl::StrCat(static_cast<int>(absl::StatusCode::kFailedPrecondition), " ")))
      << report;
  EXPECT_TRUE(absl::StrContains(report, "/nonexistent/libcollabflow_pg.so")) << report;
  EXPECT_TRUE(absl::StrContains(report, "COLLABFLOW_PG_MODULE")) << report;
}

}  // namespace
}  // namespace collabflow
