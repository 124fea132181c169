#include "engine/commands/plan_commands.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "engine/commands/authorization.h"
#include "engine/commands/notifications.h"
#include "engine/state/plan_check.h"
#include "engine/state/task_states.h"

namespace collabflow::internal {

absl::Status DecidePublishPlan(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireOwner(ctx, "publish the plan"));
  CFLOW_RETURN_IF_ERROR(
      RequireState(*ctx.record, {v1::REQUEST_STATE_CONFIRMED}, "publish the plan"));
  const v1::PublishPlan& cmd = ctx.command.publish_plan();
  const v1::CollaborationRequest& r = ctx.record->request();
  CFLOW_ASSIGN_OR_RETURN(CheckedPlan checked,
                         CheckPlan(cmd.plan(), *ctx.record, ctx.directory, ctx.calendar));
  if (checked.has_omissions() && !cmd.acknowledge_omissions()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the plan leaves uncovered: ", OmissionsText(checked.coverage),
                     " (set acknowledge_omissions to publish anyway)"));
  }
  CFLOW_RETURN_IF_ERROR(
      CheckLeadTimes(cmd.plan(), *ctx.record, ctx.directory, ctx.calendar, ctx.now, &checked));

  v1::Event& e = ctx.Emit();
  v1::PlanPublished* published = e.mutable_plan_published();
  published->set_omissions_acknowledged(checked.has_omissions() && cmd.acknowledge_omissions());
  *published->mutable_coverage() = std::move(checked.coverage);
  // Tasks without a blocking predecessor may start at once.
  const v1::RequestRecord no_executions;
  const TaskStateView states(no_executions, checked.graph);
  for (int i = 0; i < cmd.plan().tasks_size(); ++i) {
    if (states.PredecessorsSatisfied(static_cast<TaskHandle>(i))) {
      *published->add_transitions() =
          Transition(static_cast<TaskHandle>(i), cmd.plan().tasks(i).id(),
                     v1::TASK_STATE_NOT_STARTED, v1::TASK_STATE_READY);
    }
  }

  // Every member hears of it, each with their own tasks.
  std::map<std::string, std::vector<std::string>> tasks_of;
  for (const std::string& m : MembersOf(r, cmd.plan(), ctx.directory)) tasks_of[m];
  for (const v1::Task& t : cmd.plan().tasks()) {
    for (const std::string& p : PeopleForParty(t.assignee(), ctx.directory)) {
      tasks_of[p].push_back(t.id());
    }
  }
  for (auto& [person, tasks] : tasks_of) {
    NotificationSpec n;
    n.kind = v1::NOTIFICATION_KIND_PLAN_PUBLISHED;
    n.recipients = {person};
    n.subject = absl::StrCat("协作任务拆分清单已发布:", r.topic());
    n.body = tasks.empty() ? "您暂无承办任务。"
                           : absl::StrCat("您承办的任务:", absl::StrJoin(tasks, "、"));
    n.task_ids = std::move(tasks);
    Notify(e, std::move(n));
  }
  // Checked and read: the plan moves from the command into the event, its
  // graph to the engine's kept schedule.
  published->mutable_plan()->Swap(ctx.command.mutable_publish_plan()->mutable_plan());
  if (ctx.published_graph != nullptr) *ctx.published_graph = std::move(checked.graph);
  return absl::OkStatus();
}

}  // namespace collabflow::internal
