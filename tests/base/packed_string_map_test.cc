#include "base/packed_string_map.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

struct Head {
  uint64_t version;
  uint64_t position;
};

TEST(PackedStringMapTest, PutFindEraseAndPutAgain) {
  PackedStringMap<Head> map;
  EXPECT_EQ(map.Find("a"), nullptr);
  map.Put("a", {1, 10});
  map.Put("", {2, 20});  // the empty key is a key
  map.Put(std::string("x\0y", 3), {3, 30});
  ASSERT_NE(map.Find("a"), nullptr);
  EXPECT_EQ(map.Find("a")->position, 10u);
  EXPECT_EQ(map.Find("")->version, 2u);
  EXPECT_EQ(map.Find(std::string("x\0y", 3))->version, 3u);
  EXPECT_EQ(map.Find("x"), nullptr);
  EXPECT_EQ(map.size(), 3u);

  map.Put("a", {4, 40});  // overwrites
  EXPECT_EQ(map.Find("a")->version, 4u);
  EXPECT_EQ(map.size(), 3u);
  map.Find("a")->position = 41;  // in place
  EXPECT_EQ(map.Find("a")->position, 41u);

  EXPECT_TRUE(map.Erase("a"));
  EXPECT_FALSE(map.Erase("a"));
  EXPECT_EQ(map.Find("a"), nullptr);
  EXPECT_EQ(map.size(), 2u);
  map.Put("a", {5, 50});
  EXPECT_EQ(map.Find("a")->version, 5u);
  EXPECT_EQ(map.size(), 3u);
}

// Random puts, erases and lookups against std::map, through growth and
// compaction; ForEach lists exactly the live entries in first-put order.
TEST(PackedStringMapTest, AgreesWithAStdMapThroughGrowthAndCompaction) {
  std::mt19937_64 rng(7);
  PackedStringMap<Head> map;
  std::map<std::string, Head> model;
  std::vector<std::string> order;  // first put since last erase
  auto key = [&] { return absl::StrCat("request/R-", rng() % 5000); };
  for (int step = 0; step < 200000; ++step) {
    const std::string k = key();
    switch (rng() % 5) {
      case 4: {  // Insert: adds only an absent key
        const Head h{rng(), static_cast<uint64_t>(step)};
        const bool absent = model.count(k) == 0;
        ASSERT_EQ(map.Insert(k, h), absent) << k;
        if (absent) {
          order.push_back(k);
          model[k] = h;
        }
        break;
      }
      case 0:
      case 1: {
        const Head h{rng(), static_cast<uint64_t>(step)};
        if (!model.count(k)) order.push_back(k);
        model[k] = h;
        map.Put(k, h);
        break;
      }
      case 2: {
        const bool had = model.erase(k) > 0;
        ASSERT_EQ(map.Erase(k), had) << k;
        if (had) order.erase(std::find(order.begin(), order.end(), k));
        break;
      }
      default: {
        const Head* found = map.Find(k);
        auto it = model.find(k);
        ASSERT_EQ(found != nullptr, it != model.end()) << k;
        if (found != nullptr) {
          ASSERT_EQ(found->version, it->second.version) << k;
        }
      }
    }
    if (step % 50000 == 49999) map.Compact();
    if (step % 70000 == 69999) map.Reserve(model.size() + 3000, 100000);
    ASSERT_EQ(map.size(), model.size());
  }
  std::vector<std::string> listed;
  map.ForEach([&](absl::string_view k, const Head& h) {
    listed.emplace_back(k);
    EXPECT_EQ(h.version, model.at(std::string(k)).version);
  });
  EXPECT_EQ(listed, order);
}

// Reserve makes room once: filling it to what was reserved moves nothing
// (the values' addresses stay), and what was there is kept.
TEST(PackedStringMapTest, ReserveMakesRoomForWhatIsAddedUpToIt) {
  PackedStringMap<Head> map;
  map.Put("kept", {7, 70});
  map.Put("dead", {8, 80});
  map.Erase("dead");
  map.Reserve(10001, 10001 * 20);
  const Head* kept = map.Find("kept");
  const size_t held = map.HeldBytes();
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(map.Insert(absl::StrCat("request/R-", i), {static_cast<uint64_t>(i), 0}));
  }
  EXPECT_EQ(map.HeldBytes(), held);
  EXPECT_EQ(map.Find("kept"), kept);
  EXPECT_EQ(kept->position, 70u);
  EXPECT_EQ(map.Find("dead"), nullptr);
  EXPECT_FALSE(map.Insert("request/R-5", {0, 0}));
  EXPECT_EQ(map.Find("request/R-5")->version, 5u);
  EXPECT_EQ(map.size(), 10001u);
}

// The point of it: a million short keys cost a fraction of a
// flat_hash_map's bytes.
TEST(PackedStringMapTest, HoldsAMillionKeysInUnderFiftyBytesEachBeyondTheKeys) {
  PackedStringMap<Head> map;
  size_t key_bytes = 0;
  for (int i = 0; i < 1000000; ++i) {
    const std::string k = absl::StrCat("request/REQ-", 1000000 + i);
    key_bytes += k.size();
    map.Put(k, {static_cast<uint64_t>(i), 0});
  }
  map.Compact();
  EXPECT_EQ(map.size(), 1000000u);
  const double per_entry = static_cast<double>(map.HeldBytes() - key_bytes) / 1e6;
  EXPECT_LT(per_entry, 50.0) << per_entry;
  EXPECT_EQ(map.Find("request/REQ-1999999")->version, 999999u);
}

}  // namespace
}  // namespace collabflow::internal
