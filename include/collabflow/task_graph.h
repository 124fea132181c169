// The plan (协作任务拆分清单) as a dependency graph of tasks, kept in a
// topological order under edits (Pearce–Kelly dynamic topological order).
//
// Thread safety: not thread-safe; a const TaskGraph may be read from many
// threads. The graph is a value type: copying it copies every task and edge.
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
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "collabflow/large_array.h"

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
  TaskGraph() = default;

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
  // reorders (Pearce–Kelly). Appending may move the task's list to the end of
  // the shared pool (amortised O(1); an occasional compaction is O(V + E)).
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

  // --- queries --------------------------------------------------------------
  // Handles ever issued (live or dead); valid handles are < handle_count().
  size_t handle_count() const { return duration_.size(); }
  size_t task_count() const { return live_count_; }
  size_t dependency_count() const { return edge_count_; }
  bool IsLive(TaskHandle task) const { return task < handle_count() && position_[task] != kNoTask; }
  // NotFound unless a live task has this id.
  absl::StatusOr<TaskHandle> Find(absl::string_view id) const;
  // The task's id, or "" when it has none.
  absl::string_view id(TaskHandle task) const;
  // The id, or "#<handle>" when the task has none: for messages.
  std::string Name(TaskHandle task) const;
  TaskSpec Spec(TaskHandle task) const;  // REQUIRES: IsLive(task)

  // Hot accessors. REQUIRES: task < handle_count().
  int32_t duration(TaskHandle t) const { return duration_[t]; }
  int32_t start_no_earlier_than(TaskHandle t) const { return snet_[t]; }
  int32_t finish_no_later_than(TaskHandle t) const { return fnlt_[t]; }
  int32_t actual_start(TaskHandle t) const { return actual_start_[t]; }
  int32_t actual_finish(TaskHandle t) const { return actual_finish_[t]; }
  int32_t percent_complete(TaskHandle t) const { return percent_[t]; }
  // Interned assignee: 0 = none; otherwise an index into assignee_names().
  uint32_t assignee_index(TaskHandle t) const { return assignee_.empty() ? 0 : assignee_[t]; }
  // assignee_names()[0] is "" (unassigned).
  const std::vector<std::string>& assignee_names() const { return assignee_names_; }

  // Performance hint (no effect on results): start fetching t's predecessor
  // list; `stage` 0 fetches its slot, 1 its links (call 1 after 0 ran).
  void PrefetchPredecessors(TaskHandle t, int stage) const {
    stage == 0 ? in_.PrefetchSlot(t) : in_.PrefetchLinks(t);
  }
  absl::Span<const DependencyLink> successors(TaskHandle t) const { return out_.Get(t); }
  absl::Span<const DependencyLink> predecessors(TaskHandle t) const { return in_.Get(t); }
  // The dependency predecessor -> successor, if any.
  bool FindDependency(TaskHandle predecessor, TaskHandle successor, Dependency* out) const;
  std::vector<Dependency> Dependencies() const;  // every edge, by predecessor handle

  // Topological order: position(t) < position(u) for every edge t -> u.
  // Positions are sparse (removed tasks leave holes): order_slots()[p] is the
  // task at position p or kNoTask.
  uint32_t position(TaskHandle t) const { return position_[t]; }
  absl::Span<const TaskHandle> order_slots() const { return slots_; }
  std::vector<TaskHandle> TopologicalOrder() const;  // live tasks only

  // Change log: every task whose scheduling inputs changed since the last
  // ClearChangeLog() (edited tasks, both ends of added/removed dependencies,
  // added tasks, removed tasks and their former neighbours). Schedule::Update
  // reads it. It stops growing (overflowed() = true) past handle_count()
  // entries; a consumer then recomputes everything.
  absl::Span<const TaskHandle> change_log() const { return change_log_; }
  bool change_log_overflowed() const { return change_log_overflow_; }
  void ClearChangeLog() {
    change_log_.clear();
    change_log_overflow_ = false;
  }

  // Changes with every structural edit (tasks or dependencies added or
  // removed); unique across all graphs in the process, so equal stamps mean
  // equal structure (a copy keeps its original's stamp until edited).
  uint64_t structure_stamp() const { return structure_stamp_; }

  // Checks the internal invariants (order, adjacency mirrors, counts); for
  // tests. O(V + E).
  absl::Status CheckInvariants() const;

  // Adjacency lists of all tasks in one pool: contiguous per task, relocated
  // to the end of the pool when they outgrow their slot (amortised O(1)
  // append), compacted when half the pool is garbage.
  class AdjacencyPool {
   public:
    absl::Span<const DependencyLink> Get(uint32_t t) const {
      const Slot& s = slots_[t];
      return absl::Span<const DependencyLink>(pool_.data() + s.begin, s.size);
    }
    void AddNode() { slots_.push_back(Slot{static_cast<uint32_t>(pool_.size()), 0, 0}); }
    // Hints for loops that walk many lists in a known order: fetch a node's
    // slot, then (once the slot is cached) its first links.
    void PrefetchSlot(uint32_t t) const { __builtin_prefetch(&slots_[t]); }
    void PrefetchLinks(uint32_t t) const { __builtin_prefetch(pool_.data() + slots_[t].begin); }
    void PrefetchFill(uint32_t t) const {
      __builtin_prefetch(pool_.data() + slots_[t].begin + slots_[t].size, 1);
    }
    void Append(uint32_t t, DependencyLink link);
    // Removes the link to `other`; returns false if there is none.
    bool Remove(uint32_t t, TaskHandle other);
    void Clear(uint32_t t) {
      garbage_ += slots_[t].capacity;
      slots_[t] = Slot{0, 0, 0};
    }
    // Lays out all lists from per-node degrees; links then go in with Fill
    // or, all at once, with Scatter. With `layout` (a permutation of the
    // nodes, e.g. the topological order) the lists sit in that order in the
    // pool, so that a walk in that order reads the pool sequentially.
    void InitFromDegrees(absl::Span<const uint32_t> degree, absl::Span<const uint32_t> layout = {});
    // Appends every dependency to its predecessor's list (`outgoing`) or its
    // successor's, through a 4-byte cursor per node (denser than the slots).
    void Scatter(absl::Span<const Dependency> deps, bool outgoing);
    void Fill(uint32_t t, DependencyLink link) {
      Slot& s = slots_[t];
      pool_[s.begin + s.size++] = link;
    }
    size_t node_count() const { return slots_.size(); }
    // For a loader that lays out every list itself: `nodes` empty lists and
    // a pool of `total` links to fill; then SetList names each node's range.
    DependencyLink* Reset(size_t nodes, size_t total) {
      slots_.assign(nodes, Slot{0, 0, 0});
      pool_.resize(total);
      garbage_ = 0;
      return pool_.data();
    }
    void SetList(uint32_t t, uint32_t begin, uint32_t size) { slots_[t] = Slot{begin, size, size}; }

   private:
    struct Slot {
      uint32_t begin;
      uint32_t size;
      uint32_t capacity;
    };
    void Compact();
    LargeArray<Slot> slots_;
    LargeArray<DependencyLink> pool_;
    size_t garbage_ = 0;
  };

 private:
  friend class TaskGraphLoader;

  absl::Status CheckHandle(absl::string_view field, TaskHandle task) const;
  absl::Status CheckSpec(const TaskSpec& task, absl::string_view field) const;
  void AppendTask(const TaskSpec& task);  // no checks
  void SetId(TaskHandle t, const std::string& id);
  uint32_t InternAssignee(absl::string_view name);
  void Log(TaskHandle t);
  // Pearce–Kelly: restores the order after inserting x -> y with
  // position(x) > position(y). Returns false and fills `cycle` if y reaches x.
  bool Reorder(TaskHandle x, TaskHandle y, std::vector<TaskHandle>* cycle);
  void MaybeCompactOrder();

  // Per-task fields (structure of arrays, indexed by handle).
  LargeArray<int32_t> duration_;
  LargeArray<int32_t> snet_;
  LargeArray<int32_t> fnlt_;
  LargeArray<int32_t> actual_start_;
  LargeArray<int32_t> actual_finish_;
  LargeArray<uint8_t> percent_;
  std::vector<uint32_t> assignee_;  // empty until the first assignee is set
  std::vector<std::string> assignee_names_{std::string()};
  absl::flat_hash_map<std::string, uint32_t> assignee_index_;
  std::vector<std::string> ids_;  // empty until the first id is set
  absl::flat_hash_map<std::string, TaskHandle> id_index_;

  AdjacencyPool out_;
  AdjacencyPool in_;
  LargeArray<uint32_t> position_;  // kNoTask for dead tasks
  LargeArray<TaskHandle> slots_;   // position -> task or kNoTask
  size_t live_count_ = 0;
  size_t edge_count_ = 0;

  std::vector<TaskHandle> change_log_;
  bool change_log_overflow_ = false;
  uint64_t structure_stamp_ = NewStamp();
  static uint64_t NewStamp();

  // Scratch for Reorder (visit marks by epoch, DFS stacks); not state.
  LargeArray<uint32_t> mark_;
  LargeArray<TaskHandle> parent_;
  std::vector<TaskHandle> stack_;
  std::vector<TaskHandle> delta_forward_;
  std::vector<TaskHandle> delta_backward_;
  std::vector<uint32_t> freed_positions_;
  uint32_t epoch_ = 0;
};

}  // namespace collabflow

#endif  // COLLABFLOW_TASK_GRAPH_H_
