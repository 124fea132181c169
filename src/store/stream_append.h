// The checks every store makes of an append, whatever keeps its streams: the
// stream's name, and the version the writer decided against (optimistic
// concurrency; event_store.h); and of a stream snapshot's version.
#ifndef COLLABFLOW_SRC_STORE_STREAM_APPEND_H_
#define COLLABFLOW_SRC_STORE_STREAM_APPEND_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"

namespace collabflow::internal {

// INVALID_ARGUMENT unless 1 <= stream.size() <= kMaxStreamNameBytes.
inline absl::Status CheckStreamName(absl::string_view stream) {
  if (!stream.empty() && stream.size() <= kMaxStreamNameBytes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("stream name of ", stream.size(), " bytes (1 to ",
                                                 kMaxStreamNameBytes, " allowed)"));
}

// OK if a record may follow `last_version` (the records appended or queued so
// far) in `stream`; ABORTED when the writer decided against another version
// (unless it expects kAnyVersion).
inline absl::Status CheckExpectedVersion(absl::string_view stream, uint64_t expected_version,
                                         uint64_t last_version) {
  if (expected_version == kAnyVersion || expected_version == last_version) {
    return absl::OkStatus();
  }
  return absl::AbortedError(absl::StrCat("stream \"", stream, "\" is at version ", last_version,
                                         "; the record was decided at version ", expected_version));
}

// OK if a stream snapshot through `version` may be kept for a stream at
// `stream_version` (WriteStreamSnapshot); OUT_OF_RANGE otherwise.
inline absl::Status CheckStreamSnapshotVersion(absl::string_view stream, uint64_t version,
                                               uint64_t stream_version) {
  if (version > 0 && version <= stream_version) return absl::OkStatus();
  return absl::OutOfRangeError(absl::StrCat("WriteStreamSnapshot(\"", stream,
                                            "\", version=", version, "): the stream is at version ",
                                            stream_version));
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_STREAM_APPEND_H_
