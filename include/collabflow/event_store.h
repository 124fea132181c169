// The event store: where the engine keeps its history. Thread-safe: every
// method may be called from any number of threads on one EventStore. Appends
// are ordered by a single writer queue (the caller at the head of the queue
// writes for everyone queued behind it, as in LevelDB); readers never block
// writers for longer than it takes to open the files they need.
//
// The store is payload-agnostic: a record is an opaque byte string (the engine
// writes one protobuf batch of events per accepted command), numbered 1, 2, 3,
// ... in append order. Atomicity of a command is atomicity of a record: after
// any crash a record is either wholly present or wholly absent.
//
// Two implementations:
//  - OpenMemoryStore(): records in memory, for tests and ephemeral hosts.
//  - OpenDirectoryStore(dir): the durable default. The directory holds an
//    append-only journal of checksummed segments (journal-<first>.cfj), at
//    most one snapshot (snapshot-<covers>.cfs) and a LOCK file. At open the
//    newest snapshot and every journal record after it are verified; a torn
//    tail (a partial last record, as a crash mid-append leaves it) is cut off
//    and reported in recovery(); any other damage fails the open with
//    DATA_LOSS naming the file and byte offset. Nothing is skipped silently.
#ifndef COLLABFLOW_EVENT_STORE_H_
#define COLLABFLOW_EVENT_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace collabflow {

class FileSystem;  // src/file_system.h: the I/O layer, faultable in tests.

// The largest record Append accepts (RESOURCE_EXHAUSTED beyond). Large
// enough for a whole million-task plan in one record (all or nothing); a
// damaged length cannot make recovery allocate this much, because the length
// is covered by the header checksum and must fit in the file.
inline constexpr size_t kMaxStoreRecordBytes = size_t{1} << 30;

// When Append returns relative to the disk.
enum class Durability {
  // Default. Each Append writes its record and fdatasyncs before returning:
  // an acknowledged command is on disk.
  kSyncEveryCommand,
  // Appends queued while a sync is in flight are written and synced together
  // by one fdatasync; each still returns only once its record is on disk.
  kGroupCommit,
  // Write to the OS, never sync (tests, benchmarks of the write path). A
  // process crash loses nothing; a power loss may lose a suffix of records.
  kNoSync,
};

struct StoreOptions {
  Durability durability = Durability::kSyncEveryCommand;
  // A journal segment is closed and a new one started once it holds at least
  // this many bytes. Compaction after a snapshot removes whole segments.
  uint64_t segment_bytes = uint64_t{64} << 20;
  // Group commit writes at most this many bytes per sync (one larger record
  // is still written alone).
  size_t max_group_bytes = size_t{1} << 20;
  // Create the directory (one level) when it does not exist.
  bool create_if_missing = true;
  // The I/O layer; nullptr means the POSIX one. Not owned; must outlive the
  // store. Tests pass a FaultInjectingFileSystem.
  FileSystem* file_system = nullptr;
};

// What OpenDirectoryStore found and repaired.
struct RecoveryReport {
  // A partial last record was cut off the newest journal segment.
  bool torn_tail_truncated = false;
  uint64_t truncated_bytes = 0;
  // Where the torn tail began (file path and byte offset), when there was one.
  std::string file;
  uint64_t offset = 0;
  // The sequence the snapshot used at open covers (0: none).
  uint64_t snapshot_sequence = 0;
  // Verified journal records after the snapshot.
  uint64_t records_replayed = 0;
  uint64_t last_sequence = 0;
  uint64_t segments = 0;
  // Segments fully covered by the snapshot that an interrupted compaction had
  // left behind, and leftover *.tmp files; both removed at open.
  uint64_t segments_compacted = 0;
  uint64_t temp_files_removed = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends one record; returns its sequence number (1, 2, 3, ...) once it is
  // durable according to the durability mode. RESOURCE_EXHAUSTED if the
  // payload exceeds kMaxStoreRecordBytes. After any I/O failure on the journal
  // (a failed write or fsync) the store is poisoned: this call and every later
  // one fail with FAILED_PRECONDITION naming the first failure, until the
  // store is reopened (which recovers what reached the disk).
  virtual absl::StatusOr<uint64_t> Append(absl::string_view payload) = 0;

  // Append in two phases, for a caller that orders records under its own
  // lock but should not hold that lock while the disk syncs (the engine does
  // this under kGroupCommit, so that concurrent commands share one sync).
  // Enqueue fixes the record's place in the journal order and returns at
  // once (errors as Append, for what can be known then); Wait returns the
  // record's sequence once it is durable according to the durability mode,
  // or the write's error. Append(p) is Wait(Enqueue(p)). Every pending
  // record must be waited for (destroying it waits); Close() waits for them.
  // The default implementation appends in Enqueue.
  class PendingRecord {
   public:
    virtual ~PendingRecord() = default;
  };
  virtual absl::StatusOr<std::unique_ptr<PendingRecord>> Enqueue(std::string payload);
  virtual absl::StatusOr<uint64_t> Wait(std::unique_ptr<PendingRecord> pending);

  // The sequence of the last acknowledged record (0 when empty).
  virtual uint64_t LastSequence() const = 0;

  // Calls `fn` for each record with sequence > after, in order, up to the
  // LastSequence() at the time of the call; stops at the first non-OK status
  // `fn` returns and returns it. FAILED_PRECONDITION if compaction already
  // removed records the range needs (read LatestSnapshot() first); OUT_OF_RANGE
  // if after > LastSequence(); DATA_LOSS (file and offset) if a record no
  // longer verifies. `fn` may call back into the store.
  virtual absl::Status ReadFrom(
      uint64_t after,
      absl::FunctionRef<absl::Status(uint64_t sequence, absl::string_view payload)> fn) const = 0;

  // Durably stores `state`, the fold of every record <= covers, then may
  // remove journal segments whose records are all <= covers. REQUIRES:
  // covers <= LastSequence() (OUT_OF_RANGE otherwise) and covers >= the
  // current snapshot's (FAILED_PRECONDITION otherwise).
  virtual absl::Status WriteSnapshot(uint64_t covers, absl::string_view state) = 0;

  struct Snapshot {
    uint64_t covers = 0;
    std::string state;
  };
  // The newest snapshot, verified (DATA_LOSS if it no longer is); nullopt if
  // none was written.
  virtual absl::StatusOr<std::optional<Snapshot>> LatestSnapshot() const = 0;

  // What the open found; all zero for the memory store.
  virtual const RecoveryReport& recovery() const = 0;

  // Waits for in-flight appends, syncs, releases the lock. Later calls fail
  // with FAILED_PRECONDITION. Called by the destructor (errors dropped), so
  // call it yourself to see them. Idempotent.
  virtual absl::Status Close() = 0;
};

// An empty in-memory store. Snapshots are kept; records are never compacted.
absl::StatusOr<std::unique_ptr<EventStore>> OpenMemoryStore();

// Opens (creating it if allowed) the store in `dir` and recovers it. Only one
// handle may hold a directory at a time, in this process or another:
// FAILED_PRECONDITION naming the holder (pid and host) otherwise.
// DATA_LOSS naming file and offset on any damage other than a torn tail.
absl::StatusOr<std::unique_ptr<EventStore>> OpenDirectoryStore(const std::string& dir,
                                                               const StoreOptions& options = {});

}  // namespace collabflow

#endif  // COLLABFLOW_EVENT_STORE_H_
