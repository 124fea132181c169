#include "store/journal_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/event_store.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"

namespace collabflow::internal {
namespace {

constexpr size_t kReadChunkBytes = size_t{1} << 20;

absl::Status DamageAt(const ReadableFile& file, uint64_t offset, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(file.path(), " at offset ", offset, ": ", what));
}

// Whether a header that checks out may frame a record: lengths within the
// limits. Returns the reason when not.
std::optional<std::string> ImplausibleLengths(const RecordHeader& h) {
  if (h.stream_bytes == 0 || h.stream_bytes > kMaxStreamNameBytes) {
    return absl::StrCat("record ", h.frame.position, " names a stream of ", h.stream_bytes,
                        " bytes (1 to ", kMaxStreamNameBytes, " allowed)");
  }
  if (h.payload_bytes > kMaxStoreRecordBytes) {
    return absl::StrCat("record ", h.frame.position, " claims ", h.payload_bytes,
                        " bytes, over the limit ", kMaxStoreRecordBytes);
  }
  return std::nullopt;
}

bool TrailerHolds(absl::string_view record) {
  const uint32_t crc = crc32c::Value(record.data(), record.size() - kRecordTrailerBytes);
  return crc32c::Unmask(DecodeFixed32(record.data() + record.size() - kRecordTrailerBytes)) == crc;
}

}  // namespace

JournalSegmentReader::JournalSegmentReader(std::shared_ptr<const ReadableFile> file, uint64_t end)
    : file_(std::move(file)), end_(end) {}

absl::StatusOr<std::unique_ptr<JournalSegmentReader>> JournalSegmentReader::Open(
    std::shared_ptr<const ReadableFile> file, uint64_t expected_first_position,
    std::optional<uint64_t> limit, std::optional<ResumeAt> resume) {
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
  if (header->first_position != expected_first_position) {
    return r->Damage(16, absl::StrCat("segment starts at position ", header->first_position,
                                      ", its name says ", expected_first_position));
  }
  r->format_ = header->format;
  r->salt_ = header->salt;
  r->next_position_ = header->first_position;
  r->offset_ = kSegmentHeaderBytes;
  if (resume.has_value()) {
    if (resume->offset < kSegmentHeaderBytes || resume->offset > end ||
        resume->position < header->first_position) {
      return r->Damage(resume->offset, absl::StrCat("cannot resume at record ", resume->position,
                                                    " here (the segment holds ", end, " bytes)"));
    }
    r->offset_ = resume->offset;
    r->next_position_ = resume->position;
  }
  return r;
}

absl::Status JournalSegmentReader::Damage(uint64_t offset, absl::string_view what) const {
  return DamageAt(*file_, offset, what);
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

  // The bytes every record header starts with: salt and position.
  char expected[kRecordKnownPrefixBytes];
  EncodeFixed32(expected, salt_);
  std::memcpy(expected + kRecordPositionOffset, &next_position_, 8);
  const size_t header_bytes =
      format_ == kJournalFormatVersion1 ? kRecord1HeaderBytes : kRecordHeaderBytes;
  if (left < header_bytes) {
    // A torn header must match the part of the next header that is known.
    CFLOW_ASSIGN_OR_RETURN(const absl::string_view tail, Fetch(start, static_cast<size_t>(left)));
    const size_t known = std::min(tail.size(), kRecordKnownPrefixBytes);
    if (std::memcmp(tail.data(), expected, known) != 0) {
      return Damage(start, absl::StrCat(left, " trailing bytes are not the start of record ",
                                        next_position_));
    }
    return Result::kTornTail;
  }
  if (format_ == kJournalFormatVersion1) return NextV1(start, left);

  CFLOW_ASSIGN_OR_RETURN(const absl::string_view header_bytes_read, Fetch(start, header_bytes));
  const std::optional<RecordHeader> header = ParseRecordHeader(header_bytes_read);
  if (!header.has_value()) {
    return Damage(start, absl::StrCat("header checksum mismatch in record ", next_position_));
  }
  if (header->salt != salt_) {
    return Damage(start, absl::StrCat("record ", next_position_,
                                      " carries the salt of another segment generation"));
  }
  if (header->frame.position != next_position_) {
    return Damage(start, absl::StrCat("record has position ", header->frame.position, ", expected ",
                                      next_position_));
  }
  if (std::optional<std::string> why = ImplausibleLengths(*header)) return Damage(start, *why);
  const uint64_t total = RecordBytes(header->stream_bytes, header->payload_bytes);
  if (left < total) return Result::kTornTail;

  CFLOW_ASSIGN_OR_RETURN(const absl::string_view record, Fetch(start, static_cast<size_t>(total)));
  if (!TrailerHolds(record)) {
    return Damage(start, absl::StrCat("checksum mismatch in record ", header->frame.position));
  }
  frame_ = header->frame;
  stream_ = record.substr(kRecordHeaderBytes, header->stream_bytes);
  payload_ = record.substr(kRecordHeaderBytes + header->stream_bytes, header->payload_bytes);
  record_offset_ = start;
  offset_ = start + total;
  ++next_position_;
  return Result::kRecord;
}

absl::StatusOr<JournalSegmentReader::Result> JournalSegmentReader::NextV1(uint64_t start,
                                                                          uint64_t left) {
  CFLOW_ASSIGN_OR_RETURN(absl::string_view header, Fetch(start, kRecord1HeaderBytes));
  const uint32_t header_crc = crc32c::Value(header.data(), kRecord1HeaderCrcOffset);
  if (crc32c::Unmask(DecodeFixed32(header.data() + kRecord1HeaderCrcOffset)) != header_crc) {
    return Damage(start, absl::StrCat("header checksum mismatch in record ", next_position_));
  }
  if (DecodeFixed32(header.data() + kRecordSaltOffset) != salt_) {
    return Damage(start, absl::StrCat("record ", next_position_,
                                      " carries the salt of another segment generation"));
  }
  const uint64_t position = DecodeFixed64(header.data() + kRecordPositionOffset);
  if (position != next_position_) {
    return Damage(start,
                  absl::StrCat("record has position ", position, ", expected ", next_position_));
  }
  const uint32_t length = DecodeFixed32(header.data() + kRecord1LengthOffset);
  if (length > kMaxStoreRecordBytes) {
    return Damage(start, absl::StrCat("record ", position, " claims ", length,
                                      " bytes, over the limit ", kMaxStoreRecordBytes));
  }
  const uint64_t total = uint64_t{length} + kRecord1HeaderBytes + kRecordTrailerBytes;
  if (left < total) return Result::kTornTail;
  CFLOW_ASSIGN_OR_RETURN(const absl::string_view record, Fetch(start, static_cast<size_t>(total)));
  if (!TrailerHolds(record)) {
    return Damage(start, absl::StrCat("checksum mismatch in record ", position));
  }
  frame_ = RecordFrame{position, position, RecordLink{}};
  stream_ = kEngineStream;
  payload_ = record.substr(kRecord1HeaderBytes, length);
  record_offset_ = start;
  offset_ = start + total;
  ++next_position_;
  return Result::kRecord;
}

absl::StatusOr<JournalRecord> ReadJournalRecordAt(const ReadableFile& file, uint32_t salt,
                                                  uint64_t offset, uint64_t expected_position,
                                                  bool header_only) {
  char header_bytes[kRecordHeaderBytes];
  CFLOW_ASSIGN_OR_RETURN(const size_t got, file.Read(offset, kRecordHeaderBytes, header_bytes));
  const auto damage = [&](absl::string_view what) {
    return DamageAt(file, offset,
                    absl::StrCat(what, " (looking for record ", expected_position, ")"));
  };
  if (got < kRecordHeaderBytes) return damage("the file ends inside a record header");
  const std::optional<RecordHeader> header =
      ParseRecordHeader(absl::string_view(header_bytes, kRecordHeaderBytes));
  if (!header.has_value()) return damage("header checksum mismatch");
  if (header->salt != salt) return damage("a record of another segment generation");
  if (header->frame.position != expected_position) {
    return damage(absl::StrCat("record has position ", header->frame.position));
  }
  if (std::optional<std::string> why = ImplausibleLengths(*header)) return damage(*why);
  JournalRecord out;
  out.frame = header->frame;
  if (header_only) return out;
  const uint64_t total = RecordBytes(header->stream_bytes, header->payload_bytes);
  std::string record(static_cast<size_t>(total), '\0');
  CFLOW_ASSIGN_OR_RETURN(const size_t read, file.Read(offset, record.size(), record.data()));
  if (read < record.size()) return damage("the file ends inside the record");
  if (!TrailerHolds(record)) return damage("checksum mismatch");
  out.stream = record.substr(kRecordHeaderBytes, header->stream_bytes);
  out.payload = record.substr(kRecordHeaderBytes + header->stream_bytes, header->payload_bytes);
  return out;
}

}  // namespace collabflow::internal
