// Plan revisions on a running plan (step 4): the owner changes dates,
// durations, assignees, dependencies, adds or cancels tasks; each revision is
// recorded with who, what, why and the resulting plan. Done tasks change only
// when reopened explicitly (recorded). A what-if preview shows the effect on
// the schedule, milestones and finish before anything is committed.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_REVISION_COMMANDS_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_REVISION_COMMANDS_H_

#include "absl/status/statusor.h"
#include "collabflow/v1/views.pb.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

absl::Status DecideRevisePlan(const DecideContext& ctx);

// Decides the revision against a scratch list (nothing is committed) and
// compares the schedules before and after.
absl::StatusOr<v1::RevisionPreview> PreviewRevision(const DecideContext& ctx);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_REVISION_COMMANDS_H_
