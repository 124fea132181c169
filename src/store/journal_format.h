// The journal's on-disk format. Pure functions; thread-safe.
//
// A journal is a sequence of segment files named journal-<first position, 20
// digits>.cfj. Each segment starts with a 28-byte header
//
//   magic "CFLOWJNL" | format version u32 | salt u32 | first position u64 |
//   masked CRC32C of the preceding 24 bytes u32
//
// followed by records. Format 2 (written today) frames each record as
//
//   salt u32 | position u64 | version u64 | previous u64 | previous offset u64 |
//   stream length u32 | payload length u32 | masked CRC32C of those 44 bytes u32 |
//   stream | payload | masked CRC32C of everything before it u32
//
// (integers little-endian): the record's position in the store, its stream
// and its version in that stream, and where the stream's previous record is
// (its position and its byte offset in the segment holding it; 0 and 0 for a
// stream's first record), so that one stream's records are found by walking
// back from its newest one, without a scan. Format 1 (collabflow 0.1 and 0.2)
// is read, never written: records `salt u32 | position u64 | length u32 |
// header CRC u32 | payload | CRC u32`, all in the one stream kEngineStream,
// where a record's version is its position.
//
// The salt is random per segment, as SQLite's WAL salts are per generation: a
// record is only accepted by the segment it was written for. Positions are
// consecutive across segments. The separate header CRC makes the lengths
// trustworthy before the rest is read, which is what lets recovery tell a
// torn tail (a record cut short at the end of the file) from a damaged one: a
// torn record's bytes are a prefix of a valid record.
#ifndef COLLABFLOW_SRC_STORE_JOURNAL_FORMAT_H_
#define COLLABFLOW_SRC_STORE_JOURNAL_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"  // kMaxStreamNameBytes

namespace collabflow::internal {

inline constexpr char kSegmentMagic[] = "CFLOWJNL";    // 8 bytes, no NUL on disk
inline constexpr uint32_t kJournalFormatVersion = 2;   // written
inline constexpr uint32_t kJournalFormatVersion1 = 1;  // read: one stream, no links
inline constexpr size_t kSegmentHeaderBytes = 28;
inline constexpr size_t kRecordTrailerBytes = 4;

// Format 2 record header fields (offsets) and size.
inline constexpr size_t kRecordSaltOffset = 0;
inline constexpr size_t kRecordPositionOffset = 4;
inline constexpr size_t kRecordVersionOffset = 12;
inline constexpr size_t kRecordPreviousOffset = 20;
inline constexpr size_t kRecordPreviousByteOffset = 28;
inline constexpr size_t kRecordStreamLengthOffset = 36;
inline constexpr size_t kRecordPayloadLengthOffset = 40;
inline constexpr size_t kRecordHeaderCrcOffset = 44;
inline constexpr size_t kRecordHeaderBytes = 48;
// The bytes a torn header must agree with: salt and position.
inline constexpr size_t kRecordKnownPrefixBytes = 12;

// Format 1 record header.
inline constexpr size_t kRecord1LengthOffset = 12;
inline constexpr size_t kRecord1HeaderCrcOffset = 16;
inline constexpr size_t kRecord1HeaderBytes = 20;

// The bytes a format 2 record takes on disk.
inline constexpr uint64_t RecordBytes(size_t stream_bytes, size_t payload_bytes) {
  return kRecordHeaderBytes + uint64_t{stream_bytes} + payload_bytes + kRecordTrailerBytes;
}

// Where a stream's previous record is: its position and byte offset in its
// segment; {0, 0} before a stream's first record.
struct RecordLink {
  uint64_t position = 0;
  uint64_t offset = 0;
  bool operator==(const RecordLink& o) const {
    return position == o.position && offset == o.offset;
  }
};

// A record's numbers, as framed.
struct RecordFrame {
  uint64_t position = 0;
  uint64_t version = 0;
  RecordLink previous;
};

std::string SegmentFileName(uint64_t first_position);
// The first position if `name` is a segment file name.
std::optional<uint64_t> ParseSegmentFileName(absl::string_view name);

// A format 2 segment header.
void AppendSegmentHeader(uint32_t salt, uint64_t first_position, std::string* out);
// Appends one encoded format 2 record to `out`. REQUIRES: 1 <= stream.size()
// <= kMaxStreamNameBytes.
void AppendRecord(uint32_t salt, const RecordFrame& frame, absl::string_view stream,
                  absl::string_view payload, std::string* out);
// Format 1, for tests of the reader of old journals.
void AppendSegmentHeaderV1(uint32_t salt, uint64_t first_position, std::string* out);
void AppendRecordV1(uint32_t salt, uint64_t position, absl::string_view payload, std::string* out);

struct SegmentHeader {
  uint32_t format = 0;  // kJournalFormatVersion or kJournalFormatVersion1
  uint32_t salt = 0;
  uint64_t first_position = 0;
};
// Parses and verifies a segment header; on failure returns a reason.
std::optional<SegmentHeader> ParseSegmentHeader(absl::string_view bytes, std::string* why);

// A format 2 record header whose checksum holds.
struct RecordHeader {
  uint32_t salt = 0;
  RecordFrame frame;
  uint32_t stream_bytes = 0;
  uint32_t payload_bytes = 0;
};
// Parses a format 2 header (kRecordHeaderBytes bytes); nullopt if its
// checksum does not hold.
std::optional<RecordHeader> ParseRecordHeader(absl::string_view bytes);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_JOURNAL_FORMAT_H_
