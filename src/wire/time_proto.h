// Conversion between absl::Time and google.protobuf.Timestamp.
#ifndef COLLABFLOW_SRC_WIRE_TIME_PROTO_H_
#define COLLABFLOW_SRC_WIRE_TIME_PROTO_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace collabflow::internal {

void ToProto(absl::Time time, google::protobuf::Timestamp* out);
// The instant, truncated to microseconds (sub-microsecond nanos are dropped).
absl::Time FromProto(const google::protobuf::Timestamp& ts);
// InvalidArgument naming `field` unless set, normalized (0 <= nanos < 1e9) and
// within the years kMinYear..kMaxYear (UTC).
absl::StatusOr<absl::Time> CheckedFromProto(const google::protobuf::Timestamp& ts, bool has_value,
                                            absl::string_view field);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_TIME_PROTO_H_
