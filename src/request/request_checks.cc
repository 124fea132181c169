#include "request/request_checks.h"

#include "absl/strings/str_cat.h"

namespace collabflow::internal {

absl::Status CheckUnique(SeenIds& seen, const FieldName& field, absl::string_view id) {
  if (!seen.Insert(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field.ToString(), ": duplicate id \"", id, "\""));
  }
  return absl::OkStatus();
}

absl::Status MilestoneAfterDeadline(size_t index, absl::CivilDay date, absl::CivilDay deadline) {
  return absl::InvalidArgumentError(
      absl::StrCat("milestones[", index, "].date: ", absl::FormatCivilTime(date),
                   " is after the final deadline ", absl::FormatCivilTime(deadline)));
}

}  // namespace collabflow::internal
