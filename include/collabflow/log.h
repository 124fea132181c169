// Where the library's messages go. The library never writes to the host's
// stderr: what goes wrong in a call is that call's status, and what has no
// call to answer (a snapshot written on the engine's own thread that
// failed) goes to the host's log callback, or nowhere if there is none.
// So does, at kError, the reason for the library's only aborts, just
// before them: a broken installation (libcrypto cannot compute SHA-256, a
// built-in calendar's embedded data is invalid).
//
// libprotobuf logs through a handler of its own, process-wide and perhaps
// the host's: the library leaves it alone unless the host asks
// (CaptureProtobufLog). It checks the bytes it parses first (strings must be
// UTF-8) so that bad input does not make libprotobuf log in the first place.
//
// Thread safety: SetLogCallback may be called from any thread, also while
// other threads log; the callback may be called from any thread, and
// concurrently, and must not call back into the library's logging.
// CaptureProtobufLog calls libprotobuf's SetLogHandler, which is not
// thread-safe: call it at start-up, before threads use protobuf.
#ifndef COLLABFLOW_LOG_H_
#define COLLABFLOW_LOG_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace collabflow {

enum class LogLevel { kInfo = 0, kWarning = 1, kError = 2 };

using LogCallback = std::function<void(LogLevel level, absl::string_view message)>;

// Sets the process-wide log callback (an empty one: messages are dropped,
// the default).
void SetLogCallback(LogCallback callback);

// capture = true installs the library's handler in libprotobuf
// (google::protobuf::SetLogHandler): a message libprotobuf logs while a C
// ABI call (cflow_*) runs on that thread goes to the log callback; any other
// (the host's own use of protobuf, or a call through this C++ API, which
// cannot be told from the host's) is passed on to the handler installed
// before, as if the library's were not there. capture = false puts that
// handler back. A second capture, or a release without one, is a no-op.
// FAILED_PRECONDITION if, at the release, another handler was installed
// after the library's (then it stays, and so does the chain to the one
// before).
absl::Status CaptureProtobufLog(bool capture);

}  // namespace collabflow

#endif  // COLLABFLOW_LOG_H_
