// The progress decorator of the event store (src/store/progress_store.h):
// bounded-rate reports of each pass ending at done == total, nothing for a
// reader that stops at once, and a non-OK report stopping the read.
#include "store/progress_store.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

struct Report {
  uint64_t done;
  uint64_t total;
};

class ProgressStoreTest : public ::testing::Test {
 protected:
  // A memory store of `records` records behind the decorator.
  void Fill(int records) {
    auto inner = OpenMemoryStore();
    ASSERT_TRUE(inner.ok());
    store_ = WithReadProgress(std::move(*inner), [this](uint64_t done, uint64_t total) {
      reports_.push_back({done, total});
      return stop_at_ > 0 && done >= stop_at_ ? absl::CancelledError("stop") : absl::OkStatus();
    });
    for (int i = 0; i < records; ++i)
      ASSERT_TRUE(store_->Append(kEngineStream, kAnyVersion, absl::StrCat("r", i)).ok());
  }
  absl::Status ReadAll(uint64_t after, int* read) {
    *read = 0;
    return store_->ReadAll(after, [&](const StoredRecord&) {
      ++*read;
      return absl::OkStatus();
    });
  }

  std::unique_ptr<EventStore> store_;
  std::vector<Report> reports_;
  uint64_t stop_at_ = 0;
};

TEST_F(ProgressStoreTest, ReportsAtABoundedRateEndingAtTotal) {
  Fill(1037);
  int read = 0;
  ASSERT_TRUE(ReadAll(0, &read).ok());
  EXPECT_EQ(read, 1037);
  ASSERT_FALSE(reports_.empty());
  EXPECT_LE(reports_.size(), 101u);
  EXPECT_GE(reports_.size(), 90u);
  for (size_t i = 1; i < reports_.size(); ++i) {
    EXPECT_LT(reports_[i - 1].done, reports_[i].done);
    EXPECT_EQ(reports_[i].total, 1037u);
  }
  EXPECT_GE(reports_.front().done, 1u);
  EXPECT_EQ(reports_.back().done, 1037u);
}

TEST_F(ProgressStoreTest, SmallJournalsReportEveryRecord) {
  Fill(3);
  int read = 0;
  ASSERT_TRUE(ReadAll(0, &read).ok());
  ASSERT_EQ(reports_.size(), 3u);
  EXPECT_EQ(reports_[0].done, 1u);
  EXPECT_EQ(reports_[2].done, 3u);
  EXPECT_EQ(reports_[2].total, 3u);
}

TEST_F(ProgressStoreTest, CountsOnlyTheRecordsAfterTheStart) {
  Fill(500);
  int read = 0;
  ASSERT_TRUE(ReadAll(450, &read).ok());
  EXPECT_EQ(read, 50);
  ASSERT_FALSE(reports_.empty());
  EXPECT_EQ(reports_.back().done, 50u);
  EXPECT_EQ(reports_.back().total, 50u);
}

TEST_F(ProgressStoreTest, NothingToReadReportsNothing) {
  Fill(10);
  int read = 0;
  ASSERT_TRUE(ReadAll(10, &read).ok());
  EXPECT_EQ(read, 0);
  EXPECT_TRUE(reports_.empty());
}

TEST_F(ProgressStoreTest, AReaderThatStopsAtOnceReportsNothing) {
  Fill(10);
  const absl::Status probe =
      store_->ReadAll(0, [](const StoredRecord&) { return absl::CancelledError("probe"); });
  EXPECT_EQ(probe.message(), "probe");
  EXPECT_TRUE(reports_.empty());
}

TEST_F(ProgressStoreTest, ANonOkReportStopsTheRead) {
  Fill(1000);
  stop_at_ = 300;
  int read = 0;
  const absl::Status s = ReadAll(0, &read);
  EXPECT_TRUE(absl::IsCancelled(s)) << s;
  EXPECT_EQ(read, 300);
  EXPECT_EQ(store_->LastPosition(), 1000u);  // reading changed nothing
}

TEST_F(ProgressStoreTest, WritesAndSnapshotsPassThrough) {
  Fill(5);
  ASSERT_TRUE(store_->WriteSnapshot(5, "state").ok());
  auto snapshot = store_->LatestSnapshot();
  ASSERT_TRUE(snapshot.ok() && snapshot->has_value());
  EXPECT_EQ((*snapshot)->covers, 5u);
  EXPECT_EQ((*snapshot)->state, "state");
  EXPECT_TRUE(reports_.empty());
}

// Group commit lives in the wrapped store's two-phase append: the decorator
// must hand Enqueue over (its pending record is the wrapped store's own).
TEST(WithReadProgress, TwoPhaseAppendReachesTheWrappedStore) {
  testing::ScratchDir dir;
  StoreOptions options;
  options.durability = Durability::kGroupCommit;
  auto inner = OpenDirectoryStore(dir.Sub("s"), options);
  ASSERT_TRUE(inner.ok()) << inner.status();
  EventStore* wrapped = inner->get();
  auto store =
      WithReadProgress(std::move(*inner), [](uint64_t, uint64_t) { return absl::OkStatus(); });
  auto pending = store->Enqueue(kEngineStream, kAnyVersion, "record");
  ASSERT_TRUE(pending.ok()) << pending.status();
  auto seq = wrapped->Wait(std::move(*pending));  // only the wrapped store's own record fits
  ASSERT_TRUE(seq.ok()) << seq.status();
  EXPECT_EQ(*seq, 1u);
}

TEST(WithReadProgress, WithoutACallbackTheStoreIsReturnedAsItIs) {
  auto inner = OpenMemoryStore();
  ASSERT_TRUE(inner.ok());
  EventStore* raw = inner->get();
  EXPECT_EQ(WithReadProgress(std::move(*inner), ReadProgress()).get(), raw);
}

}  // namespace
}  // namespace collabflow
