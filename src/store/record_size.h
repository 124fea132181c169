// The one check of a record's size against kMaxStoreRecordBytes, shared by
// every EventStore implementation and both append paths.
#ifndef COLLABFLOW_SRC_STORE_RECORD_SIZE_H_
#define COLLABFLOW_SRC_STORE_RECORD_SIZE_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"

namespace collabflow::internal {

// RESOURCE_EXHAUSTED naming the size and the limit when `bytes` exceeds it.
inline absl::Status CheckRecordSize(size_t bytes) {
  if (bytes <= kMaxStoreRecordBytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "record of ", bytes, " bytes exceeds kMaxStoreRecordBytes (", kMaxStoreRecordBytes, ")"));
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_RECORD_SIZE_H_
