// A FileSystem that forwards to another and fails chosen calls: the Nth
// mutating call (or the Nth write, or the Nth sync), once or from then on,
// with EIO, ENOSPC, or a short write (half the bytes land, then EIO). Reads
// are never faulted. Thread-safe.
#ifndef COLLABFLOW_SRC_STORE_FAULT_INJECTING_FILE_SYSTEM_H_
#define COLLABFLOW_SRC_STORE_FAULT_INJECTING_FILE_SYSTEM_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/file_system.h"

namespace collabflow {

struct FaultPlan {
  // Which calls count towards `nth`.
  enum class Calls {
    kAnyMutation,  // create, open-for-append, append, sync, truncate, rename,
                   // remove, mkdir, directory sync, lock
    kWrite,        // WritableFile::Append only
    kSync,         // WritableFile::Sync and FileSystem::SyncDir only
  };
  enum class Effect {
    kIoError,     // EIO, nothing done
    kNoSpace,     // ENOSPC, nothing done
    kShortWrite,  // an Append writes the first half of its bytes, then EIO
  };
  Calls calls = Calls::kAnyMutation;
  Effect effect = Effect::kIoError;
  uint64_t nth = 0;         // 1-based; 0 never faults
  bool persistent = false;  // fail every counted call from the nth on
};

class FaultInjectingFileSystem final : public FileSystem {
 public:
  // `base` is not owned and must outlive this object.
  explicit FaultInjectingFileSystem(FileSystem* base);

  // Starts counting from zero under `plan`.
  void Arm(const FaultPlan& plan);
  // No more faults (counting continues).
  void Disarm();
  // Counted calls since Arm, and how many of them were failed.
  uint64_t counted_calls() const;
  uint64_t faults_injected() const;

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  absl::StatusOr<std::unique_ptr<WritableFile>> OpenAppendableFile(
      const std::string& path) override;
  absl::StatusOr<std::unique_ptr<ReadableFile>> NewReadableFile(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override;
  absl::Status DirExists(const std::string& dir) override;
  absl::Status CreateDir(const std::string& dir) override;
  absl::Status RemoveFile(const std::string& path) override;
  absl::Status RenameFile(const std::string& from, const std::string& to) override;
  absl::Status SyncDir(const std::string& dir) override;
  absl::StatusOr<std::unique_ptr<FileLock>> LockFile(const std::string& path,
                                                     absl::string_view holder) override;

  // The decision for one call: OK to proceed, or the injected error (the
  // effect is returned so an Append can make a short write).
  struct Decision {
    bool fail = false;
    FaultPlan::Effect effect = FaultPlan::Effect::kIoError;
  };
  Decision Count(FaultPlan::Calls kind);
  static absl::Status InjectedError(FaultPlan::Effect effect, absl::string_view what,
                                    absl::string_view path);

 private:
  FileSystem* const base_;
  mutable std::mutex mu_;  // guards the members below
  FaultPlan plan_;
  bool armed_ = false;
  uint64_t counted_ = 0;
  uint64_t injected_ = 0;
};

}  // namespace collabflow

#endif  // COLLABFLOW_SRC_STORE_FAULT_INJECTING_FILE_SYSTEM_H_
