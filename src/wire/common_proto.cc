#include "wire/common_proto.h"

#include "absl/strings/str_format.h"
#include "base/input_checks.h"
#include "base/status_macros.h"

namespace collabflow::internal {

void ToProto(absl::CivilDay day, v1::Date* out) {
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
}

absl::StatusOr<absl::CivilDay> FromProto(const v1::Date& date, const FieldName& field) {
  CFLOW_RETURN_IF_ERROR(CheckYear(field, date.year()));
  const absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalizes (2026-02-30 -> 2026-03-02): a changed field means the
  // date does not exist.
  if (day.month() != date.month() || day.day() != date.day()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: %04d-%02d-%02d is not a date",
                                                      field.ToString(), date.year(), date.month(),
                                                      date.day()));
  }
  return day;
}

}  // namespace collabflow::internal
