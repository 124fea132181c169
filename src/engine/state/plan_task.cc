#include "engine/state/plan_task.h"

#include "absl/strings/str_cat.h"
#include "engine/state/roles.h"

namespace collabflow::internal {

namespace {

absl::Status NoPlanError(const v1::RequestRecord& record) {
  return absl::FailedPreconditionError(absl::StrCat("request \"", record.request().id(),
                                                    "\" has no published plan (it is ",
                                                    StateName(record.state()), ")"));
}

}  // namespace

absl::Status RequirePlan(const v1::RequestRecord& record) {
  return record.plan().tasks_size() > 0 ? absl::OkStatus() : NoPlanError(record);
}

absl::StatusOr<PlanTask> FindPlanTask(const v1::RequestRecord& record, const TaskGraph* graph,
                                      absl::string_view task_id) {
  if (record.plan().tasks_size() == 0 || graph == nullptr) return NoPlanError(record);
  absl::StatusOr<TaskHandle> handle = graph->Find(task_id);
  const int i = handle.ok() ? static_cast<int>(*handle) : -1;
  if (i < 0 || i >= record.plan().tasks_size() || record.plan().tasks(i).id() != task_id) {
    return absl::NotFoundError(absl::StrCat("task \"", task_id, "\" is not in the plan"));
  }
  PlanTask found{&record.plan().tasks(i), *handle, nullptr};
  if (i < record.executions_size()) found.execution = &record.executions(i);
  return found;
}

}  // namespace collabflow::internal
