#include "request_proto.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common_proto.h"
#include "field_name.h"

namespace collabflow::internal {
namespace {

absl::Status BadEnum(const FieldName& field, int value) {
  return absl::InvalidArgumentError(
      absl::StrCat(field.ToString(), ": unknown or unspecified enum value ", value));
}

absl::StatusOr<ResourceKind> KindFromProto(v1::ResourceKind kind, const FieldName& field) {
  switch (kind) {
    case v1::RESOURCE_KIND_PEOPLE:
      return ResourceKind::kPeople;
    case v1::RESOURCE_KIND_MATERIAL:
      return ResourceKind::kMaterial;
    case v1::RESOURCE_KIND_DATA:
      return ResourceKind::kData;
    case v1::RESOURCE_KIND_BUDGET:
      return ResourceKind::kBudget;
    case v1::RESOURCE_KIND_OTHER:
      return ResourceKind::kOther;
    default:
      return BadEnum(field, kind);
  }
}

absl::StatusOr<Priority> PriorityFromProto(v1::Priority p) {
  switch (p) {
    case v1::PRIORITY_UNSPECIFIED:
    case v1::PRIORITY_NORMAL:
      return Priority::kNormal;
    case v1::PRIORITY_LOW:
      return Priority::kLow;
    case v1::PRIORITY_HIGH:
      return Priority::kHigh;
    case v1::PRIORITY_URGENT:
      return Priority::kUrgent;
    default:
      return BadEnum("priority", p);
  }
}

absl::StatusOr<Complexity> ComplexityFromProto(v1::Complexity c) {
  switch (c) {
    case v1::COMPLEXITY_UNSPECIFIED:
    case v1::COMPLEXITY_SIMPLE:
      return Complexity::kSimple;
    case v1::COMPLEXITY_COMPLEX:
      return Complexity::kComplex;
    case v1::COMPLEXITY_KEY_DECISION:
      return Complexity::kKeyDecision;
    default:
      return BadEnum("complexity", c);
  }
}

absl::StatusOr<SignRule> SignRuleFromProto(v1::SignRule r, const FieldName& field) {
  switch (r) {
    case v1::SIGN_RULE_UNSPECIFIED:
    case v1::SIGN_RULE_ALL:
      return SignRule::kAll;
    case v1::SIGN_RULE_ANY:
      return SignRule::kAny;
    default:
      return BadEnum(field, r);
  }
}

}  // namespace

void ToProto(const CollaborationRequest& r, v1::CollaborationRequest* out) {
  out->Clear();
  out->set_id(r.id);
  out->set_version(r.version);
  out->set_topic(r.topic);
  out->set_background(r.background);
  out->set_goal(r.goal);
  for (const ResourceNeed& need : r.resources) {
    v1::ResourceNeed* m = out->add_resources();
    m->set_id(need.id);
    m->set_kind(static_cast<v1::ResourceKind>(need.kind));
    m->set_description(need.description);
    m->set_quantity(need.quantity);
    m->set_unit(need.unit);
    if (!need.provider.empty()) ToProto(need.provider, m->mutable_provider());
  }
  for (const Milestone& ms : r.milestones) {
    v1::Milestone* m = out->add_milestones();
    m->set_id(ms.id);
    m->set_name(ms.name);
    ToProto(ms.date, m->mutable_date());
  }
  ToProto(r.final_deadline, out->mutable_final_deadline());
  for (const Receiver& rc : r.receivers) {
    v1::Receiver* m = out->add_receivers();
    m->set_id(rc.id);
    switch (rc.kind) {
      case Receiver::Kind::kPerson:
        m->set_person_id(rc.party_id);
        break;
      case Receiver::Kind::kDepartment:
        m->set_department_id(rc.party_id);
        break;
      case Receiver::Kind::kSignGroup: {
        v1::SignGroup* g = m->mutable_sign_group();
        for (const std::string& p : rc.signers) g->add_person_ids(p);
        g->set_rule(static_cast<v1::SignRule>(rc.sign_rule));
        break;
      }
    }
  }
  out->set_priority(static_cast<v1::Priority>(r.priority));
  out->set_complexity(static_cast<v1::Complexity>(r.complexity));
  out->set_initiator_id(r.initiator_id);
  out->set_owner_id(r.owner_id);
  out->set_response_due_working_days(r.response_due_working_days);
  out->set_plan_due_working_days(r.plan_due_working_days);
  out->set_final_reviewer(r.owner_accepts_final ? v1::FINAL_REVIEWER_OWNER
                                                : v1::FINAL_REVIEWER_UNSPECIFIED);
  out->set_max_review_rounds(r.max_review_rounds);
  out->set_rework_working_days(r.rework_working_days);
}

absl::StatusOr<CollaborationRequest> FromProto(const v1::CollaborationRequest& m) {
  CollaborationRequest r;
  r.id = m.id();
  r.version = m.version();
  r.topic = m.topic();
  r.background = m.background();
  r.goal = m.goal();
  r.resources.reserve(m.resources_size());
  r.milestones.reserve(m.milestones_size());
  r.receivers.reserve(m.receivers_size());
  for (int i = 0; i < m.resources_size(); ++i) {
    const v1::ResourceNeed& rm = m.resources(i);
    ResourceNeed need;
    need.id = rm.id();
    auto kind = KindFromProto(rm.kind(), FieldName("resources", i, ".kind"));
    if (!kind.ok()) return kind.status();
    need.kind = *kind;
    need.description = rm.description();
    need.quantity = rm.quantity();
    need.unit = rm.unit();
    need.provider = FromProto(rm.provider());
    r.resources.push_back(std::move(need));
  }
  for (int i = 0; i < m.milestones_size(); ++i) {
    const v1::Milestone& mm = m.milestones(i);
    auto date = FromProto(mm.date(), FieldName("milestones", i, ".date"));
    if (!date.ok()) return date.status();
    r.milestones.push_back(Milestone{mm.id(), mm.name(), *date});
  }
  auto deadline = FromProto(m.final_deadline(), "final_deadline");
  if (!deadline.ok()) return deadline.status();
  r.final_deadline = *deadline;
  for (int i = 0; i < m.receivers_size(); ++i) {
    const v1::Receiver& rm = m.receivers(i);
    Receiver rc;
    rc.id = rm.id();
    switch (rm.who_case()) {
      case v1::Receiver::kPersonId:
        rc.kind = Receiver::Kind::kPerson;
        rc.party_id = rm.person_id();
        break;
      case v1::Receiver::kDepartmentId:
        rc.kind = Receiver::Kind::kDepartment;
        rc.party_id = rm.department_id();
        break;
      case v1::Receiver::kSignGroup: {
        rc.kind = Receiver::Kind::kSignGroup;
        rc.signers.assign(rm.sign_group().person_ids().begin(), rm.sign_group().person_ids().end());
        auto rule = SignRuleFromProto(rm.sign_group().rule(),
                                      FieldName("receivers", i, ".sign_group.rule"));
        if (!rule.ok()) return rule.status();
        rc.sign_rule = *rule;
        break;
      }
      case v1::Receiver::WHO_NOT_SET:
        return absl::InvalidArgumentError(
            absl::StrCat("receivers[", i, "]: names no person, department or sign group"));
    }
    r.receivers.push_back(std::move(rc));
  }
  auto priority = PriorityFromProto(m.priority());
  if (!priority.ok()) return priority.status();
  r.priority = *priority;
  auto complexity = ComplexityFromProto(m.complexity());
  if (!complexity.ok()) return complexity.status();
  r.complexity = *complexity;
  r.initiator_id = m.initiator_id();
  r.owner_id = m.owner_id();
  r.response_due_working_days = m.response_due_working_days();
  r.plan_due_working_days = m.plan_due_working_days();
  if (!v1::FinalReviewer_IsValid(m.final_reviewer())) {
    return BadEnum("final_reviewer", m.final_reviewer());
  }
  r.owner_accepts_final = m.final_reviewer() == v1::FINAL_REVIEWER_OWNER;
  r.max_review_rounds = m.max_review_rounds();
  r.rework_working_days = m.rework_working_days();
  if (absl::Status s = ValidateRequest(r); !s.ok()) return s;
  return r;
}

}  // namespace collabflow::internal
