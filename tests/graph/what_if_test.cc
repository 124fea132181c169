#include "collabflow/what_if.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Fixture {
  TaskGraph graph;
  Schedule schedule;
};

Fixture Make() {
  std::vector<TaskSpec> tasks(4);
  tasks[0].duration = 3;  // data
  tasks[1].duration = 4;  // draft, due by the end of day 7
  tasks[1].finish_no_later_than = 7;
  tasks[2].duration = 5;  // final
  tasks[3].duration = 2;  // side task
  auto g = TaskGraph::Build(tasks, {{0, 1}, {1, 2}});
  EXPECT_TRUE(g.ok());
  auto s = Schedule::Compute(*g);
  EXPECT_TRUE(s.ok());
  return {*std::move(g), *std::move(s)};
}

TEST(WhatIfTest, ReportsDateFloatMilestoneAndFinishChanges) {
  Fixture f = Make();
  const auto before_deps = f.graph.Dependencies();
  auto r = WhatIf(f.graph, f.schedule, {PlanChange::SetDuration(0, 5)});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->project_finish_before, 12);
  EXPECT_EQ(r->project_finish_after, 14);
  EXPECT_THAT(r->newly_late, ElementsAre(0, 1));
  ASSERT_EQ(r->milestones.size(), 1u);
  EXPECT_EQ(r->milestones[0].task, 1u);
  EXPECT_EQ(r->milestones[0].after.total_float, -1);  // EF 9 > 7 + 1
  // Every task moved or lost float; the side task's float grows by 2.
  EXPECT_EQ(r->changed.size(), 4u);
  // The original is untouched.
  EXPECT_EQ(f.schedule.project_finish(), 12);
  EXPECT_EQ(f.graph.duration(0), 3);
  EXPECT_EQ(f.graph.Dependencies(), before_deps);
}

TEST(WhatIfTest, DependencyChangesAreApplied) {
  Fixture f = Make();
  auto r = WhatIf(f.graph, f.schedule,
                  {PlanChange::RemoveDependency(1, 2), PlanChange::AddDependency({3, 2})});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->project_finish_after, 7);
  EXPECT_EQ(f.graph.dependency_count(), 2u);
}

TEST(WhatIfTest, RefusesTheWholeListNamingTheBadChange) {
  Fixture f = Make();
  auto r = WhatIf(f.graph, f.schedule,
                  {PlanChange::SetDuration(3, 1), PlanChange::AddDependency({2, 0})});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("changes[1]"));
  EXPECT_THAT(r.status().message(), HasSubstr("cycle"));
  EXPECT_EQ(f.graph.duration(3), 2);
  EXPECT_EQ(WhatIf(f.graph, f.schedule, {PlanChange::SetDuration(9, 1)}).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace collabflow
