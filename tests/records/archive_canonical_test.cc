// Archives verify canonically: every single-byte change of an exported
// bundle (every single-bit flip among them) is refused. Before the check of
// the canonical encoding, a change that decodes to the same message (a
// boolean's byte 1 changed to 2..127, a varint's continuation padding)
// verified, since the digests and hashes are over the re-encoded parse.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "collabflow/archive.h"
#include "collabflow/engine.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/seed_scenario.h"

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT: the seed vocabulary

// The smallest bundle with every kind of field: a two-person directory and
// a request created, submitted and accepted (a response's boolean
// timing_accepted among its fields).
std::string SmallBundle() {
  auto engine = Engine::Open();
  EXPECT_TRUE(engine.ok()) << engine.status();
  Engine& e = **engine;
  v1::Directory d;
  v1::Person* a = d.add_people();
  a->set_id("p-a");
  a->set_name("A");
  a->set_department_id("d-a");
  v1::Person* b = d.add_people();
  b->set_id("p-b");
  b->set_name("B");
  b->set_department_id("d-b");
  v1::Department* da = d.add_departments();
  da->set_id("d-a");
  da->set_head_id("p-a");
  v1::Department* db = d.add_departments();
  db->set_id("d-b");
  db->set_head_id("p-b");
  const absl::Time t = Shanghai(2026, 9, 1, 9);
  EXPECT_TRUE(e.Execute(UpdateDirectoryCommand(d, t)).ok());
  v1::CollaborationRequest r;
  r.set_id("R");
  r.set_version(1);
  r.set_topic("t");
  r.set_goal("g");
  r.set_initiator_id("p-a");
  SetDate(r.mutable_final_deadline(), 2026, 9, 30);
  v1::Receiver* receiver = r.add_receivers();
  receiver->set_id("b");
  receiver->set_department_id("d-b");
  auto created = e.Execute(CreateRequestCommand("p-a", t, r));
  EXPECT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(e.Execute(SubmitRequestCommand("p-a", t, "R")).ok());
  auto accepted = e.Execute(RespondCommand("p-b", t + absl::Hours(1), "R", Accept("b", "d")));
  EXPECT_TRUE(accepted.ok()) << accepted.status();
  auto bytes = ExportArchive(e, "R");
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : std::string();
}

// The positions are dealt out to kShards tests (ctest runs them in
// parallel): each changes every byte at its positions to each of the 255
// other values.
constexpr int kShards = 8;

class EverySingleByteChange : public ::testing::TestWithParam<int> {};

TEST_P(EverySingleByteChange, IsRefused) {
  static const std::string* const bundle = new std::string(SmallBundle());
  ASSERT_TRUE(ReadArchive(*bundle).ok());
  const auto start = std::chrono::steady_clock::now();
  size_t changes = 0;
  size_t verified = 0;
  std::string examples;  // the first few that verified, for the message
  std::string changed = *bundle;
  for (size_t i = GetParam(); i < bundle->size(); i += kShards) {
    const unsigned char was = static_cast<unsigned char>((*bundle)[i]);
    for (int v = 0; v < 256; ++v) {
      if (v == was) continue;
      changed[i] = static_cast<char>(v);
      ++changes;
      if (ReadArchive(changed).ok() && ++verified <= 5) {
        absl::StrAppend(&examples, " byte ", i, ": ", static_cast<int>(was), " -> ", v, ";");
      }
    }
    changed[i] = static_cast<char>(was);
  }
  // Every bit flip is one of these changes.
  EXPECT_EQ(changes, (bundle->size() - GetParam() + kShards - 1) / kShards * 255);
  EXPECT_EQ(verified, 0u) << verified << " of " << changes << " changes verified, e.g." << examples;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("a bundle of %zu bytes: %zu single-byte changes checked in %.1f s\n", bundle->size(),
              changes, seconds);
}

INSTANTIATE_TEST_SUITE_P(Shards, EverySingleByteChange, ::testing::Range(0, kShards));

}  // namespace
}  // namespace collabflow
