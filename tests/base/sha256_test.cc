// SHA-256 against the FIPS 180-4 / NIST example vectors, and incremental
// hashing against one-shot hashing.
#include "base/sha256.h"

#include <random>
#include <string>
#include <vector>

#include "base/sha256_compress.h"
#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

TEST(Sha256Test, EmptyStringMatchesNistVector) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Test, AbcMatchesNistVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, FourHundredFortyEightBitMessageMatchesNistVector) {
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, EightHundredNinetySixBitMessageMatchesNistVector) {
  EXPECT_EQ(Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjk"
                      "lmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256Test, OneMillionAsMatchesNistVector) {
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, IncrementalUpdatesEqualOneShotAtEveryPaddingBoundary) {
  // Lengths around the 55/56/64-byte padding boundaries, split at every point.
  for (size_t len : {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200}) {
    std::string data;
    for (size_t i = 0; i < len; ++i) data.push_back(static_cast<char>((i * 37 + 11) & 0xff));
    const std::string expected = Sha256Hex(data);
    for (size_t split = 0; split <= len; ++split) {
      Sha256 h;
      h.Update(absl::string_view(data).substr(0, split));
      h.Update(absl::string_view(data).substr(split));
      const Sha256Digest d = h.Finish();
      EXPECT_EQ(HexEncode(absl::string_view(reinterpret_cast<const char*>(d.data()), d.size())),
                expected)
          << "len " << len << " split " << split;
    }
  }
}

TEST(Sha256Test, RawBytesAreThirtyTwoAndHexIsLowercase) {
  EXPECT_EQ(Sha256Bytes("abc").size(), kSha256Bytes);
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
  // UTF-8 text hashes as its bytes.
  EXPECT_EQ(Sha256Hex("中文"), Sha256Hex(std::string("\xe4\xb8\xad\xe6\x96\x87")));
}

// The SHA-NI compression must give the portable one's answer on every
// input; the NIST vectors above run through whichever the CPU selects.
TEST(Sha256Test, HardwareCompressionEqualsPortableOnRandomBlocks) {
  if (!Sha256HardwareAvailable()) GTEST_SKIP() << "this CPU has no SHA extensions";
  std::mt19937_64 rng(20261128);
  for (int trial = 0; trial < 500; ++trial) {
    const size_t blocks = 1 + rng() % 9;
    std::vector<uint8_t> data(blocks * 64);
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    Sha256State portable;
    for (uint32_t& w : portable) w = static_cast<uint32_t>(rng());
    Sha256State hardware = portable;
    Sha256CompressBlocksPortable(portable, data.data(), blocks);
    Sha256CompressBlocksShaNi(hardware, data.data(), blocks);
    ASSERT_EQ(hardware, portable) << "trial " << trial << ", " << blocks << " blocks";
  }
}

TEST(Sha256Test, PortableCompressionAloneMatchesNistVector) {
  // "abc" padded to one block, through the portable code whatever the CPU.
  uint8_t block[64] = {'a', 'b', 'c', 0x80};
  block[63] = 24;  // the length in bits
  Sha256State s = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  Sha256CompressBlocksPortable(s, block, 1);
  EXPECT_EQ(s[0], 0xba7816bfu);
  EXPECT_EQ(s[7], 0xf20015adu);
}

}  // namespace
}  // namespace collabflow::internal
