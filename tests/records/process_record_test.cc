// The process record table (协作流程记录表): steps 1 and 2 from the seed
// scenario with their time rules met and missed, steps 3 and 4 from tracking
// records read generically, cancellation, the text form.
#include "records/process_record.h"

#include <string>
#include <vector>

#include "collabflow/engine.h"
#include "collabflow/process_record.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/records_seed.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using namespace collabflow::testing;  // NOLINT: the seed vocabulary
using Met = v1::ProcessStepRecord;

v1::ProcessRecordTable RecordOf(const Engine& e) {
  auto table = GetProcessRecord(e, kRequestId);
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *table : v1::ProcessRecordTable();
}

absl::Time T(const google::protobuf::Timestamp& ts) { return internal::FromProto(ts); }

bool AnyNoteHas(const v1::ProcessStepRecord& s, const std::string& text) {
  for (const std::string& n : s.notes()) {
    if (n.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(ProcessRecordTest, SeedScenarioFillsStepsOneAndTwoWithTheirTimeRulesMet) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  const v1::ProcessRecordTable t = RecordOf(*e);
  EXPECT_EQ(t.request_id(), kRequestId);
  EXPECT_EQ(t.topic(), "Q3新品上市营销方案执行");
  ASSERT_EQ(t.steps_size(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(t.steps(i).step(), i + 1);

  const v1::ProcessStepRecord& s1 = t.steps(0);
  EXPECT_EQ(s1.name(), "需求发起与确认");
  EXPECT_EQ(s1.responsible_role(), "发起人");
  EXPECT_THAT(s1.responsible_ids(), ElementsAre(kInitiator));
  EXPECT_EQ(s1.time_requirement(), "接收方在需求提出后1个工作日内反馈");
  EXPECT_EQ(T(s1.started_at()), At(8, 31, 10));  // first submission
  EXPECT_EQ(T(s1.ended_at()), At(9, 1, 16));     // confirmation
  EXPECT_EQ(T(s1.due_at()), At(9, 2, 11));       // v2 filed 9-1 11:00 + 1 working day
  EXPECT_EQ(s1.met(), Met::MET_YES);
  EXPECT_THAT(s1.outputs(), ElementsAre("《协作需求申请表》第1版", "《协作需求申请表》第2版"));
  EXPECT_THAT(s1.member_ids(), IsSupersetOf({kOwner, kMarketDelegate, kSalesHead, kSalesData}));
  EXPECT_TRUE(AnyNoteHas(s1, "客户数据提前至9月4日"));  // the adjustment
  EXPECT_TRUE(AnyNoteHas(s1, "9月20日定稿可行,但需提前2天提供客户数据"));
  EXPECT_TRUE(AnyNoteHas(s1, "销售部"));
  EXPECT_FALSE(AnyNoteHas(s1, "逾期"));

  const v1::ProcessStepRecord& s2 = t.steps(1);
  EXPECT_EQ(s2.name(), "任务拆分与分工");
  EXPECT_THAT(s2.responsible_ids(), ElementsAre(kOwner));
  EXPECT_EQ(s2.time_requirement(), "需求确认后1个工作日内");
  EXPECT_EQ(T(s2.started_at()), At(9, 1, 16));
  EXPECT_EQ(T(s2.ended_at()), At(9, 2, 10));
  EXPECT_EQ(T(s2.due_at()), At(9, 2, 16));
  EXPECT_EQ(s2.met(), Met::MET_YES);
  EXPECT_THAT(s2.outputs(), ElementsAre("《协作任务拆分清单》(3项任务)"));
  EXPECT_THAT(s2.member_ids(), Contains(kPlanner).Times(0));  // not an actor of d-market
  EXPECT_THAT(s2.member_ids(), IsSupersetOf({kInitiator, kOwner, kSalesHead}));
  // T3 has neither description nor delivery standard: the template asks for both.
  EXPECT_TRUE(AnyNoteHas(s2, "任务T3"));

  // Steps 3 to 5: started or not, nothing decidable yet.
  EXPECT_EQ(t.steps(2).name(), "信息同步与资源协调");
  EXPECT_EQ(T(t.steps(2).started_at()), At(9, 2, 10));
  EXPECT_EQ(t.steps(2).met(), Met::MET_UNSPECIFIED);
  EXPECT_FALSE(t.steps(2).has_ended_at());
  EXPECT_EQ(t.steps(3).name(), "执行跟踪与反馈");
  EXPECT_EQ(t.steps(3).met(), Met::MET_UNSPECIFIED);
  EXPECT_EQ(T(t.steps(3).due_at()), At(9, 20, 18));  // 9-20 is a make-up working day
  EXPECT_EQ(t.steps(4).name(), "成果验收与归档");
  EXPECT_EQ(t.steps(4).met(), Met::MET_UNSPECIFIED);
}

TEST(ProcessRecordTest, StepOneIsOpenBeforeItsDue) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 3);
  const v1::ProcessStepRecord s1 = RecordOf(*e).steps(0);
  EXPECT_EQ(s1.met(), Met::MET_UNSPECIFIED);
  EXPECT_FALSE(s1.has_ended_at());
  EXPECT_EQ(T(s1.due_at()), At(9, 1, 10));
  EXPECT_FALSE(RecordOf(*e).steps(1).has_started_at());
}

TEST(ProcessRecordTest, StepOneIsMissedWhenAReceiverAnswersLate) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 2);  // submitted Monday 8-31 10:00: answers due Tuesday 10:00
  const absl::Status s = ExecuteAll(
      *e, {RespondCommand(kMarketDelegate, At(9, 1, 9), kRequestId, Accept("market", "策划")),
           RespondCommand(kSalesHead, At(9, 1, 11), kRequestId, Accept("sales", "数据"))});
  ASSERT_TRUE(s.ok()) << s;
  const v1::ProcessStepRecord s1 = RecordOf(*e).steps(0);
  EXPECT_EQ(T(s1.ended_at()), At(9, 1, 11));
  EXPECT_EQ(s1.met(), Met::MET_NO);
  EXPECT_TRUE(AnyNoteHas(s1, "逾期:销售部对第1版应于2026-09-01 10:00前反馈,实际2026-09-01 11:00"));
  EXPECT_FALSE(AnyNoteHas(s1, "逾期:市场部"));
}

TEST(ProcessRecordTest, StepOneIsMissedWhileStillOwedPastItsDue) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 3);                   // sales has not answered
  ASSERT_TRUE(e->Tick(At(9, 2, 9)).ok());  // the reminder is an event of the request
  const v1::ProcessStepRecord s1 = RecordOf(*e).steps(0);
  EXPECT_FALSE(s1.has_ended_at());
  EXPECT_EQ(s1.met(), Met::MET_NO);
  EXPECT_TRUE(AnyNoteHas(s1, "逾期:销售部对第1版"));
  EXPECT_TRUE(AnyNoteHas(s1, "未按时反馈"));
}

TEST(ProcessRecordTest, StepTwoIsMissedWhenThePlanComesLate) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 7);  // confirmed 9-1 16:00: plan due 9-2 16:00
  ASSERT_TRUE(e->Execute(PublishPlanCommand(kOwner, At(9, 3, 10), kRequestId, SeedPlan())).ok());
  const v1::ProcessStepRecord s2 = RecordOf(*e).steps(1);
  EXPECT_EQ(T(s2.ended_at()), At(9, 3, 10));
  EXPECT_EQ(s2.met(), Met::MET_NO);
}

TEST(ProcessRecordTest, CancelledRequestMarksUnfinishedStepsNotApplicable) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 3);
  ASSERT_TRUE(
      e->Execute(CancelRequestCommand(kInitiator, At(8, 31, 16), kRequestId, "新品延期上市")).ok());
  const v1::ProcessRecordTable t = RecordOf(*e);
  for (const v1::ProcessStepRecord& s : t.steps()) {
    EXPECT_EQ(s.met(), Met::MET_NOT_APPLICABLE) << s.step();
    EXPECT_TRUE(AnyNoteHas(s, "需求已取消:新品延期上市")) << s.step();
  }
}

TEST(ProcessRecordTest, StepsThreeAndFourReadTrackingRecordsWhereverTheRecordHoldsThem) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  auto view = e->GetRequest(kRequestId);
  ASSERT_TRUE(view.ok());
  v1::RequestRecord record = view->record();
  internal::ToProto(At(9, 3, 9), record.mutable_started_at());
  const absl::Time finishes[] = {At(9, 4, 17), At(9, 10, 17), At(9, 15, 17)};
  ASSERT_EQ(record.executions_size(), 3);  // the published plan's tasks
  for (int i = 0; i < 3; ++i) {
    v1::TaskExecution* x = record.mutable_executions(i);
    x->set_task_id(record.plan().tasks(i).id());
    x->set_state(v1::TASK_STATE_DONE);
    x->set_percent_complete(100);
    internal::ToProto(finishes[i], x->mutable_actual_finish());
  }
  v1::ChannelLink* channel = record.add_channels();
  channel->set_channel(v1::CHANNEL_COLLABORATION_PLATFORM);
  channel->set_uri("https://docs.example.com/q3");
  v1::Minutes* m = record.add_minutes();
  m->set_title("方案评审会");
  m->add_attendee_ids(kFinanceHead);
  m->add_decisions("预算上限50万元");
  v1::ResourceRequest* rr = record.add_resource_requests();
  rr->set_id("RR-1");
  rr->set_requested_by(kPlanner);
  rr->set_description("需财务部协助确认推广预算审批流程");
  rr->set_decision(v1::RESOURCE_DECISION_GRANTED);
  rr->set_decided_by(kOwner);
  v1::Risk* risk = record.add_risks();
  risk->set_id("R-1");
  risk->set_type(v1::RISK_TYPE_DELAY);
  risk->set_description("因系统接口问题,客户数据延迟获取");
  risk->set_resolved(true);
  risk->set_resolution("已协调IT部处理");
  v1::PlanRevision* rev = record.add_revisions();
  rev->set_number(1);
  rev->set_revised_by(kOwner);
  rev->set_reason("客户数据延迟,T2顺延1天");
  record.add_reports()->set_task_id("T1");

  auto dir = internal::DirectoryIndex::Build(SeedDirectory());
  ASSERT_TRUE(dir.ok());
  const std::vector<v1::Event> events = AllEvents(*e);
  const v1::ProcessRecordTable t =
      internal::BuildProcessRecord(record, events, e->calendar(), *dir);
  const v1::ProcessStepRecord& s3 = t.steps(2);
  EXPECT_EQ(T(s3.ended_at()), At(9, 15, 17));  // the last task's finish
  EXPECT_THAT(s3.outputs(), ElementsAre("沟通渠道:线上协作平台 https://docs.example.com/q3",
                                        "会议纪要1份", "资源申请单1份"));
  EXPECT_THAT(s3.member_ids(), IsSupersetOf({kFinanceHead, kPlanner, kOwner}));
  EXPECT_TRUE(AnyNoteHas(s3, "会议决定(方案评审会):预算上限50万元"));
  EXPECT_TRUE(AnyNoteHas(s3, "资源申请RR-1(孙涛):需财务部协助确认推广预算审批流程 → 批准"));
  EXPECT_EQ(s3.met(), Met::MET_YES);

  const v1::ProcessStepRecord& s4 = t.steps(3);
  EXPECT_EQ(T(s4.started_at()), At(9, 3, 9));
  EXPECT_EQ(T(s4.ended_at()), At(9, 15, 17));
  EXPECT_EQ(s4.met(), Met::MET_YES);  // before 9-20 18:00
  EXPECT_THAT(s4.outputs(), ElementsAre("进度反馈1次", "风险与问题1项", "计划调整1次"));
  EXPECT_TRUE(
      AnyNoteHas(s4, "风险R-1[进度延迟]:因系统接口问题,客户数据延迟获取;已解决:已协调IT部处理"));
  EXPECT_TRUE(AnyNoteHas(s4, "计划调整#1(李娜):客户数据延迟,T2顺延1天"));

  // Finishing after the final deadline misses step 4.
  internal::ToProto(At(9, 21, 10), record.mutable_executions(2)->mutable_actual_finish());
  EXPECT_EQ(internal::BuildProcessRecord(record, events, e->calendar(), *dir).steps(3).met(),
            Met::MET_NO);
}

TEST(ProcessRecordTest, TextFormListsEveryStepInChinese) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  const std::string text = internal::ProcessRecordText(RecordOf(*e), e->calendar());
  EXPECT_THAT(text, HasSubstr("协作流程记录表:Q3新品上市营销方案执行(REQ-Q3-LAUNCH)"));
  EXPECT_THAT(text, HasSubstr("1. 需求发起与确认"));
  EXPECT_THAT(
      text, HasSubstr("开始:2026-08-31 10:00  结束:2026-09-01 16:00  期限:2026-09-02 11:00  按时"));
  EXPECT_THAT(text, HasSubstr("5. 成果验收与归档"));
  EXPECT_THAT(text, HasSubstr("进行中"));
}

TEST(ProcessRecordTest, UnknownRequestIsNotFound) {
  auto e = OpenSeedEngine();
  EXPECT_TRUE(absl::IsNotFound(GetProcessRecord(*e, "REQ-NONE").status()));
}

}  // namespace
}  // namespace collabflow
