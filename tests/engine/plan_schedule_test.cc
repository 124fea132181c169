// The plan schedule the engine keeps across commands (plan_schedule.h) must
// always equal the schedule built from scratch, through random revisions
// (durations, constraints, dependencies added and removed, tasks added),
// starts and progress reports; and edits that keep the task list must be
// applied incrementally, not by a rebuild.
#include "engine/state/plan_schedule.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "engine/state/schedule_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/seed_scenario.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT: the seed vocabulary

constexpr int kTasks = 60;

// Chains of ten with cross links, every edge from a lower to a higher index.
v1::Plan GeneratedPlan() {
  v1::Plan plan;
  for (int i = 0; i < kTasks; ++i) {
    v1::Task* t = plan.add_tasks();
    t->set_id(absl::StrCat("T", i));
    t->set_name(absl::StrCat("任务", i));
    t->mutable_assignee()->set_department_id(i % 2 ? "d-market" : "d-sales");
    t->set_duration_days(1 + i % 5);
    if (i % 10 != 0) t->add_predecessors()->set_predecessor_id(absl::StrCat("T", i - 1));
    if (i >= 10 && i % 3 == 0) {
      v1::Dependency* d = t->add_predecessors();
      d->set_predecessor_id(absl::StrCat("T", i - 10 + (i % 7)));
      d->set_lag_days(i % 4 - 1);
    }
  }
  v1::Task* last = plan.mutable_tasks(kTasks - 1);
  last->add_serves()->set_goal(true);
  last->add_serves()->set_milestone_id("first-draft");
  last->add_serves()->set_milestone_id("final");
  return plan;
}

class PlanScheduleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = Engine::Open();
    ASSERT_TRUE(e.ok());
    e_ = std::move(*e);
    ASSERT_TRUE(
        e_->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
    ASSERT_TRUE(DriveSeed(*e_, 7).ok());
    ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, Shanghai(2026, 9, 2, 10), kRequestId,
                                               GeneratedPlan(), true))
                    .ok());
  }

  v1::RequestRecord Record() const { return e_->GetRequest(kRequestId)->record(); }

  // The engine's kept schedule against one built from scratch.
  void ExpectKeptEqualsScratch(const std::string& when) {
    auto kept = e_->GetSchedule(kRequestId);
    ASSERT_TRUE(kept.ok()) << kept.status();
    auto scratch = internal::BuildScheduleView(Record(), e_->calendar());
    ASSERT_TRUE(scratch.ok()) << scratch.status();
    std::string diff;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    EXPECT_TRUE(d.Compare(*kept, *scratch)) << when << ":\n" << diff;
  }

  absl::Status Revise(v1::PlanChange change, absl::Time t) {
    v1::Command c;
    c.set_actor_id(kOwner);
    c.set_request_id(kRequestId);
    internal::ToProto(t, c.mutable_time());
    c.mutable_revise_plan()->set_reason("调整");
    *c.mutable_revise_plan()->add_changes() = std::move(change);
    return e_->Execute(std::move(c)).status();
  }

  absl::Status TaskCommand(int task, absl::Time t, int percent) {
    v1::Command c;
    c.set_actor_id(task % 2 ? kPlanner : kSalesData);
    c.set_request_id(kRequestId);
    internal::ToProto(t, c.mutable_time());
    if (percent < 0) {
      c.mutable_start_task()->set_task_id(absl::StrCat("T", task));
    } else {
      v1::ProgressReport* r = c.mutable_report_progress()->mutable_report();
      r->set_task_id(absl::StrCat("T", task));
      r->set_percent_complete(percent);
      r->set_work_done("推进中");
    }
    return e_->Execute(std::move(c)).status();
  }

  std::unique_ptr<Engine> e_;
};

// Publication hands the graph it checked to the kept schedule: the first
// read after it must equal a schedule built from the record, before and after
// a start and a report.
TEST_F(PlanScheduleTest, ScheduleKeptFromPublicationEqualsScratch) {
  ExpectKeptEqualsScratch("right after publication");
  ASSERT_TRUE(TaskCommand(0, Shanghai(2026, 9, 3, 9), -1).ok());
  ASSERT_TRUE(TaskCommand(0, Shanghai(2026, 9, 3, 17), 50).ok());
  ExpectKeptEqualsScratch("after a start and a report");
}

TEST_F(PlanScheduleTest, KeptScheduleEqualsScratchThroughRandomRevisionsAndProgress) {
  std::mt19937 rng(20261128);
  absl::Time t = Shanghai(2026, 9, 2, 11);
  int accepted = 0;
  ExpectKeptEqualsScratch("after publication");
  for (int step = 0; step < 150; ++step) {
    t += absl::Minutes(37);
    const int task = static_cast<int>(rng() % kTasks);
    v1::PlanChange change;
    absl::Status s;
    switch (rng() % 7) {
      case 0:
      case 1: {
        v1::TaskUpdate* u = change.mutable_update_task();
        u->set_task_id(absl::StrCat("T", task));
        u->set_duration_days(static_cast<int>(rng() % 9));
        s = Revise(change, t);
        break;
      }
      case 2: {
        v1::TaskUpdate* u = change.mutable_update_task();
        u->set_task_id(absl::StrCat("T", task));
        if (rng() % 3 == 0) {
          u->set_clear_start_no_earlier_than(true);
        } else {
          v1::Date* d = u->mutable_start_no_earlier_than();
          d->set_year(2026);
          d->set_month(9);
          d->set_day(3 + static_cast<int>(rng() % 20));
        }
        s = Revise(change, t);
        break;
      }
      case 3: {  // a new edge from a lower index keeps the plan acyclic
        const int to = 1 + static_cast<int>(rng() % (kTasks - 1));
        const int from = static_cast<int>(rng() % to);
        v1::DependencyChange* d = change.mutable_add_dependency();
        d->set_task_id(absl::StrCat("T", to));
        d->mutable_dependency()->set_predecessor_id(absl::StrCat("T", from));
        d->mutable_dependency()->set_lag_days(static_cast<int>(rng() % 5) - 2);
        s = Revise(change, t);
        break;
      }
      case 4: {  // remove an existing edge
        const v1::RequestRecord record = Record();
        const v1::Task& x = record.plan().tasks(task);
        if (x.predecessors_size() == 0) continue;
        v1::DependencyChange* d = change.mutable_remove_dependency();
        d->set_task_id(x.id());
        *d->mutable_dependency() = x.predecessors(static_cast<int>(rng() % x.predecessors_size()));
        s = Revise(change, t);
        break;
      }
      case 5:
        s = TaskCommand(task, t, -1);  // start (refused unless READY)
        break;
      case 6:
        s = TaskCommand(task, t, static_cast<int>(rng() % 101));  // report (refused unless started)
        break;
    }
    accepted += s.ok();
    ExpectKeptEqualsScratch(absl::StrCat("step ", step, " (", s.ToString(), ")"));
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GT(accepted, 60);  // most steps changed something
}

TEST_F(PlanScheduleTest, EditsThatKeepTheTaskListAreIncrementalAndAddingATaskRebuilds) {
  v1::RequestRecord before = Record();
  auto kept = internal::PlanSchedule::Build(before, e_->calendar());
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_TRUE((*kept)->schedule().ok());

  // One more day for a task with float: the project finish stays, so only
  // that task and what it reaches are recomputed.
  auto scratch_before = internal::BuildScheduleView(before, e_->calendar());
  ASSERT_TRUE(scratch_before.ok());
  int slack = -1;
  for (int i = 0; i < scratch_before->tasks_size(); ++i) {
    if (scratch_before->tasks(i).total_float_days() >= 1) {
      slack = i;
      break;
    }
  }
  ASSERT_GE(slack, 0) << "the generated plan has a task with float";
  v1::PlanChange longer;
  longer.mutable_update_task()->set_task_id(before.plan().tasks(slack).id());
  longer.mutable_update_task()->set_duration_days(before.plan().tasks(slack).duration_days() + 1);
  ASSERT_TRUE(Revise(longer, Shanghai(2026, 9, 2, 12)).ok());
  const v1::RequestRecord revised = Record();
  ASSERT_TRUE((*kept)->Sync(revised, e_->calendar()).ok());
  EXPECT_FALSE((*kept)->last_sync_rebuilt());
  auto view = (*kept)->View(revised, e_->calendar());
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      *view, *internal::BuildScheduleView(revised, e_->calendar())));
  EXPECT_FALSE((*kept)->last_update_was_full());
  EXPECT_LT((*kept)->last_update_visits(), static_cast<size_t>(kTasks));

  // A new task changes the task list: rebuilt, still equal.
  v1::PlanChange add;
  v1::Task* extra = add.mutable_add_task();
  extra->set_id("T-extra");
  extra->set_name("补充竞品分析");
  extra->mutable_assignee()->set_department_id("d-market");
  extra->set_duration_days(2);
  extra->add_predecessors()->set_predecessor_id("T3");
  ASSERT_TRUE(Revise(add, Shanghai(2026, 9, 2, 13)).ok());
  const v1::RequestRecord added = Record();
  ASSERT_TRUE((*kept)->Sync(added, e_->calendar()).ok());
  EXPECT_TRUE((*kept)->last_sync_rebuilt());
  view = (*kept)->View(added, e_->calendar());
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      *view, *internal::BuildScheduleView(added, e_->calendar())));
}

// A view row names at most the 32 nearest drivers; each link is the
// driving predecessor of the next.
TEST(ScheduleViewTest, DrivingChainsAreTheNearestThirtyTwoDrivers) {
  auto e = Engine::Open();
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(
      (*e)->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
  ASSERT_TRUE(DriveSeed(**e, 7).ok());
  v1::Plan chain;
  for (int i = 0; i < 40; ++i) {
    v1::Task* t = chain.add_tasks();
    t->set_id(absl::StrCat("C", i));
    t->set_name(absl::StrCat("环节", i));
    t->mutable_assignee()->set_department_id("d-market");
    t->set_duration_days(1);
    if (i > 0) t->add_predecessors()->set_predecessor_id(absl::StrCat("C", i - 1));
  }
  chain.mutable_tasks(39)->add_serves()->set_goal(true);
  ASSERT_TRUE(
      (*e)->Execute(PublishPlanCommand(kOwner, Shanghai(2026, 9, 2, 10), kRequestId, chain, true))
          .ok());
  auto view = (*e)->GetSchedule(kRequestId);
  ASSERT_TRUE(view.ok()) << view.status();
  const v1::ScheduledTaskRow& last = view->tasks(39);
  ASSERT_EQ(last.driving_chain_size(), 32);
  EXPECT_EQ(last.driving_chain(0), "C8");  // C8 .. C39
  EXPECT_EQ(last.driving_chain(31), "C39");
  EXPECT_EQ(view->tasks(5).driving_chain_size(), 6);  // C0 .. C5, whole
  for (const v1::ScheduledTaskRow& row : view->tasks()) {
    ASSERT_LE(row.driving_chain_size(), 32);
    ASSERT_EQ(row.driving_chain(row.driving_chain_size() - 1), row.task_id());
  }
}

// 数据 (2 days) -> 初稿完成 (a milestone task, 0 days, serving the first-draft
// milestone) -> 定稿 (3 days) -> 启动 (a trailing milestone task). Published
// Wednesday 9-02: the project starts Thursday 9-03.
TEST(ScheduleViewTest, MilestoneTasksAreDatedOnTheirPredecessorsFinishAndEndTheCriticalPath) {
  auto e = Engine::Open();
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(
      (*e)->Execute(UpdateDirectoryCommand(SeedDirectory(), Shanghai(2026, 8, 28, 9))).ok());
  ASSERT_TRUE(DriveSeed(**e, 7).ok());
  v1::Plan plan;
  auto task = [&](const char* id, const char* dept, int days, const char* after) {
    v1::Task* t = plan.add_tasks();
    t->set_id(id);
    t->set_name(id);
    t->mutable_assignee()->set_department_id(dept);
    t->set_duration_days(days);
    if (after != nullptr) t->add_predecessors()->set_predecessor_id(after);
    return t;
  };
  task("DATA", "d-sales", 2, nullptr);
  task("M1", "d-market", 0, "DATA")->add_serves()->set_milestone_id("first-draft");
  task("FINAL", "d-market", 3, "M1");
  task("M2", "d-market", 0, "FINAL")->add_serves()->set_goal(true);
  ASSERT_TRUE(
      (*e)->Execute(PublishPlanCommand(kOwner, Shanghai(2026, 9, 2, 10), kRequestId, plan, true))
          .ok());
  auto view = (*e)->GetSchedule(kRequestId);
  ASSERT_TRUE(view.ok()) << view.status();
  auto day = [](const v1::Date& d) { return d.month() * 100 + d.day(); };
  // DATA: 9-03 .. 9-04; M1 on 9-04, its predecessor's finish.
  EXPECT_EQ(day(view->tasks(0).early_finish()), 904);
  EXPECT_EQ(day(view->tasks(1).early_start()), 904);
  EXPECT_EQ(day(view->tasks(1).early_finish()), 904);
  EXPECT_EQ(day(view->tasks(1).late_finish()), 904);
  // The milestone M1 serves is forecast on 9-04 too.
  ASSERT_EQ(view->milestones(0).milestone_id(), "first-draft");
  EXPECT_EQ(day(view->milestones(0).forecast()), 904);
  // FINAL: 9-07 .. 9-09; M2 on 9-09, the project's finish, and on the path.
  EXPECT_EQ(day(view->tasks(2).early_start()), 907);
  EXPECT_EQ(day(view->tasks(2).early_finish()), 909);
  EXPECT_EQ(day(view->tasks(3).early_finish()), 909);
  EXPECT_EQ(day(view->project_finish()), 909);
  EXPECT_TRUE(view->tasks(3).critical());
  EXPECT_THAT(view->critical_path(), ::testing::ElementsAre("DATA", "M1", "FINAL", "M2"));
}

}  // namespace
}  // namespace collabflow
