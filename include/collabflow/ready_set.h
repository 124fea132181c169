// Execution state of a plan: which tasks may start now (the ready set) and,
// for a blocked task, which predecessors it waits on.
//
// Thread safety: not thread-safe. The ReadySet keeps a pointer to the graph:
// the graph must outlive it and must not be edited while it is used (build a
// new ReadySet after edits).
//
// Readiness ignores lags (they are time, not state): a task is ready when it
// has not started, every finish-to-start predecessor is complete and every
// start-to-start predecessor has started. Finish-to-finish and
// start-to-finish dependencies constrain when a task may finish, never when
// it may start, so they do not block.
#ifndef COLLABFLOW_READY_SET_H_
#define COLLABFLOW_READY_SET_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "collabflow/task_graph.h"

namespace collabflow {

enum class TaskState : uint8_t { kBlocked = 0, kReady = 1, kStarted = 2, kComplete = 3 };

class ReadySet {
 public:
  // Initial state from the graph's progress: actual_finish set = complete,
  // actual_start set = started. O(V + E).
  explicit ReadySet(const TaskGraph* graph);

  // REQUIRES nothing; refusals (NotFound, FailedPrecondition naming the
  // predecessors it waits on) change nothing. O(out-degree).
  absl::Status Start(TaskHandle task);
  // Completes a ready or started task (completing a ready task starts it
  // too). O(out-degree): only successors are touched.
  absl::Status Complete(TaskHandle task);

  // Ready tasks, in no particular order.
  absl::Span<const TaskHandle> ready() const { return ready_; }
  TaskState state(TaskHandle task) const { return entry_[task].state; }
  // The dependencies `task` waits on (empty unless blocked). O(in-degree).
  std::vector<Dependency> WaitingOn(TaskHandle task) const;

 private:
  void MakeReady(TaskHandle t);
  void Unready(TaskHandle t);
  void Satisfy(TaskHandle t);

  // Everything Complete() touches per successor, in one 8-byte record.
  struct Entry {
    uint32_t unmet = 0;  // unsatisfied blocking predecessors
    TaskState state = TaskState::kBlocked;
  };
  const TaskGraph* graph_;
  std::vector<Entry> entry_;
  std::vector<uint32_t> ready_index_;  // index into ready_, or kNoTask
  std::vector<TaskHandle> ready_;
};

}  // namespace collabflow

#endif  // COLLABFLOW_READY_SET_H_
