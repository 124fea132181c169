// Reads and verifies journal records (formats in journal_format.h): a whole
// segment in order (JournalSegmentReader), or one record at a known offset
// (ReadJournalRecordAt), as a stream's records are found by their links. Not
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
#include "store/journal_format.h"

namespace collabflow::internal {

class JournalSegmentReader {
 public:
  // Verifies the segment header of `file` (DATA_LOSS naming file and offset if
  // damaged, or if it does not start at `expected_first_position`). Reads at
  // most `limit` bytes of the file when given (the committed size of a segment
  // being appended to). With `resume`, reading starts at its byte offset,
  // where the record at its position must begin (the records before it are
  // not read: the stream index vouches for them); the header is still
  // verified.
  struct ResumeAt {
    uint64_t offset = 0;
    uint64_t position = 0;
  };
  static absl::StatusOr<std::unique_ptr<JournalSegmentReader>> Open(
      std::shared_ptr<const ReadableFile> file, uint64_t expected_first_position,
      std::optional<uint64_t> limit = std::nullopt, std::optional<ResumeAt> resume = std::nullopt);

  enum class Result {
    kRecord,    // the accessors below hold the next record
    kEnd,       // the segment ends cleanly after the last record
    kTornTail,  // the bytes from end_of_records() on are a prefix of the next
                // record (a write cut short); nothing of it is returned
  };
  // DATA_LOSS "<file> at offset <n>: <what>" on anything that is neither a
  // whole valid record nor a torn tail: checksum mismatch, a salt from another
  // segment, a position out of order, or bytes that cannot start a record.
  absl::StatusOr<Result> Next();

  // The last record read. A format 1 record is in kEngineStream, its version
  // is its position and its previous link is {0, 0}. The views are valid
  // until the next call to Next().
  const RecordFrame& frame() const { return frame_; }
  uint64_t position() const { return frame_.position; }
  absl::string_view stream() const { return stream_; }
  absl::string_view payload() const { return payload_; }
  // Where the last record read starts.
  uint64_t record_offset() const { return record_offset_; }

  uint32_t format() const { return format_; }
  // The offset just past the last whole record read.
  uint64_t end_of_records() const { return offset_; }
  // The bytes this reader considers (the file size, or the limit).
  uint64_t end() const { return end_; }
  uint32_t salt() const { return salt_; }
  // The position the next record must carry.
  uint64_t next_position() const { return next_position_; }
  const std::string& path() const { return file_->path(); }

 private:
  JournalSegmentReader(std::shared_ptr<const ReadableFile> file, uint64_t end);
  absl::StatusOr<absl::string_view> Fetch(uint64_t offset, size_t n);
  absl::Status Damage(uint64_t offset, absl::string_view what) const;
  absl::StatusOr<Result> NextV1(uint64_t start, uint64_t left);

  const std::shared_ptr<const ReadableFile> file_;
  const uint64_t end_;
  uint32_t format_ = 0;
  uint32_t salt_ = 0;
  uint64_t next_position_ = 0;
  uint64_t offset_ = 0;
  uint64_t record_offset_ = 0;
  RecordFrame frame_;
  absl::string_view stream_;
  absl::string_view payload_;
  std::string buffer_;
  uint64_t buffer_offset_ = 0;
  size_t buffer_len_ = 0;
};

// One format 2 record read at `offset` of a segment with salt `salt`: its
// header, and unless `header_only` its stream and payload, every checksum
// verified. DATA_LOSS naming the file and offset if the bytes there are not a
// whole record of this segment at `expected_position`.
struct JournalRecord {
  RecordFrame frame;
  std::string stream;
  std::string payload;
};
absl::StatusOr<JournalRecord> ReadJournalRecordAt(const ReadableFile& file, uint32_t salt,
                                                  uint64_t offset, uint64_t expected_position,
                                                  bool header_only);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_JOURNAL_READER_H_
