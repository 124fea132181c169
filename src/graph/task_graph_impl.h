// What stands behind a TaskGraph: its columns by handle, its adjacency lists
// in two pools, its topological order, and the algorithms over them. The
// public TaskGraph forwards every call here; the library's own kernels (the
// schedule, the ready set, the codec) read the columns through the inline
// accessors below, so a million-task pass pays no call per field.
//
// Thread safety: as TaskGraph (not thread-safe; const methods may be called
// from many threads).
#ifndef COLLABFLOW_SRC_GRAPH_TASK_GRAPH_IMPL_H_
#define COLLABFLOW_SRC_GRAPH_TASK_GRAPH_IMPL_H_

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/large_array.h"
#include "base/reserved_array.h"
#include "collabflow/task_graph.h"

namespace collabflow {

class TaskGraph::Impl {
 public:
  // The arrays a million-task graph keeps (huge-page aligned).
  template <typename T>
  using LargeArray = internal::LargeArray<T>;

  // Replaces *out with the graph of these lists; on an error *out is left
  // as it was. See TaskGraph::Build.
  static absl::Status Build(absl::Span<const TaskSpec> tasks,
                            absl::Span<const Dependency> dependencies, Impl* g);

  // --- edits: as TaskGraph's --------------------------------------------------
  absl::StatusOr<TaskHandle> AddTask(const TaskSpec& task);
  absl::Status RemoveTask(TaskHandle task);
  absl::Status AddDependency(const Dependency& dependency, std::vector<TaskHandle>* cycle);
  absl::Status RemoveDependency(TaskHandle predecessor, TaskHandle successor);
  absl::Status SetDuration(TaskHandle task, int32_t duration);
  absl::Status SetStartNoEarlierThan(TaskHandle task, int32_t ordinal);
  absl::Status SetFinishNoLaterThan(TaskHandle task, int32_t ordinal);
  absl::Status SetProgress(TaskHandle task, int32_t actual_start, int32_t actual_finish,
                           int32_t percent_complete);
  absl::Status SetAssignee(TaskHandle task, absl::string_view assignee);

  // --- queries: as TaskGraph's, the hot ones inline ---------------------------
  size_t handle_count() const { return duration_.size(); }
  size_t task_count() const { return live_count_; }
  size_t dependency_count() const { return edge_count_; }
  bool IsLive(TaskHandle task) const { return task < handle_count() && position_[task] != kNoTask; }
  absl::StatusOr<TaskHandle> Find(absl::string_view id) const;
  absl::string_view id(TaskHandle task) const;
  std::string Name(TaskHandle task) const;
  TaskSpec Spec(TaskHandle task) const;

  // REQUIRES: task < handle_count().
  int32_t duration(TaskHandle t) const { return duration_[t]; }
  int32_t start_no_earlier_than(TaskHandle t) const { return snet_[t]; }
  int32_t finish_no_later_than(TaskHandle t) const { return fnlt_[t]; }
  int32_t actual_start(TaskHandle t) const { return actual_start_[t]; }
  int32_t actual_finish(TaskHandle t) const { return actual_finish_[t]; }
  int32_t percent_complete(TaskHandle t) const { return percent_[t]; }
  uint32_t assignee_index(TaskHandle t) const { return assignee_.empty() ? 0 : assignee_[t]; }
  const std::vector<std::string>& assignee_names() const { return assignee_names_; }

  // Performance hints (no effect on results): start fetching t's
  // predecessor (successor) list; `stage` 0 fetches its slot, 1 its links
  // (call 1 after 0 ran).
  void PrefetchPredecessors(TaskHandle t, int stage) const {
    stage == 0 ? in_.PrefetchSlot(t) : in_.PrefetchLinks(t);
  }
  void PrefetchSuccessors(TaskHandle t, int stage) const {
    stage == 0 ? out_.PrefetchSlot(t) : out_.PrefetchLinks(t);
  }
  absl::Span<const DependencyLink> successors(TaskHandle t) const { return out_.Get(t); }
  absl::Span<const DependencyLink> predecessors(TaskHandle t) const { return in_.Get(t); }
  bool FindDependency(TaskHandle predecessor, TaskHandle successor, Dependency* out) const;
  std::vector<Dependency> Dependencies() const;

  uint32_t position(TaskHandle t) const { return position_[t]; }
  absl::Span<const TaskHandle> order_slots() const { return slots_; }
  std::vector<TaskHandle> TopologicalOrder() const;

  absl::Span<const TaskHandle> change_log() const { return change_log_; }
  bool change_log_overflowed() const { return change_log_overflow_; }
  void ClearChangeLog() {
    change_log_.clear();
    change_log_overflow_ = false;
  }
  uint64_t structure_stamp() const { return structure_stamp_; }

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
    void Append(uint32_t t, DependencyLink link);
    // Removes the link to `other`; returns false if there is none.
    bool Remove(uint32_t t, TaskHandle other);
    void Clear(uint32_t t) {
      garbage_ += slots_[t].capacity;
      slots_[t] = Slot{0, 0, 0};
    }
    // Lays out all lists from per-node degrees; the links then go in with
    // Scatter. With `layout` (a permutation of the
    // nodes, e.g. the topological order) the lists sit in that order in the
    // pool, so that a walk in that order reads the pool sequentially.
    void InitFromDegrees(absl::Span<const uint32_t> degree, absl::Span<const uint32_t> layout = {});
    // Appends every dependency to its predecessor's list (`outgoing`) or its
    // successor's, through a 4-byte cursor per node (denser than the slots).
    void Scatter(absl::Span<const Dependency> deps, bool outgoing);
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
    // Grows in place (a reserved address range): a relocated list never
    // makes the whole pool move.
    internal::ReservedArray<DependencyLink> pool_;
    size_t garbage_ = 0;
  };

 private:
  // The codec (task_graph_proto.cc) writes and reads the columns and pools
  // directly, in topological order, instead of task by task.
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

  // Scratch for Reorder, not state: per handle, the walk that last reached
  // it (an epoch; 0 = never) and its DFS parent, side by side (one cache
  // miss for both). From calloc, so that a fresh million-task array costs
  // nothing until the walks touch it (the kernel maps zero pages on demand),
  // where filling 8 MB made the first reordering insert take 3–29 ms. A
  // copy of the graph starts without it.
  struct VisitMarks {
    struct Entry {
      uint32_t epoch;
      TaskHandle parent;
    };
    VisitMarks() = default;
    VisitMarks(const VisitMarks&) {}
    VisitMarks& operator=(const VisitMarks&) { return *this; }
    ~VisitMarks() { std::free(entries); }
    // Room for handles [0, n); starts a new epoch (no task reached).
    void NewWalk(size_t n);
    Entry* entries = nullptr;
    size_t size = 0;
    uint32_t epoch = 0;
  };
  VisitMarks visit_;
  std::vector<TaskHandle> stack_;
  std::vector<TaskHandle> delta_forward_;
  std::vector<TaskHandle> delta_backward_;
  std::vector<uint32_t> freed_positions_;
};

}  // namespace collabflow

#endif  // COLLABFLOW_SRC_GRAPH_TASK_GRAPH_IMPL_H_
