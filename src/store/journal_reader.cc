#include "store/journal_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/event_store.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"
#include "store/journal_format.h"

namespace collabflow::internal {
namespace {

constexpr size_t kReadChunkBytes = size_t{1} << 20;

}  // namespace

JournalSegmentReader::JournalSegmentReader(std::shared_ptr<const ReadableFile> file, uint64_t end)
    : file_(std::move(file)), end_(end) {}

absl::StatusOr<std::unique_ptr<JournalSegmentReader>> JournalSegmentReader::Open(
    std::shared_ptr<const ReadableFile> file, uint64_t expected_first_sequence,
    std::optional<uint64_t> limit) {
  CFLOW_ASSIGN_OR_RETURN(uint64_t end, file->Size());
  if (limit.has_value()) {
    if (*limit > end) {
      return absl::DataLossError(
          absl::StrCat(file->path(), " is ", end, " bytes, shorter than its committed ", *limit));
    }
    end = *limit;
  }
  std::unique_ptr<JournalSegmentReader> r(new JournalSegmentReader(std::move(file), end));
  if (end < kSegmentHeaderBytes) {
    return r->Damage(
        0, absl::StrCat("segment header is ", end, " bytes, expected ", kSegmentHeaderBytes));
  }
  CFLOW_ASSIGN_OR_RETURN(const absl::string_view bytes, r->Fetch(0, kSegmentHeaderBytes));
  std::string why;
  const std::optional<SegmentHeader> header = ParseSegmentHeader(bytes, &why);
  if (!header.has_value()) return r->Damage(0, why);
  if (header->first_sequence != expected_first_sequence) {
    return r->Damage(16, absl::StrCat("segment starts at sequence ", header->first_sequence,
                                      ", its name says ", expected_first_sequence));
  }
  r->salt_ = header->salt;
  r->next_sequence_ = header->first_sequence;
  r->offset_ = kSegmentHeaderBytes;
  return r;
}

absl::Status JournalSegmentReader::Damage(uint64_t offset, absl::string_view what) const {
  return absl::DataLossError(absl::StrCat(file_->path(), " at offset ", offset, ": ", what));
}

absl::StatusOr<absl::string_view> JournalSegmentReader::Fetch(uint64_t offset, size_t n) {
  if (offset >= buffer_offset_ && offset + n <= buffer_offset_ + buffer_len_) {
    return absl::string_view(buffer_.data() + (offset - buffer_offset_), n);
  }
  const size_t want =
      static_cast<size_t>(std::min<uint64_t>(std::max(n, kReadChunkBytes), end_ - offset));
  if (buffer_.size() < want) buffer_.resize(want);
  buffer_offset_ = offset;
  buffer_len_ = 0;
  CFLOW_ASSIGN_OR_RETURN(buffer_len_, file_->Read(offset, want, buffer_.data()));
  if (buffer_len_ < n) {
    return Damage(offset + buffer_len_, "file ended while being read (truncated underneath us?)");
  }
  return absl::string_view(buffer_.data(), n);
}

absl::StatusOr<JournalSegmentReader::Result> JournalSegmentReader::Next() {
  const uint64_t start = offset_;
  const uint64_t left = end_ - start;
  if (left == 0) return Result::kEnd;

  // The bytes the next record's header must start with.
  char expected[kRecordLengthOffset];
  EncodeFixed32(expected, salt_);
  std::memcpy(expected + kRecordSequenceOffset, &next_sequence_, 8);

  if (left < kRecordHeaderBytes) {
    // A torn header must match the part of the next header that is known.
    CFLOW_ASSIGN_OR_RETURN(const absl::string_view tail, Fetch(start, static_cast<size_t>(left)));
    const size_t known = std::min(tail.size(), kRecordLengthOffset);
    if (std::memcmp(tail.data(), expected, known) != 0) {
      return Damage(start, absl::StrCat(left, " trailing bytes are not the start of record ",
                                        next_sequence_));
    }
    return Result::kTornTail;
  }

  CFLOW_ASSIGN_OR_RETURN(absl::string_view header, Fetch(start, kRecordHeaderBytes));
  const uint32_t header_crc = crc32c::Value(header.data(), kRecordHeaderCrcOffset);
  if (crc32c::Unmask(DecodeFixed32(header.data() + kRecordHeaderCrcOffset)) != header_crc) {
    return Damage(start, absl::StrCat("header checksum mismatch in record ", next_sequence_));
  }
  const uint32_t salt = DecodeFixed32(header.data() + kRecordSaltOffset);
  if (salt != salt_) {
    return Damage(start, absl::StrCat("record ", next_sequence_,
                                      " carries the salt of another segment generation"));
  }
  const uint64_t sequence = DecodeFixed64(header.data() + kRecordSequenceOffset);
  if (sequence != next_sequence_) {
    return Damage(start,
                  absl::StrCat("record has sequence ", sequence, ", expected ", next_sequence_));
  }
  const uint32_t length = DecodeFixed32(header.data() + kRecordLengthOffset);
  if (length > kMaxStoreRecordBytes) {
    return Damage(start, absl::StrCat("record ", sequence, " claims ", length,
                                      " bytes, over the limit ", kMaxStoreRecordBytes));
  }
  const uint64_t total = uint64_t{length} + kRecordOverheadBytes;
  if (left < total) return Result::kTornTail;

  CFLOW_ASSIGN_OR_RETURN(const absl::string_view record, Fetch(start, static_cast<size_t>(total)));
  const uint32_t crc = crc32c::Value(record.data(), record.size() - kRecordTrailerBytes);
  if (crc32c::Unmask(DecodeFixed32(record.data() + record.size() - kRecordTrailerBytes)) != crc) {
    return Damage(start, absl::StrCat("checksum mismatch in record ", sequence));
  }
  sequence_ = sequence;
  payload_ = record.substr(kRecordHeaderBytes, length);
  offset_ = start + total;
  ++next_sequence_;
  return Result::kRecord;
}

}  // namespace collabflow::internal
