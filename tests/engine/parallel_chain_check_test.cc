// The hash-chain check over a journal with the streams split over threads
// (engine/journal/parallel_chain_check.h): with 1, 2 or 3 workers it sees
// every stream's chain as one thread does, and with records damaged in two
// streams it reports the same error one thread does (the lower position's),
// whichever worker finds which.
#include "engine/journal/parallel_chain_check.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "gtest/gtest.h"
#include "support/company_year.h"
#include "support/store_test_support.h"

namespace collabflow::internal {
namespace {

struct Record {
  std::string stream;
  uint64_t position;
  std::string payload;
};

std::vector<Record> YearJournal() {
  testing::ScratchDir scratch;
  EngineOptions o;
  o.store_dir = scratch.Sub("store");
  o.store.durability = Durability::kNoSync;
  {
    auto engine = Engine::Open(o);
    EXPECT_TRUE(engine.ok()) << engine.status();
    for (const v1::Command& c : testing::YearCommands(20)) (void)(*engine)->Execute(c);
  }
  std::vector<Record> records;
  auto store = OpenDirectoryStore(o.store_dir);
  EXPECT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE((*store)
                  ->ReadAll(0,
                            [&](const StoredRecord& r) {
                              records.push_back(Record{std::string(r.stream), r.position,
                                                       std::string(r.payload)});
                              return absl::OkStatus();
                            })
                  .ok());
  return records;
}

// The check's result and every chain's end, as text.
std::pair<std::string, std::map<std::string, std::string>> Check(const std::vector<Record>& records,
                                                                 size_t workers) {
  ParallelChainCheck check(workers);
  for (const Record& r : records) {
    StoredRecord stored;
    stored.stream = r.stream;
    stored.position = r.position;
    stored.payload = r.payload;
    if (!check.Add(stored).ok()) break;
  }
  std::pair<std::string, std::map<std::string, std::string>> out;
  out.first = check.Finish().ToString();
  check.ForEachChain([&](const std::string& stream, const ChainVerifier& chain) {
    out.second[stream] = absl::StrCat(chain.last(), ":", chain.head());
  });
  return out;
}

TEST(ParallelChainCheckTest, WorkersSeeEveryChainAsOneThreadDoes) {
  const std::vector<Record> records = YearJournal();
  ASSERT_GT(records.size(), 200u);
  const auto one = Check(records, 0);
  EXPECT_EQ(one.first, "OK");
  EXPECT_GT(one.second.size(), 20u);
  for (size_t workers : {1, 2, 3}) {
    SCOPED_TRACE(absl::StrCat(workers, " workers"));
    EXPECT_EQ(Check(records, workers), one);
  }
}

TEST(ParallelChainCheckTest, TheLowerPositionsErrorIsReportedWhicheverWorkerFindsIt) {
  std::vector<Record> records = YearJournal();
  // Damage a late record of one stream, then an earlier one of another.
  const size_t late = records.size() - 3;
  size_t early = records.size() / 3;
  while (records[early].stream == records[late].stream) ++early;
  for (size_t at : {late, early}) {
    std::string& payload = records[at].payload;
    payload[payload.size() / 2] = static_cast<char>(payload[payload.size() / 2] ^ 0x20);
  }
  const auto one = Check(records, 0);
  ASSERT_NE(one.first, "OK");
  for (size_t workers : {1, 2, 3}) {
    SCOPED_TRACE(absl::StrCat(workers, " workers"));
    EXPECT_EQ(Check(records, workers).first, one.first);
  }
}

}  // namespace
}  // namespace collabflow::internal
