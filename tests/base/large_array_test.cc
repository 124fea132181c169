#include "base/large_array.h"

#include <cstdint>
#include <numeric>
#include <vector>

#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

TEST(LargeArrayTest, SmallAndHugeBlocksKeepTheirContents) {
  // 64 KiB (operator new) and 16 MiB (2 MiB-aligned, huge-page advice).
  for (size_t n : {size_t{1} << 14, size_t{1} << 22}) {
    LargeArray<uint32_t> a(n);
    std::iota(a.begin(), a.end(), 7u);
    if (n * sizeof(uint32_t) >= LargeArrayAllocator<uint32_t>::kHugePage) {
      EXPECT_EQ(reinterpret_cast<uintptr_t>(a.data()) % LargeArrayAllocator<uint32_t>::kHugePage,
                0u);
    }
    LargeArray<uint32_t> copy = a;
    a.resize(2 * n, 1);  // reallocates across the size classes' boundary
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(a[i], copy[i]);
    EXPECT_EQ(a[2 * n - 1], 1u);
    EXPECT_EQ(copy.back(), static_cast<uint32_t>(n - 1 + 7));
  }
}

TEST(LargeArrayTest, GrowsFromSmallToHugeByPushBack) {
  LargeArray<uint64_t> a;
  for (uint64_t i = 0; i < (uint64_t{1} << 20); ++i) a.push_back(i * 3);
  for (uint64_t i = 0; i < a.size(); i += 4099) ASSERT_EQ(a[i], i * 3);
  a.clear();
  a.shrink_to_fit();
  EXPECT_TRUE(a.empty());
}

}  // namespace
}  // namespace collabflow::internal
