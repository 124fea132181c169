#include "store/journal_format.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"

namespace collabflow::internal {
namespace {

constexpr absl::string_view kSegmentPrefix = "journal-";
constexpr absl::string_view kSegmentSuffix = ".cfj";
constexpr size_t kSequenceDigits = 20;

}  // namespace

std::string SegmentFileName(uint64_t first_sequence) {
  return absl::StrFormat("%s%020u%s", kSegmentPrefix, first_sequence, kSegmentSuffix);
}

std::optional<uint64_t> ParseSegmentFileName(absl::string_view name) {
  if (name.size() != kSegmentPrefix.size() + kSequenceDigits + kSegmentSuffix.size() ||
      !absl::StartsWith(name, kSegmentPrefix) || !absl::EndsWith(name, kSegmentSuffix)) {
    return std::nullopt;
  }
  const absl::string_view digits = name.substr(kSegmentPrefix.size(), kSequenceDigits);
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  uint64_t v = 0;
  if (!absl::SimpleAtoi(digits, &v)) return std::nullopt;
  return v;
}

void AppendSegmentHeader(uint32_t salt, uint64_t first_sequence, std::string* out) {
  const size_t start = out->size();
  out->append(kSegmentMagic, 8);
  PutFixed32(out, kJournalFormatVersion);
  PutFixed32(out, salt);
  PutFixed64(out, first_sequence);
  PutFixed32(out, crc32c::Mask(crc32c::Value(out->data() + start, 24)));
}

void AppendRecord(uint32_t salt, uint64_t sequence, absl::string_view payload, std::string* out) {
  const size_t start = out->size();
  out->reserve(start + kRecordOverheadBytes + payload.size());
  PutFixed32(out, salt);
  PutFixed64(out, sequence);
  PutFixed32(out, static_cast<uint32_t>(payload.size()));
  PutFixed32(out, crc32c::Mask(crc32c::Value(out->data() + start, kRecordHeaderCrcOffset)));
  out->append(payload.data(), payload.size());
  const uint32_t crc = crc32c::Value(out->data() + start, out->size() - start);
  PutFixed32(out, crc32c::Mask(crc));
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
  const uint32_t version = DecodeFixed32(bytes.data() + 8);
  if (version != kJournalFormatVersion) {
    *why = absl::StrCat("unsupported journal format version ", version);
    return std::nullopt;
  }
  return SegmentHeader{DecodeFixed32(bytes.data() + 12), DecodeFixed64(bytes.data() + 16)};
}

}  // namespace collabflow::internal
