// The string fields of encoded protobuf bytes checked for valid UTF-8 before
// libprotobuf parses them: libprotobuf refuses a proto3 string that is not
// UTF-8 too, but logs an error for each (to stderr, through its
// process-wide log handler), so bytes from outside are checked here first and
// the answer is a status. Thread-safe (no state).
#ifndef COLLABFLOW_SRC_WIRE_UTF8_FIELDS_H_
#define COLLABFLOW_SRC_WIRE_UTF8_FIELDS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace collabflow::internal {

// InvalidArgument "<Type>: field <path> is not valid UTF-8" for the first
// string field of `bytes` (an encoded `type`, nested messages and map
// entries included) whose value is not UTF-8; OK otherwise, and for bytes
// that are not well-formed (the parser then refuses them, silently).
absl::Status CheckUtf8Fields(const google::protobuf::Descriptor* type, absl::string_view bytes);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_UTF8_FIELDS_H_
