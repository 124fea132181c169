// Conversion between CollaborationRequest and collabflow.v1.CollaborationRequest.
#ifndef COLLABFLOW_SRC_REQUEST_REQUEST_PROTO_H_
#define COLLABFLOW_SRC_REQUEST_REQUEST_PROTO_H_

#include "absl/status/statusor.h"
#include "collabflow/request.h"
#include "collabflow/v1/request.pb.h"

namespace collabflow::internal {

void ToProto(const CollaborationRequest& request, v1::CollaborationRequest* out);
// The checks of ValidateRequest on the message itself, without converting
// it, and before them the message's own: unspecified or unknown enum values
// and dates that do not exist are InvalidArgument, naming the field.
absl::Status ValidateRequest(const v1::CollaborationRequest& message);
// Validates the message (as above) and maps it to the domain type.
// Unspecified or unknown enum values are InvalidArgument, naming the field.
absl::StatusOr<CollaborationRequest> FromProto(const v1::CollaborationRequest& message);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REQUEST_REQUEST_PROTO_H_
