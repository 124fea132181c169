// A year of a large company, as commands: the workload of the scale suite
// (benchmarks/engine/scale_benchmark.cc) and of the tests that need many
// requests at every stage (tests/engine/request_cache_test.cc).
//
// 50 departments of 20 people (a head, a delegate, 18 members) under one
// CEO. Request i of n is filed at i/n of a year (2025), answered by two
// receiving departments, planned with 5 tasks (T1 -> T2 -> T3, T1 -> T4,
// T3 + T4 -> T5) and driven 20 minutes a command. Of the first 80% of the
// year 87.5% end archived, 7.5% cancelled, 5% stay open; of the last 20%,
// 10% archived, 5% cancelled, 85% open: the open ones at every stage
// (awaiting answers, negotiating, awaiting the plan, in progress with 1-3
// progress reports, awaiting acceptance). An archived request takes the
// whole process: 5 commands to the plan, 3 per task (start, submit,
// review), 3 to close (23 commands).
#ifndef COLLABFLOW_TESTS_SUPPORT_COMPANY_YEAR_H_
#define COLLABFLOW_TESTS_SUPPORT_COMPANY_YEAR_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collabflow/engine.h"
#include "support/commands.h"
#include "support/seed_scenario.h"

namespace collabflow::testing {

inline constexpr int kDepartments = 50;
inline constexpr int kPeoplePerDepartment = 20;
inline constexpr char kCompanyCeo[] = "p-ceo";

inline const absl::Time kYearStart = Shanghai(2025, 1, 2, 9);
// After the year, with the last requests still running.
inline const absl::Time kAfterTheYear = Shanghai(2026, 1, 20, 10);

inline std::string DepartmentId(int d) { return absl::StrFormat("d%02d", d); }
inline std::string PersonId(int d, int k) { return absl::StrFormat("p%02d-%02d", d, k); }

inline v1::Directory CompanyDirectory() {
  v1::Directory dir;
  v1::Person* ceo = dir.add_people();
  ceo->set_id(kCompanyCeo);
  ceo->set_name("总经理");
  for (int d = 0; d < kDepartments; ++d) {
    for (int k = 0; k < kPeoplePerDepartment; ++k) {
      v1::Person* p = dir.add_people();
      p->set_id(PersonId(d, k));
      p->set_name(absl::StrCat("员工", d, "-", k));
      p->set_department_id(DepartmentId(d));
      // The head reports to the CEO, the delegate to the head, members to
      // the delegate.
      p->set_superior_id(k == 0 ? std::string(kCompanyCeo) : PersonId(d, k == 1 ? 0 : 1));
    }
    v1::Department* x = dir.add_departments();
    x->set_id(DepartmentId(d));
    x->set_name(absl::StrCat("部门", d));
    x->set_head_id(PersonId(d, 0));
    x->add_delegate_ids(PersonId(d, 1));
  }
  return dir;
}

inline uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Deterministic pseudo-random numbers (a counter through splitmix64).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix(state_++ * 0x9e3779b97f4a7c15ULL); }
  int Uniform(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }

 private:
  uint64_t state_;
};

enum class Fate {
  kArchived,
  kCancelled,
  kAnswering,    // one receiver answered, the other's answer is due
  kNegotiating,  // one receiver counter-proposed
  kPlanning,     // confirmed, the plan is due
  kRunning,      // a task in progress, with progress reports
  kAwaitingAcceptance,
};

// Request i of a store of n: who, when, and how far it got. A pure function
// of (i, n), so a measuring process knows which requests are running without
// reading them.
struct Profile {
  std::string id;
  Fate fate = Fate::kArchived;
  int dept_b = 0;  // the owner's department, receiver "b"
  int dept_c = 0;  // receiver "c"
  std::string initiator, owner, answerer_b, answerer_c, worker_b, worker_c;
  absl::Time created;
  int cancel_after = 0;  // kCancelled: commands of the whole process before the cancellation
  int tasks_done = 0;    // kRunning: 0 (T1 running) or 1 (T2 running)
  int reports = 0;       // kRunning
  std::string running_task, reporter;
};

inline Profile ProfileOf(int64_t i, int64_t n) {
  Rng rng(Mix(static_cast<uint64_t>(i) + 0x5ca1e));
  Profile p;
  p.id = absl::StrFormat("R%07d", i);
  const int a = rng.Uniform(kDepartments);
  p.dept_b = (a + 1 + rng.Uniform(kDepartments - 1)) % kDepartments;
  do {
    p.dept_c = rng.Uniform(kDepartments);
  } while (p.dept_c == a || p.dept_c == p.dept_b);
  p.initiator = PersonId(a, rng.Uniform(kPeoplePerDepartment));
  p.owner = PersonId(p.dept_b, rng.Uniform(kPeoplePerDepartment));
  p.answerer_b = PersonId(p.dept_b, rng.Uniform(2));  // the head or the delegate
  p.answerer_c = PersonId(p.dept_c, rng.Uniform(2));
  p.worker_b = PersonId(p.dept_b, 2 + rng.Uniform(kPeoplePerDepartment - 2));
  p.worker_c = PersonId(p.dept_c, 2 + rng.Uniform(kPeoplePerDepartment - 2));
  const double year_share = static_cast<double>(i) / static_cast<double>(n);
  p.created = kYearStart + absl::Hours(24 * 365) * year_share;
  const double r = rng.Unit();
  const double archived = year_share < 0.8 ? 0.875 : 0.10;
  const double cancelled = year_share < 0.8 ? 0.075 : 0.05;
  if (r < archived) {
    p.fate = Fate::kArchived;
  } else if (r < archived + cancelled) {
    p.fate = Fate::kCancelled;
    constexpr int kCancelPoints[] = {2, 3, 4, 5, 8};
    p.cancel_after = kCancelPoints[rng.Uniform(5)];
  } else {
    const double s = rng.Unit();
    if (s < 0.15) {
      p.fate = Fate::kAnswering;
    } else if (s < 0.25) {
      p.fate = Fate::kNegotiating;
    } else if (s < 0.35) {
      p.fate = Fate::kPlanning;
    } else if (s < 0.85) {
      p.fate = Fate::kRunning;
      p.tasks_done = rng.Uniform(2);
      p.reports = 1 + rng.Uniform(3);
      p.running_task = p.tasks_done == 0 ? "T1" : "T2";
      p.reporter = p.tasks_done == 0 ? p.worker_c : p.worker_b;
    } else {
      p.fate = Fate::kAwaitingAcceptance;
    }
  }
  return p;
}

inline bool IsOpen(Fate f) { return f != Fate::kArchived && f != Fate::kCancelled; }

inline v1::Date DateOf(absl::Time t) {
  static const absl::TimeZone tz = [] {
    absl::TimeZone z;
    absl::LoadTimeZone("Asia/Shanghai", &z);
    return z;
  }();
  const absl::CivilDay day = absl::ToCivilDay(t, tz);
  v1::Date d;
  d.set_year(static_cast<int32_t>(day.year()));
  d.set_month(day.month());
  d.set_day(day.day());
  return d;
}

inline v1::CollaborationRequest RequestOf(const Profile& p) {
  v1::CollaborationRequest r;
  r.set_id(p.id);
  r.set_version(1);
  r.set_topic(absl::StrCat("区域市场推广协作 ", p.id));
  r.set_background("新品研发完成,需相关部门配合制定推广计划并提供区域数据");
  r.set_goal("60天内完成推广方案设计并启动推广");
  v1::Milestone* draft = r.add_milestones();
  draft->set_id("draft");
  draft->set_name("方案初稿");
  *draft->mutable_date() = DateOf(p.created + absl::Hours(24 * 30));
  v1::Milestone* final_ms = r.add_milestones();
  final_ms->set_id("final");
  final_ms->set_name("定稿并启动推广");
  *final_ms->mutable_date() = DateOf(p.created + absl::Hours(24 * 60));
  *r.mutable_final_deadline() = final_ms->date();
  v1::Receiver* b = r.add_receivers();
  b->set_id("b");
  b->set_department_id(DepartmentId(p.dept_b));
  v1::Receiver* c = r.add_receivers();
  c->set_id("c");
  c->set_department_id(DepartmentId(p.dept_c));
  r.set_priority(v1::PRIORITY_NORMAL);
  r.set_complexity(v1::COMPLEXITY_COMPLEX);
  r.set_initiator_id(p.initiator);
  r.set_owner_id(p.owner);
  return r;
}

// The order the tasks run in, and which receiver's department does each.
struct TaskStep {
  const char* id;
  bool by_b;
};
inline constexpr TaskStep kTaskOrder[] = {
    {"T1", false}, {"T2", true}, {"T4", false}, {"T3", true}, {"T5", true}};

inline v1::Plan PlanOf(const Profile& p) {
  v1::Plan plan;
  auto task = [&](const char* id, const char* name, int dept, int days,
                  std::initializer_list<const char*> preds) {
    v1::Task* t = plan.add_tasks();
    t->set_id(id);
    t->set_name(name);
    t->mutable_assignee()->set_department_id(DepartmentId(dept));
    t->set_duration_days(days);
    t->set_deliverable(absl::StrCat(name, "成果"));
    for (const char* pred : preds) t->add_predecessors()->set_predecessor_id(pred);
    return t;
  };
  task("T1", "区域客户数据收集", p.dept_c, 2, {});
  task("T2", "推广方案初稿撰写", p.dept_b, 3, {"T1"})->add_serves()->set_milestone_id("draft");
  task("T3", "方案评审与修订", p.dept_b, 2, {"T2"});
  task("T4", "渠道预算测算", p.dept_c, 2, {"T1"});
  v1::Task* last = task("T5", "定稿并启动推广", p.dept_b, 1, {"T3", "T4"});
  last->add_serves()->set_milestone_id("final");
  last->add_serves()->set_goal(true);
  return plan;
}

inline v1::Deliverable Document(absl::string_view title) {
  v1::Deliverable d;
  d.set_title(std::string(title));
  d.set_uri(absl::StrCat("https://docs.example.com/", title));
  d.set_sha256(std::string(64, 'a'));
  d.set_size_bytes(204800);
  d.set_media_type("application/pdf");
  return d;
}

inline v1::Command ProgressReport(const std::string& request_id, const std::string& reporter,
                                  const std::string& task_id, absl::Time t, int percent) {
  v1::Command c = NewCommand(reporter, t, request_id);
  v1::ProgressReport* r = c.mutable_report_progress()->mutable_report();
  r->set_task_id(task_id);
  r->set_work_done("已完成华东、华南区域的数据整理,西南区域本周内补齐");
  r->set_percent_complete(percent);
  return c;
}

// The commands of one request, in order, 20 minutes apart.
class Lifecycle {
 public:
  explicit Lifecycle(const Profile& p) : p_(p), t_(p.created) {}

  // Step k (0-based) of the whole process, create to archive (23 steps).
  void WholeProcessStep(int k) {
    if (k == 0) {
      Add(CreateRequestCommand(p_.initiator, Tick(), RequestOf(p_)));
    } else if (k == 1) {
      Add(SubmitRequestCommand(p_.initiator, Tick(), p_.id));
    } else if (k == 2) {
      Add(RespondCommand(p_.answerer_b, Tick(), p_.id, Accept("b", "方案策划")));
    } else if (k == 3) {
      Add(RespondCommand(p_.answerer_c, Tick(), p_.id, Accept("c", "数据支持")));
    } else if (k == 4) {
      Add(PublishPlanCommand(p_.owner, Tick(), p_.id, PlanOf(p_),
                             /*acknowledge_omissions=*/true));
    } else if (k < 20) {
      const TaskStep& task = kTaskOrder[(k - 5) / 3];
      const std::string& worker = task.by_b ? p_.worker_b : p_.worker_c;
      switch ((k - 5) % 3) {
        case 0: {
          v1::Command c = NewCommand(worker, Tick(), p_.id);
          c.mutable_start_task()->set_task_id(task.id);
          Add(std::move(c));
          break;
        }
        case 1: {
          v1::Command c = NewCommand(worker, Tick(), p_.id);
          c.mutable_submit_deliverables()->set_task_id(task.id);
          *c.mutable_submit_deliverables()->add_deliverables() = Document(task.id);
          Add(std::move(c));
          break;
        }
        default: {
          v1::Command c = NewCommand(p_.owner, Tick(), p_.id);
          v1::ReviewSubmission* r = c.mutable_review_submission();
          r->set_task_id(task.id);
          r->set_accurate(true);
          r->set_verdict(v1::VERDICT_PASS);
          Add(std::move(c));
          break;
        }
      }
    } else if (k == 20) {
      v1::Command c = NewCommand(p_.owner, Tick(), p_.id);
      *c.mutable_submit_final()->add_deliverables() = Document("推广方案定稿");
      c.mutable_submit_final()->set_note("全部任务已完成,提交验收");
      Add(std::move(c));
    } else if (k == 21) {
      v1::Command c = NewCommand(p_.initiator, Tick(), p_.id);
      c.mutable_review_final()->set_verdict(v1::VERDICT_PASS);
      c.mutable_review_final()->set_comment("验收通过");
      Add(std::move(c));
    } else {
      v1::Command c = NewCommand(p_.owner, Tick(), p_.id);
      c.mutable_archive_request()->set_note("归档");
      Add(std::move(c));
    }
  }

  std::vector<v1::Command> Build() {
    auto steps = [&](int n) {
      for (int k = 0; k < n; ++k) WholeProcessStep(k);
    };
    switch (p_.fate) {
      case Fate::kArchived:
        steps(23);
        break;
      case Fate::kCancelled:
        steps(p_.cancel_after);
        Add(CancelRequestCommand(p_.initiator, Tick(), p_.id, "需求变更,取消协作"));
        break;
      case Fate::kAnswering:
        steps(3);
        break;
      case Fate::kNegotiating: {
        steps(3);
        v1::ReceiverResponse r;
        r.set_receiver_id("c");
        r.add_duties("数据支持");
        r.set_timing_accepted(false);
        v1::MilestoneCounter* counter = r.add_counter_proposals();
        counter->set_milestone_id("final");
        *counter->mutable_proposed_date() = DateOf(p_.created + absl::Hours(24 * 67));
        counter->set_condition("区域数据需延后一周提供");
        r.set_decision(v1::DECISION_ACCEPT_WITH_CHANGES);
        Add(RespondCommand(p_.answerer_c, Tick(), p_.id, r));
        break;
      }
      case Fate::kPlanning:
        steps(4);
        break;
      case Fate::kRunning: {
        steps(5 + 3 * p_.tasks_done);
        v1::Command start = NewCommand(p_.reporter, Tick(), p_.id);
        start.mutable_start_task()->set_task_id(p_.running_task);
        Add(std::move(start));
        for (int r = 0; r < p_.reports; ++r) {
          Add(ProgressReport(p_.id, p_.reporter, p_.running_task, Tick(), 20 * (r + 1)));
        }
        break;
      }
      case Fate::kAwaitingAcceptance:
        steps(21);
        break;
    }
    return std::move(commands_);
  }

 private:
  absl::Time Tick() {
    const absl::Time t = t_;
    t_ += absl::Minutes(20);
    return t;
  }
  void Add(v1::Command c) { commands_.push_back(std::move(c)); }

  const Profile& p_;
  absl::Time t_;
  std::vector<v1::Command> commands_;
};

// The commands of a year of `requests` requests at every stage, in time
// order (request by request where times tie), after the directory's.
inline std::vector<v1::Command> YearCommands(int requests) {
  std::vector<v1::Command> all;
  for (int i = 0; i < requests; ++i) {
    for (v1::Command& c : Lifecycle(ProfileOf(i, requests)).Build()) all.push_back(std::move(c));
  }
  std::stable_sort(all.begin(), all.end(), [](const v1::Command& a, const v1::Command& b) {
    return std::make_pair(a.time().seconds(), a.time().nanos()) <
           std::make_pair(b.time().seconds(), b.time().nanos());
  });
  all.insert(all.begin(), UpdateDirectoryCommand(CompanyDirectory(), kYearStart - absl::Hours(24)));
  return all;
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_SUPPORT_COMPANY_YEAR_H_
