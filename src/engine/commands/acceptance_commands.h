// Step 5 of the process: deliverables, reviews with rework, the final
// submission and acceptance, and the archive. Each handler checks the command
// (order of refusals as in authorization.h) and appends the events it
// decides on; it changes nothing else.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_ACCEPTANCE_COMMANDS_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_ACCEPTANCE_COMMANDS_H_

#include "absl/status/status.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

inline constexpr int kDefaultMaxReviewRounds = 3;

absl::Status DecideSubmitDeliverables(const DecideContext& ctx);
// Timeliness is computed, not claimed: the submission time against the
// task's due time (its finish bound or milestone, else its planned early
// finish; for a resubmission, the latest rectification deadline), in working
// time.
absl::Status DecideReviewSubmission(const DecideContext& ctx);
absl::Status DecideSubmitFinal(const DecideContext& ctx);
absl::Status DecideReviewFinal(const DecideContext& ctx);
absl::Status DecideArchive(const DecideContext& ctx);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_ACCEPTANCE_COMMANDS_H_
