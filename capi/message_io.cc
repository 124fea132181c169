#include "message_io.h"

#include "absl/strings/str_cat.h"
#include "boundary.h"
#include "proto_io.h"

namespace collabflow::capi {

namespace {
absl::Status CheckFormat(cflow_format format) {
  if (format != CFLOW_FORMAT_PROTOBUF && format != CFLOW_FORMAT_JSON) {
    return absl::InvalidArgumentError(absl::StrCat("format: unknown value ", format));
  }
  return absl::OkStatus();
}
}  // namespace

absl::Status DecodeMessage(cflow_format format, const void* data, size_t len,
                           google::protobuf::Message* out) {
  if (auto s = CheckFormat(format); !s.ok()) return s;
  absl::string_view input;
  if (auto s = InputBytes(data, len, "input", &input); !s.ok()) return s;
  return format == CFLOW_FORMAT_JSON ? internal::ParseJson(input, out)
                                     : internal::ParseBinary(input, out);
}

absl::Status EncodeMessage(const google::protobuf::Message& message, cflow_format format,
                           void** out, size_t* out_len) {
  if (auto s = CheckFormat(format); !s.ok()) return s;
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out/out_len: NULL pointer");
  }
  std::string bytes;
  if (format == CFLOW_FORMAT_JSON) {
    auto json = internal::PrintJson(message);
    if (!json.ok()) return json.status();
    bytes = std::move(*json);
  } else {
    bytes = internal::SerializeBinary(message);
  }
  uint8_t* buffer = nullptr;
  if (auto s = CopyOut(bytes, &buffer, out_len); !s.ok()) return s;
  *out = buffer;
  return absl::OkStatus();
}

}  // namespace collabflow::capi
