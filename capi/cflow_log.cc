// Logging calls of the C ABI: the host's callback, and libprotobuf's handler
// on request (collabflow/log.h).
#include <string>

#include "boundary.h"
#include "collabflow.h"
#include "collabflow/log.h"

static_assert(CFLOW_LOG_INFO == static_cast<int>(collabflow::LogLevel::kInfo) &&
              CFLOW_LOG_WARNING == static_cast<int>(collabflow::LogLevel::kWarning) &&
              CFLOW_LOG_ERROR == static_cast<int>(collabflow::LogLevel::kError));

extern "C" {

CFLOW_EXPORT cflow_status cflow_log_set_callback(cflow_log_fn fn, void* payload) {
  return collabflow::capi::Guard([&]() -> absl::Status {
    if (fn == nullptr) {
      collabflow::SetLogCallback(nullptr);
    } else {
      collabflow::SetLogCallback(
          [fn, payload](collabflow::LogLevel level, absl::string_view message) {
            const std::string text(message);
            fn(static_cast<int>(level), text.c_str(), payload);
          });
    }
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_log_capture_protobuf(int capture) {
  return collabflow::capi::Guard(
      [&]() -> absl::Status { return collabflow::CaptureProtobufLog(capture != 0); });
}

}  // extern "C"
