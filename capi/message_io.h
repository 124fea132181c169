// Entities across the boundary: decoding a message given as protobuf bytes or
// JSON, and encoding a result the same way into a caller-owned buffer.
#ifndef COLLABFLOW_CAPI_MESSAGE_IO_H_
#define COLLABFLOW_CAPI_MESSAGE_IO_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "collabflow.h"
#include "google/protobuf/message.h"

namespace collabflow::capi {

// The arguments every query shares: InvalidArgument for a NULL out/out_len
// or an unknown format. Checked first, so that misuse is not reported as,
// say, NOT_FOUND.
absl::Status CheckOutputArgs(uint8_t** out, size_t* out_len, cflow_format format);

// Parses `data` (the argument `name`, for messages) as `format` into `out`,
// refusing unknown fields and enum values naming their path.
absl::Status DecodeMessage(cflow_format format, const void* data, size_t len, const char* name,
                           google::protobuf::Message* out);
absl::Status EncodeMessage(const google::protobuf::Message& message, cflow_format format,
                           uint8_t** out, size_t* out_len);

// The message a query answered, encoded; or the query's error.
template <typename Message>
absl::Status EncodeResult(const absl::StatusOr<Message>& result, cflow_format format, uint8_t** out,
                          size_t* out_len) {
  if (!result.ok()) return result.status();
  return EncodeMessage(*result, format, out, out_len);
}

}  // namespace collabflow::capi

#endif  // COLLABFLOW_CAPI_MESSAGE_IO_H_
