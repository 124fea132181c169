#include "base/library_log.h"

#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"

namespace collabflow {
namespace {

// The callback, shared so that a call in progress keeps the one it started
// with while another thread replaces it.
std::mutex& CallbackMu() {
  static std::mutex* const mu = new std::mutex;
  return *mu;
}
std::shared_ptr<const LogCallback>& Callback() {
  static auto* const callback = new std::shared_ptr<const LogCallback>;
  return *callback;
}

thread_local int library_call_depth = 0;

// The handler before the library's, while the library's is installed.
std::mutex& HandlerMu() {
  static std::mutex* const mu = new std::mutex;
  return *mu;
}
bool handler_installed = false;
google::protobuf::LogHandler* previous_handler = nullptr;

LogLevel FromProtobuf(google::protobuf::LogLevel level) {
  switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
      return LogLevel::kInfo;
    case google::protobuf::LOGLEVEL_WARNING:
      return LogLevel::kWarning;
    default:
      return LogLevel::kError;
  }
}

void ProtobufHandler(google::protobuf::LogLevel level, const char* filename, int line,
                     const std::string& message) {
  if (library_call_depth > 0) {
    internal::Log(FromProtobuf(level),
                  absl::StrCat("libprotobuf ", filename, ":", line, ": ", message));
    return;
  }
  // Not the library's: as if its handler were not there. (Read without the
  // lock: it changes only in CaptureProtobufLog, at start-up.)
  if (previous_handler != nullptr) previous_handler(level, filename, line, message);
}

}  // namespace

void SetLogCallback(LogCallback callback) {
  auto shared = callback ? std::make_shared<const LogCallback>(std::move(callback)) : nullptr;
  std::lock_guard<std::mutex> lock(CallbackMu());
  Callback() = std::move(shared);
}

absl::Status CaptureProtobufLog(bool capture) {
  std::lock_guard<std::mutex> lock(HandlerMu());
  if (capture == handler_installed) return absl::OkStatus();
  if (capture) {
    previous_handler = google::protobuf::SetLogHandler(&ProtobufHandler);
    handler_installed = true;
    return absl::OkStatus();
  }
  google::protobuf::LogHandler* current = google::protobuf::SetLogHandler(previous_handler);
  if (current != &ProtobufHandler) {
    google::protobuf::SetLogHandler(current);  // someone installed theirs after ours
    return absl::FailedPreconditionError(
        "protobuf's log handler was replaced after the library installed its own; left as it is");
  }
  handler_installed = false;
  previous_handler = nullptr;
  return absl::OkStatus();
}

namespace internal {

void Log(LogLevel level, absl::string_view message) {
  std::shared_ptr<const LogCallback> callback;
  {
    std::lock_guard<std::mutex> lock(CallbackMu());
    callback = Callback();
  }
  if (callback != nullptr) (*callback)(level, message);
}

LibraryCallScope::LibraryCallScope() { ++library_call_depth; }
LibraryCallScope::~LibraryCallScope() { --library_call_depth; }

}  // namespace internal
}  // namespace collabflow
