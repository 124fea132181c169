// The seed scenario driven through an engine, for the records tests: the
// steps of engine_test.cc's Drive (create .. plan published) as one helper.
#ifndef COLLABFLOW_TESTS_RECORDS_SEED_H_
#define COLLABFLOW_TESTS_RECORDS_SEED_H_

#include <memory>
#include <vector>

#include "collabflow/engine.h"
#include "gtest/gtest.h"
#include "seed_scenario.h"

namespace collabflow::testing {

inline absl::Time At(int mo, int d, int h, int mi = 0) { return Shanghai(2026, mo, d, h, mi); }

inline std::unique_ptr<Engine> OpenSeedEngine(EngineOptions options = {}) {
  auto engine = Engine::Open(std::move(options));
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return nullptr;
  EXPECT_TRUE((*engine)->UpdateDirectory(SeedDirectory(), At(8, 28, 9)).ok());
  return std::move(*engine);
}

// 1 create, 2 submit, 3 market accepts, 4 sales counter-proposes, 5 revision
// v2, 6 market accepts v2, 7 sales accepts v2 (confirmed), 8 plan published.
inline void DriveSeed(Engine& e, int steps) {
  auto ok = [](const absl::StatusOr<v1::CommandResult>& r) { ASSERT_TRUE(r.ok()) << r.status(); };
  if (steps >= 1) ok(e.CreateRequest(kInitiator, At(8, 31, 9, 30), SeedRequestProto()));
  if (steps >= 2) ok(e.SubmitRequest(kInitiator, At(8, 31, 10), kRequestId));
  if (steps >= 3) {
    ok(e.Respond(kMarketDelegate, At(8, 31, 15), kRequestId,
                 Accept("market", "市场部负责方案策划")));
  }
  if (steps >= 4) ok(e.Respond(kSalesData, At(9, 1, 9, 30), kRequestId, SalesCounterProposal()));
  if (steps >= 5) {
    ok(e.ReviseRequest(kInitiator, At(9, 1, 11), SeedRequestRevised(), "客户数据提前至9月4日"));
  }
  if (steps >= 6) ok(e.Respond(kOwner, At(9, 1, 14), kRequestId, Accept("market", "方案策划")));
  if (steps >= 7)
    ok(e.Respond(kSalesHead, At(9, 1, 16), kRequestId, Accept("sales", "客户画像分析")));
  if (steps >= 8) ok(e.PublishPlan(kOwner, At(9, 2, 10), kRequestId, SeedPlan()));
}

inline std::vector<v1::Event> AllEvents(const Engine& e) {
  std::vector<v1::Event> events;
  EXPECT_TRUE(e.ReadEvents(0, [&](const v1::Event& x) {
                 events.push_back(x);
                 return absl::OkStatus();
               }).ok());
  return events;
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_RECORDS_SEED_H_
