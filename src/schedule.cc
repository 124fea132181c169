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

// The two per-task steps of the critical path method. Both the full pass and
// the incremental update call exactly these, which is why their results agree.
class ScheduleKernel {
 public:
  // Dates beyond this are refused (OutOfRange); clamping at it keeps int32
  // arithmetic from overflowing on absurd plans before the check fires.
  static constexpr int32_t kLimit = kMaxOrdinal * 64;

  static void Forward(const TaskGraph& g, const ScheduleOptions& o, TaskHandle t,
                      ScheduledTask* times, bool* out_of_range) {
    ScheduledTask& x = times[t];
    const int32_t dur = g.duration(t);
    const int32_t actual_start = g.actual_start(t);
    if (actual_start != kNoDate) {
      x.early_start = actual_start;
      x.driver = kNoTask;
      x.driver_kind = StartDriver::kActualStart;
      const int32_t actual_finish = g.actual_finish(t);
      if (actual_finish != kNoDate) {
        x.early_finish = actual_finish + 1;
      } else if (o.status_date == kNoDate) {
        x.early_finish = actual_start + dur;
      } else {
        const int32_t remaining = dur - dur * g.percent_complete(t) / 100;
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
    const int32_t snet = g.start_no_earlier_than(t);
    if (snet != kNoDate && snet > es) {
      es = snet;
      kind = StartDriver::kStartNoEarlierThan;
    }
    for (const DependencyLink& l : g.predecessors(t)) {
      const ScheduledTask& p = times[l.task];
      const int type = l.packed & 3;
      // FS (0): EF(p); SS (1): ES(p); FF (2): EF(p) - dur; SF (3): ES(p) - dur.
      const int32_t bound =
          ((type & 1) ? p.early_start : p.early_finish) + l.lag() - ((type & 2) ? dur : 0);
      // Ties go to the smallest handle, so the driver does not depend on
      // adjacency order (which edits and serialization may permute).
      if (bound > es || (bound == es && l.task < driver)) {
        es = bound;
        kind = StartDriver::kPredecessor;
        driver = l.task;
      }
    }
    if (es > kLimit) {
      es = kLimit;
      *out_of_range = true;
    }
    x.early_start = es;
    x.early_finish = es + dur;
    x.driver = driver;
    x.driver_kind = kind;
  }

  static void Backward(const TaskGraph& g, TaskHandle t, int32_t project_finish,
                       ScheduledTask* times, bool* out_of_range) {
    ScheduledTask& x = times[t];
    const int32_t span = x.early_finish - x.early_start;
    int32_t lf = project_finish;
    const int32_t fnlt = g.finish_no_later_than(t);
    if (fnlt != kNoDate && fnlt + 1 < lf) lf = fnlt + 1;
    auto succs = g.successors(t);
    int32_t ff =
        succs.empty() ? project_finish - x.early_finish : std::numeric_limits<int32_t>::max();
    for (const DependencyLink& l : succs) {
      const ScheduledTask& s = times[l.task];
      const int type = l.packed & 3;
      const int32_t lag = l.lag();
      // Successor side: FS/SS bound its start, FF/SF its finish.
      const int32_t s_late = (type & 2) ? s.late_finish : s.late_start;
      const int32_t s_early = (type & 2) ? s.early_finish : s.early_start;
      // Own side: FS/FF constrain our finish, SS/SF our start.
      const bool own_start = type & 1;
      const int32_t bound = s_late - lag + (own_start ? span : 0);
      const int32_t slack = s_early - lag - (own_start ? x.early_start : x.early_finish);
      lf = std::min(lf, bound);
      ff = std::min(ff, slack);
    }
    if (lf < -kLimit) {
      lf = -kLimit;
      *out_of_range = true;
    }
    x.late_finish = lf;
    x.late_start = lf - span;
    x.total_float = lf - x.early_finish;
    x.free_float = std::min(ff, x.total_float);
  }

  static void MarkRemoved(ScheduledTask* x) {
    *x = ScheduledTask();
    x->driver_kind = StartDriver::kRemoved;
  }

  static int32_t ProjectFinish(const TaskGraph& g, const Schedule& s) {
    int32_t pf = std::numeric_limits<int32_t>::min();
    bool any = false;
    for (TaskHandle t : g.order_slots()) {
      if (t == kNoTask) continue;
      pf = std::max(pf, s.times_[t].early_finish);
      any = true;
    }
    return any ? pf : s.options_.project_start;
  }

  static absl::Status Full(const TaskGraph& g, Schedule* s) {
    s->last_update_full_ = true;
    s->last_update_visits_ = g.task_count();
    s->times_.resize(g.handle_count());
    ScheduledTask* times = s->times_.data();
    bool out_of_range = false;
    for (TaskHandle t = 0; t < g.handle_count(); ++t) {
      if (!g.IsLive(t)) MarkRemoved(&times[t]);
    }
    const auto slots = g.order_slots();
    for (TaskHandle t : slots) {
      if (t != kNoTask) Forward(g, s->options_, t, times, &out_of_range);
    }
    s->project_finish_ = ProjectFinish(g, *s);
    for (size_t i = slots.size(); i-- > 0;) {
      if (slots[i] != kNoTask) Backward(g, slots[i], s->project_finish_, times, &out_of_range);
    }
    if (out_of_range) {
      return absl::OutOfRangeError(absl::StrCat("schedule: a date leaves the range [-", kLimit,
                                                ", ", kLimit, "] of working-day ordinals"));
    }
    return absl::OkStatus();
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

absl::Status ScheduleKernel::Incremental(const TaskGraph& g, Schedule* s) {
  const size_t n = g.handle_count();
  const auto log = g.change_log();
  const size_t budget = std::max<size_t>(256, n / 4);
  if (g.change_log_overflowed() || log.size() * 16 > n + 256) return Full(g, s);
  const size_t old_size = s->times_.size();
  s->times_.resize(n);
  ScheduledTask* times = s->times_.data();
  for (size_t t = old_size; t < n; ++t) times[t] = ScheduledTask();
  bool out_of_range = false;
  bool rescan = false;
  const int32_t old_pf = s->project_finish_;
  int32_t pf = old_pf;

  using Item = std::pair<uint32_t, TaskHandle>;  // (position, task)
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> forward;
  absl::flat_hash_set<TaskHandle> queued;
  std::vector<TaskHandle> backward_seeds;
  for (TaskHandle t : log) {
    if (!g.IsLive(t)) {
      if (t < old_size) rescan |= times[t].driver_kind != StartDriver::kRemoved;
      MarkRemoved(&times[t]);
      continue;
    }
    if (queued.insert(t).second) forward.push({g.position(t), t});
  }
  size_t visits = 0;
  while (!forward.empty()) {
    const TaskHandle t = forward.top().second;
    forward.pop();
    if (++visits > budget) return Full(g, s);
    const int32_t old_es = times[t].early_start, old_ef = times[t].early_finish;
    Forward(g, s->options_, t, times, &out_of_range);
    backward_seeds.push_back(t);
    if (times[t].early_start == old_es && times[t].early_finish == old_ef) continue;
    if (times[t].early_finish > pf) pf = times[t].early_finish;
    if (old_ef == old_pf && times[t].early_finish < old_pf) rescan = true;
    for (const DependencyLink& l : g.successors(t)) {
      if (queued.insert(l.task).second) forward.push({g.position(l.task), l.task});
    }
    // Free float of predecessors depends on this task's early dates.
    for (const DependencyLink& l : g.predecessors(t)) backward_seeds.push_back(l.task);
  }
  if (rescan) pf = ProjectFinish(g, *s);
  if (pf != old_pf) {
    // Every task's late dates are anchored at the project finish.
    s->project_finish_ = pf;
    const auto slots = g.order_slots();
    for (size_t i = slots.size(); i-- > 0;) {
      if (slots[i] != kNoTask) Backward(g, slots[i], pf, times, &out_of_range);
    }
    visits += g.task_count();
  } else {
    using MaxItem = std::pair<uint32_t, TaskHandle>;
    std::priority_queue<MaxItem> backward;
    queued.clear();
    for (TaskHandle t : backward_seeds) {
      if (queued.insert(t).second) backward.push({g.position(t), t});
    }
    while (!backward.empty()) {
      const TaskHandle t = backward.top().second;
      backward.pop();
      if (++visits > budget) return Full(g, s);
      const int32_t old_ls = times[t].late_start, old_lf = times[t].late_finish;
      Backward(g, t, pf, times, &out_of_range);
      if (times[t].late_start == old_ls && times[t].late_finish == old_lf) continue;
      for (const DependencyLink& l : g.predecessors(t)) {
        if (queued.insert(l.task).second) backward.push({g.position(l.task), l.task});
      }
    }
  }
  s->last_update_full_ = false;
  s->last_update_visits_ = visits;
  if (out_of_range) {
    return absl::OutOfRangeError(absl::StrCat("schedule: a date leaves the range [-", kLimit, ", ",
                                              kLimit, "] of working-day ordinals"));
  }
  return absl::OkStatus();
}

absl::Status Schedule::Update(const TaskGraph& graph) {
  return ScheduleKernel::Incremental(graph, this);
}

std::vector<TaskHandle> Schedule::NegativeFloatTasks(const TaskGraph& graph) const {
  std::vector<TaskHandle> out;
  for (TaskHandle t = 0; t < times_.size(); ++t) {
    if (graph.IsLive(t) && times_[t].total_float < 0) out.push_back(t);
  }
  return out;
}

std::vector<TaskHandle> Schedule::CriticalTasks(const TaskGraph& graph) const {
  std::vector<TaskHandle> out;
  for (TaskHandle t : graph.order_slots()) {
    if (t != kNoTask && times_[t].total_float <= 0) out.push_back(t);
  }
  return out;
}

std::vector<TaskHandle> Schedule::CriticalPath(const TaskGraph& graph) const {
  TaskHandle last = kNoTask;
  for (TaskHandle t = 0; t < times_.size(); ++t) {
    if (!graph.IsLive(t)) continue;
    if (last == kNoTask || times_[t].early_finish > times_[last].early_finish ||
        (times_[t].early_finish == times_[last].early_finish &&
         times_[t].total_float < times_[last].total_float)) {
      last = t;
    }
  }
  if (last == kNoTask) return {};
  return DrivingChain(last);
}

std::vector<TaskHandle> Schedule::DrivingChain(TaskHandle task) const {
  std::vector<TaskHandle> chain;
  for (TaskHandle t = task; t != kNoTask && t < times_.size() && chain.size() <= times_.size();
       t = times_[t].driver) {
    chain.push_back(t);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace collabflow
