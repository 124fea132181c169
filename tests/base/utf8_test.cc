// IsValidUtf8 against a plain decoder written from RFC 3629: every 1-, 2-
// and 3-byte sequence, the 4-byte sequences' boundary cases, and each
// sequence placed at every offset of an ASCII run, so that the eight-byte
// ASCII fast path meets it on either side of a word boundary.
#include "base/utf8.h"

#include <cstdint>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

// Decodes code point by code point: valid when every sequence is the
// shortest form of a scalar value (not a surrogate, at most U+10FFFF).
bool ReferenceValid(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    int len;
    uint32_t cp;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      const auto b = static_cast<uint8_t>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len]) return false;       // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogate
    if (cp > 0x10FFFF) return false;                 // beyond Unicode
    i += len;
  }
  return true;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(Utf8Test, AgreesWithTheReferenceOnEveryShortSequence) {
  int checked = 0, valid = 0;
  for (int a = 0; a < 256; ++a) {
    const std::string one = Bytes({a});
    ASSERT_EQ(IsValidUtf8(one), ReferenceValid(one)) << a;
    for (int b = 0; b < 256; ++b) {
      const std::string two = Bytes({a, b});
      ASSERT_EQ(IsValidUtf8(two), ReferenceValid(two)) << a << " " << b;
      if (a < 0xE0 || a > 0xEF) continue;  // three-byte leads only
      for (int c = 0; c < 256; ++c) {
        const std::string three = Bytes({a, b, c});
        const bool expected = ReferenceValid(three);
        ASSERT_EQ(IsValidUtf8(three), expected) << a << " " << b << " " << c;
        ++checked;
        valid += expected;
      }
    }
  }
  // E0..EF x 80..BF x 80..BF, less overlongs (E0 80..9F) and surrogates
  // (ED A0..BF): 16*64*64 - 2*32*64.
  EXPECT_EQ(checked, 16 * 256 * 256);
  EXPECT_EQ(valid, 16 * 64 * 64 - 2 * 32 * 64);
}

TEST(Utf8Test, AgreesWithTheReferenceOnFourByteBoundaries) {
  for (int a = 0xF0; a <= 0xFF; ++a) {
    for (int b = 0; b < 256; ++b) {
      for (int c : {0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xFF}) {
        for (int d : {0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xFF}) {
          const std::string four = Bytes({a, b, c, d});
          ASSERT_EQ(IsValidUtf8(four), ReferenceValid(four))
              << a << " " << b << " " << c << " " << d;
        }
      }
    }
  }
  EXPECT_TRUE(IsValidUtf8(Bytes({0xF0, 0x90, 0x80, 0x80})));   // U+10000
  EXPECT_TRUE(IsValidUtf8(Bytes({0xF4, 0x8F, 0xBF, 0xBF})));   // U+10FFFF
  EXPECT_FALSE(IsValidUtf8(Bytes({0xF4, 0x90, 0x80, 0x80})));  // U+110000
  EXPECT_FALSE(IsValidUtf8(Bytes({0xF0, 0x8F, 0xBF, 0xBF})));  // overlong U+FFFF
}

TEST(Utf8Test, FindsASequenceAtEveryOffsetOfAnAsciiRun) {
  const std::string samples[] = {
      "\xE6\x96\xB0",      // 新 (the CJK fast path)
      "\xC3\xA9",          // é
      "\xF0\x9F\x98\x80",  // U+1F600
      "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
      "\xED\xA0\x80",      // a surrogate: invalid
      "\xE6\x96",          // cut short: invalid
      "\xE6\x28\xB0",      // a non-continuation inside: invalid
      "\x80",              // a stray continuation: invalid
      "\xC0\xAF",          // overlong '/': invalid
  };
  for (const std::string& sample : samples) {
    for (size_t before = 0; before <= 17; ++before) {
      for (size_t after : {0, 1, 7, 8, 9}) {
        const std::string s = std::string(before, 'a') + sample + std::string(after, 'z');
        EXPECT_EQ(IsValidUtf8(s), ReferenceValid(s)) << before << " " << after;
      }
    }
  }
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8(std::string(1000, 'x')));
  EXPECT_TRUE(IsValidUtf8("Q3新品上市营销方案执行, final 9-20"));
}

TEST(Utf8Test, AgreesWithTheReferenceOnRandomText) {
  // Mostly valid text with a byte changed now and then.
  std::mt19937 rng(20261128);
  const std::string pieces[] = {
      "a", "Z ", "\xE5\xB8\x82", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xEF\xBC\x8C", "0123456789"};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 24);
    for (int i = 0; i < n; ++i) s += pieces[rng() % std::size(pieces)];
    if (!s.empty() && rng() % 2 == 0) s[rng() % s.size()] = static_cast<char>(rng() % 256);
    ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s)) << round;
  }
}

}  // namespace
}  // namespace collabflow::internal
