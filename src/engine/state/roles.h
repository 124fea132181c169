// Who plays which part in a request: the owner, the members, the people
// behind an assignee; and the request states by name. Pure functions over
// the state and the directory.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_ROLES_H_
#define COLLABFLOW_SRC_ENGINE_STATE_ROLES_H_

#include <string>
#include <vector>

#include "collabflow/v1/state.pb.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

// The owner, or the initiator when the request names none.
const std::string& OwnerOf(const v1::CollaborationRequest& request);
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
// "SUBMITTED" for REQUEST_STATE_SUBMITTED.
std::string StateName(v1::RequestState state);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_ROLES_H_
