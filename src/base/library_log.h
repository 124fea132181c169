// The library's side of collabflow/log.h: Log() to the host's callback, and
// the scope that marks a thread as running a C ABI call (so libprotobuf's
// messages logged inside it are the library's).
#ifndef COLLABFLOW_SRC_BASE_LIBRARY_LOG_H_
#define COLLABFLOW_SRC_BASE_LIBRARY_LOG_H_

#include "absl/strings/string_view.h"
#include "collabflow/log.h"

namespace collabflow::internal {

// To the host's log callback, if it set one; else dropped. Never stderr.
void Log(LogLevel level, absl::string_view message);

// While one lives on a thread, libprotobuf's messages logged on that thread
// are the library's (when captured, collabflow/log.h). Nests.
class LibraryCallScope {
 public:
  LibraryCallScope();
  ~LibraryCallScope();
  LibraryCallScope(const LibraryCallScope&) = delete;
  LibraryCallScope& operator=(const LibraryCallScope&) = delete;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_LIBRARY_LOG_H_
