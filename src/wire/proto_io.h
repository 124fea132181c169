// Parsing and printing protobuf messages as binary or JSON, with absl::Status
// errors instead of protobuf's logging. Used by every codec.
#ifndef COLLABFLOW_SRC_WIRE_PROTO_IO_H_
#define COLLABFLOW_SRC_WIRE_PROTO_IO_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace collabflow::internal {

// InvalidArgument naming the message type if the bytes do not parse.
absl::Status ParseBinary(absl::string_view bytes, google::protobuf::Message* out);
// InvalidArgument with the parser's message; unknown fields are refused.
absl::Status ParseJson(absl::string_view json, google::protobuf::Message* out);
// Deterministic serialization (stable map order), so equal states give equal bytes.
std::string SerializeBinary(const google::protobuf::Message& message);
absl::StatusOr<std::string> PrintJson(const google::protobuf::Message& message);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_PROTO_IO_H_
