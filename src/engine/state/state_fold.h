// The fold: how each event changes the engine state. Used both live (after a
// command is accepted) and on replay, so both give the same state byte for
// byte. Events were validated when they were decided; applying cannot fail.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_STATE_FOLD_H_
#define COLLABFLOW_SRC_ENGINE_STATE_STATE_FOLD_H_

#include <string>

#include "absl/strings/string_view.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

// Folds what `*event` says about its request, the directory or the outbox's
// acknowledgements into `state`, taking what the state keeps from the event
// (moved, not copied); the event is left valid with those parts emptied.
// Where the event sits in the history (its stream's head, its
// notifications in the outbox) is folded_state.h's part.
void ApplyEvent(v1::Event* event, v1::EngineState* state);
// The same for an event the caller keeps (copies it first).
void ApplyEvent(const v1::Event& event, v1::EngineState* state);

// The same for an event of a request's stream (IsRequestEvent, streams.h),
// folded into that request's record alone.
void ApplyRequestEvent(v1::Event* event, v1::RequestRecord* record);

// Makes the record's executions follow its plan: one per task, in plan
// order; a task that stays keeps its execution, a new one is NOT_STARTED.
void AlignExecutions(v1::RequestRecord* record);

// The key of the due item for a receiver's answer to a version.
std::string ResponseDueKey(absl::string_view receiver_id, int version);
inline constexpr char kPlanDueKey[] = "plan";

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_STATE_FOLD_H_
