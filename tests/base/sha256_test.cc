// SHA-256 against the FIPS 180-4 / NIST example vectors, and the ways the
// library drives libcrypto: incremental updates, reused and cached contexts,
// many threads.
#include "base/sha256.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

constexpr char kEmptyHex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbcHex[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kMillionAsHex[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

std::string Hex(const Sha256Digest& d) {
  return HexEncode(absl::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

TEST(Sha256Test, EmptyStringMatchesNistVector) { EXPECT_EQ(Sha256Hex(""), kEmptyHex); }

TEST(Sha256Test, AbcMatchesNistVector) { EXPECT_EQ(Sha256Hex("abc"), kAbcHex); }

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
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')), kMillionAsHex);
}

TEST(Sha256Test, FinishWithoutUpdateIsTheEmptyDigest) {
  Sha256 h;
  EXPECT_EQ(Hex(h.Finish()), kEmptyHex);
  Sha256 empty_update;
  empty_update.Update("");
  EXPECT_EQ(Hex(empty_update.Finish()), kEmptyHex);
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
      EXPECT_EQ(Hex(h.Finish()), expected) << "len " << len << " split " << split;
    }
  }
}

TEST(Sha256Test, LongInputInUnevenPiecesMatchesNistVector) {
  // The million a's in pieces of 1 to 1,000 bytes, so pieces end at every
  // offset within a block, and in one 1 MB piece above.
  const std::string data(1000000, 'a');
  Sha256 h;
  size_t at = 0;
  for (size_t piece = 1; at < data.size(); piece = piece % 1000 + 1) {
    h.Update(absl::string_view(data).substr(at, piece));
    at += piece;
  }
  EXPECT_EQ(Hex(h.Finish()), kMillionAsHex);
}

TEST(Sha256Test, ObjectStartsANewMessageAfterFinish) {
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(Hex(h.Finish()), kAbcHex);
  EXPECT_EQ(Hex(h.Finish()), kEmptyHex);  // nothing since the last Finish
  h.Update(std::string(1000000, 'a'));
  EXPECT_EQ(Hex(h.Finish()), kMillionAsHex);
  h.Update("abc");
  EXPECT_EQ(Hex(h.Finish()), kAbcHex);
}

TEST(Sha256Test, AbandonedMessageDoesNotReachTheNextObject) {
  // An object destroyed in the middle of a message gives its context back
  // to the thread's cache; the next object must start afresh.
  {
    Sha256 half;
    half.Update("half a message");
  }
  Sha256 next;
  next.Update("abc");
  EXPECT_EQ(Hex(next.Finish()), kAbcHex);
  Sha256 unused;
  EXPECT_EQ(Hex(unused.Finish()), kEmptyHex);
}

TEST(Sha256Test, ManyObjectsAliveAtOnceHashIndependently) {
  // More objects than the per-thread cache keeps, interleaved.
  std::vector<std::unique_ptr<Sha256>> hs;
  for (int i = 0; i < 12; ++i) hs.push_back(std::make_unique<Sha256>());
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < hs.size(); ++i) hs[i]->Update(std::string(i + 1, 'x'));
  }
  for (size_t i = 0; i < hs.size(); ++i) {
    EXPECT_EQ(Hex(hs[i]->Finish()), Sha256Hex(std::string(3 * (i + 1), 'x'))) << i;
  }
  hs.clear();  // back to the cache (the surplus freed)
  EXPECT_EQ(Sha256Hex("abc"), kAbcHex);
}

TEST(Sha256Test, ThreadsHashAtOnce) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, &wrong] {
      Sha256 h;
      for (int i = 0; i < 2000; ++i) {
        h.Update(i % 2 == 0 ? "abc" : "");
        const std::string got = Hex(h.Finish());
        if (got != (i % 2 == 0 ? kAbcHex : kEmptyHex)) ++wrong[t];
        if (Sha256Hex("abc") != kAbcHex) ++wrong[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(wrong[t], 0) << "thread " << t;
}

TEST(Sha256Test, RawBytesAreThirtyTwoAndHexIsLowercase) {
  EXPECT_EQ(Sha256Bytes("abc").size(), kSha256Bytes);
  EXPECT_EQ(HexEncode(Sha256Bytes("abc")), kAbcHex);
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
  // UTF-8 text hashes as its bytes.
  EXPECT_EQ(Sha256Hex("中文"), Sha256Hex(std::string("\xe4\xb8\xad\xe6\x96\x87")));
}

}  // namespace
}  // namespace collabflow::internal
