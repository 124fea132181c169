// The plan (协作任务拆分清单) as a dependency graph of tasks, kept in a
// topological order under edits (Pearce–Kelly dynamic topological order).
//
// Thread safety: not thread-safe; a const TaskGraph may be read from many
// threads. The graph is a value type: copying it copies every task and edge.
// Its storage (columns by handle, adjacency lists in one pool, huge-page
// arrays) is private to the library, behind a pointer.
//
// Units. Everything here is in working days: durations and lags are counts of
// working days, and every date (constraints, actual dates) is a working-day
// ORDINAL of the calendar kernel (Calendar::WorkdayOrdinal: the number of
// working days in [1970-01-01, d)). The scheduler never sees civil dates; a
// date adapter maps ordinals to days with Calendar::WorkdayAt.
//
// Identity. Tasks are named by dense integer handles (TaskHandle), assigned
// in creation order and never reused; a removed task's handle stays dead.
// A task may carry a string id ("T1", "客户数据收集"), unique in the graph;
// error messages name tasks by id when present and by "#<handle>" otherwise.
#ifndef COLLABFLOW_TASK_GRAPH_H_
#define COLLABFLOW_TASK_GRAPH_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace collabflow {

using TaskHandle = uint32_t;
inline constexpr TaskHandle kNoTask = std::numeric_limits<uint32_t>::max();

// "No date" for every optional ordinal field.
inline constexpr int32_t kNoDate = std::numeric_limits<int32_t>::min();

// Limits (a refusal names the field and the limit).
inline constexpr int32_t kMaxTaskDuration = 100000;  // working days
inline constexpr int32_t kMaxLag = 100000;           // |lag| in working days
// Ordinals accepted for dates: [0, kMaxOrdinal]. 2^20 working days is far
// beyond the calendar's 1970..2199 range.
inline constexpr int32_t kMaxOrdinal = 1 << 20;
inline constexpr size_t kMaxGraphTasks = size_t{1} << 28;

// How a dependency constrains its successor s given its predecessor p
// (ES/EF = early start/finish, see schedule.h):
//   kFinishToStart   ES(s) >= EF(p) + lag     (default)
//   kStartToStart    ES(s) >= ES(p) + lag
//   kFinishToFinish  EF(s) >= EF(p) + lag
//   kStartToFinish   EF(s) >= ES(p) + lag
// A negative lag is a lead.
enum class DependencyType : uint8_t {
  kFinishToStart = 0,
  kStartToStart = 1,
  kFinishToFinish = 2,
  kStartToFinish = 3,
};
absl::string_view DependencyTypeName(DependencyType type);  // "FS", "SS", "FF", "SF"

struct Dependency {
  TaskHandle predecessor = kNoTask;
  TaskHandle successor = kNoTask;
  DependencyType type = DependencyType::kFinishToStart;
  int32_t lag = 0;  // working days; negative = lead

  bool operator==(const Dependency&) const;
};

// One end of a dependency as stored in an adjacency list: the task at the
// other end plus type and lag packed in one word (8 bytes per entry).
struct DependencyLink {
  TaskHandle task;
  int32_t packed;  // lag * 4 + type

  static DependencyLink Make(TaskHandle task, DependencyType type, int32_t lag) {
    return DependencyLink{
        task, static_cast<int32_t>(static_cast<uint32_t>(lag) << 2) | static_cast<int32_t>(type)};
  }
  DependencyType type() const { return static_cast<DependencyType>(packed & 3); }
  int32_t lag() const { return packed >> 2; }
};

// Everything the scheduler knows about one task. Dates are ordinals or kNoDate.
struct TaskSpec {
  std::string id;        // optional; when non-empty, unique in the graph
  int32_t duration = 0;  // working days, [0, kMaxTaskDuration]; 0 = milestone
  // The task may not start before working day `start_no_earlier_than`.
  int32_t start_no_earlier_than = kNoDate;
  // The task must finish by the END of working day `finish_no_later_than`
  // (i.e. EF <= finish_no_later_than + 1), e.g. a milestone or the deadline.
  int32_t finish_no_later_than = kNoDate;
  // First working day of work actually done / last working day of it. A set
  // actual_finish requires actual_start <= actual_finish.
  int32_t actual_start = kNoDate;
  int32_t actual_finish = kNoDate;
  int32_t percent_complete = 0;  // [0, 100]
  std::string assignee;          // opaque; empty = unassigned

  bool operator==(const TaskSpec&) const;
};

class TaskGraph {
 public:
  TaskGraph();  // no tasks
  ~TaskGraph();
  TaskGraph(const TaskGraph& other);
  TaskGraph& operator=(const TaskGraph& other) { return *this = TaskGraph(other); }
  // A moved-from graph may only be assigned to or destroyed.
  TaskGraph(TaskGraph&& other) noexcept;
  TaskGraph& operator=(TaskGraph&& other) noexcept;

  // Builds a graph from lists in one pass: task i gets handle i; edges name
  // handles. Checks every task and edge, then runs one topological sort at the
  // end (Kahn's, which also finds duplicate pairs); a cycle is refused with
  // its path (InvalidArgument, ids in order). On any error nothing is built.
  // O(V + E).
  static absl::StatusOr<TaskGraph> Build(absl::Span<const TaskSpec> tasks,
                                         absl::Span<const Dependency> dependencies);

  // --- edits; each refusal returns a clear status and changes nothing -------
  absl::StatusOr<TaskHandle> AddTask(const TaskSpec& task);
  // Removes the task and every dependency touching it. The handle stays dead.
  absl::Status RemoveTask(TaskHandle task);
  // Refuses unknown tasks (NotFound), self-loops, a second dependency between
  // the same ordered pair (AlreadyExists), a lag beyond kMaxLag, and an edge
  // that would close a cycle (InvalidArgument "... would close the cycle A ->
  // B -> C -> A"); on a cycle, `cycle` (if given) receives the tasks around
  // it in edge order, starting and ending with the new edge's predecessor
  // (predecessor, successor, ..., predecessor).
  // Cost: the duplicate check scans the shorter of the two adjacency lists;
  // then O(1) when the edge agrees with the current order, otherwise
  // proportional to the tasks between the two ends that it reaches and
  // reorders (Pearce–Kelly). Appending to a task's adjacency list is
  // amortised O(1) (an occasional compaction of all lists is O(V + E)).
  absl::Status AddDependency(const Dependency& dependency,
                             std::vector<TaskHandle>* cycle = nullptr);
  absl::Status RemoveDependency(TaskHandle predecessor, TaskHandle successor);
  absl::Status SetDuration(TaskHandle task, int32_t duration);
  absl::Status SetStartNoEarlierThan(TaskHandle task, int32_t ordinal);  // kNoDate clears
  absl::Status SetFinishNoLaterThan(TaskHandle task, int32_t ordinal);   // kNoDate clears
  // Progress: actual dates (kNoDate = unknown) and percent complete.
  absl::Status SetProgress(TaskHandle task, int32_t actual_start, int32_t actual_finish,
                           int32_t percent_complete);
  absl::Status SetAssignee(TaskHandle task, absl::string_view assignee);

  // --- queries: O(1) unless stated ------------------------------------------
  // Handles ever issued (live or dead); valid handles are < handle_count().
  size_t handle_count() const;
  size_t task_count() const;
  size_t dependency_count() const;
  bool IsLive(TaskHandle task) const;
  // NotFound unless a live task has this id.
  absl::StatusOr<TaskHandle> Find(absl::string_view id) const;
  // The task's id, or "" when it has none.
  absl::string_view id(TaskHandle task) const;
  // The id, or "#<handle>" when the task has none: for messages.
  std::string Name(TaskHandle task) const;
  TaskSpec Spec(TaskHandle task) const;  // REQUIRES: IsLive(task)

  // A task's fields. REQUIRES: task < handle_count().
  int32_t duration(TaskHandle t) const;
  int32_t start_no_earlier_than(TaskHandle t) const;
  int32_t finish_no_later_than(TaskHandle t) const;
  int32_t actual_start(TaskHandle t) const;
  int32_t actual_finish(TaskHandle t) const;
  int32_t percent_complete(TaskHandle t) const;
  // Interned assignee: 0 = none; otherwise an index into assignee_names().
  uint32_t assignee_index(TaskHandle t) const;
  // assignee_names()[0] is "" (unassigned).
  const std::vector<std::string>& assignee_names() const;

  // A task's dependencies, each naming the task at the other end. The spans
  // stay valid until the next edit.
  absl::Span<const DependencyLink> successors(TaskHandle t) const;
  absl::Span<const DependencyLink> predecessors(TaskHandle t) const;
  // The dependency predecessor -> successor, if any.
  bool FindDependency(TaskHandle predecessor, TaskHandle successor, Dependency* out) const;
  std::vector<Dependency> Dependencies() const;  // every edge, by predecessor handle; O(V + E)

  // Topological order: position(t) < position(u) for every edge t -> u.
  // Positions are sparse (removed tasks leave holes): order_slots()[p] is the
  // task at position p or kNoTask.
  uint32_t position(TaskHandle t) const;
  absl::Span<const TaskHandle> order_slots() const;
  std::vector<TaskHandle> TopologicalOrder() const;  // live tasks only; O(V)

  // Change log: every task whose scheduling inputs changed since the last
  // ClearChangeLog() (edited tasks, both ends of added/removed dependencies,
  // added tasks, removed tasks and their former neighbours). Schedule::Update
  // reads it. It stops growing (overflowed() = true) past handle_count()
  // entries; a consumer then recomputes everything.
  absl::Span<const TaskHandle> change_log() const;
  bool change_log_overflowed() const;
  void ClearChangeLog();

  // Changes with every structural edit (tasks or dependencies added or
  // removed); unique across all graphs in the process, so equal stamps mean
  // equal structure (a copy keeps its original's stamp until edited).
  uint64_t structure_stamp() const;

  // Checks the internal invariants (order, adjacency mirrors, counts); for
  // tests. O(V + E).
  absl::Status CheckInvariants() const;

  // The graph's storage and algorithms, defined inside the library
  // (src/graph/task_graph_impl.h) for its own kernels — the scheduler, the
  // ready set and the codec read the columns there without a call per field.
  // Hosts cannot use it: its layout is private and changes without notice.
  class Impl;
  const Impl& impl() const { return *impl_; }
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace collabflow

#endif  // COLLABFLOW_TASK_GRAPH_H_
