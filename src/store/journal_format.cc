#include "store/journal_format.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"
#include "store/numbered_file_name.h"

namespace collabflow::internal {
namespace {

constexpr absl::string_view kSegmentPrefix = "journal-";
constexpr absl::string_view kSegmentSuffix = ".cfj";

}  // namespace

std::string SegmentFileName(uint64_t first_position) {
  return NumberedFileName(kSegmentPrefix, first_position, kSegmentSuffix);
}

std::optional<uint64_t> ParseSegmentFileName(absl::string_view name) {
  return ParseNumberedFileName(name, kSegmentPrefix, kSegmentSuffix);
}

namespace {

void AppendHeader(uint32_t format, uint32_t salt, uint64_t first_position, std::string* out) {
  const size_t start = out->size();
  out->append(kSegmentMagic, 8);
  PutFixed32(out, format);
  PutFixed32(out, salt);
  PutFixed64(out, first_position);
  PutFixed32(out, crc32c::Mask(crc32c::Value(out->data() + start, 24)));
}

}  // namespace

void AppendSegmentHeader(uint32_t salt, uint64_t first_position, std::string* out) {
  AppendHeader(kJournalFormatVersion, salt, first_position, out);
}

void AppendSegmentHeaderV1(uint32_t salt, uint64_t first_position, std::string* out) {
  AppendHeader(kJournalFormatVersion1, salt, first_position, out);
}

void AppendRecord(uint32_t salt, const RecordFrame& frame, absl::string_view stream,
                  absl::string_view payload, std::string* out) {
  const size_t start = out->size();
  out->reserve(start + RecordBytes(stream.size(), payload.size()));
  PutFixed32(out, salt);
  PutFixed64(out, frame.position);
  PutFixed64(out, frame.version);
  PutFixed64(out, frame.previous.position);
  PutFixed64(out, frame.previous.offset);
  PutFixed32(out, static_cast<uint32_t>(stream.size()));
  PutFixed32(out, static_cast<uint32_t>(payload.size()));
  PutFixed32(out, crc32c::Mask(crc32c::Value(out->data() + start, kRecordHeaderCrcOffset)));
  out->append(stream.data(), stream.size());
  out->append(payload.data(), payload.size());
  const uint32_t crc = crc32c::Value(out->data() + start, out->size() - start);
  PutFixed32(out, crc32c::Mask(crc));
}

void AppendRecordV1(uint32_t salt, uint64_t position, absl::string_view payload, std::string* out) {
  const size_t start = out->size();
  PutFixed32(out, salt);
  PutFixed64(out, position);
  PutFixed32(out, static_cast<uint32_t>(payload.size()));
  PutFixed32(out, crc32c::Mask(crc32c::Value(out->data() + start, kRecord1HeaderCrcOffset)));
  out->append(payload.data(), payload.size());
  const uint32_t crc = crc32c::Value(out->data() + start, out->size() - start);
  PutFixed32(out, crc32c::Mask(crc));
}

std::optional<RecordHeader> ParseRecordHeader(absl::string_view bytes) {
  const char* p = bytes.data();
  if (crc32c::Unmask(DecodeFixed32(p + kRecordHeaderCrcOffset)) !=
      crc32c::Value(p, kRecordHeaderCrcOffset)) {
    return std::nullopt;
  }
  RecordHeader h;
  h.salt = DecodeFixed32(p + kRecordSaltOffset);
  h.frame.position = DecodeFixed64(p + kRecordPositionOffset);
  h.frame.version = DecodeFixed64(p + kRecordVersionOffset);
  h.frame.previous.position = DecodeFixed64(p + kRecordPreviousOffset);
  h.frame.previous.offset = DecodeFixed64(p + kRecordPreviousByteOffset);
  h.stream_bytes = DecodeFixed32(p + kRecordStreamLengthOffset);
  h.payload_bytes = DecodeFixed32(p + kRecordPayloadLengthOffset);
  return h;
}

std::optional<SegmentHeader> ParseSegmentHeader(absl::string_view bytes, std::string* why) {
  if (bytes.size() < kSegmentHeaderBytes) {
    *why =
        absl::StrCat("segment header is ", bytes.size(), " bytes, expected ", kSegmentHeaderBytes);
    return std::nullopt;
  }
  if (std::memcmp(bytes.data(), kSegmentMagic, 8) != 0) {
    *why = "not a journal segment (bad magic)";
    return std::nullopt;
  }
  if (crc32c::Unmask(DecodeFixed32(bytes.data() + 24)) != crc32c::Value(bytes.data(), 24)) {
    *why = "segment header checksum mismatch";
    return std::nullopt;
  }
  const uint32_t format = DecodeFixed32(bytes.data() + 8);
  if (format != kJournalFormatVersion && format != kJournalFormatVersion1) {
    *why = absl::StrCat("unsupported journal format version ", format);
    return std::nullopt;
  }
  return SegmentHeader{format, DecodeFixed32(bytes.data() + 12), DecodeFixed64(bytes.data() + 16)};
}

}  // namespace collabflow::internal
