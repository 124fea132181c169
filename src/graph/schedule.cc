#include "collabflow/schedule.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/large_array.h"
#include "graph/task_graph_impl.h"

namespace collabflow {

bool ScheduledTask::operator==(const ScheduledTask& o) const {
  return early_start == o.early_start && early_finish == o.early_finish &&
         late_start == o.late_start && late_finish == o.late_finish &&
         total_float == o.total_float && free_float == o.free_float && driver == o.driver &&
         driver_kind == o.driver_kind;
}

namespace {

using internal::LargeArray;

// The graph's structure in slot (= topological) order: the forward pass
// pulls from each task's predecessor links, reading them front to back. A
// link's `ref` indexes the other task's dates in the pass's dense per-slot
// array, and bit 31 (kFlag) says whether this task's own duration or span
// enters the bound: branch-free inner loops follow.
struct Compiled {
  uint64_t stamp = 0;
  LargeArray<TaskHandle> task_at;  // slot -> handle
  LargeArray<uint32_t> slot_of;    // handle -> slot or kNoTask
  static constexpr uint32_t kFlag = 0x80000000u;
  static constexpr uint32_t kMask = ~kFlag;
  struct Link {
    uint32_t ref;
    int32_t lag;
  };
  // Predecessor p -> this, grouped by this task's slot. ref = 2 * slot(p)
  // + (SS, SF: 0 = ES(p); FS, FF: 1 = EF(p)), into (ES, EF) pairs; flag =
  // the bound is on our finish (FF, SF): subtract our duration.
  LargeArray<uint32_t> in_begin;  // slot -> first entry in `in`; size slots + 1
  LargeArray<Link> in;

  static uint32_t SlotOfIn(const Link& l) { return (l.ref & kMask) >> 1; }
  static uint32_t SlotOfOut(const Link& l) { return (l.ref & kMask) >> 2; }
  // A link's dependency as lag * 4 + type.
  static int32_t PackedOfIn(const Link& l) {
    const uint32_t type = ((l.ref & 1) ? 0u : 1u) | ((l.ref & kFlag) ? 2u : 0u);
    return static_cast<int32_t>(static_cast<uint32_t>(l.lag) << 2 | type);
  }
  // A successor link's dependency type (its lag is the link's).
  static int TypeOfOut(const Link& l) { return ((l.ref & 2) ? 2 : 0) | ((l.ref & kFlag) ? 1 : 0); }
};

// The successor links of a compiled structure, for the backward pass to
// pull from and the incremental walks to follow. Compiled by the first pass
// that needs them, not by every full pass: transposing 8M links costs about
// what a backward pass does (17 ms for a project-like plan, 90 ms for a
// random one, 1M/8M), so a schedule computed once and never updated (a
// preview, Compute on a new structure) pushes its backward pass through the
// predecessor links instead. This -> successor s, grouped by this task's
// slot in REVERSE order (group r belongs to slot n - 1 - r), so the pulling
// backward pass reads them front to back. ref = 4 * slot(s) + (FS, SS: 0 =
// s's start side; FF, SF: 2 = its finish side), into (ES, LS, EF, LF)
// quadruples, so that one 8-byte read gives the early and the late date of
// that side; flag = the bound is on our start (SS, SF): add our span.
struct SuccessorLinks {
  uint64_t stamp = 0;              // the Compiled's
  LargeArray<uint32_t> out_begin;  // reverse slot -> first entry in `out`; size slots + 1
  LargeArray<Compiled::Link> out;
};

// A task's scheduling inputs, copied from the graph into slot order so that
// a full pass reads them sequentially.
struct Inputs {
  int32_t duration = 0;
  int32_t start_no_earlier_than = kNoDate;
  int32_t finish_no_later_than = kNoDate;
  int32_t actual_start = kNoDate;
  int32_t actual_finish = kNoDate;
  int32_t percent_complete = 0;
  static Inputs Of(const TaskGraph::Impl& g, TaskHandle t);
};

Inputs Inputs::Of(const TaskGraph::Impl& g, TaskHandle t) {
  Inputs in;
  in.duration = g.duration(t);
  in.start_no_earlier_than = g.start_no_earlier_than(t);
  in.finish_no_later_than = g.finish_no_later_than(t);
  in.actual_start = g.actual_start(t);
  in.actual_finish = g.actual_finish(t);
  in.percent_complete = g.percent_complete(t);
  return in;
}

const ScheduledTask& Removed() {
  static const ScheduledTask removed = [] {
    ScheduledTask x;
    x.driver_kind = StartDriver::kRemoved;
    return x;
  }();
  return removed;
}

// "Reached in this pass" marks for the incremental walks, by handle or by
// slot: one array per thread, kept between calls, and an epoch that starts
// each pass, so that a walk needs neither a hash set nor a clearing pass.
class PassMarks {
 public:
  // Marks for indices [0, n), in a first pass.
  explicit PassMarks(size_t n) : state_(ThreadState()) {
    if (state_.mark.size() < n) state_.mark.resize(n, 0);
    NewPass();
  }
  // Forgets every mark.
  void NewPass() {
    if (++state_.epoch == 0) {
      std::fill(state_.mark.begin(), state_.mark.end(), 0);
      state_.epoch = 1;
    }
  }
  // True the first time `i` is seen in this pass.
  bool FirstTime(uint32_t i) {
    if (state_.mark[i] == state_.epoch) return false;
    state_.mark[i] = state_.epoch;
    return true;
  }

 private:
  struct State {
    std::vector<uint32_t> mark;
    uint32_t epoch = 0;
  };
  static State& ThreadState() {
    static thread_local State state;
    return state;
  }
  State& state_;
};

}  // namespace

// A schedule's state, and the passes that compute it. The two per-task steps
// of the critical path method (Forward, Backward): both the full pass and
// the incremental update call exactly these (through different adjacency
// views), which is why their results agree.
class Schedule::Impl {
 public:
  // Dates beyond this are refused (OutOfRange); clamping at it keeps int32
  // arithmetic from overflowing on absurd plans before the check fires.
  static constexpr int32_t kLimit = kMaxOrdinal * 64;

  // `for_each_pred(visit)` calls visit(times, packed, handle_fn) per
  // predecessor, handle_fn() giving the predecessor's handle.
  template <typename ForEachPred>
  static void Forward(const Inputs& in, const ScheduleOptions& o, ScheduledTask& x,
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
    // FS (0): EF(p); SS (1): ES(p); FF (2): EF(p) - dur; SF (3): ES(p) - dur.
    auto bound_of = [dur](const ScheduledTask& p, int32_t packed) {
      const int type = packed & 3;
      return ((type & 1) ? p.early_start : p.early_finish) + (packed >> 2) - ((type & 2) ? dur : 0);
    };
    // First the largest bound, branch-free; then, only if a predecessor
    // drives, which one: ties go to the smallest handle, so that the driver
    // does not depend on adjacency order (edits and serialization permute it).
    int32_t best = std::numeric_limits<int32_t>::min();
    for_each_pred([&](const ScheduledTask& p, int32_t packed, auto) {
      best = std::max(best, bound_of(p, packed));
    });
    if (best >= es) {
      es = best;
      kind = StartDriver::kPredecessor;
      for_each_pred([&](const ScheduledTask& p, int32_t packed, auto handle_fn) {
        if (bound_of(p, packed) == best) driver = std::min(driver, handle_fn());
      });
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

  // `for_each_succ(visit)` calls visit(times, type, lag) per successor.
  template <typename ForEachSucc>
  static void Backward(const Inputs& in, int32_t project_finish, ScheduledTask& x,
                       bool* out_of_range, ForEachSucc&& for_each_succ) {
    const int32_t span = x.early_finish - x.early_start;
    int32_t lf = project_finish;
    const int32_t fnlt = in.finish_no_later_than;
    if (fnlt != kNoDate && fnlt + 1 < lf) lf = fnlt + 1;
    int32_t ff = std::numeric_limits<int32_t>::max();
    bool any = false;
    for_each_succ([&](const ScheduledTask& s, int type, int32_t lag) {
      any = true;
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

  // Copies one adjacency list per slot (`for_slot(i)` names the task whose
  // list fills group i) into `links` as (handle, packed), then maps handles
  // to refs in one flat loop whose loads are independent, so the processor
  // overlaps the cache misses instead of chasing them one by one.
  template <typename ListOf, typename TaskOfGroup, typename RefOf>
  static void CompileLinks(const TaskGraph::Impl& g, const Compiled& c, ListOf&& list_of,
                           TaskOfGroup&& task_of_group, RefOf&& ref_of, LargeArray<uint32_t>* begin,
                           LargeArray<Compiled::Link>* links) {
    const size_t n = c.task_at.size();
    begin->resize(n + 1);
    links->resize(g.dependency_count());
    Compiled::Link* l = links->data();
    uint32_t k = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i + 16 < n) list_of(task_of_group(i + 16), 0);
      if (i + 8 < n) list_of(task_of_group(i + 8), 1);
      (*begin)[i] = k;
      for (const DependencyLink& d : list_of(task_of_group(i), 2)) {
        l[k++] = Compiled::Link{d.task, d.packed};
      }
    }
    (*begin)[n] = k;
    const uint32_t* slot_of = c.slot_of.data();
    for (uint32_t j = 0; j < k; ++j) {
      if (j + 16 < k) __builtin_prefetch(slot_of + l[j + 16].ref);
      l[j] = Compiled::Link{ref_of(slot_of[l[j].ref], l[j].lag & 3), l[j].lag >> 2};
    }
  }

  static std::shared_ptr<const Compiled> Compile(const TaskGraph::Impl& g) {
    auto c = std::make_shared<Compiled>();
    c->stamp = g.structure_stamp();
    c->task_at.reserve(g.task_count());
    for (TaskHandle t : g.order_slots()) {
      if (t != kNoTask) c->task_at.push_back(t);
    }
    const size_t n = c->task_at.size();
    c->slot_of.assign(g.handle_count(), kNoTask);
    for (size_t i = 0; i < n; ++i) c->slot_of[c->task_at[i]] = static_cast<uint32_t>(i);
    const TaskHandle* task_at = c->task_at.data();
    // Predecessors by slot; the graph lays them out in topological order.
    CompileLinks(
        g, *c,
        [&g](TaskHandle t, int stage) {
          if (stage < 2) g.PrefetchPredecessors(t, stage);
          return g.predecessors(t);
        },
        [task_at](size_t i) { return task_at[i]; },
        [](uint32_t p, int type) {
          return (2 * p + ((type & 1) ? 0u : 1u)) | ((type & 2) ? Compiled::kFlag : 0u);
        },
        &c->in_begin, &c->in);
    return c;
  }

  // The successor links of `c`, compiled from its predecessor links.
  // REQUIRES: c is the graph's current structure.
  static std::shared_ptr<const SuccessorLinks> CompileSuccessors(const TaskGraph::Impl& g,
                                                                 const Compiled& c) {
    auto sl = std::make_shared<SuccessorLinks>();
    sl->stamp = c.stamp;
    const size_t n = c.task_at.size();
    const TaskHandle* task_at = c.task_at.data();
    // Successors by slot, last slot first: the predecessor links turned
    // around (a counting sort by the predecessor's slot), so that no handle
    // is looked up again.
    {
      LargeArray<uint32_t>& begin = sl->out_begin;
      begin.resize(n + 1);
      begin[0] = 0;
      for (size_t r = 0; r < n; ++r) {
        if (r + 16 < n) g.PrefetchSuccessors(task_at[n - 17 - r], 0);
        begin[r + 1] = begin[r] + static_cast<uint32_t>(g.successors(task_at[n - 1 - r]).size());
      }
      const Compiled::Link* in = c.in.data();
      const uint32_t m = c.in_begin[n];
      LargeArray<uint32_t> cursor(begin.begin(), begin.end() - 1);
      sl->out.resize(m);
      Compiled::Link* out = sl->out.data();
      constexpr uint32_t kAhead = 16;  // links: the cursor, then the entry it points at
      for (size_t i = 0; i < n; ++i) {
        for (uint32_t k = c.in_begin[i], ke = c.in_begin[i + 1]; k < ke; ++k) {
          if (k + kAhead < m)
            __builtin_prefetch(&cursor[n - 1 - Compiled::SlotOfIn(in[k + kAhead])]);
          if (k + kAhead / 2 < m) {
            __builtin_prefetch(out + cursor[n - 1 - Compiled::SlotOfIn(in[k + kAhead / 2])], 1);
          }
          const uint32_t type = Compiled::PackedOfIn(in[k]) & 3;
          out[cursor[n - 1 - Compiled::SlotOfIn(in[k])]++] =
              Compiled::Link{(4 * static_cast<uint32_t>(i) + ((type & 2) ? 2u : 0u)) |
                                 ((type & 1) ? Compiled::kFlag : 0u),
                             in[k].lag};
        }
      }
    }
    return sl;
  }

  // The successor links of the current structure, compiled on first use.
  static const SuccessorLinks& Successors(const TaskGraph::Impl& g, Impl* s) {
    if (s->successors_ == nullptr || s->successors_->stamp != s->compiled_->stamp) {
      s->successors_ = CompileSuccessors(g, *s->compiled_);
    }
    return *s->successors_;
  }

  static int32_t ProjectFinish(const Impl& s) {
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

  // A full pass. With `from` > 0 (an incremental pass that gave up, see
  // SlotIncremental) the early dates of slots before `from` are final and
  // taken from the times; honoured only when the structure is unchanged.
  static absl::Status Full(const TaskGraph::Impl& g, Impl* s, size_t from = 0) {
    s->last_update_full_ = true;
    s->last_update_visits_ = g.task_count();
    const bool same_structure =
        s->compiled_ != nullptr && s->compiled_->stamp == g.structure_stamp() &&
        s->inputs_.size() == s->compiled_->task_at.size() && !g.change_log_overflowed();
    if (!same_structure) {
      s->compiled_ = Compile(g);
      from = 0;
    }
    const Compiled& c = *s->compiled_;
    const size_t n = c.task_at.size();
    if (same_structure) {
      // Only the logged tasks' inputs can have changed.
      for (TaskHandle t : g.change_log()) {
        if (g.IsLive(t)) s->inputs_[c.slot_of[t]] = Inputs::Of(g, t);
      }
    } else {
      s->inputs_.resize(n);
      for (size_t i = 0; i < n; ++i) s->inputs_[i] = Inputs::Of(g, c.task_at[i]);
    }
    s->times_.resize(n);
    if (!same_structure || s->slot_of_.size() != c.slot_of.size()) {
      s->slot_of_ = c.slot_of;
      s->handle_at_ = c.task_at;
    }
    bool out_of_range = false;
    Scratch& scratch = Scratch::ForThread(n);
    s->project_finish_ = ForwardPass(c, s, from, scratch, &out_of_range);
    if (same_structure || s->successors_ != nullptr) {
      // A schedule recomputed or updated (this pass, or one before it on an
      // older structure): pull through the successor links, compiled once
      // per structure.
      BackwardPass(Successors(g, s), s, scratch.early.data(), scratch.drivers.data(), scratch,
                   &out_of_range);
    } else {
      // Computed once so far: push through the predecessor links rather
      // than compile successor links it may never use again.
      PushBackwardPass(c, s, scratch.early.data(), scratch.drivers.data(), scratch, &out_of_range);
    }
    return out_of_range ? OutOfRange() : absl::OkStatus();
  }

  // The passes' dense per-slot arrays: per thread, kept between calls (no
  // page faults after the first). The times (32 bytes a slot) are written
  // once, at the end; the dates that links read at random sit closer
  // together: a random plan's pass runs from memory, and half or a quarter
  // of the bytes means fewer cache misses.
  struct Driver {
    TaskHandle task;
    StartDriver kind;
  };
  struct Scratch {
    LargeArray<int32_t> early;   // (ES, EF) per slot: the forward pass's dates
    LargeArray<Driver> drivers;  // per slot, from the forward pass
    LargeArray<int32_t> dates;   // (ES, LS, EF, LF) per slot: the backward pass's
    static Scratch& ForThread(size_t n) {
      static thread_local Scratch scratch;
      scratch.early.resize(2 * n);
      scratch.drivers.resize(n);
      scratch.dates.resize(4 * n);
      return scratch;
    }
  };

  // Forward, pulling: slot i's predecessors (all earlier) are final when i
  // is reached. Fills the early dates and drivers of every slot (those
  // before `from` from the times); returns the project finish.
  static int32_t ForwardPass(const Compiled& c, const Impl* s, size_t from, Scratch& scratch,
                             bool* out_of_range) {
    const size_t n = c.task_at.size();
    const Inputs* inputs = s->inputs_.data();
    int32_t* early = scratch.early.data();
    Driver* drivers = scratch.drivers.data();
    const uint32_t* in_begin = c.in_begin.data();
    const Compiled::Link* in = c.in.data();
    const TaskHandle* task_at = c.task_at.data();
    constexpr uint32_t kMask = Compiled::kMask;
    const ScheduleOptions& o = s->options_;
    constexpr uint32_t kAhead = 32;  // links
    const uint32_t total_in = in_begin[n];
    int32_t pf = std::numeric_limits<int32_t>::min();
    for (size_t i = 0; i < from; ++i) {
      const ScheduledTask& r = s->times_[i];
      early[2 * i] = r.early_start;
      early[2 * i + 1] = r.early_finish;
      drivers[i] = Driver{r.driver, r.driver_kind};
      pf = std::max(pf, r.early_finish);
    }
    for (size_t i = from; i < n; ++i) {
      const Inputs& x = inputs[i];
      const int32_t dur = x.duration;
      if (x.actual_start != kNoDate) {
        // Reality wins: the same rule as Forward().
        int32_t ef;
        if (x.actual_finish != kNoDate) {
          ef = x.actual_finish + 1;
        } else if (o.status_date == kNoDate) {
          ef = x.actual_start + dur;
        } else {
          ef = std::max(x.actual_start, o.status_date) + dur - dur * x.percent_complete / 100;
        }
        early[2 * i] = x.actual_start;
        early[2 * i + 1] = ef;
        drivers[i] = Driver{kNoTask, StartDriver::kActualStart};
        pf = std::max(pf, ef);
        continue;
      }
      int32_t es = o.project_start;
      StartDriver kind = StartDriver::kProjectStart;
      if (o.status_date != kNoDate && o.status_date > es) {
        es = o.status_date;
        kind = StartDriver::kStatusDate;
      }
      if (x.start_no_earlier_than != kNoDate && x.start_no_earlier_than > es) {
        es = x.start_no_earlier_than;
        kind = StartDriver::kStartNoEarlierThan;
      }
      // One branch-free pass: the largest bound, the first link giving it
      // and whether another link ties with it.
      int32_t best = std::numeric_limits<int32_t>::min();
      const uint32_t kb = in_begin[i], ke = in_begin[i + 1];
      uint32_t best_k = kb;
      bool tie = false;
      for (uint32_t k = kb; k < ke; ++k) {
        // Random plans scatter predecessors: fetch ahead of use.
        if (k + kAhead < total_in) __builtin_prefetch(early + (in[k + kAhead].ref & kMask));
        const uint32_t ref = in[k].ref;
        const int32_t finish_side = -static_cast<int32_t>(ref >> 31);  // all ones for FF, SF
        const int32_t v = early[ref & kMask] + in[k].lag - (dur & finish_side);
        // A mask instead of a select: the compiler would branch, and which
        // link is largest is unpredictable.
        const uint32_t greater = 0u - static_cast<uint32_t>(v > best);
        tie = (tie | (v == best)) & !(v > best);
        best_k ^= (best_k ^ k) & greater;
        best = std::max(best, v);
      }
      TaskHandle driver = kNoTask;
      if (kb != ke && best >= es) {
        es = best;
        kind = StartDriver::kPredecessor;
        driver = task_at[Compiled::SlotOfIn(in[best_k])];
        if (tie) {
          // Ties go to the smallest handle (see Forward()).
          for (uint32_t k = best_k + 1; k < ke; ++k) {
            const uint32_t ref = in[k].ref;
            const int32_t v =
                early[ref & kMask] + in[k].lag - (dur & -static_cast<int32_t>(ref >> 31));
            if (v == best) driver = std::min(driver, task_at[Compiled::SlotOfIn(in[k])]);
          }
        }
      }
      if (es > kLimit) {
        es = kLimit;
        *out_of_range = true;
      }
      early[2 * i] = es;
      early[2 * i + 1] = es + dur;
      drivers[i] = Driver{driver, kind};
      pf = std::max(pf, es + dur);
    }
    return n == 0 ? o.project_start : pf;
  }

  // Backward, pulling: slot i's successors (all later) are final when i is
  // reached; the successor lists are stored last slot first, so the links
  // are read front to back. From the early dates in `early` and
  // s->project_finish_, writes every slot's times; the drivers come from
  // `drivers`, or, if null, stay as the times have them.
  static void BackwardPass(const SuccessorLinks& c, Impl* s, const int32_t* early,
                           const Driver* drivers, Scratch& scratch, bool* out_of_range) {
    const size_t n = c.out_begin.size() - 1;
    const int32_t pf = s->project_finish_;
    const Inputs* inputs = s->inputs_.data();
    ScheduledTask* times = s->times_.data();
    int32_t* dates = scratch.dates.data();
    const uint32_t* out_begin = c.out_begin.data();
    const Compiled::Link* out = c.out.data();
    constexpr uint32_t kMask = Compiled::kMask;
    constexpr uint32_t kAhead = 32;  // links
    constexpr size_t kSlotsAhead = 8;
    const uint32_t total_out = out_begin[n];
    for (size_t r = 0; r < n; ++r) {
      const size_t i = n - 1 - r;
      // The per-slot arrays are walked from the end down: fetch ahead.
      if (i >= kSlotsAhead) {
        __builtin_prefetch(inputs + i - kSlotsAhead);
        __builtin_prefetch(times + i - kSlotsAhead, 1);
      }
      const int32_t es = early[2 * i], ef = early[2 * i + 1], span = ef - es;
      int32_t lf = pf;
      int32_t slack = std::numeric_limits<int32_t>::max();  // least successor bound on us
      const uint32_t kb = out_begin[r], ke = out_begin[r + 1];
      for (uint32_t k = kb; k < ke; ++k) {
        if (k + kAhead < total_out) __builtin_prefetch(dates + (out[k + kAhead].ref & kMask));
        const uint32_t ref = out[k].ref;
        // Our side: SS/SF (flag) bound our start, so our span is added.
        const int32_t start_side = -static_cast<int32_t>(ref >> 31);
        const int32_t shift = (span & start_side) - out[k].lag;
        const int32_t* side = dates + (ref & kMask);  // (early, late) of that side
        slack = std::min(slack, side[0] + shift);
        lf = std::min(lf, side[1] + shift);
      }
      const int32_t fnlt = inputs[i].finish_no_later_than;
      if (fnlt != kNoDate && fnlt + 1 < lf) lf = fnlt + 1;
      if (lf < -kLimit) {
        lf = -kLimit;
        *out_of_range = true;
      }
      const int32_t ls = lf - span;
      dates[4 * i] = es;
      dates[4 * i + 1] = ls;
      dates[4 * i + 2] = ef;
      dates[4 * i + 3] = lf;
      // No successor: free float runs to the project finish.
      const int32_t ff = kb == ke ? pf - ef : slack - ef;
      ScheduledTask& x = times[i];
      x.early_start = es;
      x.early_finish = ef;
      x.late_start = ls;
      x.late_finish = lf;
      x.total_float = lf - ef;
      x.free_float = std::min(ff, lf - ef);
      if (drivers != nullptr) {
        x.driver = drivers[i].task;
        x.driver_kind = drivers[i].kind;
      }
    }
  }

  // Backward, pushing, for a structure without successor links: when slot
  // i is reached its successors (all later) have pushed their bounds, so
  // its late dates are final; then it pushes to its predecessors through
  // the predecessor links, walked from the end down. Writes the times as
  // BackwardPass does.
  static void PushBackwardPass(const Compiled& c, Impl* s, const int32_t* ees,
                               const Driver* drivers, Scratch& scratch, bool* out_of_range) {
    const size_t n = c.task_at.size();
    const int32_t pf = s->project_finish_;
    const Inputs* inputs = s->inputs_.data();
    ScheduledTask* times = s->times_.data();
    const uint32_t* in_begin = c.in_begin.data();
    const Compiled::Link* in = c.in.data();
    constexpr uint32_t kMask = Compiled::kMask;
    // Far beyond any date (|dates| <= kLimit) yet safe to add a duration to.
    constexpr int32_t kFar = 1 << 30;
    constexpr uint32_t kAhead = 48;        // links
    constexpr uint32_t kLinksAhead = 128;  // links, beyond kAhead
    constexpr size_t kSlotsAhead = 16;
    // acc holds per slot four bounds pushed by its successors, split by the
    // side of this task they constrain, so that a link needs none of the
    // predecessor's dates: [4i] its late start, [4i + 1] its early start plus
    // free float, [4i + 2] its late finish, [4i + 3] its early finish plus
    // free float. A link's ref (2 * slot + 1 for the finish side) times 2
    // indexes the pair it updates.
    int32_t* acc = scratch.dates.data();
    std::fill(acc, acc + 4 * n, kFar);
    for (size_t i = n; i-- > 0;) {
      // The per-slot arrays are walked from the end down as well.
      if (i >= kSlotsAhead) {
        const size_t j = i - kSlotsAhead;
        __builtin_prefetch(inputs + j);
        __builtin_prefetch(times + j, 1);
        __builtin_prefetch(ees + 2 * j);
        if (drivers != nullptr) __builtin_prefetch(drivers + j);
      }
      const int32_t es = ees[2 * i], ef = ees[2 * i + 1], span = ef - es;
      // (kFar + span cannot overflow: span <= 2 * kLimit.)
      int32_t lf = std::min({pf, acc[4 * i + 2], acc[4 * i] + span});
      const int32_t fnlt = inputs[i].finish_no_later_than;
      if (fnlt != kNoDate && fnlt + 1 < lf) lf = fnlt + 1;
      // No successor pushed a slack: free float runs to the project finish.
      const int32_t ff = acc[4 * i + 1] == kFar && acc[4 * i + 3] == kFar
                             ? pf - ef
                             : std::min(acc[4 * i + 1] - es, acc[4 * i + 3] - ef);
      if (lf < -kLimit) {
        lf = -kLimit;
        *out_of_range = true;
      }
      const int32_t ls = lf - span;
      ScheduledTask& r = times[i];
      r.early_start = es;
      r.early_finish = ef;
      r.late_start = ls;
      r.late_finish = lf;
      r.total_float = lf - ef;
      r.free_float = std::min(ff, lf - ef);
      if (drivers != nullptr) {
        r.driver = drivers[i].task;
        r.driver_kind = drivers[i].kind;
      }
      for (uint32_t k = in_begin[i], ke = in_begin[i + 1]; k < ke; ++k) {
        if (k >= kAhead) __builtin_prefetch(acc + 2 * (in[k - kAhead].ref & kMask));
        // This pass walks the links from the end down, which the hardware
        // prefetcher follows poorly: fetch the links themselves ahead too
        // (slots tile the links, so the shifted ranges tile them as well).
        if (k >= kAhead + kLinksAhead) __builtin_prefetch(in + (k - kAhead - kLinksAhead));
        const uint32_t ref = in[k].ref;
        const uint32_t a = 2 * (ref & kMask);
        const int32_t lag = in[k].lag;
        // Our side: FF/SF (flag) bound our finish, FS/SS our start.
        const bool our_finish = ref & Compiled::kFlag;
        const int32_t s_late = (our_finish ? lf : ls) - lag;
        const int32_t s_early = (our_finish ? ef : es) - lag;
        acc[a] = std::min(acc[a], s_late);
        acc[a + 1] = std::min(acc[a + 1], s_early);
      }
    }
  }

  // Late dates and floats of every task from the current early dates, after
  // an incremental forward pass moved the project finish (every late date
  // is anchored on it). REQUIRES: the compiled structure and its successor
  // links are current.
  static absl::Status BackwardAll(Impl* s) {
    const size_t n = s->compiled_->task_at.size();
    Scratch& scratch = Scratch::ForThread(n);
    int32_t* early = scratch.early.data();
    for (size_t i = 0; i < n; ++i) {
      early[2 * i] = s->times_[i].early_start;
      early[2 * i + 1] = s->times_[i].early_finish;
    }
    bool out_of_range = false;
    BackwardPass(*s->successors_, s, early, nullptr, scratch, &out_of_range);
    return out_of_range ? OutOfRange() : absl::OkStatus();
  }

  static absl::Status Incremental(const TaskGraph::Impl& g, Impl* s);
  static absl::Status SlotIncremental(const TaskGraph::Impl& g, Impl* s);

  // The times of a handle (Schedule::operator[]).
  const ScheduledTask& At(TaskHandle t) const {
    return t < slot_of_.size() && slot_of_[t] != kNoTask ? times_[slot_of_[t]] : Removed();
  }

  // Times are stored by slot, not by handle: a full pass lays the slots out
  // in topological order, so that predecessors' times sit close together;
  // slot_of_ maps handles to slots.
  LargeArray<ScheduledTask> times_;
  LargeArray<uint32_t> slot_of_;      // handle -> slot or kNoTask
  LargeArray<TaskHandle> handle_at_;  // slot -> handle or kNoTask
  LargeArray<Inputs> inputs_;         // by slot: each task's inputs
  // The graph's structure in slot order, shared between copies; rebuilt by a
  // full pass when the graph's structure_stamp() changed.
  std::shared_ptr<const Compiled> compiled_;
  // Its successor links, compiled by the first pass that needs them (see
  // SuccessorLinks); shared between copies.
  std::shared_ptr<const SuccessorLinks> successors_;
  ScheduleOptions options_;
  int32_t project_finish_ = 0;
  size_t last_update_visits_ = 0;
  bool last_update_full_ = false;
};

Schedule::Schedule() : impl_(std::make_unique<Impl>()) {}
Schedule::~Schedule() = default;
Schedule::Schedule(const Schedule& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Schedule::Schedule(Schedule&& other) noexcept = default;
Schedule& Schedule::operator=(Schedule&& other) noexcept = default;

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
  s.impl_->options_ = options;
  if (absl::Status st = Impl::Full(graph.impl(), s.impl_.get()); !st.ok()) return st;
  return s;
}

absl::Status Schedule::Recompute(const TaskGraph& graph) {
  return Impl::Full(graph.impl(), impl_.get());
}

absl::Status Schedule::Impl::Incremental(const TaskGraph::Impl& g, Impl* s) {
  const size_t n = g.handle_count();
  const auto log = g.change_log();
  // An incremental visit (heap, hash set, handle-indexed reads) costs several
  // times a full pass's per-task work: past n/16 visits a full pass is cheaper.
  const size_t budget = std::max<size_t>(256, n / 16);
  if (g.change_log_overflowed() || log.size() * 16 > n + 256) return Full(g, s);
  s->slot_of_.resize(n, kNoTask);
  bool out_of_range = false;
  bool rescan = false;
  const int32_t old_pf = s->project_finish_;
  int32_t pf = old_pf;

  using Item = std::pair<uint32_t, TaskHandle>;  // (position, task)
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> forward;
  PassMarks marks(n);  // by handle
  std::vector<TaskHandle> backward_seeds;
  for (TaskHandle t : log) {
    uint32_t& slot = s->slot_of_[t];
    if (!g.IsLive(t)) {
      if (slot != kNoTask && s->times_[slot].driver_kind != StartDriver::kRemoved) {
        s->times_[slot] = Removed();
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
    s->inputs_[slot] = Inputs::Of(g, t);
    if (marks.FirstTime(t)) forward.push({g.position(t), t});
  }
  ScheduledTask* times = s->times_.data();
  const Inputs* inputs = s->inputs_.data();
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
      if (marks.FirstTime(l.task)) forward.push({g.position(l.task), l.task});
    }
    // Free float of predecessors depends on this task's early dates.
    for (const DependencyLink& l : g.predecessors(t)) backward_seeds.push_back(l.task);
  }
  if (rescan) pf = ProjectFinish(*s);
  if (pf != old_pf) {
    // Every task's late dates are anchored at the project finish: the
    // compiled full pass is the fastest way to move them all.
    return Full(g, s);
  }
  auto backward_step = [&](TaskHandle t) {
    Backward(inputs[slot_of[t]], pf, times[slot_of[t]], &out_of_range, [&](auto&& visit) {
      for (const DependencyLink& l : g.successors(t))
        visit(times[slot_of[l.task]], l.packed & 3, l.packed >> 2);
    });
  };
  {
    std::priority_queue<Item> backward;  // latest position first
    marks.NewPass();
    for (TaskHandle t : backward_seeds) {
      if (marks.FirstTime(t)) backward.push({g.position(t), t});
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
        if (marks.FirstTime(l.task)) backward.push({g.position(l.task), l.task});
      }
    }
  }
  s->last_update_full_ = false;
  s->last_update_visits_ = visits;
  return out_of_range ? OutOfRange() : absl::OkStatus();
}

absl::Status Schedule::Impl::SlotIncremental(const TaskGraph::Impl& g, Impl* s) {
  const Compiled& c = *s->compiled_;
  const size_t n = c.task_at.size();
  const auto log = g.change_log();
  // A visit here costs a few times a full pass's per-task work, and the
  // abandoned work adds to the fallback: give up early (n/64 visits).
  const size_t budget = std::max<size_t>(256, n / 64);
  if (log.size() * 64 > n + 256) return Full(g, s);
  PassMarks marks(n);  // by slot
  // Slots are in topological order: the smallest pending slot next forward,
  // the largest next backward.
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<uint32_t>> forward;
  static thread_local std::vector<uint32_t> backward_seeds;
  backward_seeds.clear();
  for (TaskHandle t : log) {
    const uint32_t i = c.slot_of[t];
    s->inputs_[i] = Inputs::Of(g, t);
    if (marks.FirstTime(i)) {
      forward.push(i);
      // Its inputs changed (a finish-no-later-than date, say): its late
      // dates may move even if its early dates do not.
      backward_seeds.push_back(i);
    }
  }
  ScheduledTask* times = s->times_.data();
  const Inputs* inputs = s->inputs_.data();
  const uint32_t* in_begin = c.in_begin.data();
  const Compiled::Link* in = c.in.data();
  const SuccessorLinks& successors = Successors(g, s);
  const uint32_t* out_begin = successors.out_begin.data();
  const Compiled::Link* out = successors.out.data();
  const TaskHandle* task_at = c.task_at.data();
  bool out_of_range = false;
  bool rescan = false;
  const int32_t old_pf = s->project_finish_;
  int32_t pf = old_pf;
  size_t visits = 0;
  while (!forward.empty()) {
    const uint32_t i = forward.top();
    forward.pop();
    // Giving up: slots before i are final, so the full pass starts at i.
    if (++visits > budget) return Full(g, s, i);
    ScheduledTask& x = times[i];
    const int32_t old_es = x.early_start, old_ef = x.early_finish;
    Forward(inputs[i], s->options_, x, &out_of_range, [&](auto&& visit) {
      for (uint32_t k = in_begin[i]; k < in_begin[i + 1]; ++k) {
        const uint32_t p = Compiled::SlotOfIn(in[k]);
        visit(times[p], Compiled::PackedOfIn(in[k]), [&] { return task_at[p]; });
      }
    });
    // Unchanged early dates change nothing downstream, nor this task's late
    // dates (they follow from its successors, which other seeds cover).
    if (x.early_start == old_es && x.early_finish == old_ef) continue;
    backward_seeds.push_back(i);
    if (x.early_finish > pf) pf = x.early_finish;
    if (old_ef == old_pf && x.early_finish < old_pf) rescan = true;
    // A successor can move only if this task's new bound reaches its start
    // (or ties with it: the driver may change) or this task drove it.
    const TaskHandle me = task_at[i];
    for (uint32_t k = out_begin[n - 1 - i]; k < out_begin[n - i]; ++k) {
      // Read from the link as compiled: flag = SS/SF (our start), ref & 2 =
      // FF/SF (the successor's finish, so its duration comes off).
      const uint32_t ref = out[k].ref;
      const uint32_t j = Compiled::SlotOfOut(out[k]);
      const ScheduledTask& y = times[j];
      const int32_t bound = ((ref & Compiled::kFlag) ? x.early_start : x.early_finish) +
                            out[k].lag - ((ref & 2) ? inputs[j].duration : 0);
      const bool may_move =
          bound >= y.early_start || (y.driver_kind == StartDriver::kPredecessor && y.driver == me);
      if (may_move && marks.FirstTime(j)) forward.push(j);
    }
    // Free float of predecessors depends on this task's early dates.
    for (uint32_t k = in_begin[i]; k < in_begin[i + 1]; ++k) {
      backward_seeds.push_back(Compiled::SlotOfIn(in[k]));
    }
  }
  if (rescan) pf = ProjectFinish(*s);
  s->project_finish_ = pf;
  s->last_update_visits_ = visits;
  if (pf != old_pf) {
    // Every late date is anchored on the project finish: one backward pass
    // over all tasks (the forward pass above is final).
    s->last_update_full_ = true;
    absl::Status st = BackwardAll(s);
    return out_of_range ? OutOfRange() : st;
  }
  std::priority_queue<uint32_t> backward;
  marks.NewPass();
  for (uint32_t i : backward_seeds) {
    if (marks.FirstTime(i)) backward.push(i);
  }
  while (!backward.empty()) {
    const uint32_t i = backward.top();
    backward.pop();
    if (++visits > 2 * budget) {
      s->last_update_full_ = true;
      absl::Status st = BackwardAll(s);
      return out_of_range ? OutOfRange() : st;
    }
    ScheduledTask& x = times[i];
    const int32_t old_ls = x.late_start, old_lf = x.late_finish;
    Backward(inputs[i], pf, x, &out_of_range, [&](auto&& visit) {
      for (uint32_t k = out_begin[n - 1 - i]; k < out_begin[n - i]; ++k) {
        visit(times[Compiled::SlotOfOut(out[k])], Compiled::TypeOfOut(out[k]), out[k].lag);
      }
    });
    if (x.late_start == old_ls && x.late_finish == old_lf) continue;
    for (uint32_t k = in_begin[i]; k < in_begin[i + 1]; ++k) {
      const uint32_t p = Compiled::SlotOfIn(in[k]);
      if (marks.FirstTime(p)) backward.push(p);
    }
  }
  s->last_update_full_ = false;
  s->last_update_visits_ = visits;
  return out_of_range ? OutOfRange() : absl::OkStatus();
}

absl::Status Schedule::Update(const TaskGraph& graph) {
  const TaskGraph::Impl& g = graph.impl();
  const Impl& s = *impl_;
  // Same structure as the last full pass: walk the slot-ordered arrays.
  if (s.compiled_ != nullptr && s.compiled_->stamp == g.structure_stamp() &&
      !g.change_log_overflowed() && s.inputs_.size() == s.compiled_->task_at.size() &&
      s.times_.size() == s.compiled_->task_at.size()) {
    return Impl::SlotIncremental(g, impl_.get());
  }
  return Impl::Incremental(g, impl_.get());
}

const ScheduledTask& Schedule::operator[](TaskHandle t) const { return impl_->At(t); }
size_t Schedule::handle_count() const { return impl_->slot_of_.size(); }
int32_t Schedule::project_finish() const { return impl_->project_finish_; }
const ScheduleOptions& Schedule::options() const { return impl_->options_; }
size_t Schedule::last_update_visits() const { return impl_->last_update_visits_; }
bool Schedule::last_update_was_full() const { return impl_->last_update_full_; }

std::vector<ScheduledTask> Schedule::TasksByHandle() const {
  std::vector<ScheduledTask> out(handle_count());
  for (TaskHandle t = 0; t < out.size(); ++t) out[t] = impl_->At(t);
  return out;
}

std::vector<TaskHandle> Schedule::NegativeFloatTasks(const TaskGraph& graph) const {
  const TaskGraph::Impl& g = graph.impl();
  std::vector<TaskHandle> out;
  for (TaskHandle t = 0; t < handle_count(); ++t) {
    if (g.IsLive(t) && impl_->At(t).total_float < 0) out.push_back(t);
  }
  return out;
}

std::vector<TaskHandle> Schedule::CriticalTasks(const TaskGraph& graph) const {
  std::vector<TaskHandle> out;
  for (TaskHandle t : graph.impl().order_slots()) {
    if (t != kNoTask && impl_->At(t).total_float <= 0) out.push_back(t);
  }
  return out;
}

std::vector<TaskHandle> Schedule::CriticalPath(const TaskGraph& graph) const {
  const TaskGraph::Impl& g = graph.impl();
  const Impl& s = *impl_;
  TaskHandle last = kNoTask;
  for (TaskHandle t = 0; t < handle_count(); ++t) {
    if (!g.IsLive(t)) continue;
    const ScheduledTask& x = s.At(t);
    if (last == kNoTask || x.early_finish > s.At(last).early_finish ||
        (x.early_finish == s.At(last).early_finish && x.total_float < s.At(last).total_float)) {
      last = t;
    }
  }
  if (last == kNoTask) return {};
  return DrivingChain(last);
}

std::vector<TaskHandle> Schedule::DrivingChain(TaskHandle task) const {
  std::vector<TaskHandle> chain;
  const size_t n = handle_count();
  for (TaskHandle t = task; t != kNoTask && t < n && chain.size() <= n; t = impl_->At(t).driver) {
    chain.push_back(t);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace collabflow
