// Reads and verifies the records of one journal segment, in order. Not
// thread-safe: one reader per thread (the underlying file may be shared).
#ifndef COLLABFLOW_SRC_STORE_JOURNAL_READER_H_
#define COLLABFLOW_SRC_STORE_JOURNAL_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store/file_system.h"

namespace collabflow::internal {

class JournalSegmentReader {
 public:
  // Verifies the segment header of `file` (DATA_LOSS naming file and offset if
  // damaged, or if it does not start at `expected_first_sequence`). Reads at
  // most `limit` bytes of the file when given (the committed size of a segment
  // being appended to).
  static absl::StatusOr<std::unique_ptr<JournalSegmentReader>> Open(
      std::shared_ptr<const ReadableFile> file, uint64_t expected_first_sequence,
      std::optional<uint64_t> limit = std::nullopt);

  enum class Result {
    kRecord,    // sequence() and payload() hold the next record
    kEnd,       // the segment ends cleanly after the last record
    kTornTail,  // the bytes from end_of_records() on are a prefix of the next
                // record (a write cut short); nothing of it is returned
  };
  // DATA_LOSS "<file> at offset <n>: <what>" on anything that is neither a
  // whole valid record nor a torn tail: checksum mismatch, a salt from another
  // segment, a sequence out of order, or bytes that cannot start a record.
  absl::StatusOr<Result> Next();

  uint64_t sequence() const { return sequence_; }
  // Valid until the next call to Next().
  absl::string_view payload() const { return payload_; }
  // The offset just past the last whole record read.
  uint64_t end_of_records() const { return offset_; }
  // The bytes this reader considers (the file size, or the limit).
  uint64_t end() const { return end_; }
  uint32_t salt() const { return salt_; }
  // The sequence the next record must carry.
  uint64_t next_sequence() const { return next_sequence_; }
  const std::string& path() const { return file_->path(); }

 private:
  JournalSegmentReader(std::shared_ptr<const ReadableFile> file, uint64_t end);
  absl::StatusOr<absl::string_view> Fetch(uint64_t offset, size_t n);
  absl::Status Damage(uint64_t offset, absl::string_view what) const;

  const std::shared_ptr<const ReadableFile> file_;
  const uint64_t end_;
  uint32_t salt_ = 0;
  uint64_t next_sequence_ = 0;
  uint64_t offset_ = 0;
  uint64_t sequence_ = 0;
  absl::string_view payload_;
  std::string buffer_;
  uint64_t buffer_offset_ = 0;
  size_t buffer_len_ = 0;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_JOURNAL_READER_H_
