// Collaboration requests through the C ABI: the collabflow.v1 message parsed
// from JSON or protobuf (unknown fields and enum values refused, as for every
// entity), validated by the engine's own request checks, and given back in
// the other encoding.
#include <string>

#include "base/status_macros.h"
#include "boundary.h"
#include "collabflow.h"
#include "collabflow/v1/request.pb.h"
#include "message_io.h"
#include "request/request_checks.h"
#include "wire/proto_io.h"

namespace {

using collabflow::capi::CopyOut;
using collabflow::capi::DecodeMessage;
using collabflow::capi::Guard;
using collabflow::capi::RequireNonNull;

// The request in `format`, checked: every refusal names the field.
absl::Status ReadRequest(cflow_format format, const void* data, size_t len, const char* name,
                         collabflow::v1::CollaborationRequest* out) {
  CFLOW_RETURN_IF_ERROR(DecodeMessage(format, data, len, name, out));
  return collabflow::internal::ValidateRequest(*out);
}

}  // namespace

extern "C" {

CFLOW_EXPORT cflow_status cflow_request_from_json(uint8_t** out, size_t* out_len, const char* json,
                                                  size_t json_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    collabflow::v1::CollaborationRequest request;
    CFLOW_RETURN_IF_ERROR(ReadRequest(CFLOW_FORMAT_JSON, json, json_len, "json", &request));
    // Deterministic: equal requests give equal bytes.
    return CopyOut(collabflow::internal::SerializeBinary(request), out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_request_to_json(char** out, size_t* out_len, const uint8_t* bytes,
                                                size_t bytes_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    collabflow::v1::CollaborationRequest request;
    CFLOW_RETURN_IF_ERROR(ReadRequest(CFLOW_FORMAT_PROTOBUF, bytes, bytes_len, "bytes", &request));
    CFLOW_ASSIGN_OR_RETURN(std::string json, collabflow::internal::PrintJson(request));
    return CopyOut(json, out, out_len);
  });
}

}  // extern "C"
