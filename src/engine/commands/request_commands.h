// Step 1 of the process: filing, submitting, revising, answering, cancelling
// a request and recording its kickoff meeting. Each handler checks the
// command (see authorization.h for the order of refusals) and emits the
// events it decides on (DecideContext::Emit); it changes nothing else.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_REQUEST_COMMANDS_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_REQUEST_COMMANDS_H_

#include "absl/status/status.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

absl::Status DecideCreateRequest(const DecideContext& ctx);
absl::Status DecideSubmitRequest(const DecideContext& ctx);
absl::Status DecideReviseRequest(const DecideContext& ctx);
absl::Status DecideRespond(const DecideContext& ctx);
absl::Status DecideCancel(const DecideContext& ctx);
absl::Status DecideRecordKickoff(const DecideContext& ctx);

// The request's references into the directory: the initiator, the owner,
// each receiver (a department needs someone who can answer for it) and each
// resource provider must exist.
absl::Status CheckRequestAgainstDirectory(const v1::CollaborationRequest& request,
                                          const DirectoryIndex& dir);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_REQUEST_COMMANDS_H_
