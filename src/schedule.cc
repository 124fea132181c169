#include "collabflow/schedule.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace collabflow {

bool ScheduledTask::operator==(const ScheduledTask& o) const {
  return early_start == o.early_start && early_finish == o.early_finish &&
         late_start == o.late_start && late_finish == o.late_finish &&
         total_float == o.total_float && free_float == o.free_float && driver == o.driver &&
         driver_kind == o.driver_kind;
}

// The graph's structure in slot (= topological) order: links name slots, so
// that a full pass reads predecessors' and successors' times from nearby
// memory instead of jumping across the whole handle space.
struct Schedule::Compiled {
  uint64_t stamp = 0;
  std::vector<TaskHandle> task_at;  // slot -> handle
  std::vector<uint32_t> slot_of;    // handle -> slot or kNoTask
  std::vector<uint32_t> in_begin;   // slot -> first entry in `in`; size slots + 1
  std::vector<DependencyLink> in;   // .task = predecessor slot
  std::vector<uint32_t> out_begin;
  std::vector<DependencyLink> out;  // .task = successor slot
};

Schedule::Inputs Schedule::Inputs::Of(const TaskGraph& g, TaskHandle t) {
  Inputs in;
  in.duration = g.duration(t);
  in.start_no_earlier_than = g.start_no_earlier_than(t);
  in.finish_no_later_than = g.finish_no_later_than(t);
  in.actual_start = g.actual_start(t);
  in.actual_finish = g.actual_finish(t);
  in.percent_complete = g.percent_complete(t);
  return in;
}

const ScheduledTask& Schedule::Removed() {
  static const ScheduledTask removed = [] {
    ScheduledTask x;
    x.driver_kind = StartDriver::kRemoved;
    return x;
  }();
  return removed;
}

// The two per-task steps of the critical path method. Both the full pass and
// the incremental update call exactly these (through different adjacency
// views), which is why their results agree.
class ScheduleKernel {
 public:
  // Dates beyond this are refused (OutOfRange); clamping at it keeps int32
  // arithmetic from overflowing on absurd plans before the check fires.
  static constexpr int32_t kLimit = kMaxOrdinal * 64;

  // `for_each_pred(visit)` calls visit(times, packed, handle_fn) per
  // predecessor, handle_fn() giving the predecessor's handle.
  template <typename ForEachPred>
  static void Forward(const Schedule::Inputs& in, const ScheduleOptions& o, ScheduledTask& x,
                      bool* out_of_range, ForEachPred&& for_each_pred) {
    const int32_t dur = in.duration;
    const int32_t actual_start = in.actual_start;
    if (actual_start != kNoDate) {
      x.early_start = actual_start;
      x.driver = kNoTask;
      x.driver_kind = StartDriver::kActualStart;
      const int32_t actual_finish = in.actual_finish;
      if (actual_finish != kNoDate) {
        x.early_finish = actual_finish + 1;
      } else if (o.status_date == kNoDate) {
        x.early_finish = actual_start + dur;
      } else {
        const int32_t remaining = dur - dur * in.percent_complete / 100;
        x.early_finish = std::max(actual_start, o.status_date) + remaining;
      }
      return;
    }
    int32_t es = o.project_start;
    StartDriver kind = StartDriver::kProjectStart;
    TaskHandle driver = kNoTask;
    if (o.status_date != kNoDate && o.status_date > es) {
      es = o.status_date;
      kind = StartDriver::kStatusDate;
    }
    const int32_t snet = in.start_no_earlier_than;
    if (snet != kNoDate && snet > es) {
      es = snet;
      kind = StartDriver::kStartNoEarlierThan;
    }
    for_each_pred([&](const ScheduledTask& p, int32_t packed, auto handle_fn) {
      const int type = packed & 3;
      // FS (0): EF(p); SS (1): ES(p); FF (2): EF(p) - dur; SF (3): ES(p) - dur.
      const int32_t bound =
          ((type & 1) ? p.early_start : p.early_finish) + (packed >> 2) - ((type & 2) ? dur : 0);
      if (bound >= es) {
        // Ties go to the smallest handle, so the driver does not depend on
        // adjacency order (which edits and serialization may permute).
        const TaskHandle h = handle_fn();
        if (bound > es || h < driver) {
          es = bound;
          kind = StartDriver::kPredecessor;
          driver = h;
        }
      }
    });
    if (es > kLimit) {
      es = kLimit;
      *out_of_range = true;
    }
    x.early_start = es;
    x.early_finish = es + dur;
    x.driver = driver;
    x.driver_kind = kind;
  }

  // `for_each_succ(visit)` calls visit(times, packed) per successor.
  template <typename ForEachSucc>
  static void Backward(const Schedule::Inputs& in, int32_t project_finish, ScheduledTask& x,
                       bool* out_of_range, ForEachSucc&& for_each_succ) {
    const int32_t span = x.early_finish - x.early_start;
    int32_t lf = project_finish;
    const int32_t fnlt = in.finish_no_later_than;
    if (fnlt != kNoDate && fnlt + 1 < lf) lf = fnlt + 1;
    int32_t ff = std::numeric_limits<int32_t>::max();
    bool any = false;
    for_each_succ([&](const ScheduledTask& s, int32_t packed) {
      any = true;
      const int type = packed & 3;
      const int32_t lag = packed >> 2;
      // Successor side: FS/SS bound its start, FF/SF its finish.
      const int32_t s_late = (type & 2) ? s.late_finish : s.late_start;
      const int32_t s_early = (type & 2) ? s.early_finish : s.early_start;
      // Own side: FS/FF constrain our finish, SS/SF our start.
      const bool own_start = type & 1;
      lf = std::min(lf, s_late - lag + (own_start ? span : 0));
      ff = std::min(ff, s_early - lag - (own_start ? x.early_start : x.early_finish));
    });
    if (!any) ff = project_finish - x.early_finish;
    if (lf < -kLimit) {
      lf = -kLimit;
      *out_of_range = true;
    }
    x.late_finish = lf;
    x.late_start = lf - span;
    x.total_float = lf - x.early_finish;
    x.free_float = std::min(ff, x.total_float);
  }

  static std::shared_ptr<const Schedule::Compiled> Compile(const TaskGraph& g) {
    auto c = std::make_shared<Schedule::Compiled>();
    c->stamp = g.structure_stamp();
    c->task_at = g.TopologicalOrder();
    const size_t n = c->task_at.size();
    c->slot_of.assign(g.handle_count(), kNoTask);
    for (size_t i = 0; i < n; ++i) c->slot_of[c->task_at[i]] = static_cast<uint32_t>(i);
    c->in_begin.resize(n + 1);
    c->out_begin.resize(n + 1);
    c->in.resize(g.dependency_count());
    c->out.resize(g.dependency_count());
    uint32_t ki = 0, ko = 0;
    for (size_t i = 0; i < n; ++i) {
      const TaskHandle t = c->task_at[i];
      c->in_begin[i] = ki;
      for (const DependencyLink& l : g.predecessors(t)) {
        c->in[ki++] = DependencyLink{c->slot_of[l.task], l.packed};
      }
      c->out_begin[i] = ko;
      for (const DependencyLink& l : g.successors(t)) {
        c->out[ko++] = DependencyLink{c->slot_of[l.task], l.packed};
      }
    }
    c->in_begin[n] = ki;
    c->out_begin[n] = ko;
    return c;
  }

  static int32_t ProjectFinish(const Schedule& s) {
    int32_t pf = std::numeric_limits<int32_t>::min();
    bool any = false;
    for (const ScheduledTask& x : s.times_) {
      if (x.driver_kind == StartDriver::kRemoved) continue;
      pf = std::max(pf, x.early_finish);
      any = true;
    }
    return any ? pf : s.options_.project_start;
  }

  static absl::Status OutOfRange() {
    return absl::OutOfRangeError(absl::StrCat("schedule: a date leaves the range [-", kLimit, ", ",
                                              kLimit, "] of working-day ordinals"));
  }

  static absl::Status Full(const TaskGraph& g, Schedule* s) {
    s->last_update_full_ = true;
    s->last_update_visits_ = g.task_count();
    const bool same_structure =
        s->compiled_ != nullptr && s->compiled_->stamp == g.structure_stamp() &&
        s->inputs_.size() == s->compiled_->task_at.size() && !g.change_log_overflowed();
    if (!same_structure) s->compiled_ = Compile(g);
    const Schedule::Compiled& c = *s->compiled_;
    const size_t n = c.task_at.size();
    if (same_structure) {
      // Only the logged tasks' inputs can have changed.
      for (TaskHandle t : g.change_log()) {
        if (g.IsLive(t)) s->inputs_[c.slot_of[t]] = Schedule::Inputs::Of(g, t);
      }
    } else {
      s->inputs_.resize(n);
      for (size_t i = 0; i < n; ++i) s->inputs_[i] = Schedule::Inputs::Of(g, c.task_at[i]);
    }
    s->times_.resize(n);
    s->slot_of_ = c.slot_of;
    s->handle_at_ = c.task_at;
    const Schedule::Inputs* inputs = s->inputs_.data();
    ScheduledTask* times = s->times_.data();
    const TaskHandle* task_at = c.task_at.data();
    const uint32_t* in_begin = c.in_begin.data();
    const DependencyLink* in = c.in.data();
    const uint32_t* out_begin = c.out_begin.data();
    const DependencyLink* out = c.out.data();
    bool out_of_range = false;
    for (size_t i = 0; i < n; ++i) {
      Forward(inputs[i], s->options_, times[i], &out_of_range, [&](auto&& visit) {
        for (uint32_t k = in_begin[i]; k < in_begin[i + 1]; ++k) {
          const DependencyLink l = in[k];
          visit(times[l.task], l.packed, [&] { return task_at[l.task]; });
        }
      });
    }
    s->project_finish_ = ProjectFinish(*s);
    const int32_t pf = s->project_finish_;
    for (size_t i = n; i-- > 0;) {
      Backward(inputs[i], pf, times[i], &out_of_range, [&](auto&& visit) {
        for (uint32_t k = out_begin[i]; k < out_begin[i + 1]; ++k) {
          visit(times[out[k].task], out[k].packed);
        }
      });
    }
    return out_of_range ? OutOfRange() : absl::OkStatus();
  }

  static absl::Status Incremental(const TaskGraph& g, Schedule* s);
};

absl::StatusOr<Schedule> Schedule::Compute(const TaskGraph& graph, const ScheduleOptions& options) {
  const std::pair<const char*, int32_t> checks[] = {{"project_start", options.project_start},
                                                    {"status_date", options.status_date}};
  for (const auto& [name, d] : checks) {
    if (d == kNoDate && name == checks[1].first) continue;  // no status date
    if (d < 0 || d > kMaxOrdinal) {
      return absl::InvalidArgumentError(absl::StrCat("schedule options.", name, ": ordinal ", d,
                                                     " is outside [0, ", kMaxOrdinal, "]"));
    }
  }
  Schedule s;
  s.options_ = options;
  if (absl::Status st = ScheduleKernel::Full(graph, &s); !st.ok()) return st;
  return s;
}

absl::Status Schedule::Recompute(const TaskGraph& graph) {
  return ScheduleKernel::Full(graph, this);
}

absl::Status ScheduleKernel::Incremental(const TaskGraph& g, Schedule* s) {
  const size_t n = g.handle_count();
  const auto log = g.change_log();
  const size_t budget = std::max<size_t>(256, n / 4);
  if (g.change_log_overflowed() || log.size() * 16 > n + 256) return Full(g, s);
  s->slot_of_.resize(n, kNoTask);
  bool out_of_range = false;
  bool rescan = false;
  const int32_t old_pf = s->project_finish_;
  int32_t pf = old_pf;

  using Item = std::pair<uint32_t, TaskHandle>;  // (position, task)
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> forward;
  absl::flat_hash_set<TaskHandle> queued;
  std::vector<TaskHandle> backward_seeds;
  for (TaskHandle t : log) {
    uint32_t& slot = s->slot_of_[t];
    if (!g.IsLive(t)) {
      if (slot != kNoTask && s->times_[slot].driver_kind != StartDriver::kRemoved) {
        s->times_[slot] = Schedule::Removed();
        rescan = true;
      }
      continue;
    }
    if (slot == kNoTask) {  // a new task
      slot = static_cast<uint32_t>(s->times_.size());
      s->times_.push_back(ScheduledTask());
      s->inputs_.emplace_back();
      s->handle_at_.push_back(t);
    }
    s->inputs_[slot] = Schedule::Inputs::Of(g, t);
    if (queued.insert(t).second) forward.push({g.position(t), t});
  }
  ScheduledTask* times = s->times_.data();
  const Schedule::Inputs* inputs = s->inputs_.data();
  const uint32_t* slot_of = s->slot_of_.data();
  size_t visits = 0;
  while (!forward.empty()) {
    const TaskHandle t = forward.top().second;
    forward.pop();
    if (++visits > budget) return Full(g, s);
    ScheduledTask& x = times[slot_of[t]];
    const int32_t old_es = x.early_start, old_ef = x.early_finish;
    Forward(inputs[slot_of[t]], s->options_, x, &out_of_range, [&](auto&& visit) {
      for (const DependencyLink& l : g.predecessors(t)) {
        visit(times[slot_of[l.task]], l.packed, [&] { return l.task; });
      }
    });
    backward_seeds.push_back(t);
    if (x.early_start == old_es && x.early_finish == old_ef) continue;
    if (x.early_finish > pf) pf = x.early_finish;
    if (old_ef == old_pf && x.early_finish < old_pf) rescan = true;
    for (const DependencyLink& l : g.successors(t)) {
      if (queued.insert(l.task).second) forward.push({g.position(l.task), l.task});
    }
    // Free float of predecessors depends on this task's early dates.
    for (const DependencyLink& l : g.predecessors(t)) backward_seeds.push_back(l.task);
  }
  if (rescan) pf = ProjectFinish(*s);
  auto backward_step = [&](TaskHandle t) {
    Backward(inputs[slot_of[t]], pf, times[slot_of[t]], &out_of_range, [&](auto&& visit) {
      for (const DependencyLink& l : g.successors(t)) visit(times[slot_of[l.task]], l.packed);
    });
  };
  if (pf != old_pf) {
    // Every task's late dates are anchored at the project finish.
    s->project_finish_ = pf;
    const auto slots = g.order_slots();
    for (size_t i = slots.size(); i-- > 0;) {
      if (slots[i] != kNoTask) backward_step(slots[i]);
    }
    visits += g.task_count();
  } else {
    std::priority_queue<Item> backward;  // latest position first
    queued.clear();
    for (TaskHandle t : backward_seeds) {
      if (queued.insert(t).second) backward.push({g.position(t), t});
    }
    while (!backward.empty()) {
      const TaskHandle t = backward.top().second;
      backward.pop();
      if (++visits > budget) return Full(g, s);
      const ScheduledTask& x = times[slot_of[t]];
      const int32_t old_ls = x.late_start, old_lf = x.late_finish;
      backward_step(t);
      if (x.late_start == old_ls && x.late_finish == old_lf) continue;
      for (const DependencyLink& l : g.predecessors(t)) {
        if (queued.insert(l.task).second) backward.push({g.position(l.task), l.task});
      }
    }
  }
  s->last_update_full_ = false;
  s->last_update_visits_ = visits;
  return out_of_range ? OutOfRange() : absl::OkStatus();
}

absl::Status Schedule::Update(const TaskGraph& graph) {
  return ScheduleKernel::Incremental(graph, this);
}

std::vector<ScheduledTask> Schedule::TasksByHandle() const {
  std::vector<ScheduledTask> out(slot_of_.size());
  for (TaskHandle t = 0; t < out.size(); ++t) out[t] = (*this)[t];
  return out;
}

std::vector<TaskHandle> Schedule::NegativeFloatTasks(const TaskGraph& graph) const {
  std::vector<TaskHandle> out;
  for (TaskHandle t = 0; t < slot_of_.size(); ++t) {
    if (graph.IsLive(t) && (*this)[t].total_float < 0) out.push_back(t);
  }
  return out;
}

std::vector<TaskHandle> Schedule::CriticalTasks(const TaskGraph& graph) const {
  std::vector<TaskHandle> out;
  for (TaskHandle t : graph.order_slots()) {
    if (t != kNoTask && (*this)[t].total_float <= 0) out.push_back(t);
  }
  return out;
}

std::vector<TaskHandle> Schedule::CriticalPath(const TaskGraph& graph) const {
  TaskHandle last = kNoTask;
  const Schedule& s = *this;
  for (TaskHandle t = 0; t < slot_of_.size(); ++t) {
    if (!graph.IsLive(t)) continue;
    if (last == kNoTask || s[t].early_finish > s[last].early_finish ||
        (s[t].early_finish == s[last].early_finish && s[t].total_float < s[last].total_float)) {
      last = t;
    }
  }
  if (last == kNoTask) return {};
  return DrivingChain(last);
}

std::vector<TaskHandle> Schedule::DrivingChain(TaskHandle task) const {
  std::vector<TaskHandle> chain;
  for (TaskHandle t = task; t != kNoTask && t < slot_of_.size() && chain.size() <= slot_of_.size();
       t = (*this)[t].driver) {
    chain.push_back(t);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace collabflow
