// The journal's on-disk format. Pure functions; thread-safe.
//
// A journal is a sequence of segment files named journal-<first seq, 20
// digits>.cfj. Each segment starts with a 28-byte header
//
//   magic "CFLOWJNL" | format version u32 | salt u32 | first sequence u64 |
//   masked CRC32C of the preceding 24 bytes u32
//
// followed by records, each
//
//   salt u32 | sequence u64 | length u32 | masked CRC32C of those 16 bytes u32 |
//   payload (length bytes) | masked CRC32C of header and payload u32
//
// (integers little-endian). The salt is random per segment, as SQLite's WAL
// salts are per generation: a record is only accepted by the segment it was
// written for. Sequences are consecutive across segments. The separate header
// CRC makes the length trustworthy before the payload is read, which is what
// lets recovery tell a torn tail (a record cut short at the end of the file)
// from a damaged one: a torn record's bytes are a prefix of a valid record.
#ifndef COLLABFLOW_SRC_STORE_JOURNAL_FORMAT_H_
#define COLLABFLOW_SRC_STORE_JOURNAL_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace collabflow::internal {

inline constexpr char kSegmentMagic[] = "CFLOWJNL";  // 8 bytes, no NUL on disk
inline constexpr uint32_t kJournalFormatVersion = 1;
inline constexpr size_t kSegmentHeaderBytes = 28;
inline constexpr size_t kRecordHeaderBytes = 20;
inline constexpr size_t kRecordTrailerBytes = 4;
inline constexpr size_t kRecordOverheadBytes = kRecordHeaderBytes + kRecordTrailerBytes;

// Field offsets inside a record header.
inline constexpr size_t kRecordSaltOffset = 0;
inline constexpr size_t kRecordSequenceOffset = 4;
inline constexpr size_t kRecordLengthOffset = 12;
inline constexpr size_t kRecordHeaderCrcOffset = 16;

std::string SegmentFileName(uint64_t first_sequence);
// The first sequence if `name` is a segment file name.
std::optional<uint64_t> ParseSegmentFileName(absl::string_view name);

void AppendSegmentHeader(uint32_t salt, uint64_t first_sequence, std::string* out);
// Appends one encoded record to `out`.
void AppendRecord(uint32_t salt, uint64_t sequence, absl::string_view payload, std::string* out);

struct SegmentHeader {
  uint32_t salt = 0;
  uint64_t first_sequence = 0;
};
// Parses and verifies a segment header; on failure returns a reason.
std::optional<SegmentHeader> ParseSegmentHeader(absl::string_view bytes, std::string* why);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_JOURNAL_FORMAT_H_
