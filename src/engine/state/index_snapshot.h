// Snapshots of the engine's index that follow the changes.
//
// The index's bytes (FoldedState::Serialize, the engine's digest) are every
// field of collabflow.v1.EngineState but `summaries`, then one entry per
// request of the `summaries` map, in id order (deterministic protobuf
// serialization). A request's entry changes only when an event of its
// stream is folded; the other fields (the directory, the other streams'
// heads, the positions, the outbox) are small. So a snapshot need not
// serialize every request: the engine captures, under its lock, the other
// fields' bytes and a copy of the summaries of the requests changed since
// the last snapshot (IndexChanges: work that follows the changes), and
// then, with the lock released, serializes those and merges them with the
// previous snapshot's entries, copied as bytes (MergeIndexChanges).
// Captured at once, the result is byte for byte what Serialize would have
// given then. The engine captures the summaries a few at a time, letting go
// of its lock between (FoldedState::Capture): a summary may then hold
// records after the snapshot's position, which the open folds again and
// finds already in.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_INDEX_SNAPSHOT_H_
#define COLLABFLOW_SRC_ENGINE_STATE_INDEX_SNAPSHOT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

// What changed in the index since a snapshot.
struct IndexChanges {
  // Every field but `summaries`, as Serialize writes them.
  std::string rest;
  // The changed requests' summaries, in ascending id order, each id once.
  std::vector<std::pair<std::string, v1::RequestSummary>> summaries;
};

// The index at the capture: `changes` over `previous`, the bytes of the
// snapshot the changes follow. FAILED_PRECONDITION (the caller then writes a
// whole snapshot) if `previous` is not laid out as Serialize writes it: a
// `summaries` entry before another field, ids that do not ascend, or
// `requests` (the layout before summaries, which Restore converts);
// DATA_LOSS if it does not parse.
absl::StatusOr<std::string> MergeIndexChanges(absl::string_view previous, IndexChanges changes);

// Splits index bytes (a serialized collabflow.v1.EngineState, its fields in
// any order) into the fields but `summaries`, appended to *rest in order,
// and each `summaries` entry's key (a request id) and value (a
// RequestSummary's bytes, unparsed), handed to on_entry in order: so the
// summaries can be read one at a time. DATA_LOSS if the bytes are not
// protobuf fields; on_entry's errors.
absl::Status SplitIndexBytes(
    absl::string_view bytes, std::string* rest,
    absl::FunctionRef<absl::Status(absl::string_view key, absl::string_view value)> on_entry);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_INDEX_SNAPSHOT_H_
