// Encoding a CollaborationRequest as collabflow.v1.CollaborationRequest
// protobuf bytes or as its canonical JSON form (proto3 JSON mapping).
//
// Every encode and decode validates (ValidateRequest), so bytes that leave or
// enter through these functions always describe a valid request.
// Thread safety: free functions without shared state.
#ifndef COLLABFLOW_REQUEST_CODEC_H_
#define COLLABFLOW_REQUEST_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/request.h"

namespace collabflow {

absl::StatusOr<std::string> EncodeRequest(const CollaborationRequest& request);
// InvalidArgument if the bytes do not parse or the request is invalid.
absl::StatusOr<CollaborationRequest> DecodeRequest(absl::string_view bytes);

absl::StatusOr<std::string> RequestToJson(const CollaborationRequest& request);
// InvalidArgument if the JSON does not parse (unknown fields are refused) or
// the request is invalid.
absl::StatusOr<CollaborationRequest> RequestFromJson(absl::string_view json);

}  // namespace collabflow

#endif  // COLLABFLOW_REQUEST_CODEC_H_
