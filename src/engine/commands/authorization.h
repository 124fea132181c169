// The checks every command handler runs before deciding anything.
// Order of refusals: unknown request (NOT_FOUND), archived request
// (FAILED_PRECONDITION), role (PERMISSION_DENIED), state
// (FAILED_PRECONDITION naming the current state), then the payload
// (INVALID_ARGUMENT / RESOURCE_EXHAUSTED).
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_AUTHORIZATION_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_AUTHORIZATION_H_

#include <initializer_list>

#include "absl/status/status.h"
#include "collabflow/v1/state.pb.h"
#include "engine/commands/decide_context.h"
#include "engine/state/roles.h"

namespace collabflow::internal {

absl::Status RequireRequest(const DecideContext& ctx);
absl::Status RequireInitiator(const DecideContext& ctx, absl::string_view what);
absl::Status RequireOwner(const DecideContext& ctx, absl::string_view what);
// FAILED_PRECONDITION naming the current state unless it is one of `allowed`.
absl::Status RequireState(const v1::RequestRecord& record,
                          std::initializer_list<v1::RequestState> allowed, absl::string_view what);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_AUTHORIZATION_H_
