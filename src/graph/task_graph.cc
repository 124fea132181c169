#include "collabflow/task_graph.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "graph/task_graph_impl.h"

namespace collabflow {
namespace {

using internal::LargeArray;

bool ValidType(DependencyType type) { return static_cast<uint8_t>(type) <= 3; }

bool ValidOptionalOrdinal(int32_t d) { return d == kNoDate || (d >= 0 && d <= kMaxOrdinal); }

}  // namespace

absl::string_view DependencyTypeName(DependencyType type) {
  switch (type) {
    case DependencyType::kFinishToStart:
      return "FS";
    case DependencyType::kStartToStart:
      return "SS";
    case DependencyType::kFinishToFinish:
      return "FF";
    case DependencyType::kStartToFinish:
      return "SF";
  }
  return "??";
}

bool Dependency::operator==(const Dependency& o) const {
  return predecessor == o.predecessor && successor == o.successor && type == o.type && lag == o.lag;
}

bool TaskSpec::operator==(const TaskSpec& o) const {
  return id == o.id && duration == o.duration && start_no_earlier_than == o.start_no_earlier_than &&
         finish_no_later_than == o.finish_no_later_than && actual_start == o.actual_start &&
         actual_finish == o.actual_finish && percent_complete == o.percent_complete &&
         assignee == o.assignee;
}

uint64_t TaskGraph::Impl::NewStamp() {
  // Each thread takes stamps from its own block of the process-wide counter,
  // so that an edit pays no locked instruction: on x86 one waits for every
  // pending store (here the edit's own appends, often cache misses) to drain.
  constexpr uint64_t kBlock = uint64_t{1} << 16;
  static std::atomic<uint64_t> next_block{1};
  thread_local uint64_t next = 0;
  thread_local uint64_t end = 0;
  if (next == end) {
    next = next_block.fetch_add(1, std::memory_order_relaxed) * kBlock;
    end = next + kBlock;
  }
  return next++;
}

// --- AdjacencyPool ----------------------------------------------------------

void TaskGraph::Impl::AdjacencyPool::Append(uint32_t t, DependencyLink link) {
  Slot& s = slots_[t];
  if (s.size == s.capacity) {
    const uint32_t new_cap = std::max<uint32_t>(4, s.capacity * 2);
    if (s.capacity > 0 && s.begin + s.capacity == pool_.size()) {
      pool_.resize(pool_.size() + (new_cap - s.capacity));  // last list: grow in place
    } else {
      const uint32_t begin = static_cast<uint32_t>(pool_.size());
      pool_.resize(pool_.size() + new_cap);
      std::copy(pool_.data() + s.begin, pool_.data() + s.begin + s.size, pool_.data() + begin);
      garbage_ += s.capacity;
      s.begin = begin;
    }
    s.capacity = new_cap;
  }
  pool_[s.begin + s.size++] = link;
  if (garbage_ > 4096 && garbage_ * 2 > pool_.size()) Compact();
}

bool TaskGraph::Impl::AdjacencyPool::Remove(uint32_t t, TaskHandle other) {
  Slot& s = slots_[t];
  DependencyLink* begin = pool_.data() + s.begin;
  for (uint32_t i = 0; i < s.size; ++i) {
    if (begin[i].task == other) {
      begin[i] = begin[s.size - 1];
      --s.size;
      return true;
    }
  }
  return false;
}

void TaskGraph::Impl::AdjacencyPool::InitFromDegrees(absl::Span<const uint32_t> degree,
                                                     absl::Span<const uint32_t> layout) {
  slots_.resize(degree.size());
  uint64_t total = 0;
  if (layout.empty()) {
    for (size_t i = 0; i < degree.size(); ++i) {
      slots_[i] = Slot{static_cast<uint32_t>(total), 0, degree[i]};
      total += degree[i];
    }
  } else {
    // Nodes missing from `layout` (dead tasks) get empty lists.
    for (size_t i = 0; i < degree.size(); ++i) slots_[i] = Slot{0, 0, 0};
    const size_t m = layout.size();
    for (size_t i = 0; i < m; ++i) {
      if (i + 16 < m) __builtin_prefetch(&slots_[layout[i + 16]], 1);
      if (i + 16 < m) __builtin_prefetch(&degree[layout[i + 16]]);
      const uint32_t t = layout[i];
      slots_[t] = Slot{static_cast<uint32_t>(total), 0, degree[t]};
      total += degree[t];
    }
  }
  pool_.resize(total);
  garbage_ = 0;
}

void TaskGraph::Impl::AdjacencyPool::Scatter(absl::Span<const Dependency> deps, bool outgoing) {
  LargeArray<uint32_t> cursor(slots_.size());
  for (size_t t = 0; t < slots_.size(); ++t) cursor[t] = slots_[t].begin + slots_[t].size;
  DependencyLink* pool = pool_.data();
  const size_t m = deps.size();
  auto node_of = [&](size_t k) { return outgoing ? deps[k].predecessor : deps[k].successor; };
  for (size_t k = 0; k < m; ++k) {
    // Pipelined: the cursor 16 ahead, the pool entry it points to 8 ahead.
    if (k + 16 < m) __builtin_prefetch(&cursor[node_of(k + 16)]);
    if (k + 8 < m) __builtin_prefetch(pool + cursor[node_of(k + 8)], 1);
    const Dependency& d = deps[k];
    const TaskHandle other = outgoing ? d.successor : d.predecessor;
    pool[cursor[node_of(k)]++] = DependencyLink::Make(other, d.type, d.lag);
  }
  for (size_t t = 0; t < slots_.size(); ++t) slots_[t].size = cursor[t] - slots_[t].begin;
}

void TaskGraph::Impl::AdjacencyPool::Compact() {
  size_t total = 0;
  for (const Slot& s : slots_) total += s.size + (s.size > 0 ? 2 : 0);
  internal::ReservedArray<DependencyLink> pool;
  pool.resize(total);
  uint32_t begin = 0;
  for (Slot& s : slots_) {
    std::copy(pool_.data() + s.begin, pool_.data() + s.begin + s.size, pool.data() + begin);
    const uint32_t cap = s.size > 0 ? s.size + 2 : 0;
    s = Slot{begin, s.size, cap};
    begin += cap;
  }
  pool_ = std::move(pool);
  garbage_ = 0;
}

// --- checks -----------------------------------------------------------------

absl::Status TaskGraph::Impl::CheckHandle(absl::string_view field, TaskHandle task) const {
  if (!IsLive(task)) {
    return absl::NotFoundError(absl::StrCat(field, ": no task with handle ", task));
  }
  return absl::OkStatus();
}

absl::Status TaskGraph::Impl::CheckSpec(const TaskSpec& t, absl::string_view field) const {
  if (!t.id.empty()) {
    CFLOW_RETURN_IF_ERROR(internal::CheckId(absl::StrCat(field, ".id"), t.id));
    if (id_index_.contains(t.id)) {
      return absl::AlreadyExistsError(
          absl::StrCat(field, ".id: a task with id \"", t.id, "\" already exists"));
    }
  }
  if (t.duration < 0 || t.duration > kMaxTaskDuration) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".duration: ", t.duration, " is outside [0, ", kMaxTaskDuration, "]"));
  }
  const std::pair<const char*, int32_t> dates[] = {
      {"start_no_earlier_than", t.start_no_earlier_than},
      {"finish_no_later_than", t.finish_no_later_than},
      {"actual_start", t.actual_start},
      {"actual_finish", t.actual_finish}};
  for (const auto& [name, d] : dates) {
    if (!ValidOptionalOrdinal(d)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".", name, ": ordinal ", d, " is outside [0, ", kMaxOrdinal, "]"));
    }
  }
  if (t.percent_complete < 0 || t.percent_complete > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".percent_complete: ", t.percent_complete, " is outside [0, 100]"));
  }
  if (t.actual_finish != kNoDate) {
    if (t.actual_start == kNoDate) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".actual_finish: set without actual_start"));
    }
    if (t.actual_finish < t.actual_start) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".actual_finish: ", t.actual_finish,
                                                     " is before actual_start ", t.actual_start));
    }
  }
  if (!t.assignee.empty()) {
    CFLOW_RETURN_IF_ERROR(
        internal::CheckText(absl::StrCat(field, ".assignee"), t.assignee, kMaxShortTextBytes));
  }
  return absl::OkStatus();
}

// --- building ---------------------------------------------------------------

void TaskGraph::Impl::SetId(TaskHandle t, const std::string& id) {
  if (ids_.empty()) ids_.resize(handle_count());
  ids_[t] = id;
  id_index_.emplace(id, t);
}

uint32_t TaskGraph::Impl::InternAssignee(absl::string_view name) {
  if (name.empty()) return 0;
  auto [it, inserted] =
      assignee_index_.emplace(std::string(name), static_cast<uint32_t>(assignee_names_.size()));
  if (inserted) assignee_names_.emplace_back(name);
  return it->second;
}

void TaskGraph::Impl::AppendTask(const TaskSpec& t) {
  const TaskHandle h = static_cast<TaskHandle>(duration_.size());
  duration_.push_back(t.duration);
  snet_.push_back(t.start_no_earlier_than);
  fnlt_.push_back(t.finish_no_later_than);
  actual_start_.push_back(t.actual_start);
  actual_finish_.push_back(t.actual_finish);
  percent_.push_back(static_cast<uint8_t>(t.percent_complete));
  if (!ids_.empty()) ids_.emplace_back();
  if (!assignee_.empty()) assignee_.push_back(0);
  if (!t.id.empty()) SetId(h, t.id);
  if (!t.assignee.empty()) {
    if (assignee_.empty()) assignee_.resize(handle_count(), 0);
    assignee_[h] = InternAssignee(t.assignee);
  }
  position_.push_back(kNoTask);
  ++live_count_;
}

absl::Status TaskGraph::Impl::Build(absl::Span<const TaskSpec> tasks,
                                    absl::Span<const Dependency> deps, Impl* out) {
  CFLOW_RETURN_IF_ERROR(internal::CheckCount("tasks", tasks.size(), kMaxGraphTasks));
  CFLOW_RETURN_IF_ERROR(internal::CheckCount("dependencies", deps.size(), uint32_t{0x7fffffff}));
  // Built in a local, moved out at the end: the compiler keeps a local's
  // columns at hand better than an object behind a pointer (about 2% fewer
  // instructions here), and on an error `out` is left as it was.
  Impl g;
  const size_t n = tasks.size();
  g.duration_.reserve(n);
  g.snet_.reserve(n);
  g.fnlt_.reserve(n);
  g.actual_start_.reserve(n);
  g.actual_finish_.reserve(n);
  g.percent_.reserve(n);
  g.position_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    // CheckSpec sees the ids of earlier tasks through id_index_. The index
    // goes into the message only on failure (no string work per task).
    if (absl::Status s = g.CheckSpec(tasks[i], "task"); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("tasks[", i, "]: ", s.message()));
    }
    g.AppendTask(tasks[i]);
  }
  LargeArray<uint32_t> out_degree(n, 0), in_degree(n, 0);
  for (size_t i = 0; i < deps.size(); ++i) {
    const Dependency& d = deps[i];
    if (d.predecessor >= n || d.successor >= n) {
      return absl::NotFoundError(absl::StrCat("dependencies[", i, "]: task handle ",
                                              d.predecessor >= n ? d.predecessor : d.successor,
                                              " is not among the ", n, " tasks"));
    }
    if (d.predecessor == d.successor) {
      return absl::InvalidArgumentError(absl::StrCat(
          "dependencies[", i, "]: task ", g.Name(d.predecessor), " cannot depend on itself"));
    }
    if (!ValidType(d.type)) {
      return absl::InvalidArgumentError(
          absl::StrCat("dependencies[", i, "].type: unknown type ", static_cast<int>(d.type)));
    }
    if (d.lag < -kMaxLag || d.lag > kMaxLag) {
      return absl::InvalidArgumentError(absl::StrCat(
          "dependencies[", i, "].lag: ", d.lag, " is outside [-", kMaxLag, ", ", kMaxLag, "]"));
    }
    ++out_degree[d.predecessor];
    ++in_degree[d.successor];
  }
  g.out_.InitFromDegrees(out_degree);
  g.out_.Scatter(deps, /*outgoing=*/true);
  g.edge_count_ = deps.size();
  // Predecessor lists go in after the sort, laid out in topological order:
  // the schedule's passes then read them sequentially.
  // Kahn's algorithm; the order vector doubles as the queue. The same pass
  // finds duplicate pairs with a per-task stamp of the last predecessor seen
  // (next to the in-degree, so one cache line serves both).
  struct Counter {
    uint32_t in_degree;
    uint32_t stamp;
  };
  LargeArray<Counter> counter(n);
  for (uint32_t u = 0; u < n; ++u) counter[u] = Counter{in_degree[u], kNoTask};
  LargeArray<TaskHandle>& order = g.slots_;
  order.reserve(n);
  for (uint32_t u = 0; u < n; ++u) {
    if (in_degree[u] == 0) order.push_back(u);
  }
  for (size_t head = 0; head < order.size(); ++head) {
    // A software pipeline over the queue: fetch the slot 16 tasks ahead, the
    // links 8 ahead and the counters 4 ahead, so the misses overlap.
    const size_t queued = order.size();
    if (head + 16 < queued) g.out_.PrefetchSlot(order[head + 16]);
    if (head + 8 < queued) g.out_.PrefetchLinks(order[head + 8]);
    if (head + 4 < queued) {
      for (const DependencyLink& l : g.out_.Get(order[head + 4])) {
        __builtin_prefetch(&counter[l.task]);
      }
    }
    const TaskHandle u = order[head];
    for (const DependencyLink& l : g.out_.Get(u)) {
      Counter& c = counter[l.task];
      if (c.stamp == u) {
        return absl::AlreadyExistsError(
            absl::StrCat("dependencies: ", g.Name(u), " -> ", g.Name(l.task), " is listed twice"));
      }
      c.stamp = u;
      if (--c.in_degree == 0) order.push_back(l.task);
    }
  }
  if (order.size() != n) {
    g.in_.InitFromDegrees(in_degree);
    g.in_.Scatter(deps, /*outgoing=*/false);
    for (uint32_t u = 0; u < n; ++u) in_degree[u] = counter[u].in_degree;
    // Every task left has a predecessor that is also left: walk predecessors
    // until a task repeats; the walk's loop is a cycle.
    TaskHandle start = 0;
    while (in_degree[start] == 0) ++start;
    LargeArray<uint32_t>& seen_at = out_degree;
    std::fill(seen_at.begin(), seen_at.end(), 0);
    std::vector<TaskHandle> walk;
    TaskHandle t = start;
    while (seen_at[t] == 0) {
      walk.push_back(t);
      seen_at[t] = static_cast<uint32_t>(walk.size());
      for (const DependencyLink& l : g.in_.Get(t)) {
        if (in_degree[l.task] > 0) {
          t = l.task;
          break;
        }
      }
    }
    std::vector<TaskHandle> cycle(walk.begin() + (seen_at[t] - 1), walk.end());
    std::reverse(cycle.begin(), cycle.end());  // walked backwards
    cycle.push_back(cycle.front());
    std::vector<std::string> names;
    for (TaskHandle c : cycle) names.push_back(g.Name(c));
    return absl::InvalidArgumentError(
        absl::StrCat("dependencies: the plan has a cycle: ", absl::StrJoin(names, " -> ")));
  }
  g.in_.InitFromDegrees(in_degree, order);
  g.in_.Scatter(deps, /*outgoing=*/false);
  for (uint32_t p = 0; p < n; ++p) g.position_[order[p]] = p;
  *out = std::move(g);
  return absl::OkStatus();
}

// --- edits ------------------------------------------------------------------

void TaskGraph::Impl::Log(TaskHandle t) {
  if (change_log_overflow_) return;
  if (change_log_.size() >= std::max<size_t>(handle_count(), 64)) {
    change_log_overflow_ = true;
    change_log_.clear();
    return;
  }
  change_log_.push_back(t);
}

absl::StatusOr<TaskHandle> TaskGraph::Impl::AddTask(const TaskSpec& task) {
  CFLOW_RETURN_IF_ERROR(CheckSpec(task, "task"));
  if (handle_count() >= kMaxGraphTasks) {
    return absl::ResourceExhaustedError(
        absl::StrCat("task: the graph already holds the limit of ", kMaxGraphTasks, " tasks"));
  }
  const TaskHandle h = static_cast<TaskHandle>(handle_count());
  AppendTask(task);
  out_.AddNode();
  in_.AddNode();
  position_[h] = static_cast<uint32_t>(slots_.size());
  slots_.push_back(h);
  structure_stamp_ = NewStamp();
  Log(h);
  return h;
}

absl::Status TaskGraph::Impl::RemoveTask(TaskHandle t) {
  CFLOW_RETURN_IF_ERROR(CheckHandle("task", t));
  for (const DependencyLink& l : out_.Get(t)) {
    in_.Remove(l.task, t);
    Log(l.task);
  }
  for (const DependencyLink& l : in_.Get(t)) {
    out_.Remove(l.task, t);
    Log(l.task);
  }
  edge_count_ -= out_.Get(t).size() + in_.Get(t).size();
  out_.Clear(t);
  in_.Clear(t);
  slots_[position_[t]] = kNoTask;
  position_[t] = kNoTask;
  if (!ids_.empty() && !ids_[t].empty()) id_index_.erase(ids_[t]);
  --live_count_;
  structure_stamp_ = NewStamp();
  Log(t);
  MaybeCompactOrder();
  return absl::OkStatus();
}

void TaskGraph::Impl::MaybeCompactOrder() {
  if (slots_.size() < 1024 || slots_.size() < 2 * live_count_) return;
  size_t p = 0;
  for (TaskHandle t : slots_) {
    if (t == kNoTask) continue;
    position_[t] = static_cast<uint32_t>(p);
    slots_[p++] = t;
  }
  slots_.resize(p);
}

absl::Status TaskGraph::Impl::AddDependency(const Dependency& d, std::vector<TaskHandle>* cycle) {
  // At a million tasks every line below is a cache miss at a random handle:
  // ask for the independent ones (positions, list slots) at once, then for
  // both lists, instead of one after the other.
  if (d.predecessor < handle_count() && d.successor < handle_count()) {
    __builtin_prefetch(&position_[d.predecessor]);
    __builtin_prefetch(&position_[d.successor]);
    out_.PrefetchSlot(d.predecessor);
    in_.PrefetchSlot(d.successor);
  }
  CFLOW_RETURN_IF_ERROR(CheckHandle("dependency.predecessor", d.predecessor));
  CFLOW_RETURN_IF_ERROR(CheckHandle("dependency.successor", d.successor));
  if (d.predecessor == d.successor) {
    return absl::InvalidArgumentError(
        absl::StrCat("dependency: task ", Name(d.predecessor), " cannot depend on itself"));
  }
  if (!ValidType(d.type)) {
    return absl::InvalidArgumentError(
        absl::StrCat("dependency.type: unknown type ", static_cast<int>(d.type)));
  }
  if (d.lag < -kMaxLag || d.lag > kMaxLag) {
    return absl::InvalidArgumentError(
        absl::StrCat("dependency.lag: ", d.lag, " is outside [-", kMaxLag, ", ", kMaxLag, "]"));
  }
  out_.PrefetchLinks(d.predecessor);
  in_.PrefetchLinks(d.successor);
  const bool scan_out = out_.Get(d.predecessor).size() <= in_.Get(d.successor).size();
  const TaskHandle other = scan_out ? d.successor : d.predecessor;
  for (const DependencyLink& l : scan_out ? out_.Get(d.predecessor) : in_.Get(d.successor)) {
    if (l.task == other) {
      return absl::AlreadyExistsError(absl::StrCat("dependency: ", Name(d.predecessor), " -> ",
                                                   Name(d.successor), " already exists"));
    }
  }
  if (position_[d.predecessor] > position_[d.successor]) {
    std::vector<TaskHandle> path;
    if (!Reorder(d.predecessor, d.successor, &path)) {
      std::vector<std::string> names;
      for (TaskHandle c : path) names.push_back(Name(c));
      if (cycle != nullptr) *cycle = std::move(path);
      return absl::InvalidArgumentError(absl::StrCat("dependency: ", Name(d.predecessor), " -> ",
                                                     Name(d.successor), " would close the cycle ",
                                                     absl::StrJoin(names, " -> ")));
    }
  }
  out_.Append(d.predecessor, DependencyLink::Make(d.successor, d.type, d.lag));
  in_.Append(d.successor, DependencyLink::Make(d.predecessor, d.type, d.lag));
  ++edge_count_;
  structure_stamp_ = NewStamp();
  Log(d.predecessor);
  Log(d.successor);
  return absl::OkStatus();
}

void TaskGraph::Impl::VisitMarks::NewWalk(size_t n) {
  if (size < n) {
    std::free(entries);
    size = std::max(n, 2 * size);
    entries = static_cast<Entry*>(std::calloc(size, sizeof(Entry)));
    if (entries == nullptr) throw std::bad_alloc();
    epoch = 0;
  }
  if (++epoch == 0) {
    std::fill(entries, entries + size, Entry{0, kNoTask});
    epoch = 1;
  }
}

bool TaskGraph::Impl::Reorder(TaskHandle x, TaskHandle y, std::vector<TaskHandle>* cycle) {
  // Pearce & Kelly, "A dynamic topological sort algorithm for directed
  // acyclic graphs" (JEA 2006). Only tasks with positions in [pos(y), pos(x)]
  // are visited.
  visit_.NewWalk(handle_count());
  VisitMarks::Entry* const visit = visit_.entries;
  const uint32_t epoch = visit_.epoch;
  const uint32_t lower = position_[y];
  const uint32_t upper = position_[x];
  // Forward from y, staying below pos(x): reaching x means a cycle.
  delta_forward_.clear();
  stack_.clear();
  stack_.push_back(y);
  visit[y].epoch = epoch;
  while (!stack_.empty()) {
    const TaskHandle n = stack_.back();
    stack_.pop_back();
    delta_forward_.push_back(n);
    for (const DependencyLink& l : out_.Get(n)) {
      const TaskHandle w = l.task;
      if (w == x) {
        cycle->clear();
        for (TaskHandle c = n; c != kNoTask; c = c == y ? kNoTask : visit[c].parent) {
          cycle->push_back(c);
        }
        cycle->push_back(x);
        std::reverse(cycle->begin(), cycle->end());
        cycle->push_back(x);
        return false;
      }
      if (visit[w].epoch != epoch && position_[w] < upper) {
        visit[w] = VisitMarks::Entry{epoch, n};
        stack_.push_back(w);
      }
    }
  }
  // Backward from x, staying above pos(y).
  delta_backward_.clear();
  stack_.push_back(x);
  visit[x].epoch = epoch;
  while (!stack_.empty()) {
    const TaskHandle n = stack_.back();
    stack_.pop_back();
    delta_backward_.push_back(n);
    for (const DependencyLink& l : in_.Get(n)) {
      const TaskHandle w = l.task;
      if (visit[w].epoch != epoch && position_[w] > lower) {
        visit[w].epoch = epoch;
        stack_.push_back(w);
      }
    }
  }
  // Reassign the union of their positions: first everything that must come
  // before x (delta_backward_), then everything after y, each keeping its
  // relative order.
  auto by_position = [this](TaskHandle a, TaskHandle b) { return position_[a] < position_[b]; };
  std::sort(delta_forward_.begin(), delta_forward_.end(), by_position);
  std::sort(delta_backward_.begin(), delta_backward_.end(), by_position);
  freed_positions_.clear();
  for (TaskHandle t : delta_backward_) freed_positions_.push_back(position_[t]);
  for (TaskHandle t : delta_forward_) freed_positions_.push_back(position_[t]);
  std::inplace_merge(freed_positions_.begin(), freed_positions_.begin() + delta_backward_.size(),
                     freed_positions_.end());
  size_t i = 0;
  for (TaskHandle t : delta_backward_) {
    position_[t] = freed_positions_[i];
    slots_[freed_positions_[i++]] = t;
  }
  for (TaskHandle t : delta_forward_) {
    position_[t] = freed_positions_[i];
    slots_[freed_positions_[i++]] = t;
  }
  return true;
}

absl::Status TaskGraph::Impl::RemoveDependency(TaskHandle predecessor, TaskHandle successor) {
  CFLOW_RETURN_IF_ERROR(CheckHandle("dependency.predecessor", predecessor));
  CFLOW_RETURN_IF_ERROR(CheckHandle("dependency.successor", successor));
  if (!out_.Remove(predecessor, successor)) {
    return absl::NotFoundError(absl::StrCat("dependency: there is no dependency ",
                                            Name(predecessor), " -> ", Name(successor)));
  }
  in_.Remove(successor, predecessor);
  --edge_count_;
  structure_stamp_ = NewStamp();
  Log(predecessor);
  Log(successor);
  return absl::OkStatus();
}

absl::Status TaskGraph::Impl::SetDuration(TaskHandle t, int32_t duration) {
  CFLOW_RETURN_IF_ERROR(CheckHandle("task", t));
  if (duration < 0 || duration > kMaxTaskDuration) {
    return absl::InvalidArgumentError(absl::StrCat("duration: ", duration, " for task ", Name(t),
                                                   " is outside [0, ", kMaxTaskDuration, "]"));
  }
  duration_[t] = duration;
  Log(t);
  return absl::OkStatus();
}

absl::Status TaskGraph::Impl::SetStartNoEarlierThan(TaskHandle t, int32_t ordinal) {
  CFLOW_RETURN_IF_ERROR(CheckHandle("task", t));
  if (!ValidOptionalOrdinal(ordinal)) {
    return absl::InvalidArgumentError(absl::StrCat("start_no_earlier_than: ordinal ", ordinal,
                                                   " is outside [0, ", kMaxOrdinal, "]"));
  }
  snet_[t] = ordinal;
  Log(t);
  return absl::OkStatus();
}

absl::Status TaskGraph::Impl::SetFinishNoLaterThan(TaskHandle t, int32_t ordinal) {
  CFLOW_RETURN_IF_ERROR(CheckHandle("task", t));
  if (!ValidOptionalOrdinal(ordinal)) {
    return absl::InvalidArgumentError(absl::StrCat("finish_no_later_than: ordinal ", ordinal,
                                                   " is outside [0, ", kMaxOrdinal, "]"));
  }
  fnlt_[t] = ordinal;
  Log(t);
  return absl::OkStatus();
}

absl::Status TaskGraph::Impl::SetProgress(TaskHandle t, int32_t actual_start, int32_t actual_finish,
                                          int32_t percent_complete) {
  CFLOW_RETURN_IF_ERROR(CheckHandle("task", t));
  TaskSpec probe;
  probe.duration = duration_[t];
  probe.actual_start = actual_start;
  probe.actual_finish = actual_finish;
  probe.percent_complete = percent_complete;
  CFLOW_RETURN_IF_ERROR(CheckSpec(probe, absl::StrCat("progress of ", Name(t))));
  actual_start_[t] = actual_start;
  actual_finish_[t] = actual_finish;
  percent_[t] = static_cast<uint8_t>(percent_complete);
  Log(t);
  return absl::OkStatus();
}

absl::Status TaskGraph::Impl::SetAssignee(TaskHandle t, absl::string_view assignee) {
  CFLOW_RETURN_IF_ERROR(CheckHandle("task", t));
  CFLOW_RETURN_IF_ERROR(internal::CheckText("assignee", assignee, kMaxShortTextBytes));
  if (assignee_.empty()) {
    if (assignee.empty()) return absl::OkStatus();
    assignee_.resize(handle_count(), 0);
  }
  assignee_[t] = InternAssignee(assignee);
  return absl::OkStatus();
}

// --- queries ----------------------------------------------------------------

absl::StatusOr<TaskHandle> TaskGraph::Impl::Find(absl::string_view id) const {
  auto it = id_index_.find(id);
  if (it == id_index_.end()) {
    return absl::NotFoundError(absl::StrCat("no task with id \"", id, "\""));
  }
  return it->second;
}

absl::string_view TaskGraph::Impl::id(TaskHandle t) const {
  return ids_.empty() || t >= ids_.size() ? absl::string_view() : absl::string_view(ids_[t]);
}

std::string TaskGraph::Impl::Name(TaskHandle t) const {
  absl::string_view s = id(t);
  return s.empty() ? absl::StrCat("#", t) : std::string(s);
}

TaskSpec TaskGraph::Impl::Spec(TaskHandle t) const {
  TaskSpec s;
  s.id = std::string(id(t));
  s.duration = duration_[t];
  s.start_no_earlier_than = snet_[t];
  s.finish_no_later_than = fnlt_[t];
  s.actual_start = actual_start_[t];
  s.actual_finish = actual_finish_[t];
  s.percent_complete = percent_[t];
  s.assignee = assignee_names_[assignee_index(t)];
  return s;
}

bool TaskGraph::Impl::FindDependency(TaskHandle predecessor, TaskHandle successor,
                                     Dependency* out) const {
  if (!IsLive(predecessor) || !IsLive(successor)) return false;
  for (const DependencyLink& l : out_.Get(predecessor)) {
    if (l.task == successor) {
      if (out != nullptr) *out = Dependency{predecessor, successor, l.type(), l.lag()};
      return true;
    }
  }
  return false;
}

std::vector<Dependency> TaskGraph::Impl::Dependencies() const {
  std::vector<Dependency> all;
  all.reserve(edge_count_);
  for (TaskHandle t = 0; t < handle_count(); ++t) {
    if (!IsLive(t)) continue;
    for (const DependencyLink& l : out_.Get(t)) {
      all.push_back(Dependency{t, l.task, l.type(), l.lag()});
    }
  }
  return all;
}

std::vector<TaskHandle> TaskGraph::Impl::TopologicalOrder() const {
  std::vector<TaskHandle> order;
  order.reserve(live_count_);
  for (TaskHandle t : slots_) {
    if (t != kNoTask) order.push_back(t);
  }
  return order;
}

absl::Status TaskGraph::Impl::CheckInvariants() const {
  size_t live = 0, out_edges = 0, in_edges = 0;
  for (uint32_t p = 0; p < slots_.size(); ++p) {
    const TaskHandle t = slots_[p];
    if (t == kNoTask) continue;
    if (t >= handle_count() || position_[t] != p) {
      return absl::InternalError(absl::StrCat("slot ", p, " and task ", t, " disagree"));
    }
  }
  for (TaskHandle t = 0; t < handle_count(); ++t) {
    if (!IsLive(t)) {
      if (!out_.Get(t).empty() || !in_.Get(t).empty()) {
        return absl::InternalError(absl::StrCat("dead task ", t, " has edges"));
      }
      continue;
    }
    ++live;
    if (position_[t] >= slots_.size() || slots_[position_[t]] != t) {
      return absl::InternalError(absl::StrCat("task ", t, " has no slot"));
    }
    for (const DependencyLink& l : out_.Get(t)) {
      ++out_edges;
      if (!IsLive(l.task)) return absl::InternalError(absl::StrCat("edge to dead ", l.task));
      if (position_[t] >= position_[l.task]) {
        return absl::InternalError(absl::StrCat("edge ", t, " -> ", l.task, " against order"));
      }
      bool mirrored = false;
      for (const DependencyLink& m : in_.Get(l.task)) {
        mirrored |= m.task == t && m.packed == l.packed;
      }
      if (!mirrored) return absl::InternalError(absl::StrCat("edge ", t, " not mirrored"));
    }
    in_edges += in_.Get(t).size();
  }
  if (live != live_count_ || out_edges != edge_count_ || in_edges != edge_count_) {
    return absl::InternalError("counts disagree");
  }
  return absl::OkStatus();
}

// --- TaskGraph: the public face --------------------------------------------

TaskGraph::TaskGraph() : impl_(std::make_unique<Impl>()) {}
TaskGraph::~TaskGraph() = default;
TaskGraph::TaskGraph(const TaskGraph& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
TaskGraph::TaskGraph(TaskGraph&& other) noexcept = default;
TaskGraph& TaskGraph::operator=(TaskGraph&& other) noexcept = default;

absl::StatusOr<TaskGraph> TaskGraph::Build(absl::Span<const TaskSpec> tasks,
                                           absl::Span<const Dependency> dependencies) {
  TaskGraph g;
  CFLOW_RETURN_IF_ERROR(Impl::Build(tasks, dependencies, g.impl_.get()));
  return g;
}

absl::StatusOr<TaskHandle> TaskGraph::AddTask(const TaskSpec& task) { return impl_->AddTask(task); }
absl::Status TaskGraph::RemoveTask(TaskHandle task) { return impl_->RemoveTask(task); }
absl::Status TaskGraph::AddDependency(const Dependency& dependency,
                                      std::vector<TaskHandle>* cycle) {
  return impl_->AddDependency(dependency, cycle);
}
absl::Status TaskGraph::RemoveDependency(TaskHandle predecessor, TaskHandle successor) {
  return impl_->RemoveDependency(predecessor, successor);
}
absl::Status TaskGraph::SetDuration(TaskHandle task, int32_t duration) {
  return impl_->SetDuration(task, duration);
}
absl::Status TaskGraph::SetStartNoEarlierThan(TaskHandle task, int32_t ordinal) {
  return impl_->SetStartNoEarlierThan(task, ordinal);
}
absl::Status TaskGraph::SetFinishNoLaterThan(TaskHandle task, int32_t ordinal) {
  return impl_->SetFinishNoLaterThan(task, ordinal);
}
absl::Status TaskGraph::SetProgress(TaskHandle task, int32_t actual_start, int32_t actual_finish,
                                    int32_t percent_complete) {
  return impl_->SetProgress(task, actual_start, actual_finish, percent_complete);
}
absl::Status TaskGraph::SetAssignee(TaskHandle task, absl::string_view assignee) {
  return impl_->SetAssignee(task, assignee);
}

size_t TaskGraph::handle_count() const { return impl_->handle_count(); }
size_t TaskGraph::task_count() const { return impl_->task_count(); }
size_t TaskGraph::dependency_count() const { return impl_->dependency_count(); }
bool TaskGraph::IsLive(TaskHandle task) const { return impl_->IsLive(task); }
absl::StatusOr<TaskHandle> TaskGraph::Find(absl::string_view id) const { return impl_->Find(id); }
absl::string_view TaskGraph::id(TaskHandle task) const { return impl_->id(task); }
std::string TaskGraph::Name(TaskHandle task) const { return impl_->Name(task); }
TaskSpec TaskGraph::Spec(TaskHandle task) const { return impl_->Spec(task); }
int32_t TaskGraph::duration(TaskHandle t) const { return impl_->duration(t); }
int32_t TaskGraph::start_no_earlier_than(TaskHandle t) const {
  return impl_->start_no_earlier_than(t);
}
int32_t TaskGraph::finish_no_later_than(TaskHandle t) const {
  return impl_->finish_no_later_than(t);
}
int32_t TaskGraph::actual_start(TaskHandle t) const { return impl_->actual_start(t); }
int32_t TaskGraph::actual_finish(TaskHandle t) const { return impl_->actual_finish(t); }
int32_t TaskGraph::percent_complete(TaskHandle t) const { return impl_->percent_complete(t); }
uint32_t TaskGraph::assignee_index(TaskHandle t) const { return impl_->assignee_index(t); }
const std::vector<std::string>& TaskGraph::assignee_names() const {
  return impl_->assignee_names();
}
absl::Span<const DependencyLink> TaskGraph::successors(TaskHandle t) const {
  return impl_->successors(t);
}
absl::Span<const DependencyLink> TaskGraph::predecessors(TaskHandle t) const {
  return impl_->predecessors(t);
}
bool TaskGraph::FindDependency(TaskHandle predecessor, TaskHandle successor,
                               Dependency* out) const {
  return impl_->FindDependency(predecessor, successor, out);
}
std::vector<Dependency> TaskGraph::Dependencies() const { return impl_->Dependencies(); }
uint32_t TaskGraph::position(TaskHandle t) const { return impl_->position(t); }
absl::Span<const TaskHandle> TaskGraph::order_slots() const { return impl_->order_slots(); }
std::vector<TaskHandle> TaskGraph::TopologicalOrder() const { return impl_->TopologicalOrder(); }
absl::Span<const TaskHandle> TaskGraph::change_log() const { return impl_->change_log(); }
bool TaskGraph::change_log_overflowed() const { return impl_->change_log_overflowed(); }
void TaskGraph::ClearChangeLog() { impl_->ClearChangeLog(); }
uint64_t TaskGraph::structure_stamp() const { return impl_->structure_stamp(); }
absl::Status TaskGraph::CheckInvariants() const { return impl_->CheckInvariants(); }

}  // namespace collabflow
