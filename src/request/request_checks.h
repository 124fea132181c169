// The collaboration request's own consistency checks, on the
// collabflow.v1.CollaborationRequest message itself (the one model of a
// request): the engine checks a command's request where it stands, and the C
// ABI's request conversions check the message they parsed.
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_REQUEST_REQUEST_CHECKS_H_
#define COLLABFLOW_SRC_REQUEST_REQUEST_CHECKS_H_

#include "absl/status/status.h"
#include "collabflow/v1/request.pb.h"

namespace collabflow::internal {

// Checks a request against the documented limits (collabflow/limits.h) and
// its own consistency, in the order of its fields: enum values known (and
// a resource's kind given), dates that exist, each receiver naming someone;
// then required fields present, ids unique and well-formed, text valid UTF-8
// within its length limit, dates within the supported years, time rules
// within 0..kMaxTimeRuleWorkingDays, milestones not after the final deadline,
// at least one receiver. Returns InvalidArgument or ResourceExhausted naming
// the field ("milestones[1].name: required text is empty").
absl::Status ValidateRequest(const v1::CollaborationRequest& request);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REQUEST_REQUEST_CHECKS_H_
