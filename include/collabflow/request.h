// The collaboration request (协作需求申请表) as a C++ value type.
//
// Thread safety: plain values; a const object may be read from many threads.
#ifndef COLLABFLOW_REQUEST_H_
#define COLLABFLOW_REQUEST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "collabflow/party.h"

namespace collabflow {

enum class ResourceKind { kPeople = 1, kMaterial, kData, kBudget, kOther };
enum class Priority { kLow = 1, kNormal, kHigh, kUrgent };
// Picks the recommended communication channel (step 3 of the process).
enum class Complexity { kSimple = 1, kComplex, kKeyDecision };
// How a sign group answers: 会签 (all must accept) or 或签 (any one).
enum class SignRule { kAll = 1, kAny };

// One required resource (所需资源), e.g. "2 planners from the market dept".
struct ResourceNeed {
  std::string id;  // unique within the request
  ResourceKind kind = ResourceKind::kOther;
  std::string description;
  int64_t quantity = 0;  // 0 = unspecified
  std::string unit;
  PartyRef provider;  // may be empty (unknown provider)

  bool operator==(const ResourceNeed&) const;
};

// A key milestone (期望时间节点).
struct Milestone {
  std::string id;  // unique within the request
  std::string name;
  absl::CivilDay date;

  bool operator==(const Milestone&) const;
};

// Who must confirm the request: a person, a department (answering through
// its head or a delegate), or a sign group of people under a SignRule.
struct Receiver {
  enum class Kind { kPerson = 1, kDepartment, kSignGroup };
  std::string id;  // unique within the request; responses name it
  Kind kind = Kind::kPerson;
  std::string party_id;                 // person or department id
  std::vector<std::string> signers;     // kSignGroup only
  SignRule sign_rule = SignRule::kAll;  // kSignGroup only

  bool operator==(const Receiver&) const;
};

// 协作需求申请表. `version` starts at 1 and grows with each revision.
struct CollaborationRequest {
  std::string id;
  int32_t version = 1;
  std::string topic;       // 协作主题
  std::string background;  // 协作背景
  std::string goal;        // 协作目标
  std::vector<ResourceNeed> resources;
  std::vector<Milestone> milestones;
  absl::CivilDay final_deadline;
  std::vector<Receiver> receivers;
  Priority priority = Priority::kNormal;
  Complexity complexity = Complexity::kSimple;
  std::string initiator_id;  // 发起人
  std::string owner_id;      // 负责人; empty means the initiator
  // Time rules in working days; 0 means the default (1 working day).
  int32_t response_due_working_days = 0;  // each receiver's answer
  int32_t plan_due_working_days = 0;      // the plan, after confirmation
  // Who accepts the final submission: the initiator (default) or the owner.
  bool owner_accepts_final = false;
  int32_t max_review_rounds = 0;    // failed reviews before escalation; 0 = 3
  int32_t rework_working_days = 0;  // rectification deadline; 0 = 2

  // The owner, defaulting to the initiator.
  const std::string& EffectiveOwner() const { return owner_id.empty() ? initiator_id : owner_id; }

  bool operator==(const CollaborationRequest&) const;
};

// Checks a request against the documented limits (collabflow/limits.h) and
// its own consistency: required fields present, ids unique, text valid UTF-8
// within length limits, dates in range, milestones not after the final
// deadline. Returns InvalidArgument or ResourceExhausted naming the field.
absl::Status ValidateRequest(const CollaborationRequest& request);

}  // namespace collabflow

#endif  // COLLABFLOW_REQUEST_H_
