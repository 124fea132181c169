// The cache of request records on its own (engine/state/request_cache.h):
// least recently used dropped first, pinned entries kept whatever the
// budget, what each entry is charged.
#include <string>
#include <vector>

#include "engine/state/request_cache.h"
#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

std::vector<std::string> TrimmedIds(RequestCache& cache) {
  std::vector<std::string> dropped;
  cache.Trim([&](const std::string& id, RequestCache::Entry&) { dropped.push_back(id); });
  return dropped;
}

TEST(RequestCacheUnitTest, ChargesTwoBytesInMemoryPerWireByte) {
  RequestCache cache(1000);
  RequestCache::Entry* a = cache.Add("A");
  cache.Charge(a, 100);
  EXPECT_EQ(a->bytes, 200u);
  EXPECT_EQ(cache.bytes(), 200u);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(RequestCacheUnitTest, DropsTheLeastRecentlyUsedFirstUntilWithinBudget) {
  RequestCache cache(500);  // room for two entries of 200
  for (const char* id : {"A", "B", "C"}) cache.Charge(cache.Add(id), 100);
  ASSERT_NE(cache.Find("A"), nullptr);  // A is now the most recently used
  EXPECT_EQ(TrimmedIds(cache), std::vector<std::string>{"B"});
  EXPECT_EQ(cache.Find("B"), nullptr);
  EXPECT_NE(cache.Peek("A"), nullptr);
  EXPECT_NE(cache.Peek("C"), nullptr);
  EXPECT_EQ(cache.bytes(), 400u);
  EXPECT_TRUE(TrimmedIds(cache).empty());  // within budget: nothing more
}

TEST(RequestCacheUnitTest, PeekDoesNotChangeTheOrderOfUse) {
  RequestCache cache(200);
  cache.Charge(cache.Add("A"), 100);
  cache.Charge(cache.Add("B"), 100);
  ASSERT_NE(cache.Peek("A"), nullptr);
  EXPECT_EQ(TrimmedIds(cache), std::vector<std::string>{"A"});
}

TEST(RequestCacheUnitTest, APinnedEntryStaysWhateverTheBudget) {
  RequestCache cache(0);
  RequestCache::Entry* a = cache.Add("A");
  cache.Charge(a, 100);
  cache.Charge(cache.Add("B"), 100);
  {
    RequestCache::Pin pin(a);
    RequestCache::Pin nested(a);
    EXPECT_EQ(TrimmedIds(cache), std::vector<std::string>{"B"});
    nested.Release();
    EXPECT_TRUE(TrimmedIds(cache).empty());  // still pinned once
    EXPECT_EQ(cache.Peek("A"), a);
  }
  EXPECT_EQ(TrimmedIds(cache), std::vector<std::string>{"A"});
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(RequestCacheUnitTest, APinMovesItsHold) {
  RequestCache cache(0);
  RequestCache::Entry* a = cache.Add("A");
  cache.Charge(a, 1);
  RequestCache::Pin moved;
  {
    RequestCache::Pin pin(a);
    moved = std::move(pin);
  }
  EXPECT_EQ(a->pins, 1);
  EXPECT_TRUE(TrimmedIds(cache).empty());
  moved.Release();
  EXPECT_EQ(TrimmedIds(cache), std::vector<std::string>{"A"});
}

}  // namespace
}  // namespace collabflow::internal
