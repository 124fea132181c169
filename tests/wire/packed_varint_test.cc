#include "wire/packed_varint.h"

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

using ::testing::HasSubstr;

std::vector<uint32_t> EdgeValues() {
  std::vector<uint32_t> v = {0,       1,       127,       128,       300,        16383,     16384,
                             2097151, 2097152, 268435455, 268435456, 0xfffffffe, 0xffffffff};
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) v.push_back(rng() >> (rng() % 32));
  return v;
}

TEST(PackedVarintTest, WriterWritesMinimalVarintsOfItsSize) {
  for (uint32_t v : EdgeValues()) {
    char a[16];
    const size_t n = static_cast<size_t>(WriteVarint32(a, v) - a);
    EXPECT_EQ(n, VarintSize32(v)) << v;
    for (size_t i = 0; i + 1 < n; ++i) EXPECT_GE(static_cast<uint8_t>(a[i]), 0x80) << v;
    EXPECT_LT(static_cast<uint8_t>(a[n - 1]), 0x80) << v;
    if (n > 1) {
      EXPECT_NE(a[n - 1], 0) << v;  // minimal: no empty high group
    }
  }
}

TEST(PackedVarintTest, DecodeRoundTripsEveryValue) {
  const std::vector<uint32_t> values = EdgeValues();
  std::string payload(values.size() * 5 + 8, '\0');
  char* p = payload.data();
  for (uint32_t v : values) p = WriteVarint32(p, v);
  payload.resize(static_cast<size_t>(p - payload.data()));
  LargeArray<uint32_t> out;
  ASSERT_TRUE(DecodePackedUint32("column", payload, &out).ok());
  ASSERT_EQ(out.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(out[i], values[i]) << i;
  for (int32_t x : {0, 1, -1, 2, -2, 1000, -1000, INT32_MAX, INT32_MIN}) {
    EXPECT_EQ(ZigZagDecode32(ZigZagEncode32(x)), x);
  }
  EXPECT_EQ(ZigZagEncode32(-1), 1u);
  EXPECT_EQ(ZigZagEncode32(1), 2u);
}

TEST(PackedVarintTest, DecodeRefusesTruncatedAndOverlongVarints) {
  LargeArray<uint32_t> out;
  absl::Status s = DecodePackedUint32("task graph x", std::string("\x01\x81", 2), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("task graph x: the packed column ends inside a varint"));
  s = DecodePackedUint32("x", std::string("\x01\x80\x80\x80\x80\x80\x00", 7), &out);
  EXPECT_THAT(s.message(), HasSubstr("x[1]: varint longer than 5 bytes"));
  s = DecodePackedUint32("x", std::string("\xff\xff\xff\xff\x10", 5), &out);
  EXPECT_THAT(s.message(), HasSubstr("x[0]: varint longer than 5 bytes or above 2^32 - 1"));
  ASSERT_TRUE(DecodePackedUint32("x", std::string("\xff\xff\xff\xff\x0f", 5), &out).ok());
  EXPECT_EQ(out[0], 0xffffffffu);
  ASSERT_TRUE(DecodePackedUint32("x", "", &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(PackedVarintTest, NextWireFieldReadsEachWireTypeAndRefusesMalformedOnes) {
  // Field 1 varint 150, field 2 fixed64, field 3 length 2, field 4 fixed32.
  const std::string bytes(
      "\x08\x96\x01\x11"
      "12345678"
      "\x1a\x02hi\x25"
      "abcd",
      21);
  absl::string_view in = bytes;
  WireField f;
  ASSERT_TRUE(NextWireField(&in, &f));
  EXPECT_EQ(f.number, 1u);
  EXPECT_EQ(f.varint, 150u);
  ASSERT_TRUE(NextWireField(&in, &f));
  EXPECT_EQ(f.wire_type, uint32_t{kWireFixed64});
  ASSERT_TRUE(NextWireField(&in, &f));
  EXPECT_EQ(f.number, 3u);
  EXPECT_EQ(f.bytes, "hi");
  ASSERT_TRUE(NextWireField(&in, &f));
  EXPECT_EQ(f.wire_type, uint32_t{kWireFixed32});
  EXPECT_TRUE(in.empty());
  for (const std::string& bad : {std::string("\x00\x01", 2),         // field number 0
                                 std::string("\x0b", 1),             // a group
                                 std::string("\x1a\x05hi", 4),       // length beyond input
                                 std::string("\x08\x80", 2),         // truncated varint
                                 std::string("\x11\x01\x02", 3)}) {  // truncated fixed64
    absl::string_view b = bad;
    EXPECT_FALSE(NextWireField(&b, &f)) << testing::PrintToString(bad);
  }
}

}  // namespace
}  // namespace collabflow::internal
