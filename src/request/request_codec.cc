#include "collabflow/request_codec.h"

#include "base/status_macros.h"
#include "request/request_proto.h"
#include "wire/proto_io.h"

namespace collabflow {

absl::StatusOr<std::string> EncodeRequest(const CollaborationRequest& request) {
  CFLOW_RETURN_IF_ERROR(ValidateRequest(request));
  v1::CollaborationRequest message;
  internal::ToProto(request, &message);
  return internal::SerializeBinary(message);
}

absl::StatusOr<CollaborationRequest> DecodeRequest(absl::string_view bytes) {
  v1::CollaborationRequest message;
  CFLOW_RETURN_IF_ERROR(internal::ParseBinary(bytes, &message));
  return internal::FromProto(message);
}

absl::StatusOr<std::string> RequestToJson(const CollaborationRequest& request) {
  CFLOW_RETURN_IF_ERROR(ValidateRequest(request));
  v1::CollaborationRequest message;
  internal::ToProto(request, &message);
  return internal::PrintJson(message);
}

absl::StatusOr<CollaborationRequest> RequestFromJson(absl::string_view json) {
  v1::CollaborationRequest message;
  CFLOW_RETURN_IF_ERROR(internal::ParseJson(json, &message));
  return internal::FromProto(message);
}

}  // namespace collabflow
