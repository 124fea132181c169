#include "collabflow/ready_set.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "graph/task_graph_impl.h"

namespace collabflow {
namespace {

// Only FS and SS predecessors gate a start (see the header).
bool Blocks(DependencyType type) {
  return type == DependencyType::kFinishToStart || type == DependencyType::kStartToStart;
}

constexpr uint32_t kFs = static_cast<uint32_t>(DependencyType::kFinishToStart);
constexpr uint32_t kSs = static_cast<uint32_t>(DependencyType::kStartToStart);

}  // namespace

ReadySet::ReadySet(const TaskGraph* graph) : graph_(graph) {
  // The graph's own columns: no call per task and dependency.
  const TaskGraph::Impl& g = graph->impl();
  const size_t hc = g.handle_count();
  handle_at_ = g.TopologicalOrder();
  const size_t n = handle_at_.size();
  slot_of_.assign(hc, kNoTask);
  for (size_t i = 0; i < n; ++i) slot_of_[handle_at_[i]] = static_cast<uint32_t>(i);
  entry_.assign(n, Entry());
  ready_index_.assign(n, kNoTask);
  succ_begin_.resize(n + 1);
  succ_.reserve(g.dependency_count());
  for (size_t i = 0; i < n; ++i) {
    const TaskHandle t = handle_at_[i];
    if (g.actual_finish(t) != kNoDate) {
      entry_[i].state = TaskState::kComplete;
    } else if (g.actual_start(t) != kNoDate) {
      entry_[i].state = TaskState::kStarted;
    }
    succ_begin_[i] = static_cast<uint32_t>(succ_.size());
    for (const DependencyLink& l : g.successors(t)) {
      if (!Blocks(l.type())) continue;
      succ_.push_back(slot_of_[l.task] << 2 | static_cast<uint32_t>(l.type()));
    }
  }
  succ_begin_[n] = static_cast<uint32_t>(succ_.size());
  // Unmet counts: predecessors come first in the order, so their states are
  // final when pushed.
  for (uint32_t i = 0; i < n; ++i) {
    const TaskState p = entry_[i].state;
    for (uint32_t k = succ_begin_[i]; k < succ_begin_[i + 1]; ++k) {
      const uint32_t type = succ_[k] & 3;
      const bool met = p == TaskState::kComplete || (type == kSs && p == TaskState::kStarted);
      if (!met) ++entry_[succ_[k] >> 2].unmet;
    }
    if (entry_[i].state == TaskState::kBlocked && entry_[i].unmet == 0) MakeReady(i);
  }
}

void ReadySet::MakeReady(uint32_t slot) {
  entry_[slot].state = TaskState::kReady;
  ready_index_[slot] = static_cast<uint32_t>(ready_.size());
  ready_.push_back(handle_at_[slot]);
  ready_slot_.push_back(slot);
}

void ReadySet::Unready(uint32_t slot) {
  const uint32_t i = ready_index_[slot];
  const uint32_t last = ready_slot_.back();
  ready_[i] = ready_.back();
  ready_slot_[i] = last;
  ready_index_[last] = i;
  ready_.pop_back();
  ready_slot_.pop_back();
  ready_index_[slot] = kNoTask;
}

void ReadySet::Satisfy(uint32_t slot) {
  Entry& e = entry_[slot];
  if (--e.unmet == 0 && e.state == TaskState::kBlocked) MakeReady(slot);
}

absl::Status ReadySet::Start(TaskHandle t) {
  const uint32_t slot = t < slot_of_.size() ? slot_of_[t] : kNoTask;
  if (slot == kNoTask) {
    return absl::NotFoundError(absl::StrCat("start: no task with handle ", t));
  }
  switch (entry_[slot].state) {
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
  Unready(slot);
  entry_[slot].state = TaskState::kStarted;
  for (uint32_t k = succ_begin_[slot], ke = succ_begin_[slot + 1]; k < ke; ++k) {
    if ((succ_[k] & 3) == kSs) Satisfy(succ_[k] >> 2);
  }
  return absl::OkStatus();
}

absl::Status ReadySet::Complete(TaskHandle t) {
  const uint32_t slot = t < slot_of_.size() ? slot_of_[t] : kNoTask;
  if (slot == kNoTask) {
    return absl::NotFoundError(absl::StrCat("complete: no task with handle ", t));
  }
  const TaskState before = entry_[slot].state;
  if (before == TaskState::kComplete) {
    return absl::FailedPreconditionError(
        absl::StrCat("complete: task ", graph_->Name(t), " is already complete"));
  }
  if (before == TaskState::kBlocked) {
    // Report the same reasons a refused start gives.
    return absl::FailedPreconditionError(
        absl::StrCat("complete: task ", graph_->Name(t), " cannot complete: ", Start(t).message()));
  }
  if (before == TaskState::kReady) Unready(slot);
  entry_[slot].state = TaskState::kComplete;
  // A task completed straight from ready also counts as started now: then
  // its start-to-start successors are satisfied too, else only its
  // finish-to-start ones (the SS ones were satisfied when it started).
  const uint32_t* succ = succ_.data();
  const uint32_t kb = succ_begin_[slot], ke = succ_begin_[slot + 1];
  if (before == TaskState::kReady) {
    for (uint32_t k = kb; k < ke; ++k) Satisfy(succ[k] >> 2);
  } else {
    for (uint32_t k = kb; k < ke; ++k) {
      if ((succ[k] & 3) == kFs) Satisfy(succ[k] >> 2);
    }
  }
  return absl::OkStatus();
}

std::vector<Dependency> ReadySet::WaitingOn(TaskHandle t) const {
  std::vector<Dependency> out;
  if (state(t) != TaskState::kBlocked || t >= slot_of_.size() || slot_of_[t] == kNoTask) {
    return out;
  }
  for (const DependencyLink& l : graph_->predecessors(t)) {
    const TaskState p = entry_[slot_of_[l.task]].state;
    const bool met = p == TaskState::kComplete ||
                     (l.type() == DependencyType::kStartToStart && p == TaskState::kStarted);
    if (Blocks(l.type()) && !met) out.push_back(Dependency{l.task, t, l.type(), l.lag()});
  }
  return out;
}

}  // namespace collabflow
