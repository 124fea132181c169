// The fold: how each event changes the engine state. Used both live (after a
// command is accepted) and on replay, so both give the same state byte for
// byte. Events were validated when they were decided; applying cannot fail.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_STATE_FOLD_H_
#define COLLABFLOW_SRC_ENGINE_STATE_STATE_FOLD_H_

#include <string>

#include "absl/strings/string_view.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/outbox_log.h"

namespace collabflow::internal {

// Folds `*event` into `state`, taking what the state keeps from the event
// (moved, not copied); the event is left valid with those parts emptied.
// With `outbox`, the event's notifications go there (copied; the event
// keeps them) instead of into state->outbox(), and acknowledgements drop
// them there: the engine keeps its outbox apart from the state
// (outbox_log.h).
void ApplyEvent(v1::Event* event, v1::EngineState* state, OutboxLog* outbox = nullptr);
// The same for an event the caller keeps (copies it first).
void ApplyEvent(const v1::Event& event, v1::EngineState* state);

// Makes the record's executions follow its plan: one per task, in plan
// order; a task that stays keeps its execution, a new one is NOT_STARTED.
void AlignExecutions(v1::RequestRecord* record);

// The key of the due item for a receiver's answer to a version.
std::string ResponseDueKey(absl::string_view receiver_id, int version);
inline constexpr char kPlanDueKey[] = "plan";

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_STATE_FOLD_H_
