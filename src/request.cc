#include "collabflow/request.h"

#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collabflow/limits.h"
#include "input_checks.h"
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

absl::Status CheckUnique(std::set<std::string>& seen, absl::string_view field,
                         const std::string& id) {
  if (!seen.insert(id).second) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": duplicate id \"", id, "\""));
  }
  return absl::OkStatus();
}

bool InRange(absl::CivilDay d) { return d.year() >= kMinYear && d.year() <= kMaxYear; }

absl::Status CheckDay(absl::string_view field, absl::CivilDay d) {
  if (!InRange(d)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: year %d outside the supported range %d..%d", field, d.year(), kMinYear, kMaxYear));
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
  std::set<std::string> ids;
  for (size_t i = 0; i < r.resources.size(); ++i) {
    const ResourceNeed& need = r.resources[i];
    const std::string f = absl::StrCat("resources[", i, "]");
    CFLOW_RETURN_IF_ERROR(CheckId(f + ".id", need.id));
    CFLOW_RETURN_IF_ERROR(CheckUnique(ids, f + ".id", need.id));
    CFLOW_RETURN_IF_ERROR(
        CheckText(f + ".description", need.description, kMaxShortTextBytes, true));
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".unit", need.unit, kMaxShortTextBytes));
    if (need.quantity < 0) {
      return absl::InvalidArgumentError(absl::StrCat(f, ".quantity: must be >= 0"));
    }
    if (!need.provider.empty()) CFLOW_RETURN_IF_ERROR(CheckId(f + ".provider", need.provider.id));
  }

  CFLOW_RETURN_IF_ERROR(CheckCount("milestones", r.milestones.size(), kMaxMilestones));
  ids.clear();
  for (size_t i = 0; i < r.milestones.size(); ++i) {
    const Milestone& ms = r.milestones[i];
    const std::string f = absl::StrCat("milestones[", i, "]");
    CFLOW_RETURN_IF_ERROR(CheckId(f + ".id", ms.id));
    CFLOW_RETURN_IF_ERROR(CheckUnique(ids, f + ".id", ms.id));
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".name", ms.name, kMaxShortTextBytes, true));
    CFLOW_RETURN_IF_ERROR(CheckDay(f + ".date", ms.date));
    if (ms.date > r.final_deadline) {
      return absl::InvalidArgumentError(absl::StrCat(f, ".date: ", absl::FormatCivilTime(ms.date),
                                                     " is after the final deadline ",
                                                     absl::FormatCivilTime(r.final_deadline)));
    }
  }

  if (r.receivers.empty()) {
    return absl::InvalidArgumentError("receivers: a request needs at least one receiver");
  }
  CFLOW_RETURN_IF_ERROR(CheckCount("receivers", r.receivers.size(), kMaxReceivers));
  ids.clear();
  for (size_t i = 0; i < r.receivers.size(); ++i) {
    const Receiver& rc = r.receivers[i];
    const std::string f = absl::StrCat("receivers[", i, "]");
    CFLOW_RETURN_IF_ERROR(CheckId(f + ".id", rc.id));
    CFLOW_RETURN_IF_ERROR(CheckUnique(ids, f + ".id", rc.id));
    if (rc.kind == Receiver::Kind::kSignGroup) {
      if (rc.signers.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(f, ".sign_group: names no person"));
      }
      CFLOW_RETURN_IF_ERROR(CheckCount(f + ".sign_group", rc.signers.size(), kMaxSigners));
      std::set<std::string> signers;
      for (size_t j = 0; j < rc.signers.size(); ++j) {
        const std::string g = absl::StrCat(f, ".sign_group.person_ids[", j, "]");
        CFLOW_RETURN_IF_ERROR(CheckId(g, rc.signers[j]));
        CFLOW_RETURN_IF_ERROR(CheckUnique(signers, g, rc.signers[j]));
      }
    } else {
      CFLOW_RETURN_IF_ERROR(CheckId(f + ".party_id", rc.party_id));
    }
  }
  return absl::OkStatus();
}

}  // namespace collabflow
