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
  // A dead or unknown handle reads as kBlocked.
  TaskState state(TaskHandle task) const {
    return task < slot_of_.size() && slot_of_[task] != kNoTask ? entry_[slot_of_[task]].state
                                                               : TaskState::kBlocked;
  }
  // The dependencies `task` waits on (empty unless blocked). O(in-degree).
  std::vector<Dependency> WaitingOn(TaskHandle task) const;

 private:
  void MakeReady(uint32_t slot);
  void Unready(uint32_t slot);
  void Satisfy(uint32_t slot);

  // Everything Complete() touches per successor, in one 8-byte record.
  struct Entry {
    uint32_t unmet = 0;  // unsatisfied blocking predecessors
    TaskState state = TaskState::kBlocked;
  };
  // State is kept by slot, slots numbering the live tasks in the graph's
  // topological order: a task's successors then sit close to it (for plans
  // whose dependencies are local), so completing tasks in plan order touches
  // nearby memory instead of random handles.
  const TaskGraph* graph_;
  std::vector<uint32_t> slot_of_;      // handle -> slot, kNoTask if dead
  std::vector<TaskHandle> handle_at_;  // slot -> handle
  std::vector<Entry> entry_;           // by slot
  // Successors by slot, compressed: succ_[succ_begin_[s] .. succ_begin_[s+1])
  // hold (successor slot << 2 | dependency type) for the blocking types.
  std::vector<uint32_t> succ_begin_;
  std::vector<uint32_t> succ_;
  std::vector<uint32_t> ready_index_;  // by slot: index into ready_, or kNoTask
  std::vector<TaskHandle> ready_;      // handles
  std::vector<uint32_t> ready_slot_;   // the same tasks' slots
};

}  // namespace collabflow

#endif  // COLLABFLOW_READY_SET_H_
