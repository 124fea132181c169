#include "request/request_proto.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/field_name.h"
#include "base/status_macros.h"
#include "request/request_checks.h"
#include "wire/common_proto.h"

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

// A date the checks below have accepted (FromProto(v1::Date) refuses the
// others): the day it names.
absl::CivilDay CheckedDay(const v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

// What only the message form can get wrong, in the order of its fields:
// enum values, dates that do not exist, a receiver naming nobody.
absl::Status CheckMessageOnlyFields(const v1::CollaborationRequest& m) {
  for (int i = 0; i < m.resources_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(
        KindFromProto(m.resources(i).kind(), FieldName("resources", i, ".kind")).status());
  }
  for (int i = 0; i < m.milestones_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(
        FromProto(m.milestones(i).date(), FieldName("milestones", i, ".date")).status());
  }
  CFLOW_RETURN_IF_ERROR(FromProto(m.final_deadline(), "final_deadline").status());
  for (int i = 0; i < m.receivers_size(); ++i) {
    const v1::Receiver& rm = m.receivers(i);
    if (rm.who_case() == v1::Receiver::WHO_NOT_SET) {
      return absl::InvalidArgumentError(
          absl::StrCat("receivers[", i, "]: names no person, department or sign group"));
    }
    if (rm.who_case() == v1::Receiver::kSignGroup) {
      CFLOW_RETURN_IF_ERROR(
          SignRuleFromProto(rm.sign_group().rule(), FieldName("receivers", i, ".sign_group.rule"))
              .status());
    }
  }
  CFLOW_RETURN_IF_ERROR(PriorityFromProto(m.priority()).status());
  CFLOW_RETURN_IF_ERROR(ComplexityFromProto(m.complexity()).status());
  if (!v1::FinalReviewer_IsValid(m.final_reviewer())) {
    return BadEnum("final_reviewer", m.final_reviewer());
  }
  return absl::OkStatus();
}

// The checks' view of the message (request_checks.h), once
// CheckMessageOnlyFields has passed.
class MessageFields {
 public:
  explicit MessageFields(const v1::CollaborationRequest& m) : m_(m) {}
  absl::string_view id() const { return m_.id(); }
  int32_t version() const { return m_.version(); }
  absl::string_view topic() const { return m_.topic(); }
  absl::string_view background() const { return m_.background(); }
  absl::string_view goal() const { return m_.goal(); }
  absl::string_view initiator_id() const { return m_.initiator_id(); }
  absl::string_view owner_id() const { return m_.owner_id(); }
  absl::CivilDay final_deadline() const { return CheckedDay(m_.final_deadline()); }
  int32_t response_due_working_days() const { return m_.response_due_working_days(); }
  int32_t plan_due_working_days() const { return m_.plan_due_working_days(); }
  size_t resources() const { return m_.resources_size(); }
  absl::string_view resource_id(size_t i) const { return resource(i).id(); }
  absl::string_view resource_description(size_t i) const { return resource(i).description(); }
  absl::string_view resource_unit(size_t i) const { return resource(i).unit(); }
  int64_t resource_quantity(size_t i) const { return resource(i).quantity(); }
  bool has_provider(size_t i) const {
    return resource(i).provider().party_case() != v1::PartyRef::PARTY_NOT_SET;
  }
  absl::string_view provider_id(size_t i) const {
    const v1::PartyRef& p = resource(i).provider();
    return p.has_person_id() ? p.person_id() : p.department_id();
  }
  size_t milestones() const { return m_.milestones_size(); }
  absl::string_view milestone_id(size_t i) const { return milestone(i).id(); }
  absl::string_view milestone_name(size_t i) const { return milestone(i).name(); }
  absl::CivilDay milestone_date(size_t i) const { return CheckedDay(milestone(i).date()); }
  size_t receivers() const { return m_.receivers_size(); }
  absl::string_view receiver_id(size_t i) const { return receiver(i).id(); }
  bool is_sign_group(size_t i) const { return receiver(i).has_sign_group(); }
  size_t signers(size_t i) const { return receiver(i).sign_group().person_ids_size(); }
  absl::string_view signer(size_t i, size_t j) const {
    return receiver(i).sign_group().person_ids(static_cast<int>(j));
  }
  absl::string_view party_id(size_t i) const {
    const v1::Receiver& rc = receiver(i);
    return rc.has_person_id() ? rc.person_id() : rc.department_id();
  }

 private:
  const v1::ResourceNeed& resource(size_t i) const { return m_.resources(static_cast<int>(i)); }
  const v1::Milestone& milestone(size_t i) const { return m_.milestones(static_cast<int>(i)); }
  const v1::Receiver& receiver(size_t i) const { return m_.receivers(static_cast<int>(i)); }

  const v1::CollaborationRequest& m_;
};

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

absl::Status ValidateRequest(const v1::CollaborationRequest& m) {
  CFLOW_RETURN_IF_ERROR(CheckMessageOnlyFields(m));
  return CheckRequestFields(MessageFields(m));
}

absl::StatusOr<CollaborationRequest> FromProto(const v1::CollaborationRequest& m) {
  CFLOW_RETURN_IF_ERROR(ValidateRequest(m));
  // Every conversion below was checked above and cannot fail.
  CollaborationRequest r;
  r.id = m.id();
  r.version = m.version();
  r.topic = m.topic();
  r.background = m.background();
  r.goal = m.goal();
  r.resources.reserve(m.resources_size());
  r.milestones.reserve(m.milestones_size());
  r.receivers.reserve(m.receivers_size());
  for (const v1::ResourceNeed& rm : m.resources()) {
    ResourceNeed need;
    need.id = rm.id();
    need.kind = *KindFromProto(rm.kind(), "kind");
    need.description = rm.description();
    need.quantity = rm.quantity();
    need.unit = rm.unit();
    need.provider = FromProto(rm.provider());
    r.resources.push_back(std::move(need));
  }
  for (const v1::Milestone& mm : m.milestones()) {
    r.milestones.push_back(Milestone{mm.id(), mm.name(), CheckedDay(mm.date())});
  }
  r.final_deadline = CheckedDay(m.final_deadline());
  for (const v1::Receiver& rm : m.receivers()) {
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
      case v1::Receiver::kSignGroup:
        rc.kind = Receiver::Kind::kSignGroup;
        rc.signers.assign(rm.sign_group().person_ids().begin(), rm.sign_group().person_ids().end());
        rc.sign_rule = *SignRuleFromProto(rm.sign_group().rule(), "rule");
        break;
      case v1::Receiver::WHO_NOT_SET:  // refused above
        break;
    }
    r.receivers.push_back(std::move(rc));
  }
  r.priority = *PriorityFromProto(m.priority());
  r.complexity = *ComplexityFromProto(m.complexity());
  r.initiator_id = m.initiator_id();
  r.owner_id = m.owner_id();
  r.response_due_working_days = m.response_due_working_days();
  r.plan_due_working_days = m.plan_due_working_days();
  r.owner_accepts_final = m.final_reviewer() == v1::FINAL_REVIEWER_OWNER;
  r.max_review_rounds = m.max_review_rounds();
  r.rework_working_days = m.rework_working_days();
  return r;
}

}  // namespace collabflow::internal
