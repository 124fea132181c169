#include "engine/state/roles.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "engine/state/receivers.h"

namespace collabflow::internal {

const std::string& OwnerOf(const v1::CollaborationRequest& request) {
  return request.owner_id().empty() ? request.initiator_id() : request.owner_id();
}

std::string StateName(v1::RequestState state) {
  std::string name = v1::RequestState_Name(state);
  const std::string prefix = "REQUEST_STATE_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  return name;
}

bool IsOpen(v1::RequestState state) {
  return state != v1::REQUEST_STATE_CANCELLED && state != v1::REQUEST_STATE_ARCHIVED &&
         state != v1::REQUEST_STATE_ACCEPTED && state != v1::REQUEST_STATE_UNSPECIFIED;
}

std::vector<std::string> PeopleForParty(const v1::PartyRef& party, const DirectoryIndex& dir) {
  switch (party.party_case()) {
    case v1::PartyRef::kPersonId:
      return {party.person_id()};
    case v1::PartyRef::kDepartmentId:
      return dir.ActorsFor(party.department_id());
    case v1::PartyRef::PARTY_NOT_SET:
      break;
  }
  return {};
}

std::vector<std::string> MembersOf(const v1::RequestRecord& record, const DirectoryIndex& dir) {
  return MembersOf(record.request(), record.plan(), dir);
}

std::vector<std::string> MembersOf(const v1::CollaborationRequest& request, const v1::Plan& plan,
                                   const DirectoryIndex& dir) {
  // Views into the request, the plan and the directory while sorting; the
  // strings are made once, for the distinct members.
  absl::InlinedVector<absl::string_view, 16> views = {request.initiator_id(), OwnerOf(request)};
  for (const v1::Receiver& r : request.receivers()) {
    for (absl::string_view p : MayAnswerFor(r, dir)) views.push_back(p);
  }
  // A plan has many tasks and few assignees: each distinct one once.
  absl::flat_hash_set<absl::string_view> people, departments;
  for (const v1::Task& t : plan.tasks()) {
    const v1::PartyRef& a = t.assignee();
    if (a.has_person_id()) {
      if (people.insert(a.person_id()).second) views.push_back(a.person_id());
    } else if (a.has_department_id() && departments.insert(a.department_id()).second) {
      for (absl::string_view p : dir.ActorViews(a.department_id())) views.push_back(p);
    }
  }
  std::sort(views.begin(), views.end());
  views.erase(std::unique(views.begin(), views.end()), views.end());
  views.erase(std::remove(views.begin(), views.end(), absl::string_view()), views.end());
  return std::vector<std::string>(views.begin(), views.end());
}

}  // namespace collabflow::internal
