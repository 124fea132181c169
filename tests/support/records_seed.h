// The seed scenario driven through an engine, for the records tests: the
// steps of engine_test.cc's Drive (create .. plan published) as one helper.
#ifndef COLLABFLOW_TESTS_SUPPORT_RECORDS_SEED_H_
#define COLLABFLOW_TESTS_SUPPORT_RECORDS_SEED_H_

#include <memory>
#include <vector>

#include "collabflow/engine.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/seed_scenario.h"

namespace collabflow::testing {

inline absl::Time At(int mo, int d, int h, int mi = 0) { return Shanghai(2026, mo, d, h, mi); }

inline std::unique_ptr<Engine> OpenSeedEngine(EngineOptions options = {}) {
  auto engine = Engine::Open(std::move(options));
  EXPECT_TRUE(engine.ok()) << engine.status();
  if (!engine.ok()) return nullptr;
  EXPECT_TRUE((*engine)->Execute(UpdateDirectoryCommand(SeedDirectory(), At(8, 28, 9))).ok());
  return std::move(*engine);
}

// The seed scenario's steps 1..`steps` (seed_scenario.h), failing the test
// on a refusal.
inline void DriveSeedSteps(Engine& e, int steps) {
  const absl::Status s = DriveSeed(e, steps);
  ASSERT_TRUE(s.ok()) << s;
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

#endif  // COLLABFLOW_TESTS_SUPPORT_RECORDS_SEED_H_
