// Deciding a command: the handler its payload names (request_commands.h,
// plan_commands.h, tracking_commands.h, revision_commands.h,
// acceptance_commands.h), or the host's directory update; and which
// commands are the host's rather than a request's.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_DISPATCH_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_DISPATCH_H_

#include "absl/status/status.h"
#include "collabflow/v1/command.pb.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

// Whether only the host may send `command` (it concerns no request and
// names none): today the directory update.
bool IsHostCommand(const v1::Command& command);

// Checks ctx.command against the state and emits the events it decides on;
// on an error it emitted events that must be dropped. REQUIRES: the
// envelope (actor, time, request id, payload) was checked.
absl::Status Decide(const DecideContext& ctx);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_DISPATCH_H_
