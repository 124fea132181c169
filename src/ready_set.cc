#include "collabflow/ready_set.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace collabflow {
namespace {

// Only FS and SS predecessors gate a start (see the header).
bool Blocks(DependencyType type) {
  return type == DependencyType::kFinishToStart || type == DependencyType::kStartToStart;
}

}  // namespace

ReadySet::ReadySet(const TaskGraph* graph) : graph_(graph) {
  const size_t n = graph->handle_count();
  state_.assign(n, TaskState::kBlocked);
  unmet_.assign(n, 0);
  ready_index_.assign(n, kNoTask);
  for (TaskHandle t = 0; t < n; ++t) {
    if (!graph->IsLive(t)) continue;
    if (graph->actual_finish(t) != kNoDate) {
      state_[t] = TaskState::kComplete;
    } else if (graph->actual_start(t) != kNoDate) {
      state_[t] = TaskState::kStarted;
    }
  }
  for (TaskHandle t = 0; t < n; ++t) {
    if (!graph->IsLive(t)) continue;
    for (const DependencyLink& l : graph->predecessors(t)) {
      const TaskState p = state_[l.task];
      const bool met = p == TaskState::kComplete ||
                       (l.type() == DependencyType::kStartToStart && p == TaskState::kStarted);
      if (Blocks(l.type()) && !met) ++unmet_[t];
    }
    if (state_[t] == TaskState::kBlocked && unmet_[t] == 0) MakeReady(t);
  }
}

void ReadySet::MakeReady(TaskHandle t) {
  state_[t] = TaskState::kReady;
  ready_index_[t] = static_cast<uint32_t>(ready_.size());
  ready_.push_back(t);
}

void ReadySet::Unready(TaskHandle t) {
  const uint32_t i = ready_index_[t];
  const TaskHandle last = ready_.back();
  ready_[i] = last;
  ready_index_[last] = i;
  ready_.pop_back();
  ready_index_[t] = kNoTask;
}

void ReadySet::Satisfy(TaskHandle t) {
  if (--unmet_[t] == 0 && state_[t] == TaskState::kBlocked) MakeReady(t);
}

absl::Status ReadySet::Start(TaskHandle t) {
  if (!graph_->IsLive(t) || t >= state_.size()) {
    return absl::NotFoundError(absl::StrCat("start: no task with handle ", t));
  }
  switch (state_[t]) {
    case TaskState::kReady:
      break;
    case TaskState::kBlocked: {
      std::vector<std::string> names;
      for (const Dependency& d : WaitingOn(t)) {
        names.push_back(
            absl::StrCat(graph_->Name(d.predecessor), " (", DependencyTypeName(d.type), ")"));
      }
      return absl::FailedPreconditionError(
          absl::StrCat("start: task ", graph_->Name(t), " waits on ", absl::StrJoin(names, ", ")));
    }
    default:
      return absl::FailedPreconditionError(
          absl::StrCat("start: task ", graph_->Name(t), " has already started"));
  }
  Unready(t);
  state_[t] = TaskState::kStarted;
  for (const DependencyLink& l : graph_->successors(t)) {
    if (l.type() == DependencyType::kStartToStart) Satisfy(l.task);
  }
  return absl::OkStatus();
}

absl::Status ReadySet::Complete(TaskHandle t) {
  if (!graph_->IsLive(t) || t >= state_.size()) {
    return absl::NotFoundError(absl::StrCat("complete: no task with handle ", t));
  }
  const TaskState before = state_[t];
  if (before == TaskState::kComplete) {
    return absl::FailedPreconditionError(
        absl::StrCat("complete: task ", graph_->Name(t), " is already complete"));
  }
  if (before == TaskState::kBlocked) {
    // Report the same reasons a refused start gives.
    return absl::FailedPreconditionError(
        absl::StrCat("complete: task ", graph_->Name(t), " cannot complete: ", Start(t).message()));
  }
  if (before == TaskState::kReady) Unready(t);
  state_[t] = TaskState::kComplete;
  for (const DependencyLink& l : graph_->successors(t)) {
    // A task completed straight from ready also counts as started now.
    if (l.type() == DependencyType::kFinishToStart ||
        (l.type() == DependencyType::kStartToStart && before == TaskState::kReady)) {
      Satisfy(l.task);
    }
  }
  return absl::OkStatus();
}

std::vector<Dependency> ReadySet::WaitingOn(TaskHandle t) const {
  std::vector<Dependency> out;
  if (t >= state_.size() || state_[t] != TaskState::kBlocked) return out;
  for (const DependencyLink& l : graph_->predecessors(t)) {
    const TaskState p = state_[l.task];
    const bool met = p == TaskState::kComplete ||
                     (l.type() == DependencyType::kStartToStart && p == TaskState::kStarted);
    if (Blocks(l.type()) && !met) out.push_back(Dependency{l.task, t, l.type(), l.lag()});
  }
  return out;
}

}  // namespace collabflow
