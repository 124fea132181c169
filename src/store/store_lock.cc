#include "store/store_lock.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace collabflow::internal {

absl::StatusOr<std::unique_ptr<FileLock>> AcquireStoreLock(FileSystem* fs, const std::string& dir) {
  char host[256] = "unknown";
  if (::gethostname(host, sizeof(host)) != 0) host[0] = '\0';
  host[sizeof(host) - 1] = '\0';
  const std::string holder = absl::StrCat("pid ", ::getpid(), " on host ", host, "\n");
  return fs->LockFile(JoinPath(dir, kLockFileName), holder);
}

}  // namespace collabflow::internal
