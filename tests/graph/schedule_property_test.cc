// Property tests: the task graph and the scheduler against simple reference
// implementations (DFS reachability for cycles, fixpoint relaxation for the
// longest paths) on thousands of random small graphs with all four
// dependency types, negative lags, constraints and actual dates; and
// incremental rescheduling against a full recompute after random edits.
#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

#ifdef COLLABFLOW_LONG_TESTS
constexpr int kRounds = 200000;
#else
constexpr int kRounds = 6000;
#endif

struct RandomPlan {
  std::vector<TaskSpec> tasks;
  std::vector<Dependency> deps;
  ScheduleOptions options;
};

DependencyType RandomType(std::mt19937& rng) {
  return static_cast<DependencyType>(std::uniform_int_distribution<int>(0, 3)(rng));
}

TaskSpec RandomTask(std::mt19937& rng) {
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  TaskSpec t;
  t.duration = pick(0, 5);
  if (pick(0, 5) == 0) t.start_no_earlier_than = pick(0, 12);
  if (pick(0, 5) == 0) t.finish_no_later_than = pick(0, 15);
  if (pick(0, 9) == 0) {
    t.actual_start = pick(0, 6);
    if (pick(0, 1) == 0) t.actual_finish = t.actual_start + pick(0, 4);
    t.percent_complete = pick(0, 100);
  }
  return t;
}

RandomPlan MakePlan(std::mt19937& rng) {
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  RandomPlan p;
  const int n = pick(1, 12);
  for (int i = 0; i < n; ++i) p.tasks.push_back(RandomTask(rng));
  std::vector<TaskHandle> perm(n);
  for (int i = 0; i < n; ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  const int density = pick(0, 100);
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (pick(0, 99) < density / 3) {
        p.deps.push_back({perm[i], perm[j], RandomType(rng), pick(-3, 3)});
      }
    }
  }
  std::shuffle(p.deps.begin(), p.deps.end(), rng);
  p.options.project_start = pick(0, 3);
  if (pick(0, 3) == 0) p.options.status_date = pick(0, 8);
  return p;
}

// --- reference implementations ---------------------------------------------

bool Reaches(const TaskGraph& g, TaskHandle from, TaskHandle to) {
  std::vector<bool> seen(g.handle_count(), false);
  std::vector<TaskHandle> stack{from};
  while (!stack.empty()) {
    TaskHandle t = stack.back();
    stack.pop_back();
    if (t == to) return true;
    if (seen[t]) continue;
    seen[t] = true;
    for (const Dependency& d : g.Dependencies()) {
      if (d.predecessor == t) stack.push_back(d.successor);
    }
  }
  return false;
}

struct RefTimes {
  int64_t es, ef, ls, lf, tf, ff;
};

// Longest paths by relaxing every dependency until nothing changes (at most
// V rounds on a DAG), straight from the semantics in schedule.h.
std::vector<RefTimes> ReferenceSchedule(const TaskGraph& g, const ScheduleOptions& o,
                                        int64_t* project_finish) {
  const size_t n = g.handle_count();
  const std::vector<Dependency> deps = g.Dependencies();
  std::vector<RefTimes> r(n);
  auto fixed = [&](TaskHandle t) { return g.actual_start(t) != kNoDate; };
  auto fixed_finish = [&](TaskHandle t) -> int64_t {
    const int64_t as = g.actual_start(t), d = g.duration(t);
    if (g.actual_finish(t) != kNoDate) return g.actual_finish(t) + 1;
    if (o.status_date == kNoDate) return as + d;
    return std::max<int64_t>(as, o.status_date) + d - d * g.percent_complete(t) / 100;
  };
  for (TaskHandle t = 0; t < n; ++t) {
    if (!g.IsLive(t)) continue;
    if (fixed(t)) {
      r[t].es = g.actual_start(t);
      r[t].ef = fixed_finish(t);
      continue;
    }
    int64_t es = o.project_start;
    if (o.status_date != kNoDate) es = std::max<int64_t>(es, o.status_date);
    if (g.start_no_earlier_than(t) != kNoDate) {
      es = std::max<int64_t>(es, g.start_no_earlier_than(t));
    }
    r[t].es = es;
    r[t].ef = es + g.duration(t);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const Dependency& d : deps) {
      const TaskHandle p = d.predecessor, s = d.successor;
      if (fixed(s)) continue;
      int64_t need_es = 0;
      switch (d.type) {
        case DependencyType::kFinishToStart:
          need_es = r[p].ef + d.lag;
          break;
        case DependencyType::kStartToStart:
          need_es = r[p].es + d.lag;
          break;
        case DependencyType::kFinishToFinish:
          need_es = r[p].ef + d.lag - g.duration(s);
          break;
        case DependencyType::kStartToFinish:
          need_es = r[p].es + d.lag - g.duration(s);
          break;
      }
      if (need_es > r[s].es) {
        r[s].es = need_es;
        r[s].ef = need_es + g.duration(s);
        changed = true;
      }
    }
  }
  int64_t pf = o.project_start;
  bool any = false;
  for (TaskHandle t = 0; t < n; ++t) {
    if (!g.IsLive(t)) continue;
    pf = any ? std::max(pf, r[t].ef) : r[t].ef;
    any = true;
  }
  *project_finish = pf;
  for (TaskHandle t = 0; t < n; ++t) {
    if (!g.IsLive(t)) continue;
    r[t].lf = pf;
    if (g.finish_no_later_than(t) != kNoDate) {
      r[t].lf = std::min<int64_t>(r[t].lf, g.finish_no_later_than(t) + 1);
    }
    r[t].ls = r[t].lf - (r[t].ef - r[t].es);
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const Dependency& d : deps) {
      const TaskHandle p = d.predecessor, s = d.successor;
      const int64_t span = r[p].ef - r[p].es;
      int64_t bound = 0;
      switch (d.type) {
        case DependencyType::kFinishToStart:
          bound = r[s].ls - d.lag;
          break;
        case DependencyType::kStartToStart:
          bound = r[s].ls - d.lag + span;
          break;
        case DependencyType::kFinishToFinish:
          bound = r[s].lf - d.lag;
          break;
        case DependencyType::kStartToFinish:
          bound = r[s].lf - d.lag + span;
          break;
      }
      if (bound < r[p].lf) {
        r[p].lf = bound;
        r[p].ls = bound - span;
        changed = true;
      }
    }
  }
  for (TaskHandle t = 0; t < n; ++t) {
    if (!g.IsLive(t)) continue;
    r[t].tf = r[t].lf - r[t].ef;
    int64_t ff = INT64_MAX;
    bool has_succ = false;
    for (const Dependency& d : deps) {
      if (d.predecessor != t) continue;
      has_succ = true;
      const RefTimes& s = r[d.successor];
      int64_t slack = 0;
      switch (d.type) {
        case DependencyType::kFinishToStart:
          slack = s.es - r[t].ef - d.lag;
          break;
        case DependencyType::kStartToStart:
          slack = s.es - r[t].es - d.lag;
          break;
        case DependencyType::kFinishToFinish:
          slack = s.ef - r[t].ef - d.lag;
          break;
        case DependencyType::kStartToFinish:
          slack = s.ef - r[t].es - d.lag;
          break;
      }
      ff = std::min(ff, slack);
    }
    if (!has_succ) ff = pf - r[t].ef;
    r[t].ff = std::min(ff, r[t].tf);
  }
  return r;
}

// Bound that dependency `d` puts on its successor's ES under `s`.
int64_t EsBound(const TaskGraph& g, const Schedule& s, const Dependency& d) {
  const ScheduledTask& p = s[d.predecessor];
  const int64_t dur = g.duration(d.successor);
  switch (d.type) {
    case DependencyType::kFinishToStart:
      return p.early_finish + d.lag;
    case DependencyType::kStartToStart:
      return p.early_start + d.lag;
    case DependencyType::kFinishToFinish:
      return p.early_finish + d.lag - dur;
    case DependencyType::kStartToFinish:
      return p.early_start + d.lag - dur;
  }
  return 0;
}

void ExpectMatchesReference(const TaskGraph& g, const Schedule& s, int round) {
  int64_t pf = 0;
  const std::vector<RefTimes> ref = ReferenceSchedule(g, s.options(), &pf);
  ASSERT_EQ(s.project_finish(), pf) << "round " << round;
  for (TaskHandle t = 0; t < g.handle_count(); ++t) {
    if (!g.IsLive(t)) continue;
    const ScheduledTask& x = s[t];
    ASSERT_EQ(x.early_start, ref[t].es) << "round " << round << " task " << t;
    ASSERT_EQ(x.early_finish, ref[t].ef) << "round " << round << " task " << t;
    ASSERT_EQ(x.late_start, ref[t].ls) << "round " << round << " task " << t;
    ASSERT_EQ(x.late_finish, ref[t].lf) << "round " << round << " task " << t;
    ASSERT_EQ(x.total_float, ref[t].tf) << "round " << round << " task " << t;
    ASSERT_EQ(x.free_float, ref[t].ff) << "round " << round << " task " << t;
    // The driver really explains ES.
    if (x.driver_kind == StartDriver::kPredecessor) {
      Dependency d;
      ASSERT_TRUE(g.FindDependency(x.driver, t, &d)) << "round " << round;
      EXPECT_EQ(EsBound(g, s, d), x.early_start) << "round " << round;
      // Ties go to the smallest handle.
      for (const DependencyLink& l : g.predecessors(t)) {
        const Dependency other{l.task, t, l.type(), l.lag()};
        if (EsBound(g, s, other) == x.early_start) {
          EXPECT_LE(x.driver, l.task) << "round " << round << " task " << t;
        }
      }
    } else if (x.driver_kind == StartDriver::kActualStart) {
      EXPECT_EQ(x.early_start, g.actual_start(t));
    } else if (x.driver_kind == StartDriver::kStartNoEarlierThan) {
      EXPECT_EQ(x.early_start, g.start_no_earlier_than(t));
    } else if (x.driver_kind == StartDriver::kStatusDate) {
      EXPECT_EQ(x.early_start, s.options().status_date);
    } else {
      EXPECT_EQ(x.early_start, s.options().project_start);
    }
  }
}

TEST(SchedulePropertyTest, FullScheduleMatchesFixpointReference) {
  std::mt19937 rng(20260901);
  for (int round = 0; round < kRounds; ++round) {
    RandomPlan p = MakePlan(rng);
    auto g = TaskGraph::Build(p.tasks, p.deps);
    ASSERT_TRUE(g.ok()) << g.status();
    auto s = Schedule::Compute(*g, p.options);
    ASSERT_TRUE(s.ok()) << s.status();
    ExpectMatchesReference(*g, *s, round);
    if (HasFatalFailure()) return;
  }
}

// Compute's backward pass pushes through the predecessor links; a
// recompute's pulls through successor links compiled on first use. Both
// must give the reference's times.
TEST(SchedulePropertyTest, RecomputeMatchesComputeAndFixpointReference) {
  std::mt19937 rng(20261207);
  for (int round = 0; round < kRounds; ++round) {
    RandomPlan p = MakePlan(rng);
    auto g = TaskGraph::Build(p.tasks, p.deps);
    ASSERT_TRUE(g.ok()) << g.status();
    auto computed = Schedule::Compute(*g, p.options);
    ASSERT_TRUE(computed.ok()) << computed.status();
    Schedule s = *computed;
    ASSERT_TRUE(s.Recompute(*g).ok());
    ASSERT_TRUE(s.TasksByHandle() == computed->TasksByHandle()) << "round " << round;
    ASSERT_EQ(s.project_finish(), computed->project_finish()) << "round " << round;
    ExpectMatchesReference(*g, s, round);
    if (HasFatalFailure()) return;
  }
}

TEST(SchedulePropertyTest, EdgeInsertsAgreeWithDfsCycleCheck) {
  std::mt19937 rng(7);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int round = 0; round < kRounds / 3; ++round) {
    const int n = pick(2, 10);
    TaskGraph g;
    for (int i = 0; i < n; ++i) ASSERT_TRUE(g.AddTask(TaskSpec{}).ok());
    for (int k = 0; k < 3 * n; ++k) {
      const TaskHandle a = pick(0, n - 1), b = pick(0, n - 1);
      if (a == b || g.FindDependency(a, b, nullptr)) continue;
      const bool closes = Reaches(g, b, a);
      const std::vector<Dependency> before = g.Dependencies();
      std::vector<TaskHandle> cycle;
      absl::Status s = g.AddDependency({a, b, RandomType(rng), pick(-2, 2)}, &cycle);
      ASSERT_EQ(s.ok(), !closes) << s;
      if (closes) {
        EXPECT_EQ(g.Dependencies(), before);
        // The reported cycle is real: it starts with the refused edge and
        // every later step is an existing dependency.
        ASSERT_GE(cycle.size(), 3u);
        EXPECT_EQ(cycle.front(), a);
        EXPECT_EQ(cycle[1], b);
        EXPECT_EQ(cycle.back(), a);
        for (size_t i = 1; i + 1 < cycle.size(); ++i) {
          EXPECT_TRUE(g.FindDependency(cycle[i], cycle[i + 1], nullptr));
        }
      }
      ASSERT_TRUE(g.CheckInvariants().ok()) << g.CheckInvariants();
    }
  }
}

TEST(SchedulePropertyTest, BuildFindsACycleWheneverThereIsOne) {
  std::mt19937 rng(99);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int round = 0; round < kRounds / 3; ++round) {
    const int n = pick(2, 9);
    std::vector<TaskSpec> tasks(n);
    for (int i = 0; i < n; ++i) tasks[i].id = "t" + std::to_string(i);
    std::vector<Dependency> deps;
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b) {
        if (a != b && pick(0, 9) < 2) deps.push_back({TaskHandle(a), TaskHandle(b)});
      }
    }
    // Reference: incremental insertion with a DFS check finds a cycle iff the
    // edge set has one.
    TaskGraph ref;
    for (int i = 0; i < n; ++i) ASSERT_TRUE(ref.AddTask(TaskSpec{}).ok());
    bool cyclic = false;
    for (const Dependency& d : deps) {
      if (Reaches(ref, d.successor, d.predecessor)) {
        cyclic = true;
        break;
      }
      ASSERT_TRUE(ref.AddDependency(d).ok());
    }
    auto g = TaskGraph::Build(tasks, deps);
    ASSERT_EQ(g.ok(), !cyclic) << g.status();
    if (cyclic) {
      EXPECT_NE(g.status().message().find("cycle"), absl::string_view::npos);
    }
  }
}

// Random edits of every kind; after each batch the incremental Update must
// equal a full recompute, and both must match the reference.
TEST(SchedulePropertyTest, IncrementalUpdateEqualsFullRecompute) {
  std::mt19937 rng(4242);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int round = 0; round < kRounds / 3; ++round) {
    RandomPlan p = MakePlan(rng);
    auto built = TaskGraph::Build(p.tasks, p.deps);
    ASSERT_TRUE(built.ok());
    TaskGraph g = *std::move(built);
    auto s = Schedule::Compute(g, p.options);
    ASSERT_TRUE(s.ok());
    Schedule recomputed = *s;  // kept current with Recompute instead of Update
    for (int batch = 0; batch < 4; ++batch) {
      const int edits = pick(1, 3);
      for (int e = 0; e < edits; ++e) {
        const TaskHandle t = pick(0, static_cast<int>(g.handle_count()) - 1);
        const TaskHandle u = pick(0, static_cast<int>(g.handle_count()) - 1);
        switch (pick(0, 7)) {
          case 0:
            (void)g.SetDuration(t, pick(0, 6));
            break;
          case 1:
            (void)g.SetStartNoEarlierThan(t, pick(0, 3) == 0 ? kNoDate : pick(0, 12));
            break;
          case 2:
            (void)g.SetFinishNoLaterThan(t, pick(0, 2) == 0 ? kNoDate : pick(0, 15));
            break;
          case 3:
          case 4:
            (void)g.AddDependency({t, u, RandomType(rng), pick(-3, 3)});
            break;
          case 5:
            (void)g.RemoveDependency(t, u);
            break;
          case 6:
            if (pick(0, 1) == 0) {
              (void)g.AddTask(RandomTask(rng));
            } else {
              (void)g.RemoveTask(t);
            }
            break;
          case 7:
            (void)g.SetProgress(t, 2, pick(0, 1) ? kNoDate : pick(2, 5), pick(0, 100));
            break;
        }
      }
      ASSERT_TRUE(s->Update(g).ok());
      ASSERT_TRUE(recomputed.Recompute(g).ok());
      g.ClearChangeLog();
      auto full = Schedule::Compute(g, p.options);
      ASSERT_TRUE(full.ok());
      ASSERT_TRUE(recomputed.TasksByHandle() == full->TasksByHandle()) << "round " << round;
      ASSERT_EQ(s->project_finish(), full->project_finish()) << "round " << round;
      for (TaskHandle t = 0; t < g.handle_count(); ++t) {
        if (!g.IsLive(t)) continue;
        ASSERT_EQ((*s)[t], (*full)[t]) << "round " << round << " batch " << batch << " task " << t;
      }
      ExpectMatchesReference(g, *s, round);
      if (HasFatalFailure()) return;
    }
  }
}

// A larger plan, so that single edits stay local: the incremental path must
// be taken (not the fallback) and still equal a full recompute.
TEST(SchedulePropertyTest, IncrementalUpdateStaysLocalOnLargerPlans) {
  std::mt19937 rng(31337);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int n = 3000;
  std::vector<TaskSpec> tasks(n);
  for (TaskSpec& t : tasks) t.duration = pick(1, 5);
  std::vector<Dependency> deps;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) {
      const int j = i + pick(1, 40);
      if (j < n) deps.push_back({TaskHandle(i), TaskHandle(j), RandomType(rng), pick(-2, 2)});
    }
  }
  std::sort(deps.begin(), deps.end(), [](const Dependency& a, const Dependency& b) {
    return std::make_pair(a.predecessor, a.successor) < std::make_pair(b.predecessor, b.successor);
  });
  deps.erase(std::unique(deps.begin(), deps.end(),
                         [](const Dependency& a, const Dependency& b) {
                           return a.predecessor == b.predecessor && a.successor == b.successor;
                         }),
             deps.end());
  auto built = TaskGraph::Build(tasks, deps);
  ASSERT_TRUE(built.ok()) << built.status();
  TaskGraph g = *std::move(built);
  auto s = Schedule::Compute(g);
  ASSERT_TRUE(s.ok());
  int local_updates = 0;
  for (int e = 0; e < 200; ++e) {
    const TaskHandle t = pick(0, n - 1);
    if (e % 3 == 0) {
      ASSERT_TRUE(g.SetDuration(t, pick(0, 8)).ok());
    } else if (e % 3 == 1) {
      (void)g.AddDependency({t, TaskHandle(pick(0, n - 1)), RandomType(rng), pick(-2, 2)});
    } else {
      ASSERT_TRUE(g.SetFinishNoLaterThan(t, pick(0, 1) ? kNoDate : pick(0, 400)).ok());
    }
    ASSERT_TRUE(s->Update(g).ok());
    g.ClearChangeLog();
    local_updates += s->last_update_was_full() ? 0 : 1;
    auto full = Schedule::Compute(g);
    ASSERT_TRUE(full.ok());
    ASSERT_EQ(s->project_finish(), full->project_finish());
    ASSERT_TRUE(s->TasksByHandle() == full->TasksByHandle()) << "edit " << e;
  }
  EXPECT_GT(local_updates, 150);
}

// Only durations, constraints and progress change, so the structure stays
// the one compiled by the last full pass and Update walks the slot-ordered
// arrays; edits that move the project finish take the backward pass over all
// tasks. Every result must equal a full recompute.
TEST(SchedulePropertyTest, IncrementalUpdateWithoutStructuralEditsEqualsFullRecompute) {
  std::mt19937 rng(2718);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int n = 3000;
  std::vector<TaskSpec> tasks(n);
  for (TaskSpec& t : tasks) t.duration = pick(0, 5);
  std::vector<Dependency> deps;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) {
      const int j = i + pick(1, 40);
      if (j < n) deps.push_back({TaskHandle(i), TaskHandle(j), RandomType(rng), pick(-3, 3)});
    }
  }
  std::sort(deps.begin(), deps.end(), [](const Dependency& a, const Dependency& b) {
    return std::make_pair(a.predecessor, a.successor) < std::make_pair(b.predecessor, b.successor);
  });
  deps.erase(std::unique(deps.begin(), deps.end(),
                         [](const Dependency& a, const Dependency& b) {
                           return a.predecessor == b.predecessor && a.successor == b.successor;
                         }),
             deps.end());
  // Handles unrelated to the order, as in real plans.
  std::vector<TaskHandle> perm(n);
  for (int i = 0; i < n; ++i) perm[i] = TaskHandle(i);
  std::shuffle(perm.begin(), perm.end(), rng);
  for (Dependency& d : deps) d = {perm[d.predecessor], perm[d.successor], d.type, d.lag};
  auto built = TaskGraph::Build(tasks, deps);
  ASSERT_TRUE(built.ok()) << built.status();
  TaskGraph g = *std::move(built);
  ScheduleOptions options;
  options.project_start = 10;
  options.status_date = 12;
  auto s = Schedule::Compute(g, options);
  ASSERT_TRUE(s.ok());
  int local_updates = 0, finish_moved = 0;
  for (int e = 0; e < 300; ++e) {
    const int edits = pick(1, 2);
    for (int k = 0; k < edits; ++k) {
      const TaskHandle t = pick(0, n - 1);
      switch (pick(0, 4)) {
        case 0:
        case 1:
          ASSERT_TRUE(g.SetDuration(t, pick(0, 12)).ok());
          break;
        case 2:
          ASSERT_TRUE(g.SetStartNoEarlierThan(t, pick(0, 2) == 0 ? kNoDate : pick(0, 300)).ok());
          break;
        case 3:
          ASSERT_TRUE(g.SetFinishNoLaterThan(t, pick(0, 1) ? kNoDate : pick(0, 400)).ok());
          break;
        case 4:
          ASSERT_TRUE(g.SetProgress(t, pick(0, 1) ? kNoDate : 11, kNoDate, pick(0, 100)).ok());
          break;
      }
    }
    const int32_t before = s->project_finish();
    ASSERT_TRUE(s->Update(g).ok());
    g.ClearChangeLog();
    local_updates += s->last_update_was_full() ? 0 : 1;
    finish_moved += s->project_finish() != before ? 1 : 0;
    auto full = Schedule::Compute(g, options);
    ASSERT_TRUE(full.ok());
    ASSERT_EQ(s->project_finish(), full->project_finish()) << "edit " << e;
    for (TaskHandle t = 0; t < g.handle_count(); ++t) {
      ASSERT_EQ((*s)[t], (*full)[t]) << "edit " << e << " task " << t;
    }
  }
  EXPECT_GT(local_updates, 150);
  EXPECT_GT(finish_moved, 0);
}

}  // namespace
}  // namespace collabflow
