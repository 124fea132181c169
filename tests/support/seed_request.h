// The seed's worked example, "Q3新品上市营销方案执行", as a request value that
// every suite can start from.
#ifndef COLLABFLOW_TESTS_SUPPORT_SEED_REQUEST_H_
#define COLLABFLOW_TESTS_SUPPORT_SEED_REQUEST_H_

#include "collabflow/request.h"

namespace collabflow::testing {

inline CollaborationRequest SeedRequest() {
  CollaborationRequest r;
  r.id = "REQ-Q3-LAUNCH";
  r.version = 1;
  r.topic = "Q3新品上市营销方案执行";
  r.background = "新品研发完成,需市场部配合制定推广计划";
  r.goal = "30天内完成营销方案设计并启动推广";
  r.resources = {
      {"planners", ResourceKind::kPeople, "市场部策划专员", 2, "人",
       PartyRef::Department("d-market")},
      {"customer-data", ResourceKind::kData, "销售部提供区域客户数据", 0, "",
       PartyRef::Department("d-sales")},
  };
  r.milestones = {
      {"first-draft", "方案初稿", absl::CivilDay(2026, 9, 10)},
      {"final", "定稿并启动推广", absl::CivilDay(2026, 9, 20)},
  };
  r.final_deadline = absl::CivilDay(2026, 9, 20);
  r.receivers = {
      {"market", Receiver::Kind::kDepartment, "d-market", {}, SignRule::kAll},
      {"sales", Receiver::Kind::kDepartment, "d-sales", {}, SignRule::kAll},
  };
  r.priority = Priority::kHigh;
  r.complexity = Complexity::kComplex;
  r.initiator_id = "p-zhang";
  r.owner_id = "p-li";
  return r;
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_SUPPORT_SEED_REQUEST_H_
