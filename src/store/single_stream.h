// The rule of the stores that hold one stream, the engine's (the memory store
// and the directory store's journal format): a record's version is its
// position, and an append names that stream and the version it follows.
#ifndef COLLABFLOW_SRC_STORE_SINGLE_STREAM_H_
#define COLLABFLOW_SRC_STORE_SINGLE_STREAM_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"

namespace collabflow::internal {

// OK if a record may follow `last_version` (the records appended or queued
// so far) in `stream`; UNIMPLEMENTED for another stream, ABORTED when the
// writer decided against another version (unless it expects kAnyVersion).
inline absl::Status CheckSingleStreamAppend(absl::string_view stream, uint64_t expected_version,
                                            uint64_t last_version) {
  if (stream != kEngineStream) {
    return absl::UnimplementedError(absl::StrCat("this store holds one stream, \"", kEngineStream,
                                                 "\"; cannot append to \"", stream, "\""));
  }
  if (expected_version != kAnyVersion && expected_version != last_version) {
    return absl::AbortedError(absl::StrCat("stream \"", stream, "\" is at version ", last_version,
                                           "; the record was decided at version ",
                                           expected_version));
  }
  return absl::OkStatus();
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_SINGLE_STREAM_H_
