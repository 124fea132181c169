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

TEST(JournalFormat, RecordLayoutIsHeaderStreamPayloadTrailer) {
  std::string out;
  AppendRecord(0x01020304, RecordFrame{9, 3, RecordLink{7, 1234}}, "request/R", "abc", &out);
  ASSERT_EQ(out.size(), RecordBytes(9, 3));
  ASSERT_EQ(out.size(), 48u + 9 + 3 + 4);
  EXPECT_EQ(DecodeFixed32(out.data() + kRecordSaltOffset), 0x01020304u);
  EXPECT_EQ(DecodeFixed64(out.data() + kRecordPositionOffset), 9u);
  EXPECT_EQ(DecodeFixed64(out.data() + kRecordVersionOffset), 3u);
  EXPECT_EQ(DecodeFixed64(out.data() + kRecordPreviousOffset), 7u);
  EXPECT_EQ(DecodeFixed64(out.data() + kRecordPreviousByteOffset), 1234u);
  EXPECT_EQ(DecodeFixed32(out.data() + kRecordStreamLengthOffset), 9u);
  EXPECT_EQ(DecodeFixed32(out.data() + kRecordPayloadLengthOffset), 3u);
  EXPECT_EQ(crc32c::Unmask(DecodeFixed32(out.data() + kRecordHeaderCrcOffset)),
            crc32c::Value(out.data(), kRecordHeaderCrcOffset));
  EXPECT_EQ(out.substr(kRecordHeaderBytes, 12), "request/Rabc");
  EXPECT_EQ(crc32c::Unmask(DecodeFixed32(out.data() + out.size() - 4)),
            crc32c::Value(out.data(), out.size() - 4));
  const std::optional<RecordHeader> header = ParseRecordHeader(out);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->frame.previous, (RecordLink{7, 1234}));
}

TEST(JournalFormat, Format1RecordLayoutIsHeaderPayloadTrailer) {
  std::string out;
  AppendRecordV1(0x01020304, 9, "abc", &out);
  ASSERT_EQ(out.size(), 20u + 3 + 4);
  EXPECT_EQ(DecodeFixed32(out.data() + kRecordSaltOffset), 0x01020304u);
  EXPECT_EQ(DecodeFixed64(out.data() + kRecordPositionOffset), 9u);
  EXPECT_EQ(DecodeFixed32(out.data() + kRecord1LengthOffset), 3u);
  EXPECT_EQ(out.substr(kRecord1HeaderBytes, 3), "abc");
}

TEST(JournalFormat, SegmentHeaderRefusesDamage) {
  std::string h;
  AppendSegmentHeader(77, 5, &h);
  std::string why;
  auto parsed = ParseSegmentHeader(h, &why);
  ASSERT_TRUE(parsed.has_value()) << why;
  EXPECT_EQ(parsed->salt, 77u);
  EXPECT_EQ(parsed->first_position, 5u);
  EXPECT_EQ(parsed->format, kJournalFormatVersion);
  for (size_t byte = 0; byte < h.size(); ++byte) {
    std::string bad = h;
    bad[byte] ^= 0x10;
    EXPECT_FALSE(ParseSegmentHeader(bad, &why).has_value()) << byte;
  }
  EXPECT_FALSE(ParseSegmentHeader(h.substr(0, 27), &why).has_value());
}

// Writes `bytes` as a segment file and reads it back to the first non-record;
// for both formats (true: format 1, as 0.1 and 0.2 wrote it). Records
// alternate between two streams, each linking to its previous record.
class SegmentReading : public ::testing::TestWithParam<bool> {
 protected:
  static constexpr uint32_t kSalt = 0x5a17c0de;

  bool v1() const { return GetParam(); }
  static std::string StreamOf(int i) { return i % 2 == 0 ? "even" : "odd"; }

  std::string Segment(int records, uint64_t first = 1) {
    std::string s;
    if (v1()) {
      AppendSegmentHeaderV1(kSalt, first, &s);
    } else {
      AppendSegmentHeader(kSalt, first, &s);
    }
    RecordLink newest[2];
    for (int i = 0; i < records; ++i) AppendOne(first + i, i, &newest[i % 2], &s);
    return s;
  }
  void AppendOne(uint64_t position, int i, RecordLink* newest, std::string* s) {
    if (v1()) {
      AppendRecordV1(kSalt, position, "payload-" + std::to_string(i), s);
      return;
    }
    const RecordLink here{position, s->size()};
    AppendRecord(kSalt, RecordFrame{position, static_cast<uint64_t>(i / 2 + 1), *newest},
                 StreamOf(i), "payload-" + std::to_string(i), s);
    *newest = here;
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
      EXPECT_EQ((*reader)->position(), first + n);
      EXPECT_EQ((*reader)->payload(), "payload-" + std::to_string(n));
      if (v1()) {
        EXPECT_EQ((*reader)->stream(), kEngineStream);
        EXPECT_EQ((*reader)->frame().version, first + n);
      } else {
        EXPECT_EQ((*reader)->stream(), StreamOf(n));
        EXPECT_EQ((*reader)->frame().version, static_cast<uint64_t>(n / 2 + 1));
      }
      ++n;
    }
  }

  ScratchDir dir_;
};

TEST_P(SegmentReading, ReadsEveryRecordThenEnds) {
  auto [n, r] = Read(Segment(5));
  EXPECT_EQ(n, 5);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, Result::kEnd);
}

TEST_P(SegmentReading, EveryTruncationOfTheLastRecordIsATornTail) {
  const std::string four = Segment(4);
  const std::string five = Segment(5);
  for (size_t cut = four.size() + 1; cut < five.size(); ++cut) {
    auto [n, r] = Read(five.substr(0, cut));
    EXPECT_EQ(n, 4) << cut;
    ASSERT_TRUE(r.ok()) << cut << ": " << r.status();
    EXPECT_EQ(*r, Result::kTornTail) << cut;
  }
}

TEST_P(SegmentReading, EveryBitFlipInARecordIsDataLossNamingTheOffset) {
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

TEST_P(SegmentReading, TrailingGarbageIsDataLoss) {
  const std::string five = Segment(5);
  std::mt19937_64 rng(3);
  for (size_t len : {1, 3, 4, 11, 12, 19, 20, 21, 47, 48, 49, 64}) {
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

TEST_P(SegmentReading, RecordFromAnotherSegmentIsDataLoss) {
  std::string s = Segment(2);
  if (v1()) {
    AppendRecordV1(kSalt + 1, 3, "payload-2", &s);
  } else {
    AppendRecord(kSalt + 1, RecordFrame{3, 2, RecordLink{1, kSegmentHeaderBytes}}, "even",
                 "payload-2", &s);
  }
  auto [n, r] = Read(s);
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(absl::IsDataLoss(r.status()));
  EXPECT_TRUE(absl::StrContains(r.status().message(), "salt")) << r.status();
}

TEST_P(SegmentReading, PositionGapIsDataLoss) {
  std::string s = Segment(2);
  if (v1()) {
    AppendRecordV1(kSalt, 4, "payload-2", &s);
  } else {
    AppendRecord(kSalt, RecordFrame{4, 2, RecordLink{1, kSegmentHeaderBytes}}, "even", "payload-2",
                 &s);
  }
  auto [n, r] = Read(s);
  EXPECT_EQ(n, 2);
  EXPECT_TRUE(absl::IsDataLoss(r.status()));
  EXPECT_TRUE(absl::StrContains(r.status().message(), "expected 3")) << r.status();
}

TEST_P(SegmentReading, HeaderDisagreeingWithNameIsDataLoss) {
  auto [n, r] = Read(Segment(2, 10), /*first=*/11);
  EXPECT_EQ(n, 0);
  EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
}

TEST_P(SegmentReading, ShortHeaderIsDataLoss) {
  auto [n, r] = Read(Segment(0).substr(0, 10));
  EXPECT_TRUE(absl::IsDataLoss(r.status())) << r.status();
  EXPECT_TRUE(absl::StrContains(r.status().message(), "at offset 0")) << r.status();
}

TEST_P(SegmentReading, ARecordIsReadAtItsOffsetByItsLink) {
  if (v1()) GTEST_SKIP() << "format 1 records carry no links";
  const std::string s = Segment(6);
  const std::string path = dir_.Sub("seg");
  {
    auto f = DefaultFileSystem()->NewWritableFile(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(s).ok());
  }
  auto file = DefaultFileSystem()->NewReadableFile(path);
  ASSERT_TRUE(file.ok());
  // Walk stream "odd" back from its newest record (position 6).
  auto reader =
      JournalSegmentReader::Open(std::shared_ptr<const ReadableFile>(std::move(*file)), 1);
  ASSERT_TRUE(reader.ok());
  RecordLink newest;
  for (int i = 0; i < 6; ++i) {
    ASSERT_EQ(*(*reader)->Next(), Result::kRecord);
    if ((*reader)->stream() == "odd")
      newest = RecordLink{(*reader)->position(), (*reader)->record_offset()};
  }
  auto reopened = DefaultFileSystem()->NewReadableFile(path);
  ASSERT_TRUE(reopened.ok());
  std::vector<uint64_t> positions;
  for (RecordLink at = newest; at.position != 0;) {
    auto record = ReadJournalRecordAt(**reopened, kSalt, at.offset, at.position, false);
    ASSERT_TRUE(record.ok()) << record.status();
    EXPECT_EQ(record->stream, "odd");
    EXPECT_EQ(record->payload, "payload-" + std::to_string(at.position - 1));
    positions.push_back(at.position);
    at = record->frame.previous;
  }
  EXPECT_EQ(positions, (std::vector<uint64_t>{6, 4, 2}));
  // A link to the wrong offset, or a position the record does not carry, is
  // DATA_LOSS naming the offset.
  auto wrong = ReadJournalRecordAt(**reopened, kSalt, newest.offset + 1, newest.position, true);
  EXPECT_TRUE(absl::IsDataLoss(wrong.status())) << wrong.status();
  auto other = ReadJournalRecordAt(**reopened, kSalt, newest.offset, newest.position + 1, true);
  EXPECT_TRUE(absl::IsDataLoss(other.status())) << other.status();
  EXPECT_TRUE(
      absl::StrContains(other.status().message(), "at offset " + std::to_string(newest.offset)))
      << other.status();
}

INSTANTIATE_TEST_SUITE_P(Formats, SegmentReading, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Format1" : "Format2";
                         });

}  // namespace
}  // namespace collabflow::internal
