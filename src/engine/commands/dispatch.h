// Deciding a command: the handler its payload names (request_commands.h,
// plan_commands.h, tracking_commands.h, revision_commands.h,
// acceptance_commands.h), or the host's directory update.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_DISPATCH_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_DISPATCH_H_

#include "absl/status/status.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

// Checks ctx.command against the state and emits the events it decides on;
// on an error it emitted events that must be dropped. REQUIRES: the
// envelope (actor, time, request id, payload) was checked.
absl::Status Decide(const DecideContext& ctx);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_DISPATCH_H_
