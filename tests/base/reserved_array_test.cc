#include "base/reserved_array.h"

#include <cstdint>
#include <utility>

#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

// Fills [from, to) with a value derived from the index.
void Fill(ReservedArray<uint64_t>& a, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) a[i] = i * 0x9e3779b97f4a7c15ULL;
}

void ExpectFilled(const ReservedArray<uint64_t>& a, size_t to) {
  for (size_t i = 0; i < to; i += 997) ASSERT_EQ(a[i], i * 0x9e3779b97f4a7c15ULL) << i;
  if (to > 0) {
    ASSERT_EQ(a[to - 1], (to - 1) * 0x9e3779b97f4a7c15ULL);
  }
}

TEST(ReservedArrayTest, KeepsItsContentsFromSmallToReservedAndPastTheReservation) {
  ReservedArray<uint64_t> a;
  EXPECT_TRUE(a.empty());
  // 8 KiB (malloc), 4 MiB (a reserved range of 16 MiB), then growth inside
  // it without moving, then past it (a new range, contents copied).
  a.resize(1024);
  Fill(a, 0, 1024);
  a.resize(size_t{1} << 19);
  Fill(a, 1024, a.size());
  const uint64_t* reserved_at = a.data();
  a.resize(size_t{1} << 21);  // 16 MiB: still inside the range
  EXPECT_EQ(a.data(), reserved_at);
  Fill(a, size_t{1} << 19, a.size());
  a.resize((size_t{1} << 21) + 1);  // one past the range
  Fill(a, size_t{1} << 21, a.size());
  ExpectFilled(a, a.size());
}

TEST(ReservedArrayTest, CopiesAndMovesAreIndependent) {
  ReservedArray<uint64_t> a;
  a.resize(size_t{1} << 19);
  Fill(a, 0, a.size());
  ReservedArray<uint64_t> copy = a;
  a[0] = 1;
  EXPECT_EQ(copy[0], 0u);
  ExpectFilled(copy, copy.size());
  ReservedArray<uint64_t> moved = std::move(copy);
  ExpectFilled(moved, size_t{1} << 19);
  copy = moved;  // a moved-from array can be assigned to
  ExpectFilled(copy, size_t{1} << 19);
  moved = ReservedArray<uint64_t>();
  EXPECT_TRUE(moved.empty());
}

}  // namespace
}  // namespace collabflow::internal
