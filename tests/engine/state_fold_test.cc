// The fold's task lookups: events carry the task's position in the plan, the
// fold uses it, and falls back to a search when the record disagrees; the
// executions follow the plan through revisions that reorder, add and remove.
#include "engine/state/state_fold.h"

#include <string>

#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

constexpr char kRequest[] = "REQ-1";

v1::EngineState StateWithPlan(std::initializer_list<const char*> ids) {
  v1::Event published;
  published.set_request_id(kRequest);
  published.mutable_time()->set_seconds(1'790'000'000);
  for (const char* id : ids)
    published.mutable_plan_published()->mutable_plan()->add_tasks()->set_id(id);
  v1::EngineState state;
  ApplyEvent(&published, &state);
  return state;
}

v1::Event Started(const std::string& id, uint32_t recorded_index) {
  v1::Event e;
  e.set_request_id(kRequest);
  e.mutable_time()->set_seconds(1'790'100'000);
  v1::TaskStarted* started = e.mutable_task_started();
  started->set_task_id(id);
  started->set_task_index(recorded_index);
  v1::TaskTransition* t = started->add_transitions();
  t->set_task_id(id);
  t->set_task_index(recorded_index);
  t->set_from(v1::TASK_STATE_READY);
  t->set_to(v1::TASK_STATE_IN_PROGRESS);
  return e;
}

const v1::TaskExecution& Execution(const v1::EngineState& state, int i) {
  return state.requests().at(kRequest).executions(i);
}

TEST(StateFoldTest, PublishingAlignsOneExecutionPerTaskInPlanOrder) {
  const v1::EngineState state = StateWithPlan({"A", "B", "C"});
  ASSERT_EQ(state.requests().at(kRequest).executions_size(), 3);
  EXPECT_EQ(Execution(state, 0).task_id(), "A");
  EXPECT_EQ(Execution(state, 2).task_id(), "C");
  EXPECT_EQ(Execution(state, 1).state(), v1::TASK_STATE_NOT_STARTED);
}

TEST(StateFoldTest, RecordedPositionFindsTheTask) {
  v1::EngineState state = StateWithPlan({"A", "B", "C"});
  v1::Event e = Started("B", 1);
  ApplyEvent(&e, &state);
  EXPECT_EQ(Execution(state, 1).state(), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_TRUE(Execution(state, 1).has_actual_start());
  EXPECT_EQ(Execution(state, 0).state(), v1::TASK_STATE_NOT_STARTED);
  EXPECT_EQ(Execution(state, 2).state(), v1::TASK_STATE_NOT_STARTED);
}

TEST(StateFoldTest, PositionThatDisagreesFallsBackToTheTaskNamed) {
  // Position 0 holds A, position 7 holds nothing: both must still reach C.
  for (const uint32_t wrong : {0u, 7u}) {
    v1::EngineState state = StateWithPlan({"A", "B", "C"});
    v1::Event e = Started("C", wrong);
    ApplyEvent(&e, &state);
    EXPECT_EQ(Execution(state, 2).state(), v1::TASK_STATE_IN_PROGRESS) << wrong;
    EXPECT_TRUE(Execution(state, 2).has_actual_start()) << wrong;
    EXPECT_EQ(Execution(state, 0).state(), v1::TASK_STATE_NOT_STARTED) << wrong;
    EXPECT_FALSE(Execution(state, 0).has_actual_start()) << wrong;
  }
}

TEST(StateFoldTest, ProgressReportLandsOnTheNamedTaskEvenIfThePositionIsStale) {
  v1::EngineState state = StateWithPlan({"A", "B"});
  v1::Event e;
  e.set_request_id(kRequest);
  e.mutable_progress_reported()->mutable_report()->set_task_id("B");
  e.mutable_progress_reported()->mutable_report()->set_percent_complete(40);
  e.mutable_progress_reported()->set_task_index(0);  // A's position
  ApplyEvent(&e, &state);
  EXPECT_EQ(Execution(state, 1).percent_complete(), 40);
  EXPECT_EQ(Execution(state, 0).percent_complete(), 0);
}

TEST(StateFoldTest, AlignExecutionsKeepsTasksThatStayThroughReorderAddAndRemove) {
  v1::EngineState state = StateWithPlan({"A", "B", "C"});
  v1::Event e = Started("B", 1);
  ApplyEvent(&e, &state);
  v1::RequestRecord& r = (*state.mutable_requests())[kRequest];
  r.mutable_executions(1)->set_percent_complete(60);
  // New plan: C first, A removed, D added, B last.
  r.mutable_plan()->clear_tasks();
  for (const char* id : {"C", "D", "B"}) r.mutable_plan()->add_tasks()->set_id(id);
  AlignExecutions(&r);
  ASSERT_EQ(r.executions_size(), 3);
  EXPECT_EQ(r.executions(0).task_id(), "C");
  EXPECT_EQ(r.executions(0).state(), v1::TASK_STATE_NOT_STARTED);
  EXPECT_EQ(r.executions(1).task_id(), "D");
  EXPECT_EQ(r.executions(1).state(), v1::TASK_STATE_NOT_STARTED);
  EXPECT_EQ(r.executions(2).task_id(), "B");
  EXPECT_EQ(r.executions(2).state(), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_EQ(r.executions(2).percent_complete(), 60);
  EXPECT_TRUE(r.executions(2).has_actual_start());
}

TEST(StateFoldTest, AlignExecutionsLeavesAnUnchangedTaskListAsItIs) {
  v1::EngineState state = StateWithPlan({"A", "B"});
  v1::RequestRecord& r = (*state.mutable_requests())[kRequest];
  r.mutable_executions(0)->set_percent_complete(10);
  const std::string before = r.SerializeAsString();
  r.mutable_plan()->mutable_tasks(1)->set_duration_days(9);  // a change that keeps the list
  AlignExecutions(&r);
  v1::RequestRecord expected;
  ASSERT_TRUE(expected.ParseFromString(before));
  EXPECT_EQ(r.executions_size(), 2);
  EXPECT_EQ(r.executions(0).SerializeAsString(), expected.executions(0).SerializeAsString());
  EXPECT_EQ(r.executions(1).SerializeAsString(), expected.executions(1).SerializeAsString());
}

}  // namespace
}  // namespace collabflow::internal
