// The scale suite of issue 20: a year of a large company in a durable store,
// at 1k, 10k and 100k requests (1M with --long or COLLABFLOW_LONG_TESTS=1),
// and what the engine's costs do as the history grows.
//
// A plain program, not a Google Benchmark fixture loop: each size needs a
// store built once (tens of seconds at 100k), then each figure is measured in
// a fresh forked process, so that every open is the process's first (resident
// memory before and after it means something) and every request is untouched
// at the start. Only the public API (include/collabflow/) and the test support
// headers are used, so the suite builds and measures any engine behind them.
//
// The store. 50 departments of 20 people (a head, a delegate, 18 members)
// under one CEO. Request i is filed at i/N of a year (2025), answered by two
// receiving departments, planned with 5 tasks (T1 -> T2 -> T3, T1 -> T4,
// T3 + T4 -> T5) and driven 20 minutes a command. Of the first 80% of the
// year 87.5% end archived, 7.5% cancelled, 5% stay open; of the last 20%,
// 10% archived, 5% cancelled, 85% open: about 72% archived, 7% cancelled,
// 21% open in all, the open ones at every stage (awaiting answers,
// negotiating, awaiting the plan, in progress with 1-3 progress reports,
// awaiting acceptance). An archived request takes the whole process: 5
// commands to the plan, 3 per task (start, submit, review), 3 to close (23
// commands); the mean is printed. The host acknowledges the outbox every
// 1,000 requests. Built with Durability::kNoSync, then a snapshot
// (Engine::WriteSnapshot). Beside it, for the memory split, a store of the
// same open requests alone.
//
// The figures (medians of --reps runs where a run is cheap):
//  - open, cold (every store file fdatasync'ed and dropped from the page
//    cache with posix_fadvise(POSIX_FADV_DONTNEED)), without the snapshot (a
//    directory of hard links to every store file but snapshot-*) and with it;
//    peer in the same run: the bare store (OpenDirectoryStore, which verifies
//    every record, then ReadAll, no fold), the floor of open-without-snapshot;
//  - VerifyHistory in events/s (events counted with ReadEvents), warm; floor:
//    the bare store's ReadAll of the same journal, warm;
//  - VmRSS before and after open, per request and per open request; and the
//    store of the open requests alone, whose difference is what the archived
//    and cancelled requests keep resident;
//  - one progress report on a running request untouched since open (first
//    touch) and, at once, a second on the same request (just touched):
//    p50/p99 over up to 200 distinct requests;
//  - Overdue with nothing overdue; MustDo per row for the 10 people with the
//    most rows;
//  - WriteSnapshot alone; then command latency of a stream of progress
//    reports (one every millisecond, each timed from when it was due to
//    start, so a command held up behind another counts its wait) while a
//    thread runs WriteSnapshot, against the same stream without it.
// Commands are executed with Durability::kNoSync: the engine's cost, not
// the disk's.
//
// Usage: scale_benchmark [--sizes=1000,10000,100000] [--long] [--dir=PATH]
//                        [--json=FILE] [--reuse] [--reps=3]
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "collabflow/version.h"
#include "support/commands.h"
#include "support/seed_scenario.h"

namespace collabflow {
namespace {

namespace fs = std::filesystem;
using Figures = std::map<std::string, double>;

// Bump when the generated workload changes: --reuse keys stores by it.
constexpr int kWorkloadVersion = 1;

constexpr int kDepartments = 50;
constexpr int kPeoplePerDepartment = 20;
constexpr char kCeo[] = "p-ceo";

const absl::Time kYearStart = testing::Shanghai(2025, 1, 2, 9);
// When the queries and the commands of the measurements happen: after the
// year, with the last requests still running.
const absl::Time kNow = testing::Shanghai(2026, 1, 20, 10);

// ---------------------------------------------------------------------------
// The workload.

std::string DepartmentId(int d) { return absl::StrFormat("d%02d", d); }
std::string PersonId(int d, int k) { return absl::StrFormat("p%02d-%02d", d, k); }

v1::Directory CompanyDirectory() {
  v1::Directory dir;
  v1::Person* ceo = dir.add_people();
  ceo->set_id(kCeo);
  ceo->set_name("总经理");
  for (int d = 0; d < kDepartments; ++d) {
    for (int k = 0; k < kPeoplePerDepartment; ++k) {
      v1::Person* p = dir.add_people();
      p->set_id(PersonId(d, k));
      p->set_name(absl::StrCat("员工", d, "-", k));
      p->set_department_id(DepartmentId(d));
      // The head reports to the CEO, the delegate to the head, members to
      // the delegate.
      p->set_superior_id(k == 0 ? std::string(kCeo) : PersonId(d, k == 1 ? 0 : 1));
    }
    v1::Department* x = dir.add_departments();
    x->set_id(DepartmentId(d));
    x->set_name(absl::StrCat("部门", d));
    x->set_head_id(PersonId(d, 0));
    x->add_delegate_ids(PersonId(d, 1));
  }
  return dir;
}

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

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

Profile ProfileOf(int64_t i, int64_t n) {
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

bool IsOpen(Fate f) { return f != Fate::kArchived && f != Fate::kCancelled; }

v1::Date DateOf(absl::Time t) {
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

v1::CollaborationRequest RequestOf(const Profile& p) {
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
constexpr TaskStep kTaskOrder[] = {
    {"T1", false}, {"T2", true}, {"T4", false}, {"T3", true}, {"T5", true}};

v1::Plan PlanOf(const Profile& p) {
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

v1::Deliverable Document(absl::string_view title) {
  v1::Deliverable d;
  d.set_title(std::string(title));
  d.set_uri(absl::StrCat("https://docs.example.com/", title));
  d.set_sha256(std::string(64, 'a'));
  d.set_size_bytes(204800);
  d.set_media_type("application/pdf");
  return d;
}

v1::Command ProgressReport(const std::string& request_id, const std::string& reporter,
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
      Add(testing::CreateRequestCommand(p_.initiator, Tick(), RequestOf(p_)));
    } else if (k == 1) {
      Add(testing::SubmitRequestCommand(p_.initiator, Tick(), p_.id));
    } else if (k == 2) {
      Add(testing::RespondCommand(p_.answerer_b, Tick(), p_.id, testing::Accept("b", "方案策划")));
    } else if (k == 3) {
      Add(testing::RespondCommand(p_.answerer_c, Tick(), p_.id, testing::Accept("c", "数据支持")));
    } else if (k == 4) {
      Add(testing::PublishPlanCommand(p_.owner, Tick(), p_.id, PlanOf(p_),
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
        Add(testing::CancelRequestCommand(p_.initiator, Tick(), p_.id, "需求变更,取消协作"));
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
        Add(testing::RespondCommand(p_.answerer_c, Tick(), p_.id, r));
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

// ---------------------------------------------------------------------------
// Measuring.

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }
double Us(absl::Duration d) { return absl::ToDoubleMicroseconds(d); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}
double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

// A field of /proc/self/status in kB (VmRSS, VmHWM, RssAnon); 0 if absent.
double StatusKb(absl::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (!absl::StartsWith(line, field) || line.size() <= field.size() ||
        line[field.size()] != ':') {
      continue;
    }
    std::vector<absl::string_view> parts =
        absl::StrSplit(absl::string_view(line).substr(field.size() + 1), ' ', absl::SkipEmpty());
    double kb = 0;
    for (absl::string_view part : parts) {
      if (absl::SimpleAtod(absl::StripAsciiWhitespace(part), &kb)) return kb;
    }
  }
  return 0;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model;
  int cpus = 0;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "processor")) ++cpus;
    if (model.empty() && absl::StartsWith(line, "model name")) {
      model = std::string(absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
    }
  }
  return absl::StrCat(model.empty() ? "unknown CPU" : model, ", ", cpus, " logical CPUs");
}

// Makes every file under `dir` cold: written back, then dropped from the
// page cache (POSIX_FADV_DONTNEED drops clean pages only, hence the sync).
void DropCache(const std::string& dir) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    const int fd = open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
  }
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "scale_benchmark: %s\n", what.c_str());
  std::exit(1);
}

// Runs `fn` in a forked process and returns the figures it reports; the
// parent never opens an engine, so each child starts small and untouched.
Figures InChild(const std::function<absl::Status(Figures&)>& fn) {
  int fds[2];
  if (pipe(fds) != 0) Fail("pipe failed");
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) Fail("fork failed");
  if (pid == 0) {
    close(fds[0]);
    Figures figures;
    const absl::Status s = fn(figures);
    if (!s.ok()) {
      std::fprintf(stderr, "scale_benchmark: %s\n", s.ToString().c_str());
      std::fflush(stderr);
      _exit(1);
    }
    std::string out;
    for (const auto& [key, value] : figures) absl::StrAppendFormat(&out, "%s %.17g\n", key, value);
    for (size_t done = 0; done < out.size();) {
      const ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0) _exit(1);
      done += static_cast<size_t>(n);
    }
    close(fds[1]);
    std::fflush(stdout);
    _exit(0);
  }
  close(fds[1]);
  std::string in;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Fail("a measuring process failed");
  Figures figures;
  for (absl::string_view line : absl::StrSplit(in, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, ' ');
    double v = 0;
    if (absl::SimpleAtod(kv.second, &v)) figures[kv.first] = v;
  }
  return figures;
}

absl::StatusOr<std::unique_ptr<Engine>> OpenEngine(const std::string& dir) {
  EngineOptions options;
  options.store_dir = dir;
  options.store.durability = Durability::kNoSync;
  options.store.create_if_missing = false;
  return Engine::Open(std::move(options));
}

#define SCALE_RETURN_IF_ERROR(expr)                    \
  do {                                                 \
    if (absl::Status s_ = (expr); !s_.ok()) return s_; \
  } while (0)

// Which requests of the n a store holds.
enum class Subset {
  kAll,
  kOpenOnly,  // the open ones alone: what the closed ones add is the difference
  kNone,      // the directory alone: the engine's fixed memory
};

// Builds the store of n requests in `dir` (or a subset) and writes its
// snapshot.
absl::Status BuildStore(const std::string& dir, int64_t n, Subset subset, Figures& f) {
  EngineOptions options;
  options.store_dir = dir;
  options.store.durability = Durability::kNoSync;  // the fastest, for building
  absl::StatusOr<std::unique_ptr<Engine>> opened = Engine::Open(std::move(options));
  if (!opened.ok()) return opened.status();
  Engine& engine = **opened;
  const absl::Time start = absl::Now();
  SCALE_RETURN_IF_ERROR(engine
                            .Execute(testing::UpdateDirectoryCommand(CompanyDirectory(),
                                                                     kYearStart - absl::Hours(24)))
                            .status());
  int64_t commands = 1, requests = 0;
  for (int64_t i = 0; i < n; ++i) {
    const Profile p = ProfileOf(i, n);
    if (subset == Subset::kNone) break;
    if (subset == Subset::kOpenOnly && !IsOpen(p.fate)) continue;
    int step = 0;
    for (v1::Command& c : Lifecycle(p).Build()) {
      absl::StatusOr<v1::CommandResult> r = engine.Execute(std::move(c));
      if (!r.ok()) {
        return absl::Status(r.status().code(),
                            absl::StrCat(p.id, " command ", step + 1, ": ", r.status().message()));
      }
      ++step;
      ++commands;
    }
    if (++requests % 1000 == 0) {
      // The host has delivered what waits, as hosts do.
      SCALE_RETURN_IF_ERROR(engine.AcknowledgeOutbox(engine.LastPosition()));
      ++commands;
    }
    if (n >= 100000 && (i + 1) % (n / 10) == 0) {
      std::fprintf(stderr, "  built %lld of %lld requests (%.0f s)\n",
                   static_cast<long long>(i + 1), static_cast<long long>(n),
                   absl::ToDoubleSeconds(absl::Now() - start));
    }
  }
  SCALE_RETURN_IF_ERROR(engine.AcknowledgeOutbox(engine.LastPosition()));
  f["build_s"] = absl::ToDoubleSeconds(absl::Now() - start);
  f["commands"] = static_cast<double>(commands + 1);
  f["requests"] = static_cast<double>(requests);
  const absl::Time snap = absl::Now();
  SCALE_RETURN_IF_ERROR(engine.WriteSnapshot());
  f["build_snapshot_ms"] = Ms(absl::Now() - snap);
  opened->reset();
  return absl::OkStatus();
}

// A fresh process's first open: time and resident memory.
absl::Status MeasureOpen(const std::string& dir, Figures& f) {
  const double rss0 = StatusKb("VmRSS"), anon0 = StatusKb("RssAnon");
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<Engine>> engine = OpenEngine(dir);
  const absl::Duration took = absl::Now() - start;
  if (!engine.ok()) return engine.status();
  f["open_ms"] = Ms(took);
  f["rss_kb"] = StatusKb("VmRSS") - rss0;
  f["anon_kb"] = StatusKb("RssAnon") - anon0;
  f["hwm_kb"] = StatusKb("VmHWM") - rss0;
  f["requests"] = static_cast<double>((*engine)->RequestIds().size());
  engine->reset();
  return absl::OkStatus();
}

// The bare store: open (which verifies every record) and read every record,
// no fold; then read them again, warm.
absl::Status MeasureStoreFloor(const std::string& dir, Figures& f) {
  StoreOptions options;
  options.durability = Durability::kNoSync;
  options.create_if_missing = false;
  const absl::Time t0 = absl::Now();
  absl::StatusOr<std::unique_ptr<EventStore>> store = OpenDirectoryStore(dir, options);
  if (!store.ok()) return store.status();
  const absl::Time t1 = absl::Now();
  uint64_t records = 0, bytes = 0;
  auto count = [&](const StoredRecord& r) {
    ++records;
    bytes += r.payload.size();
    return absl::OkStatus();
  };
  SCALE_RETURN_IF_ERROR((*store)->ReadAll(0, count));
  const absl::Time t2 = absl::Now();
  records = bytes = 0;
  SCALE_RETURN_IF_ERROR((*store)->ReadAll(0, count));
  const absl::Time t3 = absl::Now();
  f["store_open_ms"] = Ms(t1 - t0);
  f["read_all_ms"] = Ms(t2 - t1);
  f["read_all_warm_ms"] = Ms(t3 - t2);
  f["records"] = static_cast<double>(records);
  f["record_bytes"] = static_cast<double>(bytes);
  return (*store)->Close();
}

absl::Status MeasureVerify(const std::string& dir, int reps, Figures& f) {
  absl::StatusOr<std::unique_ptr<Engine>> engine = OpenEngine(dir);
  if (!engine.ok()) return engine.status();
  uint64_t events = 0;
  const absl::Time t0 = absl::Now();
  SCALE_RETURN_IF_ERROR((*engine)->ReadEvents(0, [&](const v1::Event&) {
    ++events;
    return absl::OkStatus();
  }));
  f["read_events_ms"] = Ms(absl::Now() - t0);
  std::vector<double> ms;
  for (int r = 0; r < reps; ++r) {
    const absl::Time t = absl::Now();
    SCALE_RETURN_IF_ERROR((*engine)->VerifyHistory());
    ms.push_back(Ms(absl::Now() - t));
  }
  f["events"] = static_cast<double>(events);
  f["verify_ms"] = Median(ms);
  engine->reset();
  return absl::OkStatus();
}

std::vector<Profile> RunningRequests(int64_t n, uint64_t seed) {
  std::vector<Profile> running;
  for (int64_t i = 0; i < n; ++i) {
    Profile p = ProfileOf(i, n);
    if (p.fate == Fate::kRunning) running.push_back(std::move(p));
  }
  std::shuffle(running.begin(), running.end(), std::mt19937_64(seed));
  return running;
}

// First touch and just touched; Overdue with nothing overdue; MustDo per row.
absl::Status MeasureQueries(const std::string& dir, int64_t n, Figures& f) {
  std::vector<Profile> running = RunningRequests(n, 1);
  if (running.size() > 200) running.resize(200);
  absl::StatusOr<std::unique_ptr<Engine>> opened = OpenEngine(dir);
  if (!opened.ok()) return opened.status();
  Engine& engine = **opened;
  std::vector<double> first, again;
  absl::Time t = kNow;
  for (const Profile& p : running) {
    for (std::vector<double>* into : {&first, &again}) {
      v1::Command c = ProgressReport(p.id, p.reporter, p.running_task, t, 90);
      t += absl::Seconds(1);
      const absl::Time start = absl::Now();
      absl::Status s = engine.Execute(std::move(c)).status();
      into->push_back(Us(absl::Now() - start));
      if (!s.ok()) return s;
    }
  }
  f["touch_requests"] = static_cast<double>(first.size());
  f["first_touch_p50_us"] = Percentile(first, 0.5);
  f["first_touch_p99_us"] = Percentile(first, 0.99);
  f["touched_p50_us"] = Percentile(again, 0.5);
  f["touched_p99_us"] = Percentile(again, 0.99);

  // Overdue before the first request was filed: nothing is due.
  const absl::Time quiet = kYearStart - absl::Hours(1);
  std::vector<double> overdue;
  const absl::Time overdue_start = absl::Now();
  while (overdue.size() < 2000 &&
         (overdue.size() < 5 || absl::Now() - overdue_start < absl::Milliseconds(300))) {
    const absl::Time start = absl::Now();
    const int items = engine.Overdue(quiet).items_size();
    overdue.push_back(Us(absl::Now() - start));
    if (items != 0) return absl::InternalError("something is overdue before the year began");
  }
  f["overdue_nothing_us"] = Median(overdue);

  // MustDo: the 10 people with the most rows, 5 calls each.
  std::vector<std::pair<int, std::string>> rows;
  for (int d = 0; d < kDepartments; ++d) {
    for (int k = 0; k < kPeoplePerDepartment; ++k) {
      absl::StatusOr<v1::MustDoList> list = engine.MustDo(PersonId(d, k), kNow);
      if (!list.ok()) return list.status();
      rows.emplace_back(list->items_size(), PersonId(d, k));
    }
  }
  std::sort(rows.rbegin(), rows.rend());
  rows.resize(10);
  std::vector<double> per_row, per_call;
  double total_rows = 0;
  for (const auto& [count, person] : rows) {
    std::vector<double> us;
    for (int r = 0; r < 5; ++r) {
      const absl::Time start = absl::Now();
      absl::StatusOr<v1::MustDoList> list = engine.MustDo(person, kNow);
      us.push_back(Us(absl::Now() - start));
      if (!list.ok()) return list.status();
    }
    per_call.push_back(Median(us));
    per_row.push_back(Median(us) / std::max(1, count));
    total_rows += count;
  }
  f["mustdo_rows"] = total_rows / static_cast<double>(rows.size());
  f["mustdo_us"] = Median(per_call);
  f["mustdo_us_per_row"] = Median(per_row);
  opened->reset();
  return absl::OkStatus();
}

// WriteSnapshot alone, then a stream of commands with and without a
// concurrent WriteSnapshot.
absl::Status MeasureSnapshot(const std::string& dir, int64_t n, Figures& f) {
  std::vector<Profile> working = RunningRequests(n, 2);
  if (working.size() > 500) working.resize(500);
  if (working.empty()) return absl::FailedPreconditionError("no running requests");
  absl::StatusOr<std::unique_ptr<Engine>> opened = OpenEngine(dir);
  if (!opened.ok()) return opened.status();
  Engine& engine = **opened;
  absl::Time t = kNow + absl::Hours(24);
  size_t next = 0;
  auto report = [&]() {
    const Profile& p = working[next++ % working.size()];
    t += absl::Seconds(1);
    return engine.Execute(ProgressReport(p.id, p.reporter, p.running_task, t, 95)).status();
  };
  for (size_t i = 0; i < working.size(); ++i) SCALE_RETURN_IF_ERROR(report());  // warm

  // One command every millisecond; each timed from when it was due to start
  // (a command waiting behind a stalled one counts its wait).
  struct Sample {
    absl::Time due;
    double us;
  };
  constexpr absl::Duration kPeriod = absl::Milliseconds(1);
  auto stream = [&](const std::function<bool(int, absl::Time)>& more,
                    std::vector<Sample>* samples) -> absl::Status {
    const absl::Time begin = absl::Now();
    for (int j = 0; more(j, begin + kPeriod * j); ++j) {
      const absl::Time due = begin + kPeriod * j;
      absl::Time start = due;
      if (absl::Now() < due) {
        absl::SleepFor(due - absl::Now());
        start = absl::Now();  // the sleep's overshoot is not the engine's
      }
      SCALE_RETURN_IF_ERROR(report());
      samples->push_back({due, Us(absl::Now() - start)});
    }
    return absl::OkStatus();
  };
  auto latencies = [](const std::vector<Sample>& samples, absl::Time from, absl::Time to) {
    std::vector<double> us;
    for (const Sample& s : samples) {
      if (s.due >= from && s.due <= to) us.push_back(s.us);
    }
    return us;
  };
  std::vector<Sample> base;
  SCALE_RETURN_IF_ERROR(stream([](int j, absl::Time) { return j < 1000; }, &base));
  const std::vector<double> base_us = latencies(base, absl::InfinitePast(), absl::InfiniteFuture());
  f["stream_base_p50_us"] = Percentile(base_us, 0.5);
  f["stream_base_p99_us"] = Percentile(base_us, 0.99);

  const absl::Time alone = absl::Now();
  SCALE_RETURN_IF_ERROR(engine.WriteSnapshot());
  f["snapshot_ms"] = Ms(absl::Now() - alone);

  // The stream again, with WriteSnapshot on another thread, until every
  // command due while it ran has run; those are kept.
  std::atomic<bool> done{false};
  absl::Time snap_start, snap_end;
  absl::Status snap_status;
  std::thread snapshotter([&] {
    snap_start = absl::Now();
    snap_status = engine.WriteSnapshot();
    snap_end = absl::Now();
    done = true;
  });
  std::vector<Sample> samples;
  const absl::Status s = stream(
      [&](int j, absl::Time due) { return !done.load() || due <= snap_end || j < 100; }, &samples);
  snapshotter.join();
  SCALE_RETURN_IF_ERROR(s);
  SCALE_RETURN_IF_ERROR(snap_status);
  const std::vector<double> during = latencies(samples, snap_start, snap_end);
  f["snapshot_concurrent_ms"] = Ms(snap_end - snap_start);
  f["stream_during_commands"] = static_cast<double>(during.size());
  f["stream_during_p50_us"] = Percentile(during, 0.5);
  f["stream_during_p99_us"] = Percentile(during, 0.99);
  f["stream_during_max_us"] = Percentile(during, 1.0);
  opened->reset();
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// The driver.

struct Flags {
  std::vector<int64_t> sizes = {1000, 10000, 100000};
  std::string dir;
  std::string json;
  bool reuse = false;
  int reps = 3;
};

[[noreturn]] void Usage(const std::string& why) {
  std::fprintf(stderr,
               "scale_benchmark: %s\nusage: scale_benchmark [--sizes=1000,10000,100000] [--long] "
               "[--dir=PATH] [--json=FILE] [--reuse] [--reps=3]\n",
               why.c_str());
  std::exit(2);
}

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  bool long_run = false;
  if (const char* env = std::getenv("COLLABFLOW_LONG_TESTS"); env != nullptr) {
    long_run = std::string(env) == "1";
  }
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    const size_t eq = arg.find('=');
    const absl::string_view name = arg.substr(0, eq);
    const absl::string_view value = eq == arg.npos ? "" : arg.substr(eq + 1);
    if (name == "--sizes") {
      flags.sizes.clear();
      for (absl::string_view v : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        int64_t n = 0;
        if (!absl::SimpleAtoi(v, &n) || n < 100) Usage(absl::StrCat("bad size \"", v, "\""));
        flags.sizes.push_back(n);
      }
    } else if (name == "--long") {
      long_run = true;
    } else if (name == "--dir") {
      flags.dir = std::string(value);
    } else if (name == "--json") {
      flags.json = std::string(value);
    } else if (name == "--reuse") {
      flags.reuse = true;
    } else if (name == "--reps") {
      if (!absl::SimpleAtoi(value, &flags.reps) || flags.reps < 1) Usage("bad --reps");
    } else {
      Usage(absl::StrCat("unknown argument \"", arg, "\""));
    }
  }
  if (long_run && std::find(flags.sizes.begin(), flags.sizes.end(), 1000000) == flags.sizes.end()) {
    flags.sizes.push_back(1000000);
  }
  if (flags.sizes.empty()) Usage("no sizes");
  return flags;
}

std::string g_remove_at_exit;  // the temporary directory of stores, if ours

void RemoveTemporaryStores() {
  if (g_remove_at_exit.empty()) return;
  std::error_code ec;
  fs::remove_all(g_remove_at_exit, ec);
}

// `nosnap`: hard links to every file of `store` but the snapshot and the
// lock, i.e. the same journal with no snapshot to start from.
void LinkWithoutSnapshot(const std::string& store, const std::string& nosnap) {
  std::error_code ec;
  fs::remove_all(nosnap, ec);
  fs::create_directories(nosnap);
  for (const fs::directory_entry& e : fs::directory_iterator(store)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || absl::StartsWith(name, "snapshot") || name == "LOCK") continue;
    fs::create_hard_link(e.path(), fs::path(nosnap) / name, ec);
    if (ec) Fail(absl::StrCat("cannot link ", e.path().string(), ": ", ec.message()));
  }
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) bytes += e.file_size();
  }
  return bytes;
}

// The median over `runs` of each figure.
Figures Medians(const std::vector<Figures>& runs) {
  std::map<std::string, std::vector<double>> all;
  for (const Figures& run : runs) {
    for (const auto& [k, v] : run) all[k].push_back(v);
  }
  Figures out;
  for (auto& [k, v] : all) out[k] = Median(v);
  return out;
}

Figures Repeat(int reps, const std::function<void()>& before,
               const std::function<absl::Status(Figures&)>& fn) {
  std::vector<Figures> runs;
  for (int r = 0; r < reps; ++r) {
    before();
    runs.push_back(InChild(fn));
  }
  return Medians(runs);
}

void Merge(Figures& into, const std::string& prefix, const Figures& from) {
  for (const auto& [k, v] : from) into[prefix + k] = v;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Figures MeasureSize(const std::string& root, int64_t n, const Flags& flags) {
  const std::string base =
      (fs::path(root) / absl::StrCat("n", n, "-", kVersionString, "-w", kWorkloadVersion)).string();
  const std::string store = base + "/store", open_only = base + "/open-only",
                    empty = base + "/directory-only", nosnap = base + "/no-snapshot",
                    built = base + "/BUILT";
  Figures f;
  f["requests"] = static_cast<double>(n);
  int64_t open = 0, archived = 0, cancelled = 0, running = 0;
  for (int64_t i = 0; i < n; ++i) {
    const Fate fate = ProfileOf(i, n).fate;
    open += IsOpen(fate);
    archived += fate == Fate::kArchived;
    cancelled += fate == Fate::kCancelled;
    running += fate == Fate::kRunning;
  }
  f["open_requests"] = static_cast<double>(open);
  f["archived_requests"] = static_cast<double>(archived);
  f["cancelled_requests"] = static_cast<double>(cancelled);
  f["running_requests"] = static_cast<double>(running);

  // The stores, built once (kept with --reuse, keyed by size, library version
  // and workload).
  Figures build;
  if (flags.reuse && fs::exists(built)) {
    std::fprintf(stderr, "n=%lld: reusing %s\n", static_cast<long long>(n), base.c_str());
    for (absl::string_view line : absl::StrSplit(ReadFile(built), '\n', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(line, ' ');
      double v = 0;
      if (absl::SimpleAtod(kv.second, &v)) build[kv.first] = v;
    }
  } else {
    std::error_code ec;
    fs::remove_all(base, ec);
    fs::create_directories(base);
    std::fprintf(stderr, "n=%lld: building the store in %s\n", static_cast<long long>(n),
                 base.c_str());
    Merge(build, "",
          InChild([&](Figures& out) { return BuildStore(store, n, Subset::kAll, out); }));
    Merge(build, "open_only_",
          InChild([&](Figures& out) { return BuildStore(open_only, n, Subset::kOpenOnly, out); }));
    InChild([&](Figures& out) { return BuildStore(empty, n, Subset::kNone, out); });
    std::string lines;
    for (const auto& [k, v] : build) absl::StrAppendFormat(&lines, "%s %.17g\n", k, v);
    std::ofstream(built) << lines;
  }
  Merge(f, "", build);
  f["commands_per_request"] = (build["commands"] - 1) / static_cast<double>(n);
  f["store_mb"] = static_cast<double>(DirectoryBytes(store)) / 1e6;
  LinkWithoutSnapshot(store, nosnap);

  const int reps = flags.reps;
  const int slow_reps = n >= 1000000 ? 1 : reps;  // an open that replays 1M requests
  std::fprintf(stderr, "n=%lld: bare store floor\n", static_cast<long long>(n));
  Merge(f, "floor_",
        Repeat(
            slow_reps, [&] { DropCache(nosnap); },
            [&](Figures& out) { return MeasureStoreFloor(nosnap, out); }));
  std::fprintf(stderr, "n=%lld: open without snapshot\n", static_cast<long long>(n));
  Merge(f, "nosnap_",
        Repeat(
            slow_reps, [&] { DropCache(nosnap); },
            [&](Figures& out) { return MeasureOpen(nosnap, out); }));
  std::fprintf(stderr, "n=%lld: open with snapshot\n", static_cast<long long>(n));
  Merge(
      f, "snap_",
      Repeat(
          reps, [&] { DropCache(store); }, [&](Figures& out) { return MeasureOpen(store, out); }));
  Merge(f, "open_only_snap_",
        Repeat(
            reps, [&] { DropCache(open_only); },
            [&](Figures& out) { return MeasureOpen(open_only, out); }));
  Merge(
      f, "directory_only_snap_",
      Repeat(
          reps, [&] { DropCache(empty); }, [&](Figures& out) { return MeasureOpen(empty, out); }));
  std::fprintf(stderr, "n=%lld: verify\n", static_cast<long long>(n));
  Merge(f, "",
        InChild([&](Figures& out) { return MeasureVerify(store, n >= 100000 ? 1 : reps, out); }));
  std::fprintf(stderr, "n=%lld: commands and queries\n", static_cast<long long>(n));
  Merge(f, "", InChild([&](Figures& out) { return MeasureQueries(store, n, out); }));
  std::fprintf(stderr, "n=%lld: snapshots\n", static_cast<long long>(n));
  Merge(f, "", InChild([&](Figures& out) { return MeasureSnapshot(store, n, out); }));

  // Derived figures.
  const double events = f["events"];
  f["floor_open_ms"] = f["floor_store_open_ms"] + f["floor_read_all_ms"];
  f["nosnap_open_over_floor"] = f["nosnap_open_ms"] / f["floor_open_ms"];
  f["nosnap_us_per_event"] = f["nosnap_open_ms"] * 1e3 / events;
  f["verify_events_per_s"] = events / (f["verify_ms"] / 1e3);
  f["floor_read_events_per_s"] = events / (f["floor_read_all_warm_ms"] / 1e3);
  f["verify_over_floor"] = f["verify_ms"] / f["floor_read_all_warm_ms"];
  // Beyond the engine's fixed memory (an open of the directory alone).
  const double fixed_kb = f["directory_only_snap_rss_kb"];
  f["rss_bytes_per_request"] = (f["snap_rss_kb"] - fixed_kb) * 1024 / static_cast<double>(n);
  f["rss_bytes_per_open_request"] =
      (f["open_only_snap_rss_kb"] - fixed_kb) * 1024 / static_cast<double>(open);
  f["rss_bytes_per_closed_request"] =
      (f["snap_rss_kb"] - f["open_only_snap_rss_kb"]) * 1024 / static_cast<double>(n - open);
  f["stream_p99_ratio"] = f["stream_during_p99_us"] / f["stream_base_p99_us"];

  if (!flags.reuse) {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
  return f;
}

// ---- the growth table ----

struct Row {
  const char* label;
  std::function<std::string(const Figures&)> cell;
  const char* target;
};

std::string Fixed(double v, int digits) {
  if (std::isnan(v)) return "—";
  return absl::StrFormat("%.*f", digits, v);
}
std::string Thousands(double v) {
  if (std::isnan(v)) return "—";
  std::string digits = absl::StrFormat("%.0f", v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}
// A time in µs or ms, whichever reads better.
std::string Time(double us) {
  if (std::isnan(us)) return "—";
  if (us >= 10000) return absl::StrCat(Fixed(us / 1000, 0), " ms");
  if (us >= 1000) return absl::StrCat(Fixed(us / 1000, 1), " ms");
  if (us >= 10) return absl::StrCat(Fixed(us, 0), " µs");
  return absl::StrCat(Fixed(us, 1), " µs");
}
std::vector<Row> Rows() {
  auto get = [](const Figures& f, const char* key) {
    auto it = f.find(key);
    return it == f.end() ? NAN : it->second;
  };
  auto ms = [get](const char* key) {
    return [get, key](const Figures& f) { return Time(get(f, key) * 1e3); };
  };
  auto us = [get](const char* key) {
    return [get, key](const Figures& f) { return Time(get(f, key)); };
  };
  auto pair = [get](const char* p50, const char* p99) {
    return [get, p50, p99](const Figures& f) {
      return absl::StrCat(Time(get(f, p50)), " / ", Time(get(f, p99)));
    };
  };
  return {
      {"open / archived / cancelled requests",
       [get](const Figures& f) {
         return absl::StrCat(Thousands(get(f, "open_requests")), " / ",
                             Thousands(get(f, "archived_requests")), " / ",
                             Thousands(get(f, "cancelled_requests")));
       },
       ""},
      {"commands per request (mean); events",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "commands_per_request"), 1), "; ",
                             Thousands(get(f, "events")));
       },
       "8–10 commands, 5-task plan"},
      {"store on disk (journal + snapshot)",
       [get](const Figures& f) { return absl::StrCat(Fixed(get(f, "store_mb"), 0), " MB"); }, ""},
      {"build (kNoSync) + its snapshot",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "build_s"), 1), " s + ",
                             Time(get(f, "build_snapshot_ms") * 1e3));
       },
       ""},
      {"**open, cold, with snapshot**", ms("snap_open_ms"), "≤ 200 ms at 100k, ≤ 1 s at 1M"},
      {"open, cold, without snapshot (replay)", ms("nosnap_open_ms"), ""},
      {"  µs per event replayed",
       [get](const Figures& f) { return Fixed(get(f, "nosnap_us_per_event"), 2); }, ""},
      {"  floor: bare store open + ReadAll, cold", ms("floor_open_ms"), ""},
      {"  of which the store's open (verifies every record)", ms("floor_store_open_ms"), ""},
      {"  open without snapshot ÷ floor",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "nosnap_open_over_floor"), 1), "×");
       },
       ""},
      {"**verify (VerifyHistory), warm**",
       [get](const Figures& f) {
         return absl::StrCat(Thousands(get(f, "verify_events_per_s")), " events/s");
       },
       "≥ 1,000,000 events/s"},
      {"  floor: bare store ReadAll, warm",
       [get](const Figures& f) {
         return absl::StrCat(Thousands(get(f, "floor_read_events_per_s")), " events/s");
       },
       ""},
      {"  verify ÷ floor (time)",
       [get](const Figures& f) { return absl::StrCat(Fixed(get(f, "verify_over_floor"), 1), "×"); },
       ""},
      {"resident memory after open (VmRSS growth)",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "snap_rss_kb") / 1024, 1), " MB");
       },
       ""},
      {"  of which fixed (an open of the directory alone)",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "directory_only_snap_rss_kb") / 1024, 1), " MB");
       },
       ""},
      {"  per request, beyond the fixed",
       [get](const Figures& f) { return Thousands(get(f, "rss_bytes_per_request")) + " B"; }, ""},
      {"**  per open request**, beyond the fixed (store of the open ones alone)",
       [get](const Figures& f) { return Thousands(get(f, "rss_bytes_per_open_request")) + " B"; },
       "≤ 3 KB beyond the cache"},
      {"**  per archived/cancelled request** (difference)",
       [get](const Figures& f) { return Thousands(get(f, "rss_bytes_per_closed_request")) + " B"; },
       "≈ 0 (≤ 200 B in the id index), not growing"},
      {"**command on an untouched request** p50 / p99",
       pair("first_touch_p50_us", "first_touch_p99_us"), "≤ 1 ms (load included)"},
      {"**command on the request just touched** p50 / p99",
       pair("touched_p50_us", "touched_p99_us"), "unchanged from today"},
      {"**Overdue, nothing overdue**", us("overdue_nothing_us"), "≤ 10 µs at 100k"},
      {"**MustDo per row** (10 busiest people)",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "mustdo_us_per_row"), 2), " µs (",
                             Fixed(get(f, "mustdo_rows"), 0), " rows, ", Time(get(f, "mustdo_us")),
                             ")");
       },
       "flat across sizes"},
      {"WriteSnapshot, alone", ms("snapshot_ms"), ""},
      {"command stream p50 / p99, alone", pair("stream_base_p50_us", "stream_base_p99_us"), ""},
      {"  during WriteSnapshot p50 / p99 (commands due)",
       [get, pair](const Figures& f) {
         return absl::StrCat(pair("stream_during_p50_us", "stream_during_p99_us")(f), " (",
                             Thousands(get(f, "stream_during_commands")), ")");
       },
       ""},
      {"**  p99 during ÷ p99 alone**",
       [get](const Figures& f) { return absl::StrCat(Fixed(get(f, "stream_p99_ratio"), 1), "×"); },
       "≤ 2×"},
  };
}

std::string SizeName(int64_t n) {
  if (n % 1000000 == 0) return absl::StrCat(n / 1000000, "M");
  if (n % 1000 == 0) return absl::StrCat(n / 1000, "k");
  return absl::StrCat(n);
}

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  std::string root = flags.dir;
  if (root.empty() && flags.reuse) root = "/tmp/collabflow_scale_stores";
  if (root.empty()) {
    char templ[] = "/tmp/collabflow_scale_XXXXXX";
    if (mkdtemp(templ) == nullptr) Fail("mkdtemp failed");
    root = templ;
    g_remove_at_exit = root;
    std::atexit(RemoveTemporaryStores);
  }
  fs::create_directories(root);
  const std::string cpu = CpuModel();
  std::vector<std::string> args(argv, argv + argc);
  const std::string command = absl::StrJoin(args, " ");
  std::printf("collabflow %s scale suite; %s\nstores in %s\n", std::string(kVersionString).c_str(),
              cpu.c_str(), root.c_str());

  std::vector<Figures> results;
  for (int64_t n : flags.sizes) {
    results.push_back(MeasureSize(root, n, flags));
    std::printf("n=%lld done\n", static_cast<long long>(n));
    std::fflush(stdout);
  }

  // The growth table, Markdown.
  std::string header = "| figure |", rule = "|---|";
  for (int64_t n : flags.sizes) {
    absl::StrAppend(&header, " ", SizeName(n), " |");
    rule += "---|";
  }
  std::printf("\n%s target (issue 20) |\n%s---|\n", header.c_str(), rule.c_str());
  for (const Row& row : Rows()) {
    std::string line = absl::StrCat("| ", row.label, " |");
    for (const Figures& f : results) absl::StrAppend(&line, " ", row.cell(f), " |");
    std::printf("%s %s |\n", line.c_str(), row.target);
  }

  if (!flags.json.empty()) {
    std::string json = absl::StrCat("{\n  \"version\": ", JsonString(kVersionString),
                                    ",\n  \"cpu\": ", JsonString(cpu),
                                    ",\n  \"command\": ", JsonString(command), ",\n  \"sizes\": [");
    for (size_t i = 0; i < results.size(); ++i) {
      absl::StrAppend(&json, i ? "," : "", "\n    {");
      bool first = true;
      for (const auto& [k, v] : results[i]) {
        absl::StrAppend(&json, first ? "" : ", ", JsonString(k), ": ",
                        std::isfinite(v) ? absl::StrFormat("%.6g", v) : "null");
        first = false;
      }
      json += "}";
    }
    json += "\n  ]\n}\n";
    std::ofstream out(flags.json);
    out << json;
    if (!out) Fail(absl::StrCat("cannot write ", flags.json));
  }
  return 0;
}

}  // namespace
}  // namespace collabflow

int main(int argc, char** argv) { return collabflow::Main(argc, argv); }
