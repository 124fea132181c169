// Roles and the checks every command handler runs before deciding anything.
// Order of refusals: unknown request (NOT_FOUND), archived request
// (FAILED_PRECONDITION), role (PERMISSION_DENIED), state
// (FAILED_PRECONDITION naming the current state), then the payload
// (INVALID_ARGUMENT / RESOURCE_EXHAUSTED).
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_AUTHORIZATION_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_AUTHORIZATION_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "collabflow/v1/state.pb.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

const std::string& OwnerOf(const v1::CollaborationRequest& request);

absl::Status RequireRequest(const DecideContext& ctx);
absl::Status RequireInitiator(const DecideContext& ctx, absl::string_view what);
absl::Status RequireOwner(const DecideContext& ctx, absl::string_view what);
// FAILED_PRECONDITION naming the current state unless it is one of `allowed`.
absl::Status RequireState(const v1::RequestRecord& record,
                          std::initializer_list<v1::RequestState> allowed, absl::string_view what);
// Everyone concerned with the request: initiator, owner, people who answer
// for the receivers, and the people behind the plan's assignees. Sorted.
// O(tasks) with one directory lookup per distinct assignee.
std::vector<std::string> MembersOf(const v1::RequestRecord& record, const DirectoryIndex& dir);
// The same for `request` with `plan` (one not yet in the record).
std::vector<std::string> MembersOf(const v1::CollaborationRequest& request, const v1::Plan& plan,
                                   const DirectoryIndex& dir);
// The people who act for an assignee: the person, or a department's head
// and delegates.
std::vector<std::string> PeopleForParty(const v1::PartyRef& party, const DirectoryIndex& dir);
bool IsOpen(v1::RequestState state);
std::string StateName(v1::RequestState state);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_AUTHORIZATION_H_
