// The LOCK file that keeps a store directory to one writer: one handle in one
// process. Thread-safe (stateless function).
#ifndef COLLABFLOW_SRC_STORE_STORE_LOCK_H_
#define COLLABFLOW_SRC_STORE_STORE_LOCK_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "store/file_system.h"

namespace collabflow::internal {

inline constexpr char kLockFileName[] = "LOCK";

// Locks dir/LOCK and records "pid <pid> on host <host>" in it. If another
// handle holds it: FAILED_PRECONDITION "<dir>/LOCK is locked by pid 123 on
// host h; ...". The lock is released when the returned object is destroyed
// (or the process dies).
absl::StatusOr<std::unique_ptr<FileLock>> AcquireStoreLock(FileSystem* fs, const std::string& dir);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_STORE_LOCK_H_
