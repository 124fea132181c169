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
  entry_.assign(n, Entry());
  ready_index_.assign(n, kNoTask);
  for (TaskHandle t = 0; t < n; ++t) {
    if (!graph->IsLive(t)) continue;
    if (graph->actual_finish(t) != kNoDate) {
      entry_[t].state = TaskState::kComplete;
    } else if (graph->actual_start(t) != kNoDate) {
      entry_[t].state = TaskState::kStarted;
    }
  }
  for (TaskHandle t = 0; t < n; ++t) {
    if (!graph->IsLive(t)) continue;
    for (const DependencyLink& l : graph->predecessors(t)) {
      const TaskState p = entry_[l.task].state;
      const bool met = p == TaskState::kComplete ||
                       (l.type() == DependencyType::kStartToStart && p == TaskState::kStarted);
      if (Blocks(l.type()) && !met) ++entry_[t].unmet;
    }
    if (entry_[t].state == TaskState::kBlocked && entry_[t].unmet == 0) MakeReady(t);
  }
}

void ReadySet::MakeReady(TaskHandle t) {
  entry_[t].state = TaskState::kReady;
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
  Entry& e = entry_[t];
  if (--e.unmet == 0 && e.state == TaskState::kBlocked) MakeReady(t);
}

absl::Status ReadySet::Start(TaskHandle t) {
  if (!graph_->IsLive(t) || t >= entry_.size()) {
    return absl::NotFoundError(absl::StrCat("start: no task with handle ", t));
  }
  switch (entry_[t].state) {
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
  entry_[t].state = TaskState::kStarted;
  for (const DependencyLink& l : graph_->successors(t)) {
    if (l.type() == DependencyType::kStartToStart) Satisfy(l.task);
  }
  return absl::OkStatus();
}

absl::Status ReadySet::Complete(TaskHandle t) {
  // Only live tasks ever become ready or started, so the liveness check is
  // needed on the refusal paths only.
  const TaskState before = t < entry_.size() ? entry_[t].state : TaskState::kBlocked;
  if (before != TaskState::kReady && before != TaskState::kStarted &&
      (t >= entry_.size() || !graph_->IsLive(t))) {
    return absl::NotFoundError(absl::StrCat("complete: no task with handle ", t));
  }
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
  entry_[t].state = TaskState::kComplete;
  // A task completed straight from ready also counts as started now.
  const bool also_start = before == TaskState::kReady;
  for (const DependencyLink& l : graph_->successors(t)) {
    const DependencyType type = l.type();
    if (type == DependencyType::kFinishToStart ||
        (also_start && type == DependencyType::kStartToStart)) {
      Satisfy(l.task);
    }
  }
  return absl::OkStatus();
}

std::vector<Dependency> ReadySet::WaitingOn(TaskHandle t) const {
  std::vector<Dependency> out;
  if (t >= entry_.size() || entry_[t].state != TaskState::kBlocked) return out;
  for (const DependencyLink& l : graph_->predecessors(t)) {
    const TaskState p = entry_[l.task].state;
    const bool met = p == TaskState::kComplete ||
                     (l.type() == DependencyType::kStartToStart && p == TaskState::kStarted);
    if (Blocks(l.type()) && !met) out.push_back(Dependency{l.task, t, l.type(), l.lag()});
  }
  return out;
}

}  // namespace collabflow
