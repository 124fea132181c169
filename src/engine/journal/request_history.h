// Reading the history back out of the store: the chain check over every
// stream (Engine::VerifyHistory) and one request's events, read from its
// stream alone (records, archive, reports).
//
// Thread safety: the functions only read; the caller holds the engine's lock
// so that the state and the store agree.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_REQUEST_HISTORY_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_REQUEST_HISTORY_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"
#include "collabflow/request_history.h"
#include "engine/state/folded_state.h"

namespace collabflow::internal {

// Verifies every stream's chain in the store against its head in the state
// (hash and version), and that each record's events are of its stream.
// DATA_LOSS saying where on any changed, removed, reordered or added event.
absl::Status VerifyStoredHistory(const EventStore& store, const FoldedState& state);

// One request's history (RequestHistory, engine.h; read_at is left unset),
// `record` being its record.
absl::StatusOr<RequestHistory> ReadRequestHistory(const EventStore& store, const FoldedState& state,
                                                  absl::string_view request_id,
                                                  const v1::RequestRecord& record);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_REQUEST_HISTORY_H_
