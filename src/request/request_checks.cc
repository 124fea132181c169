#include "request/request_checks.h"

#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "base/field_name.h"
#include "base/input_checks.h"
#include "base/seen_ids.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "wire/common_proto.h"

namespace collabflow::internal {
namespace {

absl::Status BadEnum(const FieldName& field, int value) {
  return absl::InvalidArgumentError(
      absl::StrCat(field.ToString(), ": unknown or unspecified enum value ", value));
}

// InvalidArgument "<field>: duplicate id "<id>"" unless `id` is new to `seen`.
absl::Status CheckUnique(SeenIds& seen, const FieldName& field, absl::string_view id) {
  if (!seen.Insert(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field.ToString(), ": duplicate id \"", id, "\""));
  }
  return absl::OkStatus();
}

// The id a party names, whichever kind it is ("" when it names nobody).
absl::string_view PartyId(const v1::PartyRef& p) {
  return p.has_person_id() ? p.person_id() : p.department_id();
}
absl::string_view PartyId(const v1::Receiver& r) {
  return r.has_person_id() ? r.person_id() : r.department_id();
}

// A date that CheckKnownValuesAndDates accepted (it exists and lies in the
// supported years): the day it names.
absl::CivilDay Day(const v1::Date& d) { return absl::CivilDay(d.year(), d.month(), d.day()); }

// What the checks below rely on, in the order of the message's fields:
// enum values this library knows (a resource must say its kind; the other
// enums read UNSPECIFIED as their default), dates that exist, and a receiver
// that names a person, a department or a sign group.
absl::Status CheckKnownValuesAndDates(const v1::CollaborationRequest& m) {
  for (int i = 0; i < m.resources_size(); ++i) {
    const v1::ResourceKind kind = m.resources(i).kind();
    if (kind == v1::RESOURCE_KIND_UNSPECIFIED || !v1::ResourceKind_IsValid(kind)) {
      return BadEnum(FieldName("resources", i, ".kind"), kind);
    }
  }
  for (int i = 0; i < m.milestones_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(
        FromProto(m.milestones(i).date(), FieldName("milestones", i, ".date")).status());
  }
  CFLOW_RETURN_IF_ERROR(FromProto(m.final_deadline(), "final_deadline").status());
  for (int i = 0; i < m.receivers_size(); ++i) {
    const v1::Receiver& r = m.receivers(i);
    if (r.who_case() == v1::Receiver::WHO_NOT_SET) {
      return absl::InvalidArgumentError(
          absl::StrCat("receivers[", i, "]: names no person, department or sign group"));
    }
    if (r.has_sign_group() && !v1::SignRule_IsValid(r.sign_group().rule())) {
      return BadEnum(FieldName("receivers", i, ".sign_group.rule"), r.sign_group().rule());
    }
  }
  if (!v1::Priority_IsValid(m.priority())) return BadEnum("priority", m.priority());
  if (!v1::Complexity_IsValid(m.complexity())) return BadEnum("complexity", m.complexity());
  if (!v1::FinalReviewer_IsValid(m.final_reviewer())) {
    return BadEnum("final_reviewer", m.final_reviewer());
  }
  return absl::OkStatus();
}

// What every list of entities with ids shares: at most `max` entries, and
// each entry's id well-formed and unique in the list; then, entry by entry,
// `check_entry(i, entry)`, which returns the entry's first refusal.
template <typename Entry, typename CheckEntry>
absl::Status CheckList(absl::string_view list,
                       const google::protobuf::RepeatedPtrField<Entry>& entries, size_t max,
                       CheckEntry check_entry) {
  CFLOW_RETURN_IF_ERROR(CheckCount(list, static_cast<size_t>(entries.size()), max));
  SeenIds ids;
  for (int i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries[i];
    CFLOW_RETURN_IF_ERROR(CheckId(FieldName(list, i, ".id"), entry.id()));
    CFLOW_RETURN_IF_ERROR(CheckUnique(ids, FieldName(list, i, ".id"), entry.id()));
    CFLOW_RETURN_IF_ERROR(check_entry(i, entry));
  }
  return absl::OkStatus();
}

absl::Status CheckResources(const v1::CollaborationRequest& m) {
  return CheckList(
      "resources", m.resources(), kMaxResources,
      [](int i, const v1::ResourceNeed& r) -> absl::Status {
        CFLOW_RETURN_IF_ERROR(CheckText(FieldName("resources", i, ".description"), r.description(),
                                        kMaxShortTextBytes, /*required=*/true));
        CFLOW_RETURN_IF_ERROR(
            CheckText(FieldName("resources", i, ".unit"), r.unit(), kMaxShortTextBytes));
        if (r.quantity() < 0) {
          return absl::InvalidArgumentError(
              absl::StrCat("resources[", i, "].quantity: must be >= 0"));
        }
        if (r.provider().party_case() != v1::PartyRef::PARTY_NOT_SET) {
          return CheckId(FieldName("resources", i, ".provider"), PartyId(r.provider()));
        }
        return absl::OkStatus();
      });
}

absl::Status CheckMilestones(const v1::CollaborationRequest& m, absl::CivilDay deadline) {
  return CheckList("milestones", m.milestones(), kMaxMilestones,
                   [deadline](int i, const v1::Milestone& ms) -> absl::Status {
                     CFLOW_RETURN_IF_ERROR(CheckText(FieldName("milestones", i, ".name"), ms.name(),
                                                     kMaxShortTextBytes, /*required=*/true));
                     const absl::CivilDay date = Day(ms.date());
                     if (date > deadline) {
                       return absl::InvalidArgumentError(absl::StrCat(
                           "milestones[", i, "].date: ", absl::FormatCivilTime(date),
                           " is after the final deadline ", absl::FormatCivilTime(deadline)));
                     }
                     return absl::OkStatus();
                   });
}

absl::Status CheckReceivers(const v1::CollaborationRequest& m) {
  if (m.receivers_size() == 0) {
    return absl::InvalidArgumentError("receivers: a request needs at least one receiver");
  }
  return CheckList(
      "receivers", m.receivers(), kMaxReceivers, [](int i, const v1::Receiver& r) -> absl::Status {
        if (!r.has_sign_group()) return CheckId(FieldName("receivers", i, ".party_id"), PartyId(r));
        const auto& signers = r.sign_group().person_ids();
        if (signers.empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat("receivers[", i, "].sign_group: names no person"));
        }
        CFLOW_RETURN_IF_ERROR(CheckCount(FieldName("receivers", i, ".sign_group"),
                                         static_cast<size_t>(signers.size()), kMaxSigners));
        SeenIds seen;
        for (int j = 0; j < signers.size(); ++j) {
          const FieldName g("receivers", i, ".sign_group.person_ids", j, "");
          CFLOW_RETURN_IF_ERROR(CheckId(g, signers[j]));
          CFLOW_RETURN_IF_ERROR(CheckUnique(seen, g, signers[j]));
        }
        return absl::OkStatus();
      });
}

}  // namespace

absl::Status ValidateRequest(const v1::CollaborationRequest& m) {
  CFLOW_RETURN_IF_ERROR(CheckKnownValuesAndDates(m));
  CFLOW_RETURN_IF_ERROR(CheckId("id", m.id()));
  if (m.version() < 1) {
    return absl::InvalidArgumentError(absl::StrCat("version: must be >= 1, got ", m.version()));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("topic", m.topic(), kMaxShortTextBytes, /*required=*/true));
  CFLOW_RETURN_IF_ERROR(CheckText("background", m.background(), kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(CheckText("goal", m.goal(), kMaxLongTextBytes, /*required=*/true));
  CFLOW_RETURN_IF_ERROR(CheckId("initiator_id", m.initiator_id()));
  if (!m.owner_id().empty()) CFLOW_RETURN_IF_ERROR(CheckId("owner_id", m.owner_id()));
  const absl::CivilDay deadline = Day(m.final_deadline());
  for (auto [field, days] :
       {std::pair<const char*, int32_t>{"response_due_working_days", m.response_due_working_days()},
        {"plan_due_working_days", m.plan_due_working_days()}}) {
    if (days < 0 || days > kMaxTimeRuleWorkingDays) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", days, " outside 0..", kMaxTimeRuleWorkingDays));
    }
  }
  CFLOW_RETURN_IF_ERROR(CheckResources(m));
  CFLOW_RETURN_IF_ERROR(CheckMilestones(m, deadline));
  return CheckReceivers(m);
}

}  // namespace collabflow::internal
