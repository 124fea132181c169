// Steps 3 and 4 of the process on the seed example: task execution states,
// progress reports at a cadence, a blocker and a plan revision, a resource
// request escalated to a superior, minutes, escalation ladders over holidays
// and across restarts, and every refusal path.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "collabflow/process_record.h"
#include "engine/commands/tracking_commands.h"
#include "engine/state/directory_index.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/seed_scenario.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace collabflow::testing;  // NOLINT: the seed vocabulary

absl::Time T(int mo, int d, int h, int mi = 0) { return Shanghai(2026, mo, d, h, mi); }

v1::Command Cmd(const char* actor, absl::Time t) {
  v1::Command c;
  c.set_actor_id(actor);
  c.set_request_id(kRequestId);
  internal::ToProto(t, c.mutable_time());
  return c;
}

// The owner's revision at 9-3 09:00 that adds T4 (竞品分析, market, 2 days, no
// predecessors) and cancels `cancelled`, omissions acknowledged.
v1::Command AddT4AndCancel(const char* cancelled, const char* reason) {
  v1::Command c = Cmd(kOwner, T(9, 3, 9));
  c.mutable_revise_plan()->set_reason(reason);
  v1::Task* t = c.mutable_revise_plan()->add_changes()->mutable_add_task();
  t->set_id("T4");
  t->set_name("竞品分析");
  t->mutable_assignee()->set_department_id("d-market");
  t->set_duration_days(2);
  c.mutable_revise_plan()->add_changes()->set_cancel_task_id(cancelled);
  c.mutable_revise_plan()->set_acknowledge_omissions(true);
  return c;
}

absl::Status Start(Engine& e, const char* actor, const char* task, absl::Time t) {
  v1::Command c = Cmd(actor, t);
  c.mutable_start_task()->set_task_id(task);
  return e.Execute(c).status();
}

absl::Status Report(Engine& e, const char* actor, const char* task, int percent, const char* done,
                    absl::Time t, const char* not_done = "", const char* reason = "") {
  v1::Command c = Cmd(actor, t);
  v1::ProgressReport* r = c.mutable_report_progress()->mutable_report();
  r->set_task_id(task);
  r->set_percent_complete(percent);
  r->set_work_done(done);
  r->set_work_not_done(not_done);
  r->set_reason(reason);
  return e.Execute(c).status();
}

v1::TaskState TaskStateOf(const Engine& e, const std::string& task) {
  auto view = e.GetRequest(kRequestId);
  for (const v1::TaskExecution& x : view->record().executions()) {
    if (x.task_id() == task) return x.state();
  }
  return v1::TASK_STATE_UNSPECIFIED;
}

class TrackingTest : public ::testing::Test {
 protected:
  void SetUp() override { e_ = Open({}); }
  std::unique_ptr<Engine> Open(EngineOptions options) {
    auto e = Engine::Open(std::move(options));
    EXPECT_TRUE(e.ok()) << e.status();
    EXPECT_TRUE((*e)->Execute(UpdateDirectoryCommand(SeedDirectory(), T(8, 28, 9))).ok());
    const absl::Status s = DriveSeed(**e, 8);
    EXPECT_TRUE(s.ok()) << s;
    return std::move(*e);
  }
  std::unique_ptr<Engine> e_;
};

TEST_F(TrackingTest, PublishedPlanMakesTasksWithoutBlockingPredecessorsReady) {
  EXPECT_EQ(TaskStateOf(*e_, "T1"), v1::TASK_STATE_READY);
  EXPECT_EQ(TaskStateOf(*e_, "T2"), v1::TASK_STATE_NOT_STARTED);
  EXPECT_EQ(TaskStateOf(*e_, "T3"), v1::TASK_STATE_NOT_STARTED);
}

TEST_F(TrackingTest, SeedTrackingStoryBlockerRevisionAndEscalatedResource) {
  // 销售部 starts collecting the customer data; the request is under way.
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9, 30)).ok());
  EXPECT_EQ(TaskStateOf(*e_, "T1"), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().state(), v1::REQUEST_STATE_IN_PROGRESS);
  // "客户数据收集完成80%,剩余3个区域数据待确认"
  ASSERT_TRUE(
      Report(*e_, kSalesData, "T1", 80, "客户数据收集完成80%", T(9, 3, 17), "剩余3个区域数据待确认")
          .ok());
  auto view = e_->GetRequest(kRequestId);
  EXPECT_EQ(view->record().executions(0).percent_complete(), 80);
  ASSERT_EQ(view->record().reports_size(), 1);
  // Daily cadence: the next report is due by the close of the next working day.
  auto todo = e_->MustDo(kSalesData, T(9, 4, 9));
  ASSERT_TRUE(todo.ok());
  ASSERT_EQ(todo->items_size(), 1);
  EXPECT_EQ(todo->items(0).due().key(), "report/T1");
  EXPECT_EQ(internal::FromProto(todo->items(0).due().due_at()), T(9, 4, 18));

  // A blocker: "因系统接口问题,客户数据延迟获取,已协调IT部处理" goes to the owner at once.
  v1::Command risk = Cmd(kSalesData, T(9, 4, 10));
  v1::Risk* r = risk.mutable_raise_risk()->mutable_risk();
  r->set_task_id("T1");
  r->set_type(v1::RISK_TYPE_DELAY);
  r->set_severity(v1::SEVERITY_HIGH);
  r->set_description("因系统接口问题,客户数据延迟获取,已协调IT部处理");
  r->set_blocker(true);
  ASSERT_TRUE(e_->Execute(risk).ok());
  EXPECT_EQ(TaskStateOf(*e_, "T1"), v1::TASK_STATE_BLOCKED);
  const std::vector<v1::Notification> outbox = e_->ReadOutbox(0, 1000);
  EXPECT_EQ(outbox.back().kind(), v1::NOTIFICATION_KIND_RISK_RAISED);
  EXPECT_THAT(outbox.back().recipient_ids(), ElementsAre(kOwner));
  // The owner owes a response within 1 working day (Friday 10:00 -> Monday 10:00).
  todo = e_->MustDo(kOwner, T(9, 4, 11));
  ASSERT_EQ(todo->items_size(), 1);
  EXPECT_EQ(todo->items(0).due().key(), "risk/risk-1");
  EXPECT_EQ(internal::FromProto(todo->items(0).due().due_at()), T(9, 7, 10));

  // What-if: two more days for the data. Nothing is committed by the preview.
  v1::RevisePlan revision;
  revision.set_reason("客户数据因系统接口问题延迟,数据收集顺延2个工作日");
  v1::TaskUpdate* u = revision.add_changes()->mutable_update_task();
  u->set_task_id("T1");
  u->set_duration_days(4);
  const std::string before = e_->StateBytes();
  auto preview = e_->PreviewRevision(RevisePlanCommand(kOwner, T(9, 4, 14), kRequestId, revision));
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_EQ(e_->StateBytes(), before);
  EXPECT_EQ(preview->finish_shift_working_days(), 2);
  EXPECT_THAT(preview->milestones_newly_late(), ElementsAre("first-draft", "customer-data"));
  ASSERT_GE(preview->changes_size(), 3);
  // Commit it; the schedule moves.
  v1::Command revise = Cmd(kOwner, T(9, 4, 14));
  *revise.mutable_revise_plan() = revision;
  ASSERT_TRUE(e_->Execute(revise).ok());
  view = e_->GetRequest(kRequestId);
  ASSERT_EQ(view->record().revisions_size(), 1);
  EXPECT_EQ(view->record().revisions(0).revised_by(), kOwner);
  EXPECT_EQ(view->record().plan().tasks(0).duration_days(), 4);
  auto schedule = e_->GetSchedule(kRequestId);
  ASSERT_TRUE(schedule.ok());
  EXPECT_EQ(schedule->tasks(0).early_finish().day(), 8);  // 9-03 .. 9-08
  // Resolving the blocker through revision 1 releases the task.
  v1::Command resolve = Cmd(kOwner, T(9, 4, 15));
  resolve.mutable_resolve_risk()->set_risk_id("risk-1");
  resolve.mutable_resolve_risk()->set_resolution("IT部已修复接口;计划顺延2天");
  resolve.mutable_resolve_risk()->set_revision_number(1);
  ASSERT_TRUE(e_->Execute(resolve).ok());
  EXPECT_EQ(TaskStateOf(*e_, "T1"), v1::TASK_STATE_IN_PROGRESS);
  EXPECT_TRUE(e_->GetRequest(kRequestId)->record().risks(0).resolved());

  // "需财务部协助确认推广预算审批流程": the owner escalates, the superior grants.
  v1::Command ask = Cmd(kMarketDelegate, T(9, 4, 16));
  v1::ResourceRequest* rr = ask.mutable_request_resource()->mutable_request();
  rr->set_task_id("T3");
  rr->set_kind(v1::RESOURCE_KIND_BUDGET);
  rr->set_description("需财务部协助确认推广预算审批流程");
  rr->set_justification("推广启动前必须完成预算审批");
  ASSERT_TRUE(e_->Execute(ask).ok());
  v1::Command escalate = Cmd(kOwner, T(9, 7, 9));
  escalate.mutable_decide_resource()->set_resource_request_id("res-1");
  escalate.mutable_decide_resource()->set_decision(v1::RESOURCE_DECISION_ESCALATED);
  escalate.mutable_decide_resource()->set_reason("涉及跨部门预算,需上级决策");
  ASSERT_TRUE(e_->Execute(escalate).ok());
  todo = e_->MustDo(kCeo, T(9, 7, 10));
  ASSERT_EQ(todo->items_size(), 1);
  EXPECT_EQ(todo->items(0).due().key(), "resource/res-1/superior");
  v1::Command owner_again = Cmd(kOwner, T(9, 7, 10));
  owner_again.mutable_decide_resource()->set_resource_request_id("res-1");
  owner_again.mutable_decide_resource()->set_decision(v1::RESOURCE_DECISION_GRANTED);
  EXPECT_EQ(e_->Execute(owner_again).status().code(), absl::StatusCode::kPermissionDenied);
  v1::Command grant = Cmd(kCeo, T(9, 7, 11));
  grant.mutable_decide_resource()->set_resource_request_id("res-1");
  grant.mutable_decide_resource()->set_decision(v1::RESOURCE_DECISION_GRANTED);
  grant.mutable_decide_resource()->set_reason("同意,财务部钱芳协助");
  ASSERT_TRUE(e_->Execute(grant).ok());
  view = e_->GetRequest(kRequestId);
  EXPECT_EQ(view->record().resource_requests(0).decision(), v1::RESOURCE_DECISION_GRANTED);
  EXPECT_EQ(view->record().resource_requests(0).decided_by(), kCeo);
  EXPECT_EQ(e_->MustDo(kCeo, T(9, 7, 12))->items_size(), 0);
}

// Daily cadence, T1 started Thursday 9-03: reports due by the close (18:00)
// of Friday 9-04 and Monday 9-07; the first report comes Tuesday 9-08 10:00.
void ExpectTwoMissesAtTheirDueTimes(const Engine& e) {
  auto view = e.GetRequest(kRequestId);
  EXPECT_EQ(view->record().executions(0).missed_reports(), 2);
  auto table = GetProcessRecord(e, kRequestId);
  ASSERT_TRUE(table.ok()) << table.status();
  const v1::ProcessStepRecord& step4 = table->steps(3);
  EXPECT_EQ(step4.met(), v1::ProcessStepRecord::MET_NO);
  std::vector<std::string> misses;
  for (const std::string& note : step4.notes()) {
    if (note.find("进度反馈逾期") != std::string::npos) misses.push_back(note);
  }
  EXPECT_THAT(misses, ElementsAre("进度反馈逾期:任务T1(2026-09-04 18:00)",
                                  "进度反馈逾期:任务T1(2026-09-07 18:00)"));
}

TEST_F(TrackingTest, ALateReportRecordsEveryMissedPeriodWithoutATick) {
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9, 30)).ok());
  ASSERT_TRUE(Report(*e_, kSalesData, "T1", 50, "数据收集过半", T(9, 8, 10)).ok());
  ExpectTwoMissesAtTheirDueTimes(*e_);
  // The next report is due by the close of the day it came: on time now.
  ASSERT_TRUE(Report(*e_, kSalesData, "T1", 70, "数据收集七成", T(9, 8, 17)).ok());
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().executions(0).missed_reports(), 2);
}

TEST_F(TrackingTest, ALateReportCountsTheSameWhenATickRanBefore) {
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9, 30)).ok());
  ASSERT_EQ(*e_->Tick(T(9, 5, 11)), 2);  // the 9-04 miss and its reminder, a day late
  ASSERT_TRUE(Report(*e_, kSalesData, "T1", 50, "数据收集过半", T(9, 8, 10)).ok());
  ExpectTwoMissesAtTheirDueTimes(*e_);
}

TEST_F(TrackingTest, SupportNeededOpensAResourceRequestInTheSameCommand) {
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9, 30)).ok());
  v1::Command c = Cmd(kSalesData, T(9, 3, 17));
  v1::ProgressReport* r = c.mutable_report_progress()->mutable_report();
  r->set_task_id("T1");
  r->set_percent_complete(50);
  r->set_work_done("华东、华南区域完成");
  r->set_support_needed("需IT部协助导出CRM数据");
  v1::ResourceRequest* rr = c.mutable_report_progress()->mutable_resource_request();
  rr->set_kind(v1::RESOURCE_KIND_PEOPLE);
  rr->set_description("IT部技术支持1人天");
  rr->set_justification("CRM接口导出需要技术协助");
  auto result = e_->Execute(c);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(result->event_kinds(), ElementsAre("progress_reported", "resource_requested"));
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().resource_requests(0).task_id(), "T1");
}

TEST_F(TrackingTest, StartingATaskThatWaitsIsRefusedNamingWhatItWaitsOn) {
  auto s = Start(*e_, kOwner, "T2", T(9, 3, 9));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("T1 (FS)"));
}

TEST_F(TrackingTest, RefusalsChangeNothing) {
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9)).ok());
  const std::string before = e_->StateBytes();
  // Only the assignee (or its department) acts on a task.
  EXPECT_EQ(Start(*e_, kOwner, "T1", T(9, 3, 10)).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Report(*e_, kOwner, "T1", 10, "x", T(9, 3, 10)).code(),
            absl::StatusCode::kPermissionDenied);
  // Wrong state / bad input / unknown things.
  EXPECT_EQ(Start(*e_, kSalesData, "T1", T(9, 3, 10)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Report(*e_, kOwner, "T2", 10, "x", T(9, 3, 10)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Report(*e_, kSalesData, "T1", 150, "x", T(9, 3, 10)).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Report(*e_, kSalesData, "T1", 10, "", T(9, 3, 10)).code(),
            absl::StatusCode::kInvalidArgument);
  const absl::Status unknown = Start(*e_, kSalesData, "T9", T(9, 3, 10));
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("task \"T9\" is not in the plan"));
  v1::Command submit = Cmd(kSalesData, T(9, 3, 10));
  submit.mutable_submit_deliverables()->set_task_id("T9");
  EXPECT_EQ(e_->Execute(submit).status().code(), absl::StatusCode::kNotFound);
  v1::Command resolve = Cmd(kOwner, T(9, 3, 10));
  resolve.mutable_resolve_risk()->set_risk_id("risk-9");
  resolve.mutable_resolve_risk()->set_resolution("x");
  EXPECT_EQ(e_->Execute(resolve).status().code(), absl::StatusCode::kNotFound);
  v1::Command risk = Cmd(kSalesData, T(9, 3, 10));
  risk.mutable_raise_risk()->mutable_risk()->set_task_id("T1");
  risk.mutable_raise_risk()->mutable_risk()->set_description("x");
  EXPECT_EQ(e_->Execute(risk).status().code(), absl::StatusCode::kInvalidArgument);  // no type
  v1::Command decide = Cmd(kOwner, T(9, 3, 10));
  decide.mutable_decide_resource()->set_resource_request_id("res-1");
  decide.mutable_decide_resource()->set_decision(v1::RESOURCE_DECISION_GRANTED);
  EXPECT_EQ(e_->Execute(decide).status().code(), absl::StatusCode::kNotFound);
  // Revisions: only the owner; a cycle is named; reopening needs a DONE task.
  v1::Command revise = Cmd(kSalesHead, T(9, 3, 10));
  revise.mutable_revise_plan()->set_reason("x");
  v1::DependencyChange* d = revise.mutable_revise_plan()->add_changes()->mutable_add_dependency();
  d->set_task_id("T1");
  d->mutable_dependency()->set_predecessor_id("T3");
  EXPECT_EQ(e_->Execute(revise).status().code(), absl::StatusCode::kPermissionDenied);
  revise.set_actor_id(kOwner);
  auto cycle = e_->Execute(revise);
  EXPECT_EQ(cycle.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(cycle.status().message()), HasSubstr("T3"));
  v1::Command reopen = Cmd(kOwner, T(9, 3, 10));
  reopen.mutable_revise_plan()->set_reason("x");
  reopen.mutable_revise_plan()->add_reopen_task_ids("T1");
  EXPECT_EQ(e_->Execute(reopen).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(e_->StateBytes(), before);
}

TEST_F(TrackingTest, RevisionsAddAndCancelTasksAndRecomputeReadiness) {
  ASSERT_TRUE(e_->Execute(AddT4AndCancel("T3", "增加竞品分析,取消单独定稿任务")).ok());
  auto view = e_->GetRequest(kRequestId);
  ASSERT_EQ(view->record().plan().tasks_size(), 3);
  EXPECT_EQ(TaskStateOf(*e_, "T4"), v1::TASK_STATE_READY);        // no predecessors
  EXPECT_EQ(TaskStateOf(*e_, "T3"), v1::TASK_STATE_UNSPECIFIED);  // gone
  EXPECT_EQ(view->record().revisions(0).changes_size(), 2);
}

// Events name a task by id and by its position in the plan at the time (so
// the fold needs no search); the positions must be the plan's, also after a
// revision that cancels an earlier task and shifts the rest.
TEST_F(TrackingTest, EventsRecordEachTaskAtItsPositionInThePlan) {
  ASSERT_TRUE(e_->Execute(AddT4AndCancel("T1", "取消客户数据任务之前的定稿任务")).ok());
  ASSERT_TRUE(Start(*e_, kPlanner, "T4", T(9, 3, 10)).ok());
  ASSERT_TRUE(Report(*e_, kPlanner, "T4", 30, "提纲", T(9, 4, 10)).ok());
  const v1::Plan plan = e_->GetRequest(kRequestId)->record().plan();
  auto position_of = [&](const std::string& id) {
    for (int i = 0; i < plan.tasks_size(); ++i) {
      if (plan.tasks(i).id() == id) return static_cast<uint32_t>(i);
    }
    ADD_FAILURE() << id << " is not in the plan";
    return uint32_t{0};
  };
  int checked = 0;
  ASSERT_TRUE(e_->ReadEvents(0, [&](const v1::Event& ev) {
                  if (ev.has_plan_revised() || ev.has_task_started()) {
                    const auto& ts = ev.has_plan_revised() ? ev.plan_revised().transitions()
                                                           : ev.task_started().transitions();
                    for (const v1::TaskTransition& x : ts) {
                      EXPECT_EQ(x.task_index(), position_of(x.task_id())) << x.task_id();
                      ++checked;
                    }
                  }
                  if (ev.has_task_started()) {
                    EXPECT_EQ(ev.task_started().task_index(),
                              position_of(ev.task_started().task_id()));
                    ++checked;
                  }
                  if (ev.has_progress_reported()) {
                    EXPECT_EQ(ev.progress_reported().task_index(),
                              position_of(ev.progress_reported().report().task_id()));
                    ++checked;
                  }
                  return absl::OkStatus();
                }).ok());
  EXPECT_GE(checked, 3);
  EXPECT_EQ(position_of("T4"), 2u);  // T1 left: T2, T3, T4
}

TEST_F(TrackingTest, ComplexityRecommendsTheChannel) {
  // The seed request is COMPLEX: a shared collaboration platform.
  EXPECT_EQ(e_->GetRequest(kRequestId)->recommended_channel(), v1::CHANNEL_COLLABORATION_PLATFORM);
  v1::CollaborationRequest r = SeedRequestProto();
  r.set_id("R-KEY");
  r.set_complexity(v1::COMPLEXITY_KEY_DECISION);
  ASSERT_TRUE(e_->Execute(CreateRequestCommand(kInitiator, T(9, 3, 9), r)).ok());
  EXPECT_EQ(e_->GetRequest("R-KEY")->recommended_channel(), v1::CHANNEL_MEETING);
  r.set_id("R-SIMPLE");
  r.set_complexity(v1::COMPLEXITY_SIMPLE);
  ASSERT_TRUE(e_->Execute(CreateRequestCommand(kInitiator, T(9, 3, 9), r)).ok());
  EXPECT_EQ(e_->GetRequest("R-SIMPLE")->recommended_channel(), v1::CHANNEL_GROUP_CHAT);
}

TEST_F(TrackingTest, MinutesAreRecordedAndSentToAttendeesAndMembers) {
  v1::Command c = Cmd(kOwner, T(9, 3, 16));
  v1::Minutes* m = c.mutable_record_minutes()->mutable_minutes();
  internal::ToProto(T(9, 3, 15), m->mutable_time());
  m->set_title("推广预算评审会");
  m->add_attendee_ids(kOwner);
  m->add_attendee_ids(kFinanceHead);
  m->add_decisions("推广预算上限50万元");
  v1::Minutes::ActionItem* a = m->add_action_items();
  a->set_description("财务部确认预算审批流程");
  a->set_assignee_id(kFinanceHead);
  ASSERT_TRUE(e_->Execute(c).ok());
  const v1::Notification n = e_->ReadOutbox(0, 1000).back();
  EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_MINUTES);
  EXPECT_THAT(n.recipient_ids(), ::testing::Contains(kFinanceHead));
  EXPECT_THAT(n.recipient_ids(), ::testing::Contains(kSalesHead));
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().minutes(0).id(), "minutes-1");
}

// A task that starts just before the 2026 Mid-Autumn holiday (9-25..27).
class LadderTest : public ::testing::Test {
 protected:
  static std::unique_ptr<Engine> OpenAt(const std::string& dir) {
    EngineOptions options;
    options.store_dir = dir;
    options.store.durability = Durability::kNoSync;
    auto e = Engine::Open(options);
    EXPECT_TRUE(e.ok()) << e.status();
    return std::move(*e);
  }
};

TEST_F(LadderTest, MissedReportsCountOnlyWorkingTimeAndEachRungFiresOnceAcrossRestarts) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/ladder-", getpid());
  std::filesystem::remove_all(dir);
  {
    auto e = OpenAt(dir);
    ASSERT_TRUE(e->Execute(UpdateDirectoryCommand(SeedDirectory(), T(8, 28, 9))).ok());
    ASSERT_TRUE(DriveSeed(*e, 8).ok());
    // T1 starts on Thursday 9-24; the next working day is Monday 9-28.
    ASSERT_TRUE(Start(*e, kSalesData, "T1", T(9, 24, 10)).ok());
    auto todo = e->MustDo(kSalesData, T(9, 24, 11));
    ASSERT_EQ(todo->items_size(), 1);
    EXPECT_EQ(internal::FromProto(todo->items(0).due().due_at()), T(9, 28, 18));
    // No false alarm across the holiday.
    EXPECT_EQ(*e->Tick(T(9, 25, 18)), 0);
    EXPECT_EQ(*e->Tick(T(9, 27, 23)), 0);
    // Rung 1 at the due time: a missed-report record and a reminder.
    EXPECT_EQ(*e->Tick(T(9, 28, 18)), 2);
    EXPECT_EQ(*e->Tick(T(9, 28, 18)), 0);
    EXPECT_EQ(e->GetRequest(kRequestId)->record().executions(0).missed_reports(), 1);
  }
  {
    auto e = OpenAt(dir);  // the rung fired before the restart does not fire again
    EXPECT_EQ(*e->Tick(T(9, 28, 18)), 0);
    // Rung 2 a working day later: 吴磊's superior 赵强.
    EXPECT_EQ(*e->Tick(T(9, 29, 18)), 1);
    const v1::Notification n = e->ReadOutbox(0, 1000).back();
    EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_ESCALATION);
    EXPECT_THAT(n.recipient_ids(), ElementsAre(kSalesHead));
    // A report resets the ladder: the next one is due by the next close.
    ASSERT_TRUE(Report(*e, kSalesData, "T1", 60, "数据整理中", T(9, 29, 19)).ok());
    EXPECT_EQ(*e->Tick(T(9, 29, 20)), 0);
    // Rungs 3 and 4 (two more levels up) fire when ticked late, each once;
    // then the ladder is exhausted.
    EXPECT_EQ(*e->Tick(T(10, 20, 18)), 5);  // missed + rung 1..4
    EXPECT_EQ(*e->Tick(T(10, 30, 18)), 0);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace collabflow

namespace collabflow {
namespace {

// IsTaskActor answers "is P among TaskActors(task)" without building the
// list; both must agree for every person and every kind of assignee.
TEST(TaskActorsTest, IsTaskActorAgreesWithTheListForEveryPersonAndAssignee) {
  const v1::Directory directory = testing::SeedDirectory();
  auto dir = internal::DirectoryIndex::Build(directory);
  ASSERT_TRUE(dir.ok());
  std::vector<v1::Task> tasks;
  for (const v1::Department& d : directory.departments()) {
    tasks.emplace_back().mutable_assignee()->set_department_id(d.id());
  }
  for (const v1::Person& p : directory.people()) {
    tasks.emplace_back().mutable_assignee()->set_person_id(p.id());
  }
  tasks.emplace_back().mutable_assignee()->set_department_id("d-unknown");
  tasks.emplace_back();  // no assignee
  int yes = 0;
  for (const v1::Task& t : tasks) {
    const std::vector<std::string> actors = internal::TaskActors(t, *dir);
    for (const v1::Person& p : directory.people()) {
      const bool listed = std::find(actors.begin(), actors.end(), p.id()) != actors.end();
      EXPECT_EQ(internal::IsTaskActor(t, *dir, p.id()), listed)
          << p.id() << " for " << t.assignee().ShortDebugString();
      yes += listed;
    }
    EXPECT_FALSE(internal::IsTaskActor(t, *dir, "p-nobody"));
  }
  EXPECT_GT(yes, 10);  // the table has real members on both sides
}

}  // namespace
}  // namespace collabflow
