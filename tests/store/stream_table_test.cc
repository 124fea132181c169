#include "store/stream_table.h"

#include <map>
#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

StreamState Acknowledged(uint64_t version, uint64_t position, uint64_t offset) {
  StreamState s;
  s.version = s.queued = version;
  s.newest = s.written = RecordLink{position, offset};
  return s;
}

std::map<std::string, std::pair<uint64_t, uint64_t>> Listed(const StreamTable& table) {
  std::map<std::string, std::pair<uint64_t, uint64_t>> out;
  table.ForEach([&](absl::string_view name, uint64_t version, const RecordLink& newest) {
    EXPECT_TRUE(out.emplace(std::string(name), std::make_pair(version, newest.position)).second);
  });
  return out;
}

TEST(StreamTableTest, AnIdleStreamSettlesAndComesBackAsItWas) {
  StreamTable table;
  table["a"] = Acknowledged(3, 30, 300);
  EXPECT_TRUE(table.Settle("a"));
  EXPECT_EQ(table.settled(), 1u);
  EXPECT_EQ(table.size(), 1u);

  const std::optional<StreamState> found = table.Find("a");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->version, 3u);
  EXPECT_EQ(found->queued, 3u);
  EXPECT_TRUE(found->newest == (RecordLink{30, 300}));
  EXPECT_TRUE(found->written == (RecordLink{30, 300}));
  EXPECT_EQ(table.settled(), 1u);  // Find leaves it settled

  StreamState& back = table["a"];  // brought back to be appended to
  EXPECT_EQ(table.settled(), 0u);
  EXPECT_EQ(back.queued, 3u);
  EXPECT_TRUE(back.written == (RecordLink{30, 300}));
  back.queued = 4;
  EXPECT_EQ(table.Find("a")->queued, 4u);
  EXPECT_EQ(table.size(), 1u);
}

TEST(StreamTableTest, OnlyIdleStreamsSettle) {
  StreamTable table;
  table["queued"] = Acknowledged(2, 20, 0);
  table["queued"].queued = 3;  // a record enqueued, not acknowledged
  table["written"] = Acknowledged(2, 21, 0);
  table["written"].written = RecordLink{22, 5};
  table["unindexed"] = Acknowledged(1, 23, 0);
  table["unindexed"].unindexed = true;
  EXPECT_FALSE(table.Settle("queued"));
  EXPECT_FALSE(table.Settle("written"));
  EXPECT_FALSE(table.Settle("unindexed"));
  EXPECT_FALSE(table.Settle("absent"));
  table.SettleAll();
  EXPECT_EQ(table.settled(), 0u);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.Find("queued")->queued, 3u);
}

TEST(StreamTableTest, AStreamWithoutRecordsIsDroppedNotSettled) {
  StreamTable table;
  table["empty"];
  EXPECT_TRUE(table.Settle("empty"));
  EXPECT_EQ(table.size(), 0u);
  EXPECT_FALSE(table.Find("empty").has_value());
}

TEST(StreamTableTest, AddSettledRefusesAStreamItHolds) {
  StreamTable table;
  EXPECT_TRUE(table.AddSettled("a", 1, RecordLink{1, 28}));
  EXPECT_FALSE(table.AddSettled("a", 2, RecordLink{2, 80}));
  table["b"] = Acknowledged(1, 3, 0);
  EXPECT_FALSE(table.AddSettled("b", 5, RecordLink{5, 0}));
  EXPECT_EQ(table.Find("a")->version, 1u);
  EXPECT_EQ(table.Find("b")->version, 1u);
}

TEST(StreamTableTest, ForEachListsEveryStreamWithARecordOnce) {
  StreamTable table;
  ASSERT_TRUE(table.AddSettled("settled", 4, RecordLink{9, 0}));
  table["live"] = Acknowledged(2, 10, 0);
  table["enqueued only"].queued = 1;
  ASSERT_TRUE(table.AddSettled("woken", 1, RecordLink{3, 0}));
  table["woken"].queued = 2;
  EXPECT_EQ(Listed(table), (std::map<std::string, std::pair<uint64_t, uint64_t>>{
                               {"live", {2, 10}}, {"settled", {4, 9}}, {"woken", {1, 3}}}));
  table.Erase("enqueued only");
  table.Erase("settled");
  EXPECT_EQ(table.size(), 2u);
  table["woken"].queued = 1;
  table.SettleAll();
  EXPECT_EQ(table.settled(), 2u);
  EXPECT_EQ(Listed(table), (std::map<std::string, std::pair<uint64_t, uint64_t>>{
                               {"live", {2, 10}}, {"woken", {1, 3}}}));
}

}  // namespace
}  // namespace collabflow::internal
