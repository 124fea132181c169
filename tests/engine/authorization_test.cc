#include "engine/commands/authorization.h"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/state/directory_index.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/seed_scenario.h"

namespace collabflow::internal {
namespace {

using namespace collabflow::testing;  // NOLINT

v1::Task* AddTask(v1::Plan* plan, const char* id) {
  v1::Task* t = plan->add_tasks();
  t->set_id(id);
  return t;
}

// The plan's assignees count once each, however many tasks they hold; a
// department stands for its head and delegates.
TEST(MembersOfTest, RequestPeopleAndEachDistinctAssigneeOnceSorted) {
  absl::StatusOr<DirectoryIndex> dir = DirectoryIndex::Build(SeedDirectory());
  ASSERT_TRUE(dir.ok()) << dir.status();
  const v1::CollaborationRequest request = SeedRequestProto();
  v1::Plan plan;
  for (int i = 0; i < 50; ++i) {
    AddTask(&plan, "T")->mutable_assignee()->set_person_id(kPlanner);
    AddTask(&plan, "U")->mutable_assignee()->set_department_id("d-finance");
  }
  AddTask(&plan, "V")->mutable_assignee()->set_person_id(kSalesData);
  AddTask(&plan, "W");  // no assignee yet
  const std::vector<std::string> members = MembersOf(request, plan, *dir);
  // Initiator and owner, market's and sales' answerers, then the assignees:
  // the planner, finance's head (no delegates), the sales data group.
  std::vector<std::string> expected = {kInitiator, kOwner,   kMarketDelegate, kSalesHead,
                                       kSalesData, kPlanner, kFinanceHead};
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  EXPECT_EQ(members, expected);

  v1::RequestRecord record;
  *record.mutable_request() = request;
  *record.mutable_plan() = plan;
  EXPECT_EQ(MembersOf(record, *dir), members);
}

TEST(MembersOfTest, WithoutAPlanOnlyTheRequestsPeople) {
  absl::StatusOr<DirectoryIndex> dir = DirectoryIndex::Build(SeedDirectory());
  ASSERT_TRUE(dir.ok()) << dir.status();
  v1::CollaborationRequest request = SeedRequestProto();
  request.clear_receivers();
  request.add_receivers()->set_person_id(kOwner);
  std::vector<std::string> expected = {kInitiator, kOwner};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(MembersOf(request, v1::Plan(), *dir), expected);
}

}  // namespace
}  // namespace collabflow::internal
