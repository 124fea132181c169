// The journal's building blocks: CRC32C, the record format, and the segment
// reader's verdicts (record / clean end / torn tail / DATA_LOSS).
#include <cstring>
#include <memory>
#include <random>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "store/crc32c.h"
#include "store/file_system.h"
#include "store/fixed_coding.h"
#include "store/journal_format.h"
#include "store/journal_reader.h"
#include "store/snapshot_file.h"
#include "support/store_test_support.h"

namespace collabflow::internal {
namespace {

using collabflow::testing::ScratchDir;
using Result = JournalSegmentReader::Result;

TEST(Crc32c, MatchesPublishedVectors) {
  // RFC 3720 B.4 and the LevelDB test vectors.
  EXPECT_EQ(crc32c::Value("123456789"), 0xe3069283u);
  std::string buf(32, '\0');
  EXPECT_EQ(crc32c::Value(buf), 0x8a9136aau);
  buf.assign(32, '\xff');
  EXPECT_EQ(crc32c::Value(buf), 0x62a8ab43u);
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(i);
  EXPECT_EQ(crc32c::Value(buf), 0x46dd794eu);
  for (int i = 0; i < 32; ++i) buf[i] = static_cast<char>(31 - i);
  EXPECT_EQ(crc32c::Value(buf), 0x113fdb5cu);
}

TEST(Crc32c, HardwareAndPortablePathsAgree) {
  std::mt19937_64 rng(7);
  std::string data(4099, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t start = 0; start < 9; ++start) {
    for (size_t n : {0, 1, 7, 8, 9, 63, 64, 1000, 4090}) {
      EXPECT_EQ(crc32c::Extend(0, data.data() + start, n),
                crc32c::ExtendPortable(0, data.data() + start, n));
    }
  }
}

TEST(Crc32c, ExtendEqualsWholeValue) {
  const std::string a = "hello ", b = "world";
  EXPECT_EQ(crc32c::Extend(crc32c::Value(a), b.data(), b.size()), crc32c::Value(a + b));
}

TEST(Crc32c, MaskRoundTripsAndChangesTheValue) {
  for (uint32_t v : {0u, 1u, 0xdeadbeefu, 0xffffffffu, crc32c::Value("foo")}) {
    EXPECT_NE(crc32c::Mask(v), v);
    EXPECT_EQ(crc32c::Unmask(crc32c::Mask(v)), v);
    EXPECT_NE(crc32c::Mask(crc32c::Mask(v)), crc32c::Mask(v));
  }
}

TEST(JournalFormat, FileNamesRoundTrip) {
  EXPECT_EQ(SegmentFileName(42), "journal-00000000000000000042.cfj");
  EXPECT_EQ(ParseSegmentFileName(SegmentFileName(18446744073709551615u)), 18446744073709551615u);
  EXPECT_FALSE(ParseSegmentFileName("journal-42.cfj").has_value());
  EXPECT_FALSE(ParseSegmentFileName("journal-0000000000000000004x.cfj").has_value());
  EXPECT_FALSE(ParseSegmentFileName("journal-00000000000000000042.cfj.tmp").has_value());
  EXPECT_EQ(ParseSnapshotFileName(SnapshotFileName(7)), 7u);
  EXPECT_FALSE(ParseSnapshotFileName(SegmentFileName(7)).has_value());
}

TEST(JournalFormat, RecordLayoutIsHeaderPayloadTrailer) {
  std::string out;
  AppendRecord(0x01020304, 9, "abc", &out);
  ASSERT_EQ(out.size(), kRecordOverheadBytes + 3);
  EXPECT_EQ(DecodeFixed32(out.data() + kRecordSaltOffset), 0x01020304u);
  EXPECT_EQ(DecodeFixed64(out.data() + kRecordSequenceOffset), 9u);
  EXPECT_EQ(DecodeFixed32(out.data() + kRecordLengthOffset), 3u);
  EXPECT_EQ(crc32c::Unmask(DecodeFixed32(out.data() + kRecordHeaderCrcOffset)),
            crc32c::Value(out.data(), kRecordHeaderCrcOffset));
  EXPECT_EQ(out.substr(kRecordHeaderBytes, 3), "abc");
  EXPECT_EQ(crc32c::Unmask(DecodeFixed32(out.data() + out.size() - 4)),
            crc32c::Value(out.data(), out.size() - 4));
}

TEST(JournalFormat, SegmentHeaderRefusesDamage) {
  std::string h;
  AppendSegmentHeader(77, 5, &h);
  std::string why;
  auto parsed = ParseSegmentHeader(h, &why);
  ASSERT_TRUE(parsed.has_value()) << why;
  EXPECT_EQ(parsed->salt, 77u);
  EXPECT_EQ(parsed->first_sequence, 5u);
  for (size_t byte = 0; byte < h.size(); ++byte) {
    std::string bad = h;
    bad[byte] ^= 0x10;
    EXPECT_FALSE(ParseSegmentHeader(bad, &why).has_value()) << byte;
  }
  EXPECT_FALSE(ParseSegmentHeader(h.substr(0, 27), &why).has_value());
}

// Writes `bytes` as a segment file and reads it back to the first non-record.
class SegmentReading : public ::testing::Test {
 protected:
  static constexpr uint32_t kSalt = 0x5a17c0de;

  std::string Segment(int records, uint64_t first = 1) {
    std::string s;
    AppendSegmentHeader(kSalt, first, &s);
    for (int i = 0; i < records; ++i) {
      AppendRecord(kSalt, first + i, "payload-" + std::to_string(i), &s);
    }
    return s;
  }

  // Returns the number of records read and the final verdict.
  std::pair<int, absl::StatusOr<Result>> Read(const std::string& bytes, uint64_t first = 1) {
    const std::string path = dir_.Sub("seg");
    {
      auto f = DefaultFileSystem()->NewWritableFile(path);
      EXPECT_TRUE(f.ok());
      EXPECT_TRUE((*f)->Append(bytes).ok());
    }
    auto file = DefaultFileSystem()->NewReadableFile(path);
    EXPECT_TRUE(file.ok());
    auto reader = JournalSegmentReader::Open(std::move(*file), first);
    if (!reader.ok()) return {0, reader.status()};
    int n = 0;
    for (;;) {
      absl::StatusOr<Result> r = (*reader)->Next();
      if (!r.ok() || *r != Result::kRecord) return {n, r};
      EXPECT_EQ((*reader)->sequence(), first + n);
      EXPECT_EQ((*reader)->payload(), "payload-" + std::to_string(n));
      ++n;
    }
  }

  ScratchDir dir_;
};

TEST_F(SegmentReading, ReadsEveryRecordThenEnds) {
  auto [n, r] = Read(Segment(5));
  EXPECT_EQ(n, 5);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, Result::kEnd);
}

TEST_F(SegmentReading, EveryTruncationOfTheLastRecordIsATornTail) {
  const std::string four = Segment(4);
  const std::string five = Segment(5);
  for (size_t cut = four.size() + 1; cut < five.size(); ++cut) {
    auto [n, r] = Read(five.substr(0, cut));
    EXPECT_EQ(n, 4) << cut;
    ASSERT_TRUE(r.ok()) << cut << ": " << r.status();
    EXPECT_EQ(*r, Result::kTornTail) << cut;
  }
}

TEST_F(SegmentReading, EveryBitFlipInARecordIsDataLossNamingTheOffset) {
  const std::string four = Segment(4);
  const std::string five = Segment(5);
  for (size_t byte = four.size(); byte < five.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = five;
      bad[byte] ^= static_cast<char>(1 << bit);
      auto [n, r] = Read(bad);
      EXPECT_EQ(n, 4) << byte << "/" << bit;
      ASSERT_FALSE(r.ok()) << byte << "/" << bit;
      EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
      EXPECT_TRUE(
          absl::StrContains(r.status().message(), "at offset " + std::to_string(four.size())))
          << r.status();
    }
  }
}

TEST_F(SegmentReading, TrailingGarbageIsDataLoss) {
  const std::string five = Segment(5);
  std::mt19937_64 rng(3);
  for (size_t len : {1, 3, 4, 11, 12, 19, 20, 21, 64}) {
    std::string garbage(len, '\0');
    for (char& c : garbage) c = static_cast<char>(rng());
    garbage[0] = static_cast<char>(~(kSalt & 0xff));  // never a prefix of the next header
    auto [n, r] = Read(five + garbage);
    EXPECT_EQ(n, 5);
    EXPECT_TRUE(absl::IsDataLoss(r.status())) << len << ": " << r.status();
  }
  // Zeros (a preallocated or half-flushed tail) are damage too: salts are never 0.
  auto [n, r] = Read(five + std::string(40, '\0'));
  EXPECT_EQ(n, 5);
  EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
}

TEST_F(SegmentReading, RecordFromAnotherSegmentIsDataLoss) {
  std::string s = Segment(2);
  AppendRecord(kSalt + 1, 3, "payload-2", &s);
  auto [n, r] = Read(s);
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(absl::IsDataLoss(r.status()));
  EXPECT_TRUE(absl::StrContains(r.status().message(), "salt")) << r.status();
}

TEST_F(SegmentReading, SequenceGapIsDataLoss) {
  std::string s = Segment(2);
  AppendRecord(kSalt, 4, "payload-2", &s);
  auto [n, r] = Read(s);
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(absl::IsDataLoss(r.status()));
  EXPECT_TRUE(absl::StrContains(r.status().message(), "expected 3")) << r.status();
}

TEST_F(SegmentReading, HeaderDisagreeingWithNameIsDataLoss) {
  auto [n, r] = Read(Segment(2, 10), /*first=*/11);
  EXPECT_EQ(n, 0);
  EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
}

TEST_F(SegmentReading, ShortHeaderIsDataLoss) {
  auto [n, r] = Read(Segment(0).substr(0, 10));
  EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "at offset 0")) << r.status();
}

}  // namespace
}  // namespace collabflow::internal
