#include "collabflow/request.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collabflow/limits.h"
#include "field_name.h"
#include "input_checks.h"
#include "seen_ids.h"
#include "status_macros.h"

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

using internal::CheckCount;
using internal::CheckId;
using internal::CheckText;

using internal::FieldName;
using internal::SeenIds;

absl::Status CheckUnique(SeenIds& seen, const FieldName& field, absl::string_view id) {
  if (!seen.Insert(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field.ToString(), ": duplicate id \"", id, "\""));
  }
  return absl::OkStatus();
}

bool InRange(absl::CivilDay d) { return d.year() >= kMinYear && d.year() <= kMaxYear; }

absl::Status CheckDay(const FieldName& field, absl::CivilDay d) {
  if (!InRange(d)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: year %d outside the supported range %d..%d", field.ToString(),
                        d.year(), kMinYear, kMaxYear));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRequest(const CollaborationRequest& r) {
  CFLOW_RETURN_IF_ERROR(CheckId("id", r.id));
  if (r.version < 1) {
    return absl::InvalidArgumentError(absl::StrCat("version: must be >= 1, got ", r.version));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("topic", r.topic, kMaxShortTextBytes, /*required=*/true));
  CFLOW_RETURN_IF_ERROR(CheckText("background", r.background, kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(CheckText("goal", r.goal, kMaxLongTextBytes, /*required=*/true));
  CFLOW_RETURN_IF_ERROR(CheckId("initiator_id", r.initiator_id));
  if (!r.owner_id.empty()) CFLOW_RETURN_IF_ERROR(CheckId("owner_id", r.owner_id));
  CFLOW_RETURN_IF_ERROR(CheckDay("final_deadline", r.final_deadline));
  for (auto [field, days] :
       {std::pair<const char*, int32_t>{"response_due_working_days", r.response_due_working_days},
        {"plan_due_working_days", r.plan_due_working_days}}) {
    if (days < 0 || days > kMaxTimeRuleWorkingDays) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", days, " outside 0..", kMaxTimeRuleWorkingDays));
    }
  }

  CFLOW_RETURN_IF_ERROR(CheckCount("resources", r.resources.size(), kMaxResources));
  SeenIds resource_ids;
  for (size_t i = 0; i < r.resources.size(); ++i) {
    const ResourceNeed& need = r.resources[i];
    CFLOW_RETURN_IF_ERROR(CheckId(FieldName("resources", i, ".id"), need.id));
    CFLOW_RETURN_IF_ERROR(CheckUnique(resource_ids, FieldName("resources", i, ".id"), need.id));
    CFLOW_RETURN_IF_ERROR(CheckText(FieldName("resources", i, ".description"), need.description,
                                    kMaxShortTextBytes, true));
    CFLOW_RETURN_IF_ERROR(
        CheckText(FieldName("resources", i, ".unit"), need.unit, kMaxShortTextBytes));
    if (need.quantity < 0) {
      return absl::InvalidArgumentError(absl::StrCat("resources[", i, "].quantity: must be >= 0"));
    }
    if (!need.provider.empty()) {
      CFLOW_RETURN_IF_ERROR(CheckId(FieldName("resources", i, ".provider"), need.provider.id));
    }
  }

  CFLOW_RETURN_IF_ERROR(CheckCount("milestones", r.milestones.size(), kMaxMilestones));
  SeenIds milestone_ids;
  for (size_t i = 0; i < r.milestones.size(); ++i) {
    const Milestone& ms = r.milestones[i];
    CFLOW_RETURN_IF_ERROR(CheckId(FieldName("milestones", i, ".id"), ms.id));
    CFLOW_RETURN_IF_ERROR(CheckUnique(milestone_ids, FieldName("milestones", i, ".id"), ms.id));
    CFLOW_RETURN_IF_ERROR(
        CheckText(FieldName("milestones", i, ".name"), ms.name, kMaxShortTextBytes, true));
    CFLOW_RETURN_IF_ERROR(CheckDay(FieldName("milestones", i, ".date"), ms.date));
    if (ms.date > r.final_deadline) {
      return absl::InvalidArgumentError(
          absl::StrCat("milestones[", i, "].date: ", absl::FormatCivilTime(ms.date),
                       " is after the final deadline ", absl::FormatCivilTime(r.final_deadline)));
    }
  }

  if (r.receivers.empty()) {
    return absl::InvalidArgumentError("receivers: a request needs at least one receiver");
  }
  CFLOW_RETURN_IF_ERROR(CheckCount("receivers", r.receivers.size(), kMaxReceivers));
  SeenIds receiver_ids;
  for (size_t i = 0; i < r.receivers.size(); ++i) {
    const Receiver& rc = r.receivers[i];
    CFLOW_RETURN_IF_ERROR(CheckId(FieldName("receivers", i, ".id"), rc.id));
    CFLOW_RETURN_IF_ERROR(CheckUnique(receiver_ids, FieldName("receivers", i, ".id"), rc.id));
    if (rc.kind == Receiver::Kind::kSignGroup) {
      if (rc.signers.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("receivers[", i, "].sign_group: names no person"));
      }
      CFLOW_RETURN_IF_ERROR(
          CheckCount(FieldName("receivers", i, ".sign_group"), rc.signers.size(), kMaxSigners));
      SeenIds signers;
      for (size_t j = 0; j < rc.signers.size(); ++j) {
        const FieldName g("receivers", i, ".sign_group.person_ids", j, "");
        CFLOW_RETURN_IF_ERROR(CheckId(g, rc.signers[j]));
        CFLOW_RETURN_IF_ERROR(CheckUnique(signers, g, rc.signers[j]));
      }
    } else {
      CFLOW_RETURN_IF_ERROR(CheckId(FieldName("receivers", i, ".party_id"), rc.party_id));
    }
  }
  return absl::OkStatus();
}

}  // namespace collabflow
