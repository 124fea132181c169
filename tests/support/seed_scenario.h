// The seed's worked example, "Q3新品上市营销方案执行", as engine inputs: the
// directory of the product, market, sales, finance and IT departments, the
// request, the responses of one negotiation round, and the plan.
#ifndef COLLABFLOW_TESTS_SUPPORT_SEED_SCENARIO_H_
#define COLLABFLOW_TESTS_SUPPORT_SEED_SCENARIO_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collabflow/engine.h"
#include "collabflow/v1/command.pb.h"
#include "collabflow/v1/directory.pb.h"
#include "collabflow/v1/plan.pb.h"
#include "collabflow/v1/request.pb.h"
#include "support/commands.h"

namespace collabflow::testing {

inline constexpr char kRequestId[] = "REQ-Q3-LAUNCH";
// People.
inline constexpr char kInitiator[] = "p-zhang";  // 张伟, 产品部 head
inline constexpr char kOwner[] = "p-li";         // 李娜, 市场部 head (负责人)
inline constexpr char kMarketDelegate[] = "p-chen";
inline constexpr char kPlanner[] = "p-sun";
inline constexpr char kSalesHead[] = "p-zhao";
inline constexpr char kSalesData[] = "p-wu";
inline constexpr char kFinanceHead[] = "p-qian";
inline constexpr char kCeo[] = "p-liu";
inline constexpr char kOutsider[] = "p-ma";

// A time in Asia/Shanghai.
inline absl::Time Shanghai(int y, int mo, int d, int h = 0, int mi = 0) {
  absl::TimeZone tz;
  absl::LoadTimeZone("Asia/Shanghai", &tz);
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), tz);
}

inline v1::Directory SeedDirectory() {
  v1::Directory d;
  auto person = [&](const char* id, const char* name, const char* dept, const char* sup) {
    v1::Person* p = d.add_people();
    p->set_id(id);
    p->set_name(name);
    p->set_department_id(dept);
    p->set_superior_id(sup);
  };
  person(kCeo, "刘总", "", "");
  person(kInitiator, "张伟", "d-product", kCeo);
  person(kOwner, "李娜", "d-market", kCeo);
  person(kMarketDelegate, "陈静", "d-market", kOwner);
  person(kPlanner, "孙涛", "d-market", kMarketDelegate);
  person(kSalesHead, "赵强", "d-sales", kCeo);
  person(kSalesData, "吴磊", "d-sales", kSalesHead);
  person(kFinanceHead, "钱芳", "d-finance", kCeo);
  person("p-he", "何军", "d-it", kCeo);
  person(kOutsider, "马丽", "d-finance", kFinanceHead);
  auto dept = [&](const char* id, const char* name, const char* head,
                  std::initializer_list<const char*> delegates) {
    v1::Department* x = d.add_departments();
    x->set_id(id);
    x->set_name(name);
    x->set_head_id(head);
    for (const char* p : delegates) x->add_delegate_ids(p);
  };
  dept("d-product", "产品部", kInitiator, {});
  dept("d-market", "市场部", kOwner, {kMarketDelegate});
  dept("d-sales", "销售部", kSalesHead, {kSalesData});
  dept("d-finance", "财务部", kFinanceHead, {});
  dept("d-it", "IT部", "p-he", {});
  return d;
}

inline void SetDate(v1::Date* d, int y, int m, int day) {
  d->set_year(y);
  d->set_month(m);
  d->set_day(day);
}

inline v1::CollaborationRequest SeedRequestProto() {
  v1::CollaborationRequest r;
  r.set_id(kRequestId);
  r.set_version(1);
  r.set_topic("Q3新品上市营销方案执行");
  r.set_background("新品研发完成,需市场部配合制定推广计划");
  r.set_goal("30天内完成营销方案设计并启动推广");
  v1::ResourceNeed* planners = r.add_resources();
  planners->set_id("planners");
  planners->set_kind(v1::RESOURCE_KIND_PEOPLE);
  planners->set_description("市场部2名策划专员");
  planners->set_quantity(2);
  planners->set_unit("人");
  planners->mutable_provider()->set_department_id("d-market");
  v1::ResourceNeed* data = r.add_resources();
  data->set_id("customer-data");
  data->set_kind(v1::RESOURCE_KIND_DATA);
  data->set_description("销售部提供区域客户数据");
  data->mutable_provider()->set_department_id("d-sales");
  v1::Milestone* draft = r.add_milestones();
  draft->set_id("first-draft");
  draft->set_name("方案初稿");
  SetDate(draft->mutable_date(), 2026, 9, 10);
  v1::Milestone* final_ms = r.add_milestones();
  final_ms->set_id("final");
  final_ms->set_name("定稿并启动推广");
  SetDate(final_ms->mutable_date(), 2026, 9, 20);
  SetDate(r.mutable_final_deadline(), 2026, 9, 20);
  v1::Receiver* market = r.add_receivers();
  market->set_id("market");
  market->set_department_id("d-market");
  v1::Receiver* sales = r.add_receivers();
  sales->set_id("sales");
  sales->set_department_id("d-sales");
  r.set_priority(v1::PRIORITY_HIGH);
  r.set_complexity(v1::COMPLEXITY_COMPLEX);
  r.set_initiator_id(kInitiator);
  r.set_owner_id(kOwner);
  return r;
}

// Version 2 after sales' counter-proposal: the customer data is due two
// working days earlier, as its own milestone.
inline v1::CollaborationRequest SeedRequestRevised() {
  v1::CollaborationRequest r = SeedRequestProto();
  v1::Milestone* data = r.add_milestones();
  data->set_id("customer-data");
  data->set_name("区域客户数据提供");
  SetDate(data->mutable_date(), 2026, 9, 4);
  return r;
}

inline v1::ReceiverResponse Accept(const char* receiver, const char* duty) {
  v1::ReceiverResponse r;
  r.set_receiver_id(receiver);
  r.add_duties(duty);
  r.set_timing_accepted(true);
  r.set_decision(v1::DECISION_ACCEPT);
  return r;
}

// 销售部: "9-20 works if the customer data is due 2 days earlier".
inline v1::ReceiverResponse SalesCounterProposal() {
  v1::ReceiverResponse r;
  r.set_receiver_id("sales");
  r.add_duties("销售部负责客户画像分析");
  v1::ResourceFeasibility* f = r.add_resources();
  f->set_resource_id("customer-data");
  f->set_feasibility(v1::FEASIBILITY_FEASIBLE_AFTER_DAYS);
  f->set_days_needed(3);
  f->set_note("客户数据需3个工作日整理完成");
  r.set_timing_accepted(false);
  v1::MilestoneCounter* c = r.add_counter_proposals();
  c->set_milestone_id("final");
  SetDate(c->mutable_proposed_date(), 2026, 9, 20);
  c->set_condition("9月20日定稿可行,但需提前2天提供客户数据");
  r.set_decision(v1::DECISION_ACCEPT_WITH_CHANGES);
  return r;
}

inline v1::Plan SeedPlan() {
  v1::Plan p;
  auto task = [&](const char* id, const char* name, const char* dept, int days,
                  const char* deliverable) {
    v1::Task* t = p.add_tasks();
    t->set_id(id);
    t->set_name(name);
    t->mutable_assignee()->set_department_id(dept);
    t->set_duration_days(days);
    t->set_deliverable(deliverable);
    return t;
  };
  v1::Task* data = task("T1", "客户数据收集与分析", "d-sales", 2, "区域客户数据表");
  data->add_serves()->set_resource_id("customer-data");
  data->add_serves()->set_milestone_id("customer-data");
  data->add_delivery_standard("覆盖全部销售区域");
  v1::Task* draft = task("T2", "营销方案初稿撰写", "d-market", 4, "营销方案初稿");
  draft->set_description("方案初稿需包含推广渠道、预算分配、执行步骤,格式参考模板");
  draft->add_delivery_standard("包含推广渠道");
  draft->add_delivery_standard("包含预算分配");
  draft->add_delivery_standard("包含执行步骤");
  draft->add_predecessors()->set_predecessor_id("T1");
  draft->add_serves()->set_milestone_id("first-draft");
  draft->add_serves()->set_resource_id("planners");
  v1::Task* final_task = task("T3", "方案定稿并启动推广", "d-market", 3, "营销方案定稿");
  final_task->add_predecessors()->set_predecessor_id("T2");
  final_task->add_serves()->set_milestone_id("final");
  final_task->add_serves()->set_goal(true);
  return p;
}

// A copy of the seed request filed as `request` (its id set by the caller),
// submitted and confirmed by both receivers at `t`: 4 commands; then, with a
// plan, published by the owner (omissions acknowledged): 5. Returns the
// first refusal. For benchmarks and tests that need many collaborations.
inline absl::Status ConfirmSeedCopy(Engine& e, const v1::CollaborationRequest& request,
                                    absl::Time t, const v1::Plan* plan = nullptr) {
  const std::string& id = request.id();
  absl::Status s = e.Execute(CreateRequestCommand(kInitiator, t, request)).status();
  if (s.ok()) s = e.Execute(SubmitRequestCommand(kInitiator, t, id)).status();
  if (s.ok()) s = e.Execute(RespondCommand(kOwner, t, id, Accept("market", "策划"))).status();
  if (s.ok()) s = e.Execute(RespondCommand(kSalesHead, t, id, Accept("sales", "数据"))).status();
  if (s.ok() && plan != nullptr) {
    s = e.Execute(PublishPlanCommand(kOwner, t, id, *plan, /*acknowledge_omissions=*/true))
            .status();
  }
  return s;
}

// The seed scenario's commands, step k at [k - 1]: 1 create, 2 submit,
// 3 market accepts, 4 sales counter-proposes, 5 revision v2, 6 market accepts
// v2, 7 sales accepts v2 (confirmed), 8 plan published.
inline std::vector<v1::Command> SeedCommands() {
  auto t = [](int mo, int d, int h, int mi = 0) { return Shanghai(2026, mo, d, h, mi); };
  return {
      CreateRequestCommand(kInitiator, t(8, 31, 9, 30), SeedRequestProto()),
      SubmitRequestCommand(kInitiator, t(8, 31, 10), kRequestId),
      RespondCommand(kMarketDelegate, t(8, 31, 15), kRequestId,
                     Accept("market", "市场部负责方案策划")),
      RespondCommand(kSalesData, t(9, 1, 9, 30), kRequestId, SalesCounterProposal()),
      ReviseRequestCommand(kInitiator, t(9, 1, 11), SeedRequestRevised(), "客户数据提前至9月4日"),
      RespondCommand(kOwner, t(9, 1, 14), kRequestId, Accept("market", "方案策划")),
      RespondCommand(kSalesHead, t(9, 1, 16), kRequestId, Accept("sales", "客户画像分析")),
      PublishPlanCommand(kOwner, t(9, 2, 10), kRequestId, SeedPlan()),
  };
}

// Drives the seed scenario (SeedCommands) from step `from` (1 or later) up to
// (and including) `steps`. Stops at the first refusal and returns it.
inline absl::Status DriveSeed(Engine& e, int steps, int from = 1) {
  const std::vector<v1::Command> commands = SeedCommands();
  const int last = std::min(steps, static_cast<int>(commands.size()));
  if (from > last) return absl::OkStatus();
  return ExecuteAll(e, absl::MakeConstSpan(commands).subspan(from - 1, last - from + 1));
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_SUPPORT_SEED_SCENARIO_H_
