#include "collabflow/request.h"

#include <string>
#include <utility>

#include "absl/strings/string_view.h"
#include "request/request_checks.h"

namespace collabflow {

bool ResourceNeed::operator==(const ResourceNeed& o) const {
  return id == o.id && kind == o.kind && description == o.description && quantity == o.quantity &&
         unit == o.unit && provider == o.provider;
}

bool Milestone::operator==(const Milestone& o) const {
  return id == o.id && name == o.name && date == o.date;
}

bool Receiver::operator==(const Receiver& o) const {
  return id == o.id && kind == o.kind && party_id == o.party_id && signers == o.signers &&
         sign_rule == o.sign_rule;
}

bool CollaborationRequest::operator==(const CollaborationRequest& o) const {
  return id == o.id && version == o.version && topic == o.topic && background == o.background &&
         goal == o.goal && resources == o.resources && milestones == o.milestones &&
         final_deadline == o.final_deadline && receivers == o.receivers && priority == o.priority &&
         complexity == o.complexity && initiator_id == o.initiator_id && owner_id == o.owner_id;
}

namespace {

// ValidateRequest's view of the C++ value type (request_checks.h).
class RequestFields {
 public:
  explicit RequestFields(const CollaborationRequest& r) : r_(r) {}
  absl::string_view id() const { return r_.id; }
  int32_t version() const { return r_.version; }
  absl::string_view topic() const { return r_.topic; }
  absl::string_view background() const { return r_.background; }
  absl::string_view goal() const { return r_.goal; }
  absl::string_view initiator_id() const { return r_.initiator_id; }
  absl::string_view owner_id() const { return r_.owner_id; }
  absl::CivilDay final_deadline() const { return r_.final_deadline; }
  int32_t response_due_working_days() const { return r_.response_due_working_days; }
  int32_t plan_due_working_days() const { return r_.plan_due_working_days; }
  size_t resources() const { return r_.resources.size(); }
  absl::string_view resource_id(size_t i) const { return r_.resources[i].id; }
  absl::string_view resource_description(size_t i) const { return r_.resources[i].description; }
  absl::string_view resource_unit(size_t i) const { return r_.resources[i].unit; }
  int64_t resource_quantity(size_t i) const { return r_.resources[i].quantity; }
  bool has_provider(size_t i) const { return !r_.resources[i].provider.empty(); }
  absl::string_view provider_id(size_t i) const { return r_.resources[i].provider.id; }
  size_t milestones() const { return r_.milestones.size(); }
  absl::string_view milestone_id(size_t i) const { return r_.milestones[i].id; }
  absl::string_view milestone_name(size_t i) const { return r_.milestones[i].name; }
  absl::CivilDay milestone_date(size_t i) const { return r_.milestones[i].date; }
  size_t receivers() const { return r_.receivers.size(); }
  absl::string_view receiver_id(size_t i) const { return r_.receivers[i].id; }
  bool is_sign_group(size_t i) const { return r_.receivers[i].kind == Receiver::Kind::kSignGroup; }
  size_t signers(size_t i) const { return r_.receivers[i].signers.size(); }
  absl::string_view signer(size_t i, size_t j) const { return r_.receivers[i].signers[j]; }
  absl::string_view party_id(size_t i) const { return r_.receivers[i].party_id; }

 private:
  const CollaborationRequest& r_;
};

}  // namespace

absl::Status ValidateRequest(const CollaborationRequest& r) {
  return internal::CheckRequestFields(RequestFields(r));
}

}  // namespace collabflow
