// Damage is always DATA_LOSS: a directory store whose files were damaged
// after they passed their checksums, or replaced by something that is not a
// file, refuses to open with DATA_LOSS (the CLI's exit 4), never with
// INVALID_ARGUMENT or FAILED_PRECONDITION (exit 3, "your input is wrong").
// One table: each row damages a fresh store one way.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "gtest/gtest.h"
#include "store/file_system.h"
#include "store/snapshot_file.h"
#include "support/seed_scenario.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;

EngineOptions DamageTestOptions(const std::string& dir) {
  EngineOptions o;
  o.store_dir = dir;
  o.store.durability = Durability::kNoSync;
  o.store.segment_bytes = 1024;  // several segments, so an older one can be damaged
  o.snapshot_every_records = 0;  // only the snapshot written below
  return o;
}

// The seed scenario through the plan, with a snapshot after its fourth
// command: a snapshot, and journal segments before and after it.
void BuildStore(const std::string& dir) {
  auto engine = Engine::Open(DamageTestOptions(dir));
  ASSERT_TRUE(engine.ok()) << engine.status();
  ASSERT_TRUE((*engine)
                  ->Execute(testing::UpdateDirectoryCommand(testing::SeedDirectory(),
                                                            testing::Shanghai(2026, 8, 30)))
                  .ok());
  const std::vector<v1::Command> commands = testing::SeedCommands();
  for (size_t i = 0; i < commands.size(); ++i) {
    auto result = (*engine)->Execute(commands[i]);
    ASSERT_TRUE(result.ok()) << i << ": " << result.status();
    if (i == 3) {
      ASSERT_TRUE((*engine)->WriteSnapshot().ok());
    }
  }
}

// The store's files whose names start with `prefix`, in name order.
std::vector<std::string> FilesNamed(const std::string& dir, absl::string_view prefix) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (absl::StartsWith(entry.path().filename().string(), prefix)) {
      found.push_back(entry.path().string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

void ReplaceByDirectory(const std::string& path) {
  ASSERT_TRUE(fs::remove(path)) << path;
  ASSERT_TRUE(fs::create_directory(path)) << path;
  std::ofstream(path + "/inside") << "a file inside the directory";
}

// Rewrites the snapshot through the store's own writer with `state`: header,
// length and both checksums are right, only the state is wrong. Returns its
// path.
std::string RewriteSnapshot(const std::string& dir, absl::string_view state) {
  const std::string path = FilesNamed(dir, "snapshot-").at(0);
  const auto covers = internal::ParseSnapshotFileName(fs::path(path).filename().string()).value();
  bool unknown = false;
  EXPECT_TRUE(internal::WriteSnapshotFile(DefaultFileSystem(), dir, covers, state, &unknown).ok());
  return path;
}

struct Damage {
  const char* name;
  // The file it damages (for the message), after damaging it.
  std::function<std::string(const std::string& dir)> apply;
};

const Damage kDamages[] = {
    {"the snapshot's state is not an index, its checksums hold",
     [](const std::string& dir) { return RewriteSnapshot(dir, "\xff\xff\xff\xff not an index"); }},
    // Field 1 (the directory) well delimited, so the index splits, but its
    // content does not parse: a person (field 1) longer than what is there.
    {"the snapshot's directory does not parse, its checksums hold",
     [](const std::string& dir) { return RewriteSnapshot(dir, "\x0a\x03\x0a\x05x"); }},
    // ... or parses but a person's id is not UTF-8.
    {"the snapshot's directory holds a string that is not UTF-8",
     [](const std::string& dir) {
       return RewriteSnapshot(dir, "\x0a\x06\x0a\x04\x0a\x02\xff\xfe");
     }},
    {"the snapshot is a directory",
     [](const std::string& dir) {
       const std::string path = FilesNamed(dir, "snapshot-").at(0);
       ReplaceByDirectory(path);
       return path;
     }},
    {"the newest journal segment is a directory",
     [](const std::string& dir) {
       const std::string path = FilesNamed(dir, "journal-").back();
       ReplaceByDirectory(path);
       return path;
     }},
    {"an older journal segment is a directory",
     [](const std::string& dir) {
       const std::vector<std::string> segments = FilesNamed(dir, "journal-");
       EXPECT_GE(segments.size(), 2u);
       const std::string path = segments.at(segments.size() - 2);
       ReplaceByDirectory(path);
       return path;
     }},
    {"the stream index is a directory",
     [](const std::string& dir) {
       const std::string path = FilesNamed(dir, "index-").at(0);
       ReplaceByDirectory(path);
       return path;
     }},
    {"the manifest is a directory",
     [](const std::string& dir) {
       const std::string path = JoinPath(dir, "manifest.cfm");
       ReplaceByDirectory(path);
       return path;
     }},
    // A control row, DATA_LOSS before and after: a bit flip in a record.
    {"a bit flipped in the newest journal segment",
     [](const std::string& dir) {
       const std::string path = FilesNamed(dir, "journal-").back();
       std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
       f.seekg(40);
       char c = 0;
       f.get(c);
       f.seekp(40);
       f.put(static_cast<char>(c ^ 0x01));
       return path;
     }},
};

TEST(StoreDamage, EveryKindOfDamageIsDataLoss) {
  for (const Damage& damage : kDamages) {
    SCOPED_TRACE(damage.name);
    ScratchDir scratch;
    const std::string dir = scratch.Sub("store");
    BuildStore(dir);
    {
      auto intact = Engine::Open(DamageTestOptions(dir));
      ASSERT_TRUE(intact.ok()) << intact.status();
    }
    const std::string path = damage.apply(dir);
    auto engine = Engine::Open(DamageTestOptions(dir));
    ASSERT_FALSE(engine.ok());
    EXPECT_TRUE(absl::IsDataLoss(engine.status())) << path << ": " << engine.status();
  }
}

}  // namespace
}  // namespace collabflow
