// The request's own consistency checks (ValidateRequest in
// collabflow/request.h), written once over either form of a request: the
// C++ value type and the protobuf message. The engine checks a command's
// request message where it stands, without first copying every text into
// a CollaborationRequest.
//
// A form is read through an adapter with these members (ids and texts as
// views, dates as absl::CivilDay, sizes as size_t):
//   id() version() topic() background() goal() initiator_id() owner_id()
//   final_deadline() response_due_working_days() plan_due_working_days()
//   resources() resource_id(i) resource_description(i) resource_unit(i)
//   resource_quantity(i) has_provider(i) provider_id(i)
//   milestones() milestone_id(i) milestone_name(i) milestone_date(i)
//   receivers() receiver_id(i) is_sign_group(i) signers(i) signer(i, j)
//   party_id(i)
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_REQUEST_REQUEST_CHECKS_H_
#define COLLABFLOW_SRC_REQUEST_REQUEST_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "base/field_name.h"
#include "base/input_checks.h"
#include "base/seen_ids.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"

namespace collabflow::internal {

// InvalidArgument "<field>: duplicate id "<id>"" unless `id` is new to `seen`.
absl::Status CheckUnique(SeenIds& seen, const FieldName& field, absl::string_view id);
// InvalidArgument naming both days: a milestone after the final deadline.
absl::Status MilestoneAfterDeadline(size_t index, absl::CivilDay date, absl::CivilDay deadline);

// The checks of ValidateRequest, in its order, over adapter `r`.
template <typename Adapter>
absl::Status CheckRequestFields(const Adapter& r) {
  CFLOW_RETURN_IF_ERROR(CheckId("id", r.id()));
  if (r.version() < 1) {
    return absl::InvalidArgumentError(absl::StrCat("version: must be >= 1, got ", r.version()));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("topic", r.topic(), kMaxShortTextBytes, /*required=*/true));
  CFLOW_RETURN_IF_ERROR(CheckText("background", r.background(), kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(CheckText("goal", r.goal(), kMaxLongTextBytes, /*required=*/true));
  CFLOW_RETURN_IF_ERROR(CheckId("initiator_id", r.initiator_id()));
  if (!r.owner_id().empty()) CFLOW_RETURN_IF_ERROR(CheckId("owner_id", r.owner_id()));
  const absl::CivilDay deadline = r.final_deadline();
  CFLOW_RETURN_IF_ERROR(CheckYear("final_deadline", deadline.year()));
  for (auto [field, days] :
       {std::pair<const char*, int32_t>{"response_due_working_days", r.response_due_working_days()},
        {"plan_due_working_days", r.plan_due_working_days()}}) {
    if (days < 0 || days > kMaxTimeRuleWorkingDays) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", days, " outside 0..", kMaxTimeRuleWorkingDays));
    }
  }

  CFLOW_RETURN_IF_ERROR(CheckCount("resources", r.resources(), kMaxResources));
  SeenIds resource_ids;
  for (size_t i = 0; i < r.resources(); ++i) {
    CFLOW_RETURN_IF_ERROR(CheckId(FieldName("resources", i, ".id"), r.resource_id(i)));
    CFLOW_RETURN_IF_ERROR(
        CheckUnique(resource_ids, FieldName("resources", i, ".id"), r.resource_id(i)));
    CFLOW_RETURN_IF_ERROR(CheckText(FieldName("resources", i, ".description"),
                                    r.resource_description(i), kMaxShortTextBytes, true));
    CFLOW_RETURN_IF_ERROR(
        CheckText(FieldName("resources", i, ".unit"), r.resource_unit(i), kMaxShortTextBytes));
    if (r.resource_quantity(i) < 0) {
      return absl::InvalidArgumentError(absl::StrCat("resources[", i, "].quantity: must be >= 0"));
    }
    if (r.has_provider(i)) {
      CFLOW_RETURN_IF_ERROR(CheckId(FieldName("resources", i, ".provider"), r.provider_id(i)));
    }
  }

  CFLOW_RETURN_IF_ERROR(CheckCount("milestones", r.milestones(), kMaxMilestones));
  SeenIds milestone_ids;
  for (size_t i = 0; i < r.milestones(); ++i) {
    CFLOW_RETURN_IF_ERROR(CheckId(FieldName("milestones", i, ".id"), r.milestone_id(i)));
    CFLOW_RETURN_IF_ERROR(
        CheckUnique(milestone_ids, FieldName("milestones", i, ".id"), r.milestone_id(i)));
    CFLOW_RETURN_IF_ERROR(CheckText(FieldName("milestones", i, ".name"), r.milestone_name(i),
                                    kMaxShortTextBytes, true));
    const absl::CivilDay date = r.milestone_date(i);
    CFLOW_RETURN_IF_ERROR(CheckYear(FieldName("milestones", i, ".date"), date.year()));
    if (date > deadline) return MilestoneAfterDeadline(i, date, deadline);
  }

  if (r.receivers() == 0) {
    return absl::InvalidArgumentError("receivers: a request needs at least one receiver");
  }
  CFLOW_RETURN_IF_ERROR(CheckCount("receivers", r.receivers(), kMaxReceivers));
  SeenIds receiver_ids;
  for (size_t i = 0; i < r.receivers(); ++i) {
    CFLOW_RETURN_IF_ERROR(CheckId(FieldName("receivers", i, ".id"), r.receiver_id(i)));
    CFLOW_RETURN_IF_ERROR(
        CheckUnique(receiver_ids, FieldName("receivers", i, ".id"), r.receiver_id(i)));
    if (r.is_sign_group(i)) {
      if (r.signers(i) == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("receivers[", i, "].sign_group: names no person"));
      }
      CFLOW_RETURN_IF_ERROR(
          CheckCount(FieldName("receivers", i, ".sign_group"), r.signers(i), kMaxSigners));
      SeenIds signers;
      for (size_t j = 0; j < r.signers(i); ++j) {
        const FieldName g("receivers", i, ".sign_group.person_ids", j, "");
        CFLOW_RETURN_IF_ERROR(CheckId(g, r.signer(i, j)));
        CFLOW_RETURN_IF_ERROR(CheckUnique(signers, g, r.signer(i, j)));
      }
    } else {
      CFLOW_RETURN_IF_ERROR(CheckId(FieldName("receivers", i, ".party_id"), r.party_id(i)));
    }
  }
  return absl::OkStatus();
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REQUEST_REQUEST_CHECKS_H_
