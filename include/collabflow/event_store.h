// The event store: where the engine keeps its history. Thread-safe: every
// method may be called from any number of threads on one EventStore. Appends
// are ordered by a single writer queue (the caller at the head of the queue
// writes for everyone queued behind it, as in LevelDB); readers never block
// writers for longer than it takes to open the files they need.
//
// The store is payload-agnostic: a record is an opaque byte string (the engine
// writes one protobuf batch of events per accepted command). Atomicity of a
// command is atomicity of a record: after any crash a record is either wholly
// present or wholly absent.
//
// Streams, versions and positions. Every record belongs to one stream (the
// history of one subject, named by 1 to kMaxStreamNameBytes bytes) and is
// numbered twice: its version in its stream (1, 2, 3, ...) and its position
// in the store (1, 2, 3, ... over every stream: the order in which the store
// committed the records). A writer appends with the version it decided
// against (optimistic concurrency): when the stream has moved on since, the
// append is refused with ABORTED and nothing is written, so the writer reads
// what it missed and decides again. ReadAll reads every stream in position
// order; ReadStream reads one stream's records, and only those.
//
// Two implementations:
//  - OpenMemoryStore(): records in memory, for tests and ephemeral hosts.
//  - OpenDirectoryStore(dir): the durable default. The directory holds an
//    append-only journal of checksummed segments (journal-<first>.cfj), kept
//    whole, at most one snapshot (snapshot-<covers>.cfs), at most one stream
//    index (index-<covers>.cfi: every stream's head and the segments' lengths
//    through a position, written with each snapshot and at a clean Close
//    after appends), the stream snapshots (streams/<SHA-256 of the name>.cfq)
//    and a LOCK file. At open the newest snapshot is
//    verified, and so is every journal record after the stream index's
//    position (every record when there is no valid index, or with
//    verify_whole_journal_on_open); a torn tail (a partial last record, as a
//    crash mid-append leaves it) is cut off and reported in recovery(); any
//    other damage found fails the open with DATA_LOSS naming the file and
//    byte offset. Records the index covers are
//    not read at open: they are verified whenever they are read (ReadAll,
//    ReadStream, and so the engine's verify), so damage there is DATA_LOSS
//    from the read that meets it, not from the open. An index that is
//    damaged, from a future format or disagrees with the segment files is
//    not used (the full scan runs instead, and recovery() says why). Nothing
//    is skipped silently.
//    Journals written by collabflow 0.1 and 0.2 (format 1: one stream,
//    kEngineStream, where a record's version is its position) are read; new
//    records go to segments of today's format.
//  - OpenPostgresStore(uri) (or OpenStore with a postgresql:// URI): the
//    records in a PostgreSQL database, through a module loaded on first use
//    (libcollabflow_pg.so, which alone links libpq). See docs/store.md.
#ifndef COLLABFLOW_EVENT_STORE_H_
#define COLLABFLOW_EVENT_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace collabflow {

class FileSystem;  // src/store/file_system.h: the I/O layer, faultable in tests.

// The one stream of a journal written by collabflow 0.1 or 0.2.
inline constexpr absl::string_view kEngineStream = "engine";
// A stream's name is 1 to kMaxStreamNameBytes bytes (INVALID_ARGUMENT
// otherwise), any bytes.
inline constexpr size_t kMaxStreamNameBytes = 1024;
// As an expected version: append whatever the stream's version is (no
// concurrency check), for writers whose records need no order among them.
inline constexpr uint64_t kAnyVersion = ~uint64_t{0};

// Progress of one pass over a store's records (replaying a store on open,
// verifying its history, exporting an archive, rendering a report), called
// on the reading thread with (records read, records the pass reads) after
// records were read: at most about 100 times per pass, done growing, and with
// done == total when the pass reads to the end (nothing for a pass with
// nothing to read). A non-OK return stops the read, which fails with that
// status (e.g. absl::CancelledError()).
using ReadProgress = std::function<absl::Status(uint64_t done, uint64_t total)>;

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
  // Open reads and verifies every journal record, as before the stream index
  // (the heads are rebuilt by the scan and any stored index is ignored).
  // Off by default: a valid index is trusted for the records it covers, and
  // only the records after it are verified at open (see OpenDirectoryStore).
  bool verify_whole_journal_on_open = false;
  // Open without taking the store's lock, for a process that reads a store
  // another one may be writing (an operator's `collabflow status` beside a
  // running host). Nothing on disk is changed: no directory is created
  // (NOT_FOUND if there is none), no torn tail cut, no leftover removed, no
  // index or manifest written. The open reads up to the last complete
  // record; later records are not seen (open again to see them). Every call
  // that writes (Append, Enqueue, WriteSnapshot, WriteStreamSnapshot) is
  // FAILED_PRECONDITION "... opened read-only". The directory store only
  // (INVALID_ARGUMENT for the others).
  bool read_only = false;
  // A PostgreSQL store: how long to wait for the server to accept a
  // connection (libpq's connect_timeout; it counts at least 2 s), and for
  // any one statement (the session's statement_timeout, in milliseconds).
  // UNAVAILABLE and DEADLINE_EXCEEDED beyond them: a call never hangs on a
  // server that is gone or stuck. Ignored by the other stores.
  uint32_t connect_timeout_seconds = 10;
  uint32_t statement_timeout_ms = 10'000;
};

// What OpenDirectoryStore found and repaired.
struct RecoveryReport {
  // A partial last record was cut off the newest journal segment.
  bool torn_tail_truncated = false;
  uint64_t truncated_bytes = 0;
  // Where the torn tail began (file path and byte offset), when there was one.
  std::string file;
  uint64_t offset = 0;
  // The position the snapshot used at open covers (0: none).
  uint64_t snapshot_position = 0;
  // Journal records after the snapshot verified at open (those the stream
  // index covers are not read at open, so not counted).
  uint64_t records_replayed = 0;
  // Journal records read and verified at open: every record under a full
  // scan; only those after the stream index's position when it was used.
  uint64_t records_scanned = 0;
  // The stream index (index-<position>.cfi) gave the streams' heads through
  // index_position; the records up to there were not read at open.
  bool index_used = false;
  uint64_t index_position = 0;
  // Why an index present on disk was not used (damaged, truncated, from a
  // future format, or disagreeing with the journal files; the heads were
  // then rebuilt by a full scan): its path and the reason. Empty when the
  // index was used, when there was none, or when
  // verify_whole_journal_on_open was set.
  std::string index_rejected;
  uint64_t last_position = 0;
  uint64_t segments = 0;
  uint64_t streams = 0;
  // Leftover *.tmp files (interrupted snapshots and segment creations),
  // removed at open.
  uint64_t temp_files_removed = 0;
};

// A record as a reader sees it. The views are valid during the callback.
struct StoredRecord {
  uint64_t position = 0;
  absl::string_view stream;
  uint64_t version = 0;
  absl::string_view payload;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends `payload` as the next record of `stream`, whose last version the
  // caller saw as `expected_version` (0: the stream is new; kAnyVersion: no
  // check); returns the record's position once it is durable according to
  // the durability mode. ABORTED (nothing written) if the stream's last
  // version is not `expected_version`; INVALID_ARGUMENT for a stream name
  // that is empty or longer than kMaxStreamNameBytes; RESOURCE_EXHAUSTED if
  // the payload exceeds kMaxStoreRecordBytes. After any I/O failure on the journal (a
  // failed write or fsync) the store is poisoned: this call and every later
  // one fail with FAILED_PRECONDITION naming the first failure, until the
  // store is reopened (which recovers what reached the disk).
  virtual absl::StatusOr<uint64_t> Append(absl::string_view stream, uint64_t expected_version,
                                          absl::string_view payload) = 0;

  // Append in two phases, for a caller that orders records under its own
  // lock but should not hold that lock while the disk syncs (the engine does
  // this under kGroupCommit, so that concurrent commands share one sync).
  // Enqueue fixes the record's place in the store's order (its position) and
  // in its stream (the version check happens here, against the records
  // enqueued before) and returns at once (errors as Append, for what can be known then); Wait
  // returns the record's position once it is durable according to the
  // durability mode, or the write's error. Append is Wait(Enqueue(...)).
  // Every pending record must be waited for (destroying it waits); Close()
  // waits for them. The default implementation appends in Enqueue.
  class PendingRecord {
   public:
    virtual ~PendingRecord() = default;
    // The position the record will have once durable (its place is fixed
    // when it is enqueued; if the write fails, it has none).
    uint64_t position() const { return position_; }

   protected:
    void set_position(uint64_t position) { position_ = position; }

   private:
    uint64_t position_ = 0;
  };
  virtual absl::StatusOr<std::unique_ptr<PendingRecord>> Enqueue(absl::string_view stream,
                                                                 uint64_t expected_version,
                                                                 std::string payload);
  virtual absl::StatusOr<uint64_t> Wait(std::unique_ptr<PendingRecord> pending);

  // The position of the last acknowledged record (0 when empty).
  virtual uint64_t LastPosition() const = 0;

  // Calls `fn` for each record with position > after, in order, up to the
  // LastPosition() at the time of the call; stops at the first non-OK status
  // `fn` returns and returns it. FAILED_PRECONDITION if the range starts
  // before a journal that collabflow 0.1 or 0.2 compacted (read
  // LatestSnapshot() first);
  // OUT_OF_RANGE if after > LastPosition(); DATA_LOSS (file and offset) if a
  // record no longer verifies. `fn` may call back into the store.
  virtual absl::Status ReadAll(uint64_t after,
                               absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const = 0;

  // The same for the records of one stream with version > after, in version
  // order, up to the stream's version at the time of the call; a stream
  // without records is found empty (OK, no call). OUT_OF_RANGE if after is
  // past the stream's version. Its cost follows the stream's records read,
  // not the store's.
  virtual absl::Status ReadStream(
      absl::string_view stream, uint64_t after,
      absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const = 0;

  // Durably stores `state`, the fold of every record at a position <= covers,
  // replacing the previous snapshot. The records stay. The directory store
  // also writes its stream index, covering every record acknowledged when
  // the call began (an error if that fails, the snapshot being written).
  // REQUIRES: covers <= LastPosition() (OUT_OF_RANGE otherwise) and covers >= the
  // current snapshot's (FAILED_PRECONDITION otherwise).
  virtual absl::Status WriteSnapshot(uint64_t covers, absl::string_view state) = 0;

  struct Snapshot {
    uint64_t covers = 0;
    std::string state;
    // The snapshot's format: 2, or 1 for one written by collabflow 0.1 or
    // 0.2 (whose state is the engine's format 1).
    uint32_t format = 2;
  };
  // The newest snapshot, verified (DATA_LOSS if it no longer is); nullopt if
  // none was written.
  virtual absl::StatusOr<std::optional<Snapshot>> LatestSnapshot() const = 0;

  // Stream snapshots: what a reader folded from a stream's first `version`
  // records, kept beside the history so that the next reader of the stream
  // reads only the records after them (the engine keeps a long request's
  // record so). Not history: the records stay as they are, a snapshot is
  // written without a sync and a crash may lose it (a later read then finds
  // the one before, or none), and a reader must check that what it reads
  // after one links to it. One per stream; a newer one replaces it.
  //
  // Keeps `state` as the snapshot of `stream` through `version`.
  // INVALID_ARGUMENT for a bad stream name, OUT_OF_RANGE if `version` is 0
  // or past the stream's, RESOURCE_EXHAUSTED past kMaxStoreRecordBytes (a
  // PostgreSQL store keeps at most 64 MiB). The default keeps none (and says
  // OK): a reader then reads the whole stream.
  virtual absl::Status WriteStreamSnapshot(absl::string_view stream, uint64_t version,
                                           absl::string_view state);
  struct StreamSnapshot {
    uint64_t version = 0;
    std::string state;
  };
  // The stream's snapshot; nullopt if none is kept, or if the one kept is
  // past the stream's version (a crash lost records it covered). DATA_LOSS
  // (naming the file) if it is damaged.
  virtual absl::StatusOr<std::optional<StreamSnapshot>> ReadStreamSnapshot(
      absl::string_view stream) const;

  // What the open found; all zero for the memory store.
  virtual const RecoveryReport& recovery() const = 0;

  // Whether other handles, in this process or others, may append to the
  // store while this one is open (a PostgreSQL store): a reader then sees
  // their records by reading past the last position it knows (ReadAll reads
  // up to the position below which every record is final, so none is
  // skipped), and an append decided on an old version is refused with
  // ABORTED. False for the memory and directory stores (one writer).
  virtual bool shared() const { return false; }

  // Wake-ups for a reader that follows the other handles of a shared store:
  // `fn(position)` is called, on a thread of the store's, soon after another
  // handle (in this process or another) appended the record at `position`,
  // and with 0 when wake-ups may have been missed (their connection was lost
  // and is back). A wake-up, not the record: read it with ReadAll. Wake-ups
  // may be merged (one for the last of several appends), and none come
  // while their connection is down, so a follower also reads now and then.
  // `fn` must be quick and must not call into the store. A new `fn`
  // replaces the last; nullptr stops them: once that call returns, no `fn`
  // is running or will run. Close() stops them too. The default (a store no
  // other handle writes) never calls.
  virtual void SetAppendListener(std::function<void(uint64_t position)> fn);

  // Waits for in-flight appends, syncs, writes the directory store's stream
  // index if this handle appended records (so that the next open reads
  // none of them), releases the lock. Later
  // calls fail with FAILED_PRECONDITION. Called by the destructor (errors
  // dropped), so call it yourself to see them: a failed index write is an
  // error too, though every acknowledged record is durable (the next open
  // then scans the journal). Idempotent.
  virtual absl::Status Close() = 0;
};

// An empty in-memory store, with the latest snapshot.
absl::StatusOr<std::unique_ptr<EventStore>> OpenMemoryStore();

// Opens (creating it if allowed) the store in `dir` and recovers it. Only one
// handle may hold a directory at a time, in this process or another:
// FAILED_PRECONDITION naming the holder (pid and host) otherwise.
// DATA_LOSS naming file and offset on any damage other than a torn tail in
// what the open reads (the snapshot, the records after the stream index, the
// segment headers; everything with verify_whole_journal_on_open).
absl::StatusOr<std::unique_ptr<EventStore>> OpenDirectoryStore(const std::string& dir,
                                                               const StoreOptions& options = {});

// True for a "postgresql://" or "postgres://" URI (what OpenStore sends to
// OpenPostgresStore).
bool IsPostgresUri(absl::string_view uri_or_dir);

// Opens the store `uri_or_dir` names: a PostgreSQL URI (IsPostgresUri) opens
// OpenPostgresStore(uri, options); anything else is a directory,
// OpenDirectoryStore(dir, options). Errors as those.
absl::StatusOr<std::unique_ptr<EventStore>> OpenStore(const std::string& uri_or_dir,
                                                      const StoreOptions& options = {});

// Opens (creating its tables on first use) the store in the PostgreSQL
// database `uri` names (a libpq connection URI: postgresql://user@host/db?...).
// The store lives in a module, libcollabflow_pg.so, loaded on the first call
// (so a process that never opens one never loads libpq): from the path in
// $COLLABFLOW_PG_MODULE when set, else from the directory of the library
// holding this function, else from the install libdir. FAILED_PRECONDITION
// naming every path tried when it cannot be loaded (or is of another
// version). UNAVAILABLE naming the server when it cannot be reached within
// options.connect_timeout_seconds; PERMISSION_DENIED when it refuses the
// authentication; INVALID_ARGUMENT for a malformed URI; FAILED_PRECONDITION
// when the database holds a newer collabflow schema than this library knows.
// Any number of handles, in any number of processes and machines, may have
// the same database open (shared() is true): see docs/store.md.
// Durability::kNoSync turns synchronous_commit off for the store's
// sessions; the other modes keep the server's setting.
absl::StatusOr<std::unique_ptr<EventStore>> OpenPostgresStore(const std::string& uri,
                                                              const StoreOptions& options = {});

}  // namespace collabflow

#endif  // COLLABFLOW_EVENT_STORE_H_
