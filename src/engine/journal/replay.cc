#include "engine/journal/replay.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/v1/event.pb.h"
#include "engine/journal/sealed_batch.h"

namespace collabflow::internal {

absl::StatusOr<uint64_t> Replay(const EventStore& store, FoldedState* state) {
  CFLOW_ASSIGN_OR_RETURN(std::optional<EventStore::Snapshot> snapshot, store.LatestSnapshot());
  uint64_t after = 0;
  if (snapshot.has_value()) {
    if (snapshot->format != 2) {
      return absl::FailedPreconditionError(
          absl::StrCat("the snapshot covering ", snapshot->covers,
                       " is of a store written by collabflow 0.1 or 0.2: convert it first"));
    }
    // Records and events are numbered apart (a record holds one command's
    // events); the store pairs the snapshot with the record it covers.
    CFLOW_RETURN_IF_ERROR(state->Restore(snapshot->state));
    after = snapshot->covers;
  }
  const uint64_t follows = after > 0 && !state->restore_converted() ? after : 0;
  if (follows > 0) state->StartTracking();
  CFLOW_RETURN_IF_ERROR(store.ReadAll(after, [&](const StoredRecord& record) {
    if (record.stream == kEngineStream) {
      return absl::FailedPreconditionError(
          absl::StrCat("journal record ", record.position,
                       " is of a store written by collabflow 0.1 or 0.2 (one stream, \"",
                       kEngineStream, "\"): convert it first"));
    }
    CFLOW_ASSIGN_OR_RETURN(v1::EventBatch batch, ParseEventBatch(record.position, record.payload));
    for (v1::Event& e : *batch.mutable_events()) {
      CFLOW_RETURN_IF_ERROR(state->Apply(&e, record.position));
    }
    // Within the cache's budget as it goes: a record dropped here is read
    // back whole (to the journal's end) if a later record concerns it.
    state->Trim([](const std::string&) {});
    return absl::OkStatus();
  }));
  return follows;
}

}  // namespace collabflow::internal
