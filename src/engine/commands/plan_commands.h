// Step 2 of the process: the owner publishes the plan (协作任务拆分清单).
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_PLAN_COMMANDS_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_PLAN_COMMANDS_H_

#include "absl/status/status.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

// CONFIRMED -> PLANNED. Refuses plans that fail CheckPlan; publishing with
// omissions needs acknowledge_omissions (FAILED_PRECONDITION naming them
// otherwise). Tells every member, each with their own tasks.
absl::Status DecidePublishPlan(const DecideContext& ctx);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_PLAN_COMMANDS_H_
