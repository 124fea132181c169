#include "engine/commands/authorization.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/state/roles.h"

namespace collabflow::internal {

absl::Status RequireRequest(const DecideContext& ctx) {
  if (ctx.record == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("request \"", ctx.command.request_id(), "\" not found"));
  }
  if (ctx.record->state() == v1::REQUEST_STATE_ARCHIVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("request \"", ctx.command.request_id(), "\" is ARCHIVED and read-only"));
  }
  return absl::OkStatus();
}

absl::Status RequireInitiator(const DecideContext& ctx, absl::string_view what) {
  const std::string& initiator = ctx.record->request().initiator_id();
  if (ctx.actor() != initiator) {
    return absl::PermissionDeniedError(absl::StrCat("only the initiator (", initiator, ") may ",
                                                    what, "; \"", ctx.actor(), "\" may not"));
  }
  return absl::OkStatus();
}

absl::Status RequireOwner(const DecideContext& ctx, absl::string_view what) {
  const std::string& owner = OwnerOf(ctx.record->request());
  if (ctx.actor() != owner) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the owner (", owner, ") may ", what, "; \"", ctx.actor(), "\" may not"));
  }
  return absl::OkStatus();
}

absl::Status RequireState(const v1::RequestRecord& record,
                          std::initializer_list<v1::RequestState> allowed, absl::string_view what) {
  if (std::find(allowed.begin(), allowed.end(), record.state()) != allowed.end()) {
    return absl::OkStatus();
  }
  std::vector<std::string> names;
  for (v1::RequestState s : allowed) names.push_back(StateName(s));
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, ": request \"", record.request().id(), "\" is ",
                   StateName(record.state()), " (allowed: ", absl::StrJoin(names, ", "), ")"));
}

}  // namespace collabflow::internal
