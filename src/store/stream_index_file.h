// Stream index files: every stream's head (version and newest record) and
// the journal segments as they stood at one position, so that an open reads
// only the records after it. Stateless functions; thread-safe for distinct
// paths.
//
// Format 1 (integers little-endian):
//   magic "CFLOWIDX" | format version u32 | covers u64 | body length u64 |
//   masked CRC32C of the preceding 28 bytes u32 | body |
//   masked CRC32C of everything before u32
// body:
//   segment count u32, then per segment (oldest first): first position u64 |
//     segment format u32 | salt u32 | bytes holding records 1..covers u64
//   stream count u64, then per stream: name length u32 | version u64 |
//     newest record's position u64 | its byte offset u64 | name
// Named index-<covers, 20 digits>.cfi; written like a snapshot (<name>.tmp,
// fsync, rename, directory fsync). The index lists the segments holding a
// record at a position <= covers; every record it covers is durable when it
// is written.
#ifndef COLLABFLOW_SRC_STORE_STREAM_INDEX_FILE_H_
#define COLLABFLOW_SRC_STORE_STREAM_INDEX_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store/file_system.h"
#include "store/journal_format.h"

namespace collabflow::internal {

inline constexpr uint32_t kStreamIndexFormatVersion = 1;

std::string StreamIndexFileName(uint64_t covers);
std::optional<uint64_t> ParseStreamIndexFileName(absl::string_view name);

struct IndexedSegment {
  uint64_t first_position = 0;
  uint32_t format = 0;
  uint32_t salt = 0;
  uint64_t committed_size = 0;
};

// A stream's head as an index file holds it; the name is a view into the
// file's bytes (StreamIndex::bytes).
struct IndexedStream {
  absl::string_view name;
  uint64_t version = 0;
  RecordLink newest;
};

struct StreamIndex {
  uint64_t covers = 0;
  std::vector<IndexedSegment> segments;
  std::vector<IndexedStream> streams;
  size_t name_bytes = 0;  // the streams' names', in all
  // The file, which the streams' names view (held so that they stay put
  // when the index is moved).
  std::unique_ptr<const std::string> bytes;
};

// Encodes an index incrementally (the store adds its streams while holding
// its lock, without copying them first).
class StreamIndexBuilder {
 public:
  explicit StreamIndexBuilder(uint64_t covers) : covers_(covers) {}
  void AddSegment(const IndexedSegment& segment);
  void AddStream(absl::string_view name, uint64_t version, const RecordLink& newest);
  // The whole file's bytes.
  std::string Finish() const;

 private:
  uint64_t covers_;
  uint32_t segment_count_ = 0;
  uint64_t stream_count_ = 0;
  std::string segments_;
  std::string streams_;
};

// Writes `bytes` (StreamIndexBuilder::Finish()) as dir/StreamIndexFileName(covers),
// durably. On failure the temp file is removed when possible.
absl::Status WriteStreamIndexFile(FileSystem* fs, const std::string& dir, uint64_t covers,
                                  absl::string_view bytes);

// Reads and decodes an index file, checking its checksums, format version,
// covered position (against its name) and that its fields are well formed
// (lengths in bounds, segments in order, heads at positions 1..covers, no
// stream twice is left to the caller). DATA_LOSS "<path> at offset <n>: ..."
// otherwise; FAILED_PRECONDITION for a format version this build does not know.
absl::StatusOr<StreamIndex> ReadStreamIndexFile(FileSystem* fs, const std::string& path,
                                                uint64_t covers);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_STREAM_INDEX_FILE_H_
