// Rebuilding the engine's state from the store on open: the newest snapshot
// (the index: folded_state.h), then every record after it, folded as live
// commands fold them (so a replay gives the state byte for byte). A
// request's record is loaded from its stream when a record after the
// snapshot concerns it and it is not held; records beyond the cache's budget
// are dropped as the replay goes (the engine keeps nothing derived from
// them yet).
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_REPLAY_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_REPLAY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "collabflow/event_store.h"
#include "engine/state/folded_state.h"

namespace collabflow::internal {

// After a snapshot in the current layout, the state tracks its changes from
// the snapshot on (FoldedState::StartTracking): the next snapshot can follow
// them (index_snapshot.h).
//
// Returns the position the snapshot the state tracks changes from covers (0:
// none). REQUIRES: `state` is empty. DATA_LOSS naming the record if one is
// not an event batch; the store's errors as they come.
absl::StatusOr<uint64_t> Replay(const EventStore& store, FoldedState* state);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_REPLAY_H_
