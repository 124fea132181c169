// The archive bundle: export of the seed request, read back and verified;
// every kind of edit to a bundle is refused with DATA_LOSS naming the part
// or the event.
#include "collabflow/archive.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "collabflow/clock.h"
#include "collabflow/engine.h"
#include "engine/journal/hash_chain.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "records/archive_bundle.h"
#include "support/records_seed.h"
#include "wire/proto_io.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using ::testing::HasSubstr;
using namespace collabflow::testing;  // NOLINT: the seed vocabulary

std::string ExportSeed(std::unique_ptr<Engine>* keep = nullptr) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  auto bytes = ExportArchive(*e, kRequestId);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  if (keep != nullptr) *keep = std::move(e);
  return bytes.ok() ? *bytes : std::string();
}

v1::ArchiveBundle Parse(const std::string& bytes) {
  v1::ArchiveBundle b;
  EXPECT_TRUE(b.ParseFromString(bytes));
  return b;
}

// Re-signs the manifest after an edit, as a forger would.
std::string Reseal(v1::ArchiveBundle b) {
  b.clear_manifest();
  for (v1::ManifestEntry& m : internal::ComputeManifest(b)) *b.add_manifest() = std::move(m);
  return internal::SerializeBinary(b);
}

void ExpectDataLoss(const std::string& bytes, const std::string& says) {
  auto read = ReadArchive(bytes);
  ASSERT_FALSE(read.ok());
  EXPECT_TRUE(absl::IsDataLoss(read.status())) << read.status();
  EXPECT_THAT(read.status().message(), HasSubstr(says));
}

TEST(ArchiveTest, SeedBundleReadsBackWithEveryRecord) {
  std::unique_ptr<Engine> e;
  const std::string bytes = ExportSeed(&e);
  auto read = ReadArchive(bytes);
  ASSERT_TRUE(read.ok()) << read.status();
  const v1::ArchiveBundle& b = *read;
  EXPECT_EQ(b.format_version(), 2);
  EXPECT_EQ(b.request_id(), kRequestId);
  ASSERT_EQ(b.request_versions_size(), 2);
  EXPECT_EQ(b.request_versions(0).version(), 1);
  EXPECT_EQ(b.request_versions(1).version(), 2);
  EXPECT_EQ(b.responses_size(), 4);
  EXPECT_EQ(b.record().plan().tasks_size(), 3);
  EXPECT_EQ(b.schedule().tasks_size(), 3);
  EXPECT_EQ(b.process_record().steps_size(), 5);
  EXPECT_EQ(b.directory().people_size(), SeedDirectory().people_size());
  // The communication log is every notification of the request, in order.
  std::vector<v1::Notification> outbox = e->ReadOutbox(0, 1000);
  ASSERT_EQ(b.communication_log_size(), static_cast<int>(outbox.size()));
  for (size_t i = 0; i < outbox.size(); ++i) {
    EXPECT_EQ(b.communication_log(i).id(), outbox[i].id());
  }
  // The events are the request's stream whole (the directory update is
  // not), chained from 32 zero bytes.
  const std::vector<v1::Event> all = AllEvents(*e);
  ASSERT_EQ(b.events_size(), static_cast<int>(all.size()) - 1);
  for (int i = 0; i < b.events_size(); ++i) {
    EXPECT_EQ(b.events(i).event().version(), static_cast<uint64_t>(i + 1));
    EXPECT_EQ(b.events(i).prev_hash(),
              i == 0 ? std::string(32, '\0') : b.events(i - 1).event().hash());
  }
  // The head at export: the request's last event.
  EXPECT_EQ(b.archive().last_version(), static_cast<uint64_t>(b.events_size()));
  EXPECT_EQ(b.archive().head_hash(), all.back().hash());
  // One manifest entry per part, sorted.
  std::vector<std::string> names;
  for (const auto& m : b.manifest()) names.push_back(m.name());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_THAT(names, ::testing::IsSupersetOf({"record", "events", "communication_log",
                                              "process_record", "responses", "request_versions",
                                              "schedule", "archive", "directory"}));
  for (const auto& m : b.manifest()) EXPECT_EQ(m.sha256().size(), 64u);
}

TEST(ArchiveTest, RefusesAPartThatNoLongerMatchesItsDigest) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_responses(1)->set_comment("改过的意见");
  ExpectDataLoss(internal::SerializeBinary(b),
                 "part \"responses\" does not match its manifest digest");
}

TEST(ArchiveTest, RefusesAListThatDisagreesWithTheRecordEvenWhenResealed) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_responses(1)->set_comment("改过的意见");
  ExpectDataLoss(Reseal(b), "part \"responses\" does not match the record and the events");
  b = Parse(ExportSeed());
  b.mutable_communication_log()->RemoveLast();
  ExpectDataLoss(Reseal(b), "part \"communication_log\" does not match");
}

TEST(ArchiveTest, RefusesAChangedEvent) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_events(3)->mutable_event()->set_actor_id(kOutsider);
  ExpectDataLoss(Reseal(b), absl::StrCat("event ", b.events(3).event().version(), " was changed"));
}

TEST(ArchiveTest, RefusesARewrittenEventThroughTheNextLink) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  v1::Event* e = b.mutable_events(3)->mutable_event();
  e->set_actor_id(kOutsider);
  e->set_hash(internal::ChainHash(b.events(3).prev_hash(), *e));
  ExpectDataLoss(Reseal(b), absl::StrCat("event ", b.events(4).event().version(), " carries hash"));
  // With the link rewritten too, the chain still breaks at the next event.
  b.mutable_events(4)->set_prev_hash(e->hash());
  ExpectDataLoss(Reseal(b), absl::StrCat("event ", b.events(4).event().version(), " carries hash"));
}

TEST(ArchiveTest, RefusesARemovedEvent) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_events()->DeleteSubrange(3, 1);
  ExpectDataLoss(Reseal(b), "expected event 4 but found event 5");
}

TEST(ArchiveTest, RefusesReorderedEvents) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_events()->SwapElements(3, 4);
  ExpectDataLoss(Reseal(b), "expected event 4 but found event 5");
  // Renumbered to hide it, the hashes still break.
  b.mutable_events(3)->mutable_event()->set_version(4);
  b.mutable_events(4)->mutable_event()->set_version(5);
  ExpectDataLoss(Reseal(b), "event 4 carries hash");
}

TEST(ArchiveTest, RefusesEventsCutOffAtTheHeadOrAddedAfterIt) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_events()->RemoveLast();
  ExpectDataLoss(Reseal(b), "but the recorded head is event");
  b = Parse(ExportSeed());
  // A head moved back one event: that event is not the head's hash.
  b.mutable_archive()->set_last_version(b.archive().last_version() - 1);
  ExpectDataLoss(Reseal(b), "is the recorded head but its hash differs");
  // Events added after the head.
  b = Parse(ExportSeed());
  *b.add_events() = b.events(b.events_size() - 1);
  ExpectDataLoss(Reseal(b), "reordered or duplicated");
}

TEST(ArchiveTest, RefusesAnEventOfAnotherRequest) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_events(2)->mutable_event()->set_request_id("REQ-OTHER");
  ExpectDataLoss(Reseal(b), "is of request \"REQ-OTHER\"");
}

TEST(ArchiveTest, RefusesAnIncompleteOrPaddedManifest) {
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.mutable_manifest()->RemoveLast();
  ExpectDataLoss(internal::SerializeBinary(b), "is not in the manifest");
  b = Parse(ExportSeed());
  v1::ManifestEntry* extra = b.add_manifest();
  extra->set_name("minutes");
  extra->set_sha256(std::string(64, '0'));
  ExpectDataLoss(internal::SerializeBinary(b), "part \"minutes\" is in the manifest but missing");
  b = Parse(ExportSeed());
  *b.add_manifest() = b.manifest(0);
  ExpectDataLoss(internal::SerializeBinary(b), "twice");
}

TEST(ArchiveTest, RefusesBytesThatAreNotABundleAndUnknownVersions) {
  ExpectDataLoss("\xff\xff\xff not a bundle", "not an archive bundle");
  v1::ArchiveBundle b = Parse(ExportSeed());
  b.set_format_version(3);
  auto read = ReadArchive(Reseal(b));
  EXPECT_TRUE(absl::IsFailedPrecondition(read.status())) << read.status();
}

TEST(ArchiveTest, ExportIsDeterministicAndSurvivesAReopenedStore) {
  const std::string dir = ::testing::TempDir() + "/archive_reopen";
  std::filesystem::remove_all(dir);
  FakeClock clock(At(9, 20, 18));
  EngineOptions options;
  options.store_dir = dir;
  options.store.durability = Durability::kNoSync;
  options.clock = &clock;
  std::string first;
  {
    auto e = OpenSeedEngine(options);
    DriveSeedSteps(*e, 8);
    auto bytes = ExportArchive(*e, kRequestId);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    first = *bytes;
    clock.Advance(absl::Hours(30));
    auto again = ExportArchive(*e, kRequestId);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, first);  // equal history: equal bytes, whatever the clock says
  }
  auto reopened = Engine::Open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto bytes = ExportArchive(**reopened, kRequestId);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, first);
  auto read = ReadArchive(*bytes);
  ASSERT_TRUE(read.ok()) << read.status();
  // Not archived: the time of the request's last event (the plan, 9-02 10:00).
  EXPECT_EQ(internal::FromProto(read->exported_at()), At(9, 2, 10));
}

TEST(ArchiveTest, ExportTimeComesFromTheHistoryOrTheCallerNeverTheClock) {
  FakeClock clock(At(9, 20, 18));
  EngineOptions options;
  options.clock = &clock;
  auto e = OpenSeedEngine(options);
  DriveSeedSteps(*e, 8);
  auto first = ExportArchive(*e, kRequestId);
  clock.Advance(absl::Seconds(1));
  auto second = ExportArchive(*e, kRequestId);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(internal::FromProto(Parse(*first).exported_at()), At(9, 2, 10));
  // An explicit time is the bundle's time, and only that differs.
  auto named = ExportArchive(*e, kRequestId, At(10, 1, 9));
  ASSERT_TRUE(named.ok()) << named.status();
  auto read = ReadArchive(*named);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(internal::FromProto(read->exported_at()), At(10, 1, 9));
  EXPECT_EQ(*ExportArchive(*e, kRequestId, At(10, 1, 9)), *named);
}

TEST(ArchiveTest, ABundleExportedBy0_2StillVerifies) {
  // tests/testdata/format1/a.archive: format 1, the request's events out of
  // the engine's one chain (make_fixture.sh).
  std::ifstream in(std::string(COLLABFLOW_TESTDATA_DIR) + "/format1/a.archive", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(bytes.empty());
  auto read = ReadArchive(bytes);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->format_version(), 1);
  EXPECT_EQ(read->request_id(), "REQ-A");
  EXPECT_EQ(read->record().state(), v1::REQUEST_STATE_ARCHIVED);
  // Its checks still bite: a changed event is refused.
  v1::ArchiveBundle b = *read;
  b.mutable_events(3)->mutable_event()->set_actor_id(kOutsider);
  ExpectDataLoss(Reseal(b), "does not match its hash");
}

TEST(ArchiveTest, UnknownRequestIsNotFound) {
  auto e = OpenSeedEngine();
  EXPECT_TRUE(absl::IsNotFound(ExportArchive(*e, "REQ-NONE").status()));
}

}  // namespace
}  // namespace collabflow
