// Commands through Engine::Execute on an in-memory store.
//
// - BM_SimpleCommandMix: a realistic mix of simple commands — file, submit,
//   two answers (one confirming) — over many requests; reported as
//   commands/second (target: >= 200,000 on one core).
// - BM_GetRequest: a query of a request view.
// - BM_PublishPlan/N: publishing a plan of N tasks (chains of 10 with cross
//   links), including validation, coverage and the graph's cycle check.
// Peer in the same run: BM_ProtobufRoundTripFloor serializes and parses the
// same command and its event batch with no engine logic — the cost any
// protobuf-journalled engine pays per command.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "collabflow/engine.h"
#include "collabflow/v1/event.pb.h"
#include "seed_scenario.h"
#include "time_proto.h"

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT

std::unique_ptr<Engine> NewEngine() {
  auto e = Engine::Open();
  if (!e.ok() || !(*e)->UpdateDirectory(SeedDirectory(), Shanghai(2026, 8, 1, 9)).ok()) {
    std::abort();
  }
  return std::move(*e);
}

v1::Command RespondCommand(const std::string& id, const char* actor, v1::ReceiverResponse r,
                           absl::Time t) {
  v1::Command c;
  c.set_actor_id(actor);
  c.set_request_id(id);
  internal::ToProto(t, c.mutable_time());
  *c.mutable_respond()->mutable_response() = std::move(r);
  return c;
}

void BM_SimpleCommandMix(benchmark::State& state) {
  auto engine = NewEngine();
  v1::CollaborationRequest request = SeedRequestProto();
  const absl::Time t0 = Shanghai(2026, 8, 31, 10);
  const v1::ReceiverResponse market = Accept("market", "策划");
  const v1::ReceiverResponse sales = Accept("sales", "数据");
  int64_t n = 0;
  for (auto _ : state) {
    const std::string id = absl::StrCat("R", n++);
    request.set_id(id);
    v1::Command create;
    create.set_actor_id(kInitiator);
    create.set_request_id(id);
    internal::ToProto(t0, create.mutable_time());
    *create.mutable_create_request()->mutable_request() = request;
    v1::Command submit;
    submit.set_actor_id(kInitiator);
    submit.set_request_id(id);
    internal::ToProto(t0, submit.mutable_time());
    submit.mutable_submit_request();
    if (!engine->Execute(std::move(create)).ok() || !engine->Execute(std::move(submit)).ok() ||
        !engine->Execute(RespondCommand(id, kOwner, market, t0)).ok() ||
        !engine->Execute(RespondCommand(id, kSalesHead, sales, t0)).ok()) {
      state.SkipWithError("command refused");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * 4);
  state.counters["commands_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * 4), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimpleCommandMix)->Unit(benchmark::kMicrosecond);

void BM_ProtobufRoundTripFloor(benchmark::State& state) {
  v1::Command c =
      RespondCommand(kRequestId, kOwner, Accept("market", "策划"), Shanghai(2026, 8, 31, 10));
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
  if (!engine->CreateRequest(kInitiator, Shanghai(2026, 8, 31, 9), SeedRequestProto()).ok()) {
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
    engine->CreateRequest(kInitiator, t, SeedRequestProto()).IgnoreError();
    engine->SubmitRequest(kInitiator, t, kRequestId).IgnoreError();
    engine->Respond(kOwner, t, kRequestId, Accept("market", "x")).IgnoreError();
    engine->Respond(kSalesHead, t, kRequestId, Accept("sales", "x")).IgnoreError();
    state.ResumeTiming();
    auto r = engine->PublishPlan(kOwner, t, kRequestId, plan, /*acknowledge_omissions=*/true);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      break;
    }
  }
  state.counters["tasks"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_PublishPlan)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace collabflow
