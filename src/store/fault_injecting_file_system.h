// A FileSystem that forwards to another and fails chosen calls: the Nth
// mutating call (or the Nth write, or the Nth sync), once or from then on,
// with EIO, ENOSPC, or a short write (half the bytes land, then EIO). Reads
// are never faulted. It also simulates power loss (SimulatePowerLoss, model
// below). Thread-safe.
//
// The power-loss model. Since it was created (or last lost power) the file
// system remembers what is durable, as LevelDB's FaultInjectionTestEnv does:
//  - File data: a file's bytes up to its size at its last WritableFile::Sync
//    (fdatasync). Later appends are not durable, and neither is a Truncate:
//    the durable bytes it cut come back.
//  - Directory entries: a creation (NewWritableFile of a new name, CreateDir,
//    LockFile creating LOCK), a rename or a removal is durable once its
//    directory has been synced (SyncDir). Syncing a file does not make its
//    name durable. An undone removal brings the file back with its durable
//    bytes; an undone rename moves the file back to its old name and brings
//    back the file it replaced; an undone CreateDir removes the directory
//    with everything in it.
// What a power loss keeps of the rest depends on the PowerLoss mode:
//  - kDropUnsynced (LevelDB's choice): nothing. Every unsynced append,
//    truncation and directory operation is lost.
//  - kKeepSomeUnsynced: in each directory, the unsynced operations in order
//    up to a random point (a journaling file system commits metadata in
//    order; directories are independent of each other); in each file, none,
//    all or a random prefix of the bytes appended since its last sync
//    (nothing if it was truncated since). So a rename not followed by a
//    directory sync may or may not survive, an unacknowledged record may,
//    and a crash can tear a record in two.
// Never modelled: bytes reordered within a file, or a size that survives
// without its data (the zeros or stale blocks ext4 data=writeback may leave
// at the end of a file). File systems that put a file's new size on disk
// only once the data under it is written (ext4 data=ordered, XFS) do not do
// that, and the store reports such damage as DATA_LOSS by design.
//
// Paths are compared as strings (one spelling per file, as the store uses);
// a rename between two directories is UNIMPLEMENTED.
#ifndef COLLABFLOW_SRC_STORE_FAULT_INJECTING_FILE_SYSTEM_H_
#define COLLABFLOW_SRC_STORE_FAULT_INJECTING_FILE_SYSTEM_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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
    kSync,         // WritableFile::Sync, FileSystem::SyncDir and SyncFile only
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

// What a simulated power loss keeps of the writes that were not durable (see
// the model in the file comment).
enum class PowerLoss {
  kDropUnsynced,
  kKeepSomeUnsynced,
};

class FaultInjectingFileSystem final : public FileSystem {
 public:
  // `base` is not owned and must outlive this object; the files and locks
  // this object hands out must be destroyed before it.
  explicit FaultInjectingFileSystem(FileSystem* base);

  // Starts counting from zero under `plan`.
  void Arm(const FaultPlan& plan);
  // No more faults (counting continues).
  void Disarm();
  // Counted calls since Arm, and how many of them were failed.
  uint64_t counted_calls() const;
  uint64_t faults_injected() const;

  // Whether Sync and SyncDir reach the base (default true). Off, they are
  // counted, faulted and tracked as durable without the real fsync: for
  // power-loss loops, where durability is what this object tracks, on disks
  // where an fsync costs milliseconds.
  void set_forward_syncs(bool forward);

  // Power loss: rewrites the base's files into what the model keeps (`seed`
  // draws the random choices of kKeepSomeUnsynced), then treats everything
  // as durable. The crash itself is a persistent fault (Arm with nth = the
  // crash point, kAnyMutation, persistent): nothing after it reaches the
  // files. REQUIRES: every WritableFile and FileLock from this file system is
  // destroyed (FAILED_PRECONDITION otherwise: a dead process holds none).
  absl::Status SimulatePowerLoss(PowerLoss mode, uint64_t seed);

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
  absl::Status SyncFile(const std::string& path) override;
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
  class TrackedFile;  // the WritableFile handed out
  class TrackedLock;  // the FileLock handed out

  // What a power loss would keep of one file written through this object
  // (its inode: it follows the file through renames).
  struct FileState {
    std::string path;           // its current name; empty once removed
    uint64_t size = 0;          // as written
    uint64_t durable_size = 0;  // size at the last Sync
    // Bytes [0, intact) are durable and untouched since the last Sync. When a
    // Truncate cut below durable_size, `cut` holds the durable bytes
    // [intact, durable_size) it removed.
    uint64_t intact = 0;
    std::string cut;
  };

  // A directory operation not yet made durable by SyncDir.
  struct DirOp {
    enum class Kind { kCreate, kMkdir, kRemove, kRename };
    Kind kind;
    std::string name;
    std::string to;                      // kRename: the new name
    std::optional<std::string> content;  // kRemove, kRename: the durable bytes
                                         // of the file removed or replaced
  };

  // Bookkeeping for TrackedFile, after the base call.
  void TrackAppend(FileState* file, uint64_t new_size);
  void TrackSync(FileState* file);
  // Before the base call: saves the durable bytes a truncation would cut.
  absl::Status TrackTruncate(FileState* file, uint64_t new_size);
  void TrackDestroyed();
  bool forward_syncs() const;

  // REQUIRES: mu_ held. The bytes of `path` a power loss now would keep
  // (nullopt if there is no such file).
  absl::StatusOr<std::optional<std::string>> DurableContentLocked(const std::string& path);
  absl::Status UndoLocked(const std::string& dir, const DirOp& op);
  absl::Status WriteBaseFile(const std::string& path, absl::string_view content);

  FileSystem* const base_;
  mutable std::mutex mu_;  // guards the members below
  FaultPlan plan_;
  bool armed_ = false;
  uint64_t counted_ = 0;
  uint64_t injected_ = 0;
  bool forward_syncs_ = true;
  // Files written since the last power loss, by current name; other files are
  // wholly durable.
  std::map<std::string, std::shared_ptr<FileState>> files_;
  // Unsynced operations, by directory.
  std::map<std::string, std::vector<DirOp>> dir_ops_;
  int live_handles_ = 0;  // WritableFiles and FileLocks not yet destroyed
};

}  // namespace collabflow

#endif  // COLLABFLOW_SRC_STORE_FAULT_INJECTING_FILE_SYSTEM_H_
