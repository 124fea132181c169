// The I/O layer under the directory store: files, directories, locks. An
// interface so tests can inject faults (fault_injecting_file_system.h).
// DefaultFileSystem() is thread-safe; a WritableFile or ReadableFile is used by
// one thread at a time unless stated. Errors name the path and the errno text;
// ENOSPC maps to RESOURCE_EXHAUSTED.
#ifndef COLLABFLOW_SRC_STORE_FILE_SYSTEM_H_
#define COLLABFLOW_SRC_STORE_FILE_SYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace collabflow {

// Appends at the end of a file it tracks itself (pwrite at Size()).
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Writes all of `data`. On error some prefix of it may have reached the file.
  virtual absl::Status Append(absl::string_view data) = 0;
  // fdatasync: the appended bytes and the size needed to read them are durable.
  virtual absl::Status Sync() = 0;
  // Cuts the file to `size` and continues appending there.
  virtual absl::Status Truncate(uint64_t size) = 0;
  // Bytes in the file as this handle sees them.
  virtual uint64_t Size() const = 0;
  virtual absl::Status Close() = 0;
};

// Positional reads; safe to use from several threads at once.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Reads up to n bytes at offset into scratch; fewer only at end of file.
  virtual absl::StatusOr<size_t> Read(uint64_t offset, size_t n, char* scratch) const = 0;
  virtual absl::StatusOr<uint64_t> Size() const = 0;
  virtual const std::string& path() const = 0;
};

// An exclusive advisory lock, released when destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Creates `path` empty (truncating it if it exists).
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) = 0;
  // Opens an existing file to append at its end. The files opened here and
  // by NewReadableFile are the store's, so a path that names anything but a
  // regular file (a directory in a file's place) is DATA_LOSS.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> OpenAppendableFile(
      const std::string& path) = 0;
  virtual absl::StatusOr<std::unique_ptr<ReadableFile>> NewReadableFile(
      const std::string& path) = 0;
  // File names (not paths) in `dir`, without "." and "..".
  virtual absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  // NOT_FOUND if the directory does not exist.
  virtual absl::Status DirExists(const std::string& dir) = 0;
  virtual absl::Status CreateDir(const std::string& dir) = 0;
  virtual absl::Status RemoveFile(const std::string& path) = 0;
  // Atomically replaces `to`.
  virtual absl::Status RenameFile(const std::string& from, const std::string& to) = 0;
  // fsync of a directory: makes creations, renames and removals in it durable.
  virtual absl::Status SyncDir(const std::string& dir) = 0;
  // fdatasync of an existing file through a handle of its own: the bytes any
  // handle appended to it before the call are durable. Safe while another
  // thread appends through its WritableFile (what that one appends during
  // the call may or may not be made durable).
  virtual absl::Status SyncFile(const std::string& path) = 0;
  // Takes an exclusive lock on `path` (created if missing) without waiting
  // and writes `holder` into the file. On conflict FAILED_PRECONDITION with
  // the current holder's text. flock semantics: a second handle in the same
  // process conflicts too.
  virtual absl::StatusOr<std::unique_ptr<FileLock>> LockFile(const std::string& path,
                                                             absl::string_view holder) = 0;
};

// The POSIX implementation; lives for the whole process.
FileSystem* DefaultFileSystem();

// Reads a whole file.
absl::StatusOr<std::string> ReadWholeFile(FileSystem* fs, const std::string& path);

namespace internal {
// The suffix of a store file being written, before it is renamed into place
// (an open removes those left by a crash).
inline constexpr absl::string_view kTempSuffix = ".tmp";
}  // namespace internal

// Replaces `path`, a file in `dir`, with `bytes`, durably: written as
// <path>.tmp, synced, renamed over `path`, then `dir` synced. On failure
// the temporary file is removed when possible.
absl::Status ReplaceFileDurably(FileSystem* fs, const std::string& dir, const std::string& path,
                                absl::string_view bytes);

// "dir/name".
std::string JoinPath(absl::string_view dir, absl::string_view name);

}  // namespace collabflow

#endif  // COLLABFLOW_SRC_STORE_FILE_SYSTEM_H_
