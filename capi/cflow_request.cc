// Collaboration requests through the C ABI: JSON <-> protobuf, validated by
// the C++ domain type on the way.
#include "boundary.h"
#include "collabflow.h"
#include "collabflow/request_codec.h"

using collabflow::capi::CopyOut;
using collabflow::capi::Guard;
using collabflow::capi::InputBytes;

extern "C" {

CFLOW_EXPORT cflow_status cflow_request_from_json(uint8_t** out, size_t* out_len, const char* json,
                                                  size_t json_len) {
  return Guard([&]() -> absl::Status {
    absl::string_view input;
    if (auto s = InputBytes(json, json_len, "json", &input); !s.ok()) return s;
    auto request = collabflow::RequestFromJson(input);
    if (!request.ok()) return request.status();
    auto bytes = collabflow::EncodeRequest(*request);
    if (!bytes.ok()) return bytes.status();
    return CopyOut(*bytes, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_request_to_json(char** out, size_t* out_len, const uint8_t* bytes,
                                                size_t bytes_len) {
  return Guard([&]() -> absl::Status {
    absl::string_view input;
    if (auto s = InputBytes(bytes, bytes_len, "bytes", &input); !s.ok()) return s;
    auto request = collabflow::DecodeRequest(input);
    if (!request.ok()) return request.status();
    auto json = collabflow::RequestToJson(*request);
    if (!json.ok()) return json.status();
    return CopyOut(*json, out, out_len);
  });
}

}  // extern "C"
