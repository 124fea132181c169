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
// previous snapshot's entries, copied as bytes (MergeIndexChanges). The
// result is byte for byte what Serialize would have given at the capture.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_INDEX_SNAPSHOT_H_
#define COLLABFLOW_SRC_ENGINE_STATE_INDEX_SNAPSHOT_H_

#include <string>
#include <utility>
#include <vector>

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

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_INDEX_SNAPSHOT_H_
