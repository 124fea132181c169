#include "engine/state/task_states.h"

#include "absl/strings/str_cat.h"

namespace collabflow::internal {

bool HasStarted(v1::TaskState s) {
  return s == v1::TASK_STATE_IN_PROGRESS || s == v1::TASK_STATE_BLOCKED ||
         s == v1::TASK_STATE_SUBMITTED || s == v1::TASK_STATE_REWORK || s == v1::TASK_STATE_DONE;
}

bool IsReadyCandidate(v1::TaskState s) {
  return s == v1::TASK_STATE_NOT_STARTED || s == v1::TASK_STATE_READY;
}

v1::TaskTransition Transition(TaskHandle handle, const std::string& task_id, v1::TaskState from,
                              v1::TaskState to) {
  v1::TaskTransition t;
  t.set_task_id(task_id);
  t.set_task_index(handle);
  t.set_from(from);
  t.set_to(to);
  return t;
}

v1::TaskState TaskStateView::state(TaskHandle t) const {
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
    if (it->first == t) return it->second;
  }
  if (static_cast<int>(t) < record_.executions_size()) return record_.executions(t).state();
  return v1::TASK_STATE_NOT_STARTED;
}

namespace {
bool Satisfies(DependencyType type, v1::TaskState pred) {
  switch (type) {
    case DependencyType::kFinishToStart:
      return pred == v1::TASK_STATE_DONE || pred == v1::TASK_STATE_CANCELLED;
    case DependencyType::kStartToStart:
      return HasStarted(pred) || pred == v1::TASK_STATE_CANCELLED;
    case DependencyType::kFinishToFinish:
    case DependencyType::kStartToFinish:
      return true;
  }
  return true;
}
}  // namespace

bool TaskStateView::PredecessorsSatisfied(TaskHandle t) const {
  for (const DependencyLink& link : graph_.predecessors(t)) {
    if (!Satisfies(link.type(), state(link.task))) return false;
  }
  return true;
}

std::vector<std::string> TaskStateView::WaitingOn(TaskHandle t) const {
  std::vector<std::string> ids;
  for (const DependencyLink& link : graph_.predecessors(t)) {
    if (!Satisfies(link.type(), state(link.task))) {
      ids.push_back(
          absl::StrCat(graph_.Name(link.task), " (", DependencyTypeName(link.type()), ")"));
    }
  }
  return ids;
}

void TaskStateView::SuccessorTransitions(TaskHandle changed,
                                         std::vector<v1::TaskTransition>* out) const {
  for (const DependencyLink& link : graph_.successors(changed)) {
    const v1::TaskState s = state(link.task);
    if (!IsReadyCandidate(s)) continue;
    const bool ready = PredecessorsSatisfied(link.task);
    if (ready && s == v1::TASK_STATE_NOT_STARTED) {
      out->push_back(
          Transition(link.task, std::string(graph_.id(link.task)), s, v1::TASK_STATE_READY));
    } else if (!ready && s == v1::TASK_STATE_READY) {
      out->push_back(
          Transition(link.task, std::string(graph_.id(link.task)), s, v1::TASK_STATE_NOT_STARTED));
    }
  }
}

}  // namespace collabflow::internal
