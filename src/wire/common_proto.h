// Conversions between the shared collabflow.v1 Date and absl::CivilDay.
#ifndef COLLABFLOW_SRC_WIRE_COMMON_PROTO_H_
#define COLLABFLOW_SRC_WIRE_COMMON_PROTO_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "base/field_name.h"
#include "collabflow/v1/common.pb.h"

namespace collabflow::internal {

void ToProto(absl::CivilDay day, v1::Date* out);
// InvalidArgument naming `field` unless the date exists and lies within
// [kMinYear, kMaxYear].
absl::StatusOr<absl::CivilDay> FromProto(const v1::Date& date, const FieldName& field);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_COMMON_PROTO_H_
