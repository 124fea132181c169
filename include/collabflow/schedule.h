// Critical path method over a TaskGraph, with incremental rescheduling.
//
// Thread safety: not thread-safe; a const Schedule may be read from many
// threads. Value type (copying copies every task's times; the compiled
// structure is shared between copies, immutable).
//
// Semantics (all values are working-day ordinals or counts, see task_graph.h):
// - A task occupies working days [ES, EF) with EF = ES + duration; a
//   0-duration task (milestone) has ES == EF. "Finishes on day d" means EF ==
//   d + 1, so the last working day of a task is EF - 1.
// - Forward pass. ES = max(project_start, status_date, start_no_earlier_than,
//   every dependency bound) where a dependency p -> s with lag gives
//   FS: ES(s) >= EF(p)+lag, SS: ES(s) >= ES(p)+lag, FF: EF(s) >= EF(p)+lag,
//   SF: EF(s) >= ES(p)+lag. Reality wins over the plan: a task with an actual
//   start has ES = actual_start regardless of predecessors; a finished task
//   (actual finish set) has EF = actual_finish + 1; a started, unfinished
//   task has EF = max(actual_start, status_date) + remaining, remaining =
//   duration - floor(duration * percent / 100) (without a status date:
//   EF = actual_start + duration).
// - Project finish PF = max EF over all tasks.
// - Backward pass. With span = EF - ES: LF = min(PF, finish_no_later_than +
//   1, every successor bound) where a dependency p -> s gives
//   FS: LF(p) <= LS(s)-lag, SS: LF(p) <= LS(s)-lag+span(p),
//   FF: LF(p) <= LF(s)-lag, SF: LF(p) <= LF(s)-lag+span(p); LS = LF - span.
// - Total float TF = LF - EF (negative: a finish-no-later-than date cannot be
//   met). Free float FF = min over successors of the dependency's slack
//   (FS: ES(s)-EF(p)-lag, SS: ES(s)-ES(p)-lag, FF: EF(s)-EF(p)-lag,
//   SF: EF(s)-ES(p)-lag), or PF - EF without successors, then capped at TF.
// - Critical: TF <= 0.
// - Driver: what sets a task's ES — the predecessor whose bound is the
//   largest (ties: smallest handle) if it reaches the start rules, or else
//   the start rule that won (actual start, start-no-earlier-than, status
//   date, project start).
#ifndef COLLABFLOW_SCHEDULE_H_
#define COLLABFLOW_SCHEDULE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collabflow/task_graph.h"

namespace collabflow {

struct ScheduleOptions {
  int32_t project_start = 0;      // ordinal; no task starts earlier
  int32_t status_date = kNoDate;  // ordinal; unstarted work starts no earlier
};

// Why a task starts when it does.
enum class StartDriver : uint8_t {
  kProjectStart = 0,
  kStatusDate = 1,
  kStartNoEarlierThan = 2,
  kActualStart = 3,
  kPredecessor = 4,  // ScheduledTask::driver names it
  kRemoved = 5,      // dead handle
};

// The CPM result for one task. 32 bytes, so one cache line holds it.
struct ScheduledTask {
  int32_t early_start = 0;
  int32_t early_finish = 0;
  int32_t late_start = 0;
  int32_t late_finish = 0;
  int32_t total_float = 0;
  int32_t free_float = 0;
  TaskHandle driver = kNoTask;  // driving predecessor, or kNoTask
  StartDriver driver_kind = StartDriver::kProjectStart;

  bool critical() const { return total_float <= 0; }
  bool operator==(const ScheduledTask&) const;
};

class Schedule {
 public:
  Schedule();  // of no tasks; Compute makes one for a graph
  ~Schedule();
  Schedule(const Schedule& other);
  Schedule& operator=(const Schedule& other) { return *this = Schedule(other); }
  // A moved-from schedule may only be assigned to or destroyed.
  Schedule(Schedule&& other) noexcept;
  Schedule& operator=(Schedule&& other) noexcept;

  // Full critical path method over `graph`: O(V + E). InvalidArgument for
  // options out of range; OutOfRange if a date would leave [-kMaxOrdinal *
  // 64, kMaxOrdinal * 64] (a plan too long for any calendar).
  static absl::StatusOr<Schedule> Compute(const TaskGraph& graph,
                                          const ScheduleOptions& options = {});

  // A full pass with the same options, reusing this schedule's compiled
  // structure when the graph's structure is unchanged (only durations,
  // constraints or progress edited; their tasks are read from the change
  // log): O(V + E) over arrays in topological order. Same REQUIRES as Update;
  // the caller clears the change log afterwards.
  absl::Status Recompute(const TaskGraph& graph);

  // Brings the schedule up to date after edits to the graph it was computed
  // from, touching only the tasks the edits can affect (seeded from
  // graph.change_log()); falls back to a full pass when the log overflowed or
  // the affected region grows past a fraction of the graph. The result is
  // always equal to Compute(graph, options()). When only durations,
  // constraints or progress changed, the walk runs over the slot-ordered
  // arrays the last full pass compiled (the first such Update after a
  // structural change also compiles the successor links: O(V + E)); when the
  // project finish moves, every late date moves with it, and one backward
  // pass over all tasks follows the incremental forward pass. The caller
  // clears the graph's change log afterwards (graph.ClearChangeLog()).
  // REQUIRES: the graph is the one this schedule was computed from (or a
  // copy of it), edited only through its methods since.
  absl::Status Update(const TaskGraph& graph);

  // The times of task `t` (a removed or unknown handle reads as kRemoved).
  const ScheduledTask& operator[](TaskHandle t) const;
  // Handles covered (the graph's handle_count() when last computed/updated).
  size_t handle_count() const;
  // Every handle's times, by handle (a copy; for comparisons and export).
  std::vector<ScheduledTask> TasksByHandle() const;
  int32_t project_finish() const;
  const ScheduleOptions& options() const;

  // Live tasks with TF < 0, by handle.
  std::vector<TaskHandle> NegativeFloatTasks(const TaskGraph& graph) const;
  // Live tasks with TF <= 0, in topological order.
  std::vector<TaskHandle> CriticalTasks(const TaskGraph& graph) const;
  // The driving chain of the task that finishes last (ties: smallest TF, then
  // smallest handle), from its first driver to it: the critical path.
  std::vector<TaskHandle> CriticalPath(const TaskGraph& graph) const;
  // The chain of driving predecessors that explains `task`'s ES ("why does it
  // start on 9-15"), first driver first, `task` last.
  std::vector<TaskHandle> DrivingChain(TaskHandle task) const;

  // Statistics of the last Update: tasks recomputed; whether it fell back.
  size_t last_update_visits() const;
  bool last_update_was_full() const;

 private:
  // schedule.cc: the times by slot (topological order), the graph's
  // structure compiled into slot order, and the passes over them.
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace collabflow

#endif  // COLLABFLOW_SCHEDULE_H_
