// Steps 3 and 4 of the process: starting tasks, progress reports, risks and
// blockers, resource requests with escalation, meeting minutes and channels.
// Each handler checks the command (order of refusals as in authorization.h)
// and appends the events it decides on; it changes nothing else.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_TRACKING_COMMANDS_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_TRACKING_COMMANDS_H_

#include "absl/status/status.h"
#include "engine/commands/decide_context.h"

namespace collabflow::internal {

absl::Status DecideStartTask(const DecideContext& ctx);
absl::Status DecideReportProgress(const DecideContext& ctx);
absl::Status DecideRaiseRisk(const DecideContext& ctx);
absl::Status DecideRespondToRisk(const DecideContext& ctx);
absl::Status DecideResolveRisk(const DecideContext& ctx);
absl::Status DecideRequestResource(const DecideContext& ctx);
absl::Status DecideDecideResource(const DecideContext& ctx);
absl::Status DecideRecordMinutes(const DecideContext& ctx);
absl::Status DecideRecordChannel(const DecideContext& ctx);

// The people who may act on a task: its assignee person, or the head,
// delegates and members of its assignee department.
std::vector<std::string> TaskActors(const v1::Task& task, const DirectoryIndex& dir);
// Whether `person_id` is one of TaskActors(task, dir), without listing them.
bool IsTaskActor(const v1::Task& task, const DirectoryIndex& dir, absl::string_view person_id);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_TRACKING_COMMANDS_H_
