// Commands through Engine::Execute on an in-memory store.
//
// - BM_SimpleCommandMix: a realistic mix of simple commands — file, submit,
//   two answers (one confirming) — over many requests; reported as
//   commands/second (target: >= 200,000 on one core). The host builds the
//   commands untimed, in batches; Execute is timed.
// - BM_RealisticMix: per collaboration, 5 commands (file, submit, two
//   answers, publish a 100-task plan) and 3 queries (request, schedule, the
//   owner's must-do list).
// - BM_ProgressReports/R: the steady state of R running collaborations —
//   the assignee of a started task reports progress (the commonest simple
//   command; it also reschedules the next report's due time through the
//   calendar), round-robin over the requests; the host acknowledges the
//   outbox every 1,000 reports, as hosts do (counted as a command).
// - BM_TickNothingDue and BM_TickThousandDue: Engine::Tick with 10,000
//   open requests, each with a published 100-task plan (1,000,000 tasks) and
//   one started task whose next progress report is due (10,000 timers). When
//   nothing is due the tick must not scan anything; for ThousandDue, 1,000
//   of the assignees report (untimed) and the tick at their next due time
//   fires 1,000 reminders and records 1,000 missed reports.
// - BM_ScheduleAfterRevision{Kept,Scratch}/10000: the schedule view after a
//   one-task revision of a 10,000-task plan, kept (incremental) against
//   built from scratch.
// - BM_GetRequest: a query of a request view.
// - BM_MustDoOnTenThousandRequests: a person's must-do list on the Tick
//   fixture (its per-person index), beside
//   BM_OverdueNothingDueOnTenThousandRequests (the overdue list with nothing
//   overdue, from the index of open dues by due time).
// - BM_PublishPlan/N: publishing a plan of N tasks (chains of 10 with cross
//   links), including validation, coverage and the graph's cycle check.
// Peer in the same run: BM_ProtobufRoundTripFloor serializes and parses the
// same command and its event batch with no engine logic — the cost any
// protobuf-journalled engine pays per command; BM_SimpleMixSealFloor seals
// the simple mix's own events into the hash chain (serialize + SHA-256)
// with nothing else.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "collabflow/engine.h"
#include "collabflow/v1/event.pb.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/schedule_view.h"
#include "support/commands.h"
#include "support/seed_scenario.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT

std::unique_ptr<Engine> NewEngine() {
  auto e = Engine::Open();
  if (!e.ok() ||
      !(*e)->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 1, 9))).ok()) {
    std::abort();
  }
  return std::move(*e);
}

// The four commands of one collaboration in the simple mix, built by the host
// before they are timed: what is measured is Execute, not the host's
// construction of a request message.
std::vector<v1::Command> SimpleMixCommands(const std::string& id,
                                           const v1::CollaborationRequest& request, absl::Time t0,
                                           const v1::ReceiverResponse& market,
                                           const v1::ReceiverResponse& sales) {
  std::vector<v1::Command> out(2);
  v1::Command& create = out[0];
  create.set_actor_id(kInitiator);
  create.set_request_id(id);
  internal::ToProto(t0, create.mutable_time());
  *create.mutable_create_request()->mutable_request() = request;
  create.mutable_create_request()->mutable_request()->set_id(id);
  v1::Command& submit = out[1];
  submit.set_actor_id(kInitiator);
  submit.set_request_id(id);
  internal::ToProto(t0, submit.mutable_time());
  submit.mutable_submit_request();
  out.push_back(RespondCommand(kOwner, t0, id, market));
  out.push_back(RespondCommand(kSalesHead, t0, id, sales));
  return out;
}

void BM_SimpleCommandMix(benchmark::State& state) {
  auto engine = NewEngine();
  const v1::CollaborationRequest request = SeedRequestProto();
  const absl::Time t0 = Shanghai(2026, 8, 31, 10);
  const v1::ReceiverResponse market = Accept("market", "策划");
  const v1::ReceiverResponse sales = Accept("sales", "数据");
  // Commands are built in batches with the timer paused (pausing costs
  // about a microsecond, spread over a batch of 1,024 commands).
  constexpr int kBatch = 256;
  std::vector<std::vector<v1::Command>> batch;
  int64_t n = 0;
  for (auto _ : state) {
    if (n % kBatch == 0) {
      state.PauseTiming();
      batch.clear();
      for (int i = 0; i < kBatch; ++i) {
        batch.push_back(SimpleMixCommands(absl::StrCat("R", n + i), request, t0, market, sales));
      }
      state.ResumeTiming();
    }
    bool ok = true;
    for (v1::Command& c : batch[n % kBatch]) ok = ok && engine->Execute(std::move(c)).ok();
    ++n;
    if (!ok) {
      state.SkipWithError("command refused");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * 4);
  state.counters["commands_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 4), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimpleCommandMix)->Unit(benchmark::kMicrosecond);

// The journal's share of the simple mix, alone: the five events one
// collaboration's four commands commit (taken from a real run), each
// serialized into a record and hashed into the chain exactly as a commit
// does (SealedBatchWriter), with no decision, fold or index work. Reported
// per command, beside BM_SimpleCommandMix: what any engine that journals
// these events as protobuf with a SHA-256 chain pays at least.
void BM_SimpleMixSealFloor(benchmark::State& state) {
  auto engine = NewEngine();
  const absl::Time t0 = Shanghai(2026, 8, 31, 10);
  for (v1::Command& c : SimpleMixCommands("R0", SeedRequestProto(), t0, Accept("market", "策划"),
                                          Accept("sales", "数据"))) {
    if (!engine->Execute(std::move(c)).ok()) std::abort();
  }
  std::vector<v1::Event> events;
  if (!engine
           ->ReadEvents(1,
                        [&](const v1::Event& e) {  // after the directory update
                          events.push_back(e);
                          return absl::OkStatus();
                        })
           .ok() ||
      events.size() != 5) {
    std::abort();
  }
  std::string head(32, '\0');
  for (auto _ : state) {
    internal::SealedBatchWriter batch(head);
    for (v1::Event& e : events) {
      e.clear_hash();
      batch.Seal(&e);
    }
    benchmark::DoNotOptimize(batch.wire().data());
  }
  state.SetItemsProcessed(state.iterations() * 4);
  state.counters["commands_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 4), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimpleMixSealFloor)->Unit(benchmark::kMicrosecond);

v1::Plan LargePlan(int tasks);

// The issue's realistic mix, one collaboration per iteration: file, submit,
// two answers, publish a 100-task plan (validation, coverage, cycle check),
// then the three queries a host shows: the request, the schedule and the
// owner's must-do list (read from the per-person index: its cost does not
// grow with the number of requests). Reported as operations (5 commands + 3
// queries) per second.
void BM_RealisticMix(benchmark::State& state) {
  auto engine = NewEngine();
  v1::CollaborationRequest request = SeedRequestProto();
  const v1::Plan plan = LargePlan(100);
  const absl::Time t0 = Shanghai(2026, 8, 31, 10);
  int64_t n = 0;
  for (auto _ : state) {
    const std::string id = absl::StrCat("R", n++);
    request.set_id(id);
    absl::Status s = ConfirmSeedCopy(*engine, request, t0, &plan);
    if (s.ok()) s = engine->GetRequest(id).status();
    if (s.ok()) s = engine->GetSchedule(id).status();
    if (s.ok()) s = engine->MustDo(kOwner, t0).status();
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      break;
    }
  }
  state.counters["operations_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 8), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RealisticMix)->Unit(benchmark::kMicrosecond);

// R copies of the seed request, each confirmed, planned and with T1 (sales'
// customer data) started by its assignee.
void StartCollaborations(Engine& engine, int requests) {
  const absl::Time t = Shanghai(2026, 9, 2, 10);
  const v1::Plan plan = SeedPlan();
  for (int i = 0; i < requests; ++i) {
    // The revised request (v2) has the customer-data milestone the plan serves.
    v1::CollaborationRequest request = SeedRequestRevised();
    const std::string id = absl::StrCat("R", i);
    request.set_id(id);
    v1::Command start;
    start.set_actor_id(kSalesData);
    start.set_request_id(id);
    internal::ToProto(t, start.mutable_time());
    start.mutable_start_task()->set_task_id("T1");
    absl::Status s = ConfirmSeedCopy(engine, request, t, &plan);
    if (s.ok()) s = engine.Execute(std::move(start)).status();
    if (!s.ok()) {
      std::fprintf(stderr, "set-up refused: %s\n", s.ToString().c_str());
      std::abort();
    }
  }
}

void BM_ProgressReports(benchmark::State& state) {
  const int requests = static_cast<int>(state.range(0));
  auto engine = NewEngine();
  StartCollaborations(*engine, requests);
  std::vector<std::string> ids;
  for (int i = 0; i < requests; ++i) ids.push_back(absl::StrCat("R", i));
  v1::Command report;
  report.set_actor_id(kSalesData);
  internal::ToProto(Shanghai(2026, 9, 3, 17), report.mutable_time());
  v1::ProgressReport* r = report.mutable_report_progress()->mutable_report();
  r->set_task_id("T1");
  r->set_work_done("客户数据已收集80%,华东、华南、西南三个区域待补充");
  r->set_percent_complete(80);
  int64_t n = 0;
  int64_t commands = 0;
  for (auto _ : state) {
    v1::Command c = report;
    c.set_request_id(ids[n % requests]);
    if (!engine->Execute(std::move(c)).ok()) {
      state.SkipWithError("report refused");
      break;
    }
    ++commands;
    if (++n % 1000 == 0) {
      // The host delivers what waits and acknowledges up to its last position.
      const std::vector<v1::Notification> waiting = engine->ReadOutbox(0, 100000);
      if (!engine->AcknowledgeOutbox(waiting.empty() ? 0 : waiting.back().position()).ok()) {
        state.SkipWithError("acknowledge refused");
        break;
      }
      ++commands;
    }
  }
  state.SetItemsProcessed(commands);
  state.counters["commands_per_second"] =
      benchmark::Counter(static_cast<double>(commands), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ProgressReports)->Arg(1000)->Unit(benchmark::kMicrosecond);

// The Tick fixture: built once (about a minute), shared by both cases.
constexpr int kTickRequests = 10000;
constexpr int kTickTasksPerPlan = 100;

v1::Plan LargePlan(int tasks);

v1::Command ReportOnT0(const std::string& request_id, absl::Time t) {
  v1::Command c;
  c.set_actor_id(kSalesData);
  c.set_request_id(request_id);
  internal::ToProto(t, c.mutable_time());
  v1::ProgressReport* r = c.mutable_report_progress()->mutable_report();
  r->set_task_id("T0");
  r->set_work_done("按计划推进");
  r->set_percent_complete(50);
  return c;
}

// Requests [0, 1000) report daily; the other 9,000 every 200 working days, so
// within the benchmark's few months (repetitions included) only the first
// 1,000 fall due.
struct TickFixture {
  std::unique_ptr<Engine> engine = NewEngine();
  absl::Time now = Shanghai(2026, 1, 5, 10);
  // When it was set up: nothing is due yet then, whatever the tick
  // benchmarks did to `now` since.
  const absl::Time created_at = now;

  TickFixture() {
    const v1::Plan daily = LargePlan(kTickTasksPerPlan);
    v1::Plan slow = daily;
    slow.mutable_cadence()->set_kind(v1::Cadence::KIND_EVERY_N_WORKING_DAYS);
    slow.mutable_cadence()->set_every_n_days(200);
    v1::CollaborationRequest request = SeedRequestProto();
    for (int i = 0; i < kTickRequests; ++i) {
      const std::string id = absl::StrCat("R", i);
      request.set_id(id);
      v1::Command start;
      start.set_actor_id(kSalesData);
      start.set_request_id(id);
      internal::ToProto(now, start.mutable_time());
      start.mutable_start_task()->set_task_id("T0");  // d-sales, no predecessors
      absl::Status s = ConfirmSeedCopy(*engine, request, now, i < 1000 ? &daily : &slow);
      if (s.ok()) s = engine->Execute(std::move(start)).status();
      if (!s.ok()) {
        std::fprintf(stderr, "tick set-up refused: %s\n", s.ToString().c_str());
        std::abort();
      }
    }
  }
};

TickFixture& SharedTickFixture() {
  static TickFixture* fixture = new TickFixture();
  return *fixture;
}

void BM_TickNothingDue(benchmark::State& state) {
  TickFixture& f = SharedTickFixture();
  const absl::Time quiet = f.now + absl::Minutes(1);  // every report is due later
  for (auto _ : state) {
    absl::StatusOr<int> fired = f.engine->Tick(quiet);
    if (!fired.ok() || *fired != 0) {
      state.SkipWithError("a tick with nothing due fired something");
      break;
    }
  }
  state.counters["open_requests"] = kTickRequests;
  state.counters["tasks"] = static_cast<double>(kTickRequests) * kTickTasksPerPlan;
}
BENCHMARK(BM_TickNothingDue)->Unit(benchmark::kMicrosecond);

void BM_TickThousandDue(benchmark::State& state) {
  TickFixture& f = SharedTickFixture();
  int64_t fired_total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    // The 1,000 daily reporters report; their next reports fall due together
    // at the close of the next working day (within 30 days even across the
    // Spring Festival), nothing else does by then.
    for (int i = 0; i < 1000; ++i) {
      absl::Status s = f.engine->Execute(ReportOnT0(absl::StrCat("R", i), f.now)).status();
      if (!s.ok()) {
        std::fprintf(stderr, "report refused: %s\n", s.ToString().c_str());
        std::abort();
      }
    }
    const v1::OverdueList due = f.engine->Overdue(f.now + absl::Hours(24 * 30));
    if (due.items_size() != 1000) {
      std::fprintf(stderr, "expected 1,000 reports due by %s, found %d\n",
                   absl::FormatTime(f.now + absl::Hours(24 * 30)).c_str(), due.items_size());

      std::abort();
    }
    const absl::Time at = internal::FromProto(due.items(999).due_at());
    f.now = at + absl::Minutes(1);
    state.ResumeTiming();
    absl::StatusOr<int> fired = f.engine->Tick(at);
    if (!fired.ok() || *fired != 2000) {
      state.SkipWithError("the tick did not fire the 1,000 due reports");
      break;
    }
    fired_total += *fired;
  }
  state.counters["events_per_tick"] =
      static_cast<double>(fired_total) / static_cast<double>(state.iterations());
  state.counters["open_requests"] = kTickRequests;
}
BENCHMARK(BM_TickThousandDue)->Unit(benchmark::kMillisecond)->Iterations(20);

// The must-do list of one person on the Tick fixture's engine (10,000 open
// requests). kPlanner (a market planner) owes nothing in any of them, the
// common case for most of a large company: MustDo reads its per-person index
// of open dues instead of every request. Beside it, Overdue at the same
// instant with nothing overdue, which reads its index of open dues by due
// time (O(log n + result)).
void BM_MustDoOnTenThousandRequests(benchmark::State& state) {
  TickFixture& f = SharedTickFixture();
  for (auto _ : state) {
    auto list = f.engine->MustDo(kPlanner, f.now);
    if (!list.ok()) {
      state.SkipWithError(std::string(list.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(list->items_size());
    state.counters["items"] = list->items_size();
  }
  state.counters["open_requests"] = kTickRequests;
}
BENCHMARK(BM_MustDoOnTenThousandRequests)->Unit(benchmark::kMicrosecond);

void BM_OverdueNothingDueOnTenThousandRequests(benchmark::State& state) {
  TickFixture& f = SharedTickFixture();
  for (auto _ : state) {
    const int items = f.engine->Overdue(f.created_at).items_size();
    if (items != 0) {
      state.SkipWithError("something is overdue: not the case this benchmark times");
      break;
    }
  }
  state.counters["open_requests"] = kTickRequests;
}
BENCHMARK(BM_OverdueNothingDueOnTenThousandRequests)->Unit(benchmark::kMicrosecond);

void BM_ProtobufRoundTripFloor(benchmark::State& state) {
  v1::Command c =
      RespondCommand(kOwner, Shanghai(2026, 8, 31, 10), kRequestId, Accept("market", "策划"));
  for (auto _ : state) {
    std::string wire = c.SerializeAsString();
    v1::Command parsed;
    parsed.ParseFromString(wire);
    v1::EventBatch batch;
    v1::Event* e = batch.add_events();
    e->set_sequence(1);
    *e->mutable_time() = parsed.time();
    *e->mutable_response_recorded()->mutable_response() = parsed.respond().response();
    std::string record = batch.SerializeAsString();
    benchmark::DoNotOptimize(record);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ProtobufRoundTripFloor)->Unit(benchmark::kMicrosecond);

void BM_GetRequest(benchmark::State& state) {
  auto engine = NewEngine();
  if (!engine
           ->Execute(CreateRequestCommand(kInitiator, Shanghai(2026, 8, 31, 9), SeedRequestProto()))
           .ok()) {
    std::abort();
  }
  for (auto _ : state) {
    auto view = engine->GetRequest(kRequestId);
    benchmark::DoNotOptimize(view);
  }
}
BENCHMARK(BM_GetRequest)->Unit(benchmark::kMicrosecond);

v1::Plan LargePlan(int tasks) {
  v1::Plan plan;
  for (int i = 0; i < tasks; ++i) {
    v1::Task* t = plan.add_tasks();
    t->set_id(absl::StrCat("T", i));
    t->set_name(absl::StrCat("任务", i));
    t->mutable_assignee()->set_department_id(i % 2 ? "d-market" : "d-sales");
    t->set_duration_days(1 + i % 5);
    if (i % 10 != 0) t->add_predecessors()->set_predecessor_id(absl::StrCat("T", i - 1));
    if (i >= 10 && i % 3 == 0) {
      t->add_predecessors()->set_predecessor_id(absl::StrCat("T", i - 10 + (i % 7)));
    }
    if (i == tasks - 1) {
      t->add_serves()->set_goal(true);
      t->add_serves()->set_milestone_id("first-draft");
      t->add_serves()->set_milestone_id("final");
      t->add_serves()->set_resource_id("planners");
      t->add_serves()->set_resource_id("customer-data");
    }
  }
  return plan;
}

void BM_PublishPlan(benchmark::State& state) {
  const v1::Plan plan = LargePlan(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    auto engine = NewEngine();
    const absl::Time t = Shanghai(2026, 8, 31, 10);
    engine->Execute(CreateRequestCommand(kInitiator, t, SeedRequestProto())).IgnoreError();
    engine->Execute(SubmitRequestCommand(kInitiator, t, kRequestId)).IgnoreError();
    engine->Execute(RespondCommand(kOwner, t, kRequestId, Accept("market", "x"))).IgnoreError();
    engine->Execute(RespondCommand(kSalesHead, t, kRequestId, Accept("sales", "x"))).IgnoreError();
    state.ResumeTiming();
    auto r = engine->Execute(
        PublishPlanCommand(kOwner, t, kRequestId, plan, /*acknowledge_omissions=*/true));
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      break;
    }
  }
  state.counters["tasks"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_PublishPlan)
    ->Arg(100)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);

// The schedule after a plan revision, on a 10,000-task plan: the revision
// (one task's duration, +1/-1 alternately; untimed) then the schedule view.
// Kept: Engine::GetSchedule on the schedule the engine keeps (graph edits +
// Schedule::Update). Peer in the same run: the same view from scratch
// (plan -> graph -> full CPM), what every query did before.
void ScheduleAfterRevision(benchmark::State& state, bool kept) {
  const int tasks = static_cast<int>(state.range(0));
  auto engine = NewEngine();
  const absl::Time t = Shanghai(2026, 8, 31, 10);
  const v1::Plan plan = LargePlan(tasks);
  absl::Status s = ConfirmSeedCopy(*engine, SeedRequestProto(), t, &plan);
  if (s.ok()) s = engine->GetSchedule(kRequestId).status();  // kept schedule built
  if (!s.ok()) {
    state.SkipWithError(std::string(s.message()).c_str());
    return;
  }
  int64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    v1::Command revise;
    revise.set_actor_id(kOwner);
    revise.set_request_id(kRequestId);
    internal::ToProto(t, revise.mutable_time());
    revise.mutable_revise_plan()->set_reason("调整工期");
    v1::TaskUpdate* u = revise.mutable_revise_plan()->add_changes()->mutable_update_task();
    const int task = static_cast<int>((n * 7919) % tasks);
    u->set_task_id(absl::StrCat("T", task));
    u->set_duration_days(1 + task % 5 + static_cast<int>(n / tasks % 2));
    ++n;
    if (!engine->Execute(std::move(revise)).ok()) {
      state.SkipWithError("revision refused");
      break;
    }
    const v1::RequestRecord record = engine->GetRequest(kRequestId)->record();
    state.ResumeTiming();
    absl::StatusOr<v1::ScheduleView> view =
        kept ? engine->GetSchedule(kRequestId)
             : internal::BuildScheduleView(record, engine->calendar());
    if (!view.ok()) {
      state.SkipWithError("no schedule");
      break;
    }
    benchmark::DoNotOptimize(view);
  }
  state.counters["tasks"] = tasks;
}
void BM_ScheduleAfterRevisionKept(benchmark::State& state) { ScheduleAfterRevision(state, true); }
void BM_ScheduleAfterRevisionScratch(benchmark::State& state) {
  ScheduleAfterRevision(state, false);
}
BENCHMARK(BM_ScheduleAfterRevisionKept)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScheduleAfterRevisionScratch)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace collabflow
