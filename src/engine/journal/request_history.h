// Reading the history back out of the store: the chain check over the whole
// journal (Engine::VerifyHistory) and one request's events with the links
// that let them be verified apart from the rest (records, archive, reports).
//
// Thread safety: the functions only read; the caller holds the engine's lock
// so that the state and the store agree.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_REQUEST_HISTORY_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_REQUEST_HISTORY_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"
#include "collabflow/request_history.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

// Calls `fn(prev_hash, event)` for every event in the store, in order. When
// compaction removed the start of the journal, starts after the snapshot,
// from the head hash the snapshot's state recorded.
absl::Status ForEachStoredEvent(
    const EventStore& store,
    absl::FunctionRef<absl::Status(const std::string& prev_hash, const v1::Event&)> fn);

// Verifies the stored chain against the state's head (hash and sequence).
// DATA_LOSS saying where on any changed, removed or reordered event.
absl::Status VerifyStoredHistory(const EventStore& store, const v1::EngineState& state);

// One request's history (RequestHistory, engine.h; read_at is left unset).
// NOT_FOUND if the state has no such request.
absl::StatusOr<RequestHistory> ReadRequestHistory(const EventStore& store,
                                                  const v1::EngineState& state,
                                                  absl::string_view request_id);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_REQUEST_HISTORY_H_
