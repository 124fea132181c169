#include "store/stream_index_file.h"

#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/event_store.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"
#include "store/numbered_file_name.h"

namespace collabflow::internal {
namespace {

constexpr char kIndexMagic[] = "CFLOWIDX";
constexpr size_t kHeaderBytes = 32;
constexpr size_t kTrailerBytes = 4;
constexpr size_t kSegmentEntryBytes = 24;
constexpr size_t kStreamEntryBytes = 28;  // before the name
constexpr absl::string_view kPrefix = "index-";
constexpr absl::string_view kSuffix = ".cfi";

absl::Status Damage(const std::string& path, uint64_t offset, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(path, " at offset ", offset, ": ", what));
}

}  // namespace

std::string StreamIndexFileName(uint64_t covers) {
  return NumberedFileName(kPrefix, covers, kSuffix);
}

std::optional<uint64_t> ParseStreamIndexFileName(absl::string_view name) {
  return ParseNumberedFileName(name, kPrefix, kSuffix);
}

void StreamIndexBuilder::AddSegment(const IndexedSegment& segment) {
  PutFixed64(&segments_, segment.first_position);
  PutFixed32(&segments_, segment.format);
  PutFixed32(&segments_, segment.salt);
  PutFixed64(&segments_, segment.committed_size);
  ++segment_count_;
}

void StreamIndexBuilder::AddStream(absl::string_view name, uint64_t version,
                                   const RecordLink& newest) {
  PutFixed32(&streams_, static_cast<uint32_t>(name.size()));
  PutFixed64(&streams_, version);
  PutFixed64(&streams_, newest.position);
  PutFixed64(&streams_, newest.offset);
  streams_.append(name.data(), name.size());
  ++stream_count_;
}

std::string StreamIndexBuilder::Finish() const {
  const uint64_t body = 4 + segments_.size() + 8 + streams_.size();
  std::string bytes;
  bytes.reserve(kHeaderBytes + body + kTrailerBytes);
  bytes.append(kIndexMagic, 8);
  PutFixed32(&bytes, kStreamIndexFormatVersion);
  PutFixed64(&bytes, covers_);
  PutFixed64(&bytes, body);
  PutFixed32(&bytes, crc32c::Mask(crc32c::Value(bytes.data(), 28)));
  PutFixed32(&bytes, segment_count_);
  bytes.append(segments_);
  PutFixed64(&bytes, stream_count_);
  bytes.append(streams_);
  PutFixed32(&bytes, crc32c::Mask(crc32c::Value(bytes)));
  return bytes;
}

absl::Status WriteStreamIndexFile(FileSystem* fs, const std::string& dir, uint64_t covers,
                                  absl::string_view bytes) {
  return ReplaceFileDurably(fs, dir, JoinPath(dir, StreamIndexFileName(covers)), bytes);
}

absl::StatusOr<StreamIndex> ReadStreamIndexFile(FileSystem* fs, const std::string& path,
                                                uint64_t covers) {
  CFLOW_ASSIGN_OR_RETURN(std::string file, ReadWholeFile(fs, path));
  auto held = std::make_unique<const std::string>(std::move(file));
  const std::string& bytes = *held;
  if (bytes.size() < kHeaderBytes + kTrailerBytes) {
    return Damage(path, bytes.size(), "index shorter than its header");
  }
  if (std::memcmp(bytes.data(), kIndexMagic, 8) != 0) {
    return Damage(path, 0, "not a stream index (bad magic)");
  }
  if (crc32c::Unmask(DecodeFixed32(bytes.data() + 28)) != crc32c::Value(bytes.data(), 28)) {
    return Damage(path, 28, "index header checksum mismatch");
  }
  const uint32_t version = DecodeFixed32(bytes.data() + 8);
  if (version != kStreamIndexFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " at offset 8: stream index format version ", version,
                     ", this build reads ", kStreamIndexFormatVersion));
  }
  if (DecodeFixed64(bytes.data() + 12) != covers) {
    return Damage(path, 12,
                  absl::StrCat("index covers ", DecodeFixed64(bytes.data() + 12),
                               ", its name says ", covers));
  }
  const uint64_t length = DecodeFixed64(bytes.data() + 20);
  if (length != bytes.size() - kHeaderBytes - kTrailerBytes) {
    return Damage(path, bytes.size(),
                  absl::StrCat("index holds ", bytes.size(), " bytes, its header implies ",
                               length + kHeaderBytes + kTrailerBytes));
  }
  const size_t end = bytes.size() - kTrailerBytes;
  if (crc32c::Unmask(DecodeFixed32(bytes.data() + end)) != crc32c::Value(bytes.data(), end)) {
    return Damage(path, kHeaderBytes, "index checksum mismatch");
  }

  // The checksums hold; the rest guards against an index written wrong.
  StreamIndex index;
  index.covers = covers;
  size_t at = kHeaderBytes;
  const auto need = [&](size_t n) { return end - at >= n; };
  if (!need(4)) return Damage(path, at, "index ends before its segment count");
  const uint32_t segments = DecodeFixed32(bytes.data() + at);
  at += 4;
  if ((end - at) / kSegmentEntryBytes < segments) {
    return Damage(path, at, absl::StrCat("index ends inside its ", segments, " segments"));
  }
  index.segments.reserve(segments);
  for (uint32_t i = 0; i < segments; ++i) {
    IndexedSegment s;
    s.first_position = DecodeFixed64(bytes.data() + at);
    s.format = DecodeFixed32(bytes.data() + at + 8);
    s.salt = DecodeFixed32(bytes.data() + at + 12);
    s.committed_size = DecodeFixed64(bytes.data() + at + 16);
    if (s.first_position == 0 || s.first_position > covers ||
        (!index.segments.empty() && s.first_position <= index.segments.back().first_position) ||
        s.committed_size < kSegmentHeaderBytes ||
        (s.format != kJournalFormatVersion && s.format != kJournalFormatVersion1)) {
      return Damage(path, at, absl::StrCat("index names an impossible segment ", i));
    }
    index.segments.push_back(s);
    at += kSegmentEntryBytes;
  }
  if (!need(8)) return Damage(path, at, "index ends before its stream count");
  const uint64_t streams = DecodeFixed64(bytes.data() + at);
  at += 8;
  if ((end - at) / kStreamEntryBytes < streams) {
    return Damage(path, at, absl::StrCat("index ends inside its ", streams, " streams"));
  }
  index.streams.reserve(static_cast<size_t>(streams));
  for (uint64_t i = 0; i < streams; ++i) {
    if (!need(kStreamEntryBytes)) return Damage(path, at, "index ends inside a stream");
    const uint32_t name_bytes = DecodeFixed32(bytes.data() + at);
    IndexedStream s;
    s.version = DecodeFixed64(bytes.data() + at + 4);
    s.newest.position = DecodeFixed64(bytes.data() + at + 12);
    s.newest.offset = DecodeFixed64(bytes.data() + at + 20);
    if (name_bytes == 0 || name_bytes > kMaxStreamNameBytes || s.version == 0 ||
        s.newest.position == 0 || s.newest.position > covers ||
        s.newest.offset < kSegmentHeaderBytes) {
      return Damage(path, at, absl::StrCat("index holds an impossible head for stream ", i));
    }
    at += kStreamEntryBytes;
    if (!need(name_bytes)) return Damage(path, at, "index ends inside a stream name");
    s.name = absl::string_view(bytes.data() + at, name_bytes);
    index.name_bytes += name_bytes;
    at += name_bytes;
    index.streams.push_back(s);
  }
  if (at != end) return Damage(path, at, "index has bytes after its last stream");
  index.bytes = std::move(held);
  return index;
}

}  // namespace collabflow::internal
