// The durable EventStore: a directory with journal segments, a snapshot and a
// LOCK file (formats in journal_format.h and snapshot_file.h).
//
// Streams: every record links to its stream's previous record (position and
// byte offset), so ReadStream walks back from the stream's newest record,
// reading only that stream's records. The store keeps, per stream, its
// version and where its newest record is (streams_, stream_table.h); open rebuilds them from
// the journal, checking each record's version and link against them, or
// takes them from the stream index (stream_index_file.h) and reads only the
// records after it.
//
// Concurrency: appends go through a queue of Writers guarded by mu_. One
// waiting writer at a time is the leader: it takes a group from the front of
// the queue (one record under kSyncEveryCommand; everything queued, up to
// max_group_bytes, otherwise), releases mu_, writes and syncs the group,
// then retakes mu_, publishes the new last position and wakes the group; it
// repeats until its own record is written, then hands leadership to another
// waiting writer. The active segment file and the encoding buffer belong to
// the leader alone. Snapshots are serialized by snapshot_mu_ (always taken
// before mu_). A two-phase append (Enqueue, then Wait) queues its writer
// first and competes for leadership only in Wait; since any waiting writer
// may lead, a record whose owner has not reached Wait yet holds nobody up.
#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/pause_for_waiters.h"
#include "base/status_macros.h"
#include "collabflow/event_store.h"
#include "store/file_system.h"
#include "store/journal_format.h"
#include "store/journal_reader.h"
#include "store/manifest_file.h"
#include "store/record_size.h"
#include "store/snapshot_file.h"
#include "store/store_lock.h"
#include "store/stream_append.h"
#include "store/stream_index_file.h"
#include "store/stream_snapshot_file.h"
#include "store/stream_table.h"

namespace collabflow {
namespace {

using internal::JournalSegmentReader;

using internal::RecordLink;
using internal::StreamState;

struct Segment {
  uint64_t first_position = 0;
  std::string path;
  // Bytes holding acknowledged records (the active segment grows).
  uint64_t committed_size = 0;
  uint32_t format = internal::kJournalFormatVersion;
  uint32_t salt = 0;
};

uint32_t NewSalt() {
  static std::random_device* const rd = new std::random_device();
  static std::mutex* const mu = new std::mutex();
  std::lock_guard<std::mutex> l(*mu);
  uint32_t salt = 0;
  while (salt == 0) salt = (*rd)();  // never 0, so zeroed bytes never pass as a record
  return salt;
}

std::string ParentDir(const std::string& dir) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  const size_t slash = d.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return d.substr(0, slash);
}

class DirectoryStore final : public EventStore {
 public:
  DirectoryStore(std::string dir, const StoreOptions& options)
      : dir_(std::move(dir)),
        options_(options),
        fs_(options.file_system != nullptr ? options.file_system : DefaultFileSystem()) {}
  ~DirectoryStore() override { Close().IgnoreError(); }

  absl::Status Recover();
  bool DirectoryStillThere() const { return fs_->DirExists(dir_).ok(); }

  absl::StatusOr<uint64_t> Append(absl::string_view stream, uint64_t expected_version,
                                  absl::string_view payload) override {
    CFLOW_RETURN_IF_ERROR(internal::CheckStreamName(stream));
    CFLOW_RETURN_IF_ERROR(internal::CheckRecordSize(payload.size()));
    Writer w(payload);
    CFLOW_RETURN_IF_ERROR(EnqueueWriter(&w, stream, expected_version));
    CFLOW_RETURN_IF_ERROR(AwaitWriter(&w));
    return w.frame.position;
  }

  absl::StatusOr<std::unique_ptr<PendingRecord>> Enqueue(absl::string_view stream,
                                                         uint64_t expected_version,
                                                         std::string payload) override {
    CFLOW_RETURN_IF_ERROR(internal::CheckStreamName(stream));
    CFLOW_RETURN_IF_ERROR(internal::CheckRecordSize(payload.size()));
    auto queued = std::make_unique<QueuedRecord>(this, std::move(payload));
    CFLOW_RETURN_IF_ERROR(EnqueueWriter(&queued->writer, stream, expected_version));
    queued->enqueued = true;
    queued->SetPosition(queued->writer.frame.position);
    return std::unique_ptr<PendingRecord>(std::move(queued));
  }

  absl::StatusOr<uint64_t> Wait(std::unique_ptr<PendingRecord> pending) override {
    auto* queued = dynamic_cast<QueuedRecord*>(pending.get());
    if (queued == nullptr || queued->store != this) {
      return absl::InvalidArgumentError("Wait: the pending record is not this store's");
    }
    queued->enqueued = false;
    CFLOW_RETURN_IF_ERROR(AwaitWriter(&queued->writer));
    return queued->writer.frame.position;
  }

  uint64_t LastPosition() const override {
    std::lock_guard<std::mutex> l(mu_);
    return last_position_;
  }

  absl::Status ReadAll(uint64_t after,
                       absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override;
  absl::Status ReadStream(absl::string_view stream, uint64_t after,
                          absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override;

  absl::Status WriteSnapshot(uint64_t covers, absl::string_view state) override;

  absl::StatusOr<std::optional<Snapshot>> LatestSnapshot() const override {
    std::lock_guard<std::mutex> sl(snapshot_mu_);
    std::optional<uint64_t> covers;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (closed_) return ClosedError();
      covers = snapshot_covers_;
    }
    if (!covers.has_value()) return std::optional<Snapshot>();
    uint32_t format = 0;
    absl::StatusOr<std::string> state = internal::ReadSnapshotFile(
        fs_, JoinPath(dir_, internal::SnapshotFileName(*covers)), *covers, &format);
    if (options_.read_only && absl::IsNotFound(state.status())) {
      // The host writing the store replaced it since the open: no snapshot
      // (the reader folds the journal it read from its start).
      return std::optional<Snapshot>();
    }
    CFLOW_RETURN_IF_ERROR(state.status());
    return std::optional<Snapshot>(Snapshot{*covers, *std::move(state), format});
  }

  absl::Status WriteStreamSnapshot(absl::string_view stream, uint64_t version,
                                   absl::string_view state) override;
  absl::StatusOr<std::optional<StreamSnapshot>> ReadStreamSnapshot(
      absl::string_view stream) const override;

  const RecoveryReport& recovery() const override { return report_; }

  absl::Status Close() override {
    std::lock_guard<std::mutex> sl(snapshot_mu_);
    std::unique_lock<std::mutex> l(mu_);
    if (closed_) return absl::OkStatus();
    closed_ = true;
    idle_.wait(l, [this] { return writers_.empty(); });
    absl::Status s;
    if (active_ != nullptr) {
      if (poison_.ok() && options_.durability == Durability::kNoSync) s = active_->Sync();
      s.Update(active_->Close());
      active_.reset();
    }
    // Every acknowledged record is durable now: the next open starts from
    // here. Only a handle that appended writes it (a reader leaves the
    // directory as it found it: a format 1 conversion closes the old store
    // after moving its directory away).
    if (s.ok() && poison_.ok() && last_position_ > opened_at_ && index_covers_ != last_position_) {
      if (std::optional<IndexBytes> index = EncodeIndexLocked()) {
        if (absl::Status is = PublishIndex(*index); !is.ok()) {
          s = absl::Status(is.code(),
                           absl::StrCat("the journal is durable, but writing its stream index "
                                        "failed (the next open scans the journal): ",
                                        is.message()));
        }
      }
    }
    lock_.reset();
    return s;
  }

 private:
  struct Writer {
    explicit Writer(absl::string_view p) : payload(p) {}
    const absl::string_view payload;
    bool done = false;
    bool waiting = false;  // its owner is in AwaitWriter
    absl::Status status;
    // Set when enqueued: its stream and version. Set by the leader: its
    // position, its byte offset, and where its stream's previous record is.
    std::string stream;
    internal::RecordFrame frame;
    uint64_t offset = 0;
    std::condition_variable cv;
  };

  // A record between Enqueue and Wait: it owns its payload; destroying it
  // unwaited waits (a leader may still be writing it).
  struct QueuedRecord final : PendingRecord {
    QueuedRecord(DirectoryStore* s, std::string p)
        : store(s), payload(std::move(p)), writer(payload) {}
    ~QueuedRecord() override {
      if (enqueued) store->AwaitWriter(&writer).IgnoreError();
    }
    void SetPosition(uint64_t position) { set_position(position); }
    DirectoryStore* const store;
    const std::string payload;
    Writer writer;
    bool enqueued = false;
  };

  absl::Status ClosedError() const {
    return absl::FailedPreconditionError(absl::StrCat("store ", dir_, " is closed"));
  }
  // REQUIRES: mu_ held.
  void PoisonLocked(const absl::Status& cause) {
    if (!poison_.ok()) return;
    poison_ = absl::FailedPreconditionError(absl::StrCat(
        "store ", dir_,
        " refuses writes after an I/O failure (reopen it to recover): ", cause.ToString()));
  }

  // Append = EnqueueWriter + AwaitWriter. EnqueueWriter checks the record
  // against the stream and fixes the writer's place in the queue;
  // AwaitWriter returns once a leader (perhaps itself) has written and
  // synced it.
  absl::Status EnqueueWriter(Writer* w, absl::string_view stream, uint64_t expected_version);
  absl::Status AwaitWriter(Writer* w);
  // Leader only, without mu_: writes the group's records (rolling to a new
  // segment first if the active one is full) and syncs when asked.
  // `roll`: start a new segment at first_position before writing.
  absl::Status WriteGroup(const std::vector<Writer*>& group, uint64_t first_position, bool roll,
                          bool sync);
  // Opens the segment holding `position` (as of `segments`, oldest first).
  absl::StatusOr<const Segment*> SegmentFor(const std::vector<Segment>& segments,
                                            uint64_t position) const;
  // Creates segment `first_position` (temp, header, sync, rename, directory
  // sync) and makes it the active one.
  absl::Status StartSegment(uint64_t first_position);

  // The stream index of the acknowledged records: every stream's head and
  // the segments holding them (nullopt while the store is empty).
  // REQUIRES: mu_ held; the records it covers are durable before it is
  // published.
  struct IndexBytes {
    uint64_t covers = 0;
    std::string bytes;
  };
  std::optional<IndexBytes> EncodeIndexLocked() const;
  // The segments holding the acknowledged records, as an index lists them.
  // REQUIRES: mu_.
  std::vector<internal::IndexedSegment> IndexedSegmentsLocked() const;
  // What a stream index at the last position needs: when the streams
  // changed since the index on disk are known (unindexed_), the segments and
  // those streams' heads, to go over that index (BuildIndex); otherwise the
  // whole index, encoded. Starts tracking changes from here. REQUIRES: mu_.
  struct IndexCapture {
    uint64_t covers = 0;
    std::optional<uint64_t> over;  // the index on disk the changes go over
    std::vector<internal::IndexedSegment> segments;
    std::vector<internal::IndexedStream> changed;  // names viewing `names`
    std::optional<IndexBytes> whole;
    std::vector<std::string> names;  // of the streams changed since the last capture
  };
  IndexCapture CaptureIndexLocked();
  // The index's bytes from a capture: the changes over the index on disk
  // read back, or the whole index captured. nullopt while the store is
  // empty, or when the index on disk cannot be read back (then the next
  // capture is whole). REQUIRES: snapshot_mu_, not mu_.
  std::optional<IndexBytes> BuildIndex(IndexCapture& capture);
  // Settles the streams (StreamTable::Settle) a few dozen per hold of mu_,
  // so appends wait for no more. REQUIRES: mu_ not held.
  void SettleStreams(const std::vector<std::string>& names);
  // Notes that the stream changed since the index (for CaptureIndexLocked).
  void NoteUnindexedLocked(const std::string& stream, StreamState& state) {
    if (state.unindexed) return;
    state.unindexed = true;
    unindexed_.push_back(stream);
  }
  // Writes the index durably and removes the previous one. Never poisons the
  // store: a missing or broken index only makes the next open scan more.
  // REQUIRES: snapshot_mu_ held.
  absl::Status PublishIndex(const IndexBytes& index);
  // At open: takes the heads and the segments through the index's position
  // from index-<covers>.cfi if it agrees with the segment files
  // `segment_starts`; `*resume` is the index (in segment_starts) of the
  // segment the scan continues in, at the index's committed size. Any error
  // means the index is not used (the caller scans everything).
  absl::Status LoadIndex(uint64_t covers, const std::vector<uint64_t>& segment_starts,
                         size_t* resume, uint64_t* resume_offset);

  const std::string dir_;
  const StoreOptions options_;
  FileSystem* const fs_;
  std::unique_ptr<FileLock> lock_;
  RecoveryReport report_;

  // std::mutex rather than Abseil's: ThreadSanitizer understands pthread
  // primitives, but not Debian's uninstrumented prebuilt Abseil.
  mutable std::mutex snapshot_mu_;  // taken before mu_
  // One stream snapshot written at a time (their temporary files share
  // names); guards stream_snapshot_dir_. Taken before mu_.
  std::mutex stream_snapshot_mu_;
  bool stream_snapshot_dir_ = false;  // exists
  mutable std::mutex mu_;
  // Guarded by mu_:
  std::deque<Writer*> writers_;
  bool leader_active_ = false;    // a writer is writing groups
  std::condition_variable idle_;  // signalled when writers_ becomes empty
  uint64_t last_position_ = 0;
  uint64_t last_queued_position_ = 0;  // last_position_ and the records queued after it
  std::vector<Segment> segments_;      // oldest first; back() is active
  internal::StreamTable streams_;
  std::optional<uint64_t> snapshot_covers_;
  // Guarded by snapshot_mu_: the position covered by a valid stream index on
  // disk (one this handle wrote or verified at open), and the index file on
  // disk, valid or not, that publishing a new one replaces.
  std::optional<uint64_t> index_covers_;
  std::optional<uint64_t> index_file_;
  // Guarded by mu_: the streams with records after the last index captured
  // (each once: StreamState::unindexed), and whether that index is the one
  // on disk at index_covers_ (false until one is written or verified at
  // open, and after one fails to be written): then an index goes over it.
  std::vector<std::string> unindexed_;
  bool unindexed_follow_index_ = false;
  uint64_t opened_at_ = 0;  // last_position_ after recovery
  // The newest segment the manifest on disk names (0: none yet). The
  // leader's, and Recover's.
  uint64_t manifest_segment_ = 0;
  absl::Status poison_;  // why writes are refused: an I/O failure, or a read-only open
  bool closed_ = false;

  // The leader's (see the file comment).
  std::unique_ptr<WritableFile> active_;
  uint32_t active_salt_ = 0;
  uint64_t active_first_position_ = 0;
  std::string batch_;
};

absl::Status DirectoryStore::EnqueueWriter(Writer* w, absl::string_view stream,
                                           uint64_t expected_version) {
  std::lock_guard<std::mutex> l(mu_);
  if (closed_) return ClosedError();
  if (!poison_.ok()) return poison_;
  StreamState& state = streams_[stream];
  if (absl::Status s = internal::CheckExpectedVersion(stream, expected_version, state.queued);
      !s.ok()) {
    if (state.queued == 0) streams_.Erase(stream);
    return s;
  }
  w->stream = std::string(stream);
  w->frame.version = ++state.queued;
  w->frame.position = ++last_queued_position_;
  writers_.push_back(w);
  return absl::OkStatus();
}

absl::Status DirectoryStore::AwaitWriter(Writer* w) {
  std::unique_lock<std::mutex> l(mu_);
  w->waiting = true;
  w->cv.wait(l, [&] { return w->done || !leader_active_; });
  w->waiting = false;
  if (w->done) return w->status;

  // Leader: writes groups from the front of the queue until w's record is
  // written. Any waiting writer may lead, not only the front one, so a record
  // enqueued by a caller that has not reached Wait yet never holds up those
  // behind it. A poisoned store fails everything queued.
  leader_active_ = true;
  while (!w->done) {
    absl::Status status = poison_;
    std::vector<Writer*> group;
    const uint64_t first_position = last_position_ + 1;
    uint64_t next = first_position;
    const bool sync = options_.durability != Durability::kNoSync;
    uint64_t bytes = 0;
    for (Writer* x : writers_) {
      const uint64_t size = internal::RecordBytes(x->stream.size(), x->payload.size());
      if (status.ok() && !group.empty()) {
        if (options_.durability == Durability::kSyncEveryCommand) break;
        if (bytes + size > options_.max_group_bytes) break;
      }
      bytes += size;
      group.push_back(x);
    }
    // Where each record goes: whole segments only ever sit behind the active
    // one, so a full active segment is closed before the group is written.
    const bool roll = segments_.back().committed_size >= options_.segment_bytes &&
                      first_position > active_first_position_;
    uint64_t offset = roll ? internal::kSegmentHeaderBytes : segments_.back().committed_size;
    if (status.ok()) {
      for (Writer* x : group) {
        StreamState& state = streams_[x->stream];
        ++next;  // x->frame.position, given in queue order when enqueued
        x->frame.previous = state.written;
        x->offset = offset;
        state.written = RecordLink{x->frame.position, offset};
        offset += internal::RecordBytes(x->stream.size(), x->payload.size());
      }
    }

    if (status.ok()) {
      l.unlock();
      status = WriteGroup(group, first_position, roll, sync);
      l.lock();
      if (status.ok()) {
        last_position_ = next - 1;
        segments_.back().committed_size = active_->Size();
        for (const Writer* x : group) {
          StreamState& state = streams_[x->stream];
          state.version = x->frame.version;
          state.newest = RecordLink{x->frame.position, x->offset};
          NoteUnindexedLocked(x->stream, state);
        }
      } else {
        PoisonLocked(status);
      }
    }
    writers_.erase(writers_.begin(), writers_.begin() + static_cast<std::ptrdiff_t>(group.size()));
    for (Writer* x : group) {
      x->status = status;
      x->done = true;
      if (x != w) x->cv.notify_one();
    }
  }
  leader_active_ = false;
  // Hand over to a waiting writer, if any (the next sync starts while the
  // finished group is still waking up).
  if (writers_.empty()) {
    idle_.notify_all();
  } else {
    for (Writer* x : writers_) {
      if (x->waiting) {
        x->cv.notify_one();
        break;
      }
    }
  }
  return w->status;
}

absl::Status DirectoryStore::WriteGroup(const std::vector<Writer*>& group, uint64_t first_position,
                                        bool roll, bool sync) {
  if (roll) {
    // The old segment is durable before the new one exists, even without
    // per-command syncs.
    if (options_.durability == Durability::kNoSync) CFLOW_RETURN_IF_ERROR(active_->Sync());
    CFLOW_RETURN_IF_ERROR(StartSegment(first_position));
  }
  batch_.clear();
  for (const Writer* x : group) {
    internal::AppendRecord(active_salt_, x->frame, x->stream, x->payload, &batch_);
  }
  if (!batch_.empty()) CFLOW_RETURN_IF_ERROR(active_->Append(batch_));
  if (sync) CFLOW_RETURN_IF_ERROR(active_->Sync());
  return absl::OkStatus();
}

absl::Status DirectoryStore::StartSegment(uint64_t first_position) {
  const std::string path = JoinPath(dir_, internal::SegmentFileName(first_position));
  const std::string temp = absl::StrCat(path, internal::kTempSuffix);
  const uint32_t salt = NewSalt();
  {
    std::string header;
    internal::AppendSegmentHeader(salt, first_position, &header);
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, fs_->NewWritableFile(temp));
    CFLOW_RETURN_IF_ERROR(file->Append(header));
    CFLOW_RETURN_IF_ERROR(file->Sync());
    CFLOW_RETURN_IF_ERROR(file->Close());
  }
  CFLOW_RETURN_IF_ERROR(fs_->RenameFile(temp, path));
  CFLOW_RETURN_IF_ERROR(fs_->SyncDir(dir_));
  // Durable, the segment goes in the manifest: the journal must reach it.
  CFLOW_RETURN_IF_ERROR(internal::WriteManifestFile(fs_, dir_, internal::Manifest{first_position}));
  manifest_segment_ = first_position;
  CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, fs_->OpenAppendableFile(path));
  if (active_ != nullptr) CFLOW_RETURN_IF_ERROR(active_->Close());
  active_ = std::move(file);
  active_salt_ = salt;
  active_first_position_ = first_position;
  std::lock_guard<std::mutex> l(mu_);
  segments_.push_back(
      Segment{first_position, path, active_->Size(), internal::kJournalFormatVersion, salt});
  return absl::OkStatus();
}

absl::Status DirectoryStore::ReadAll(
    uint64_t after, absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const {
  struct Source {
    std::shared_ptr<const ReadableFile> file;
    uint64_t first_position;
    uint64_t committed_size;
  };
  std::vector<Source> sources;
  uint64_t last = 0;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    last = last_position_;
    if (after > last) {
      return absl::OutOfRangeError(
          absl::StrCat("ReadAll(after=", after, "): the store's last position is ", last));
    }
    if (after == last) return absl::OkStatus();
    const uint64_t oldest = segments_.front().first_position;
    if (after + 1 < oldest) {
      // Only a journal written by collabflow 0.1 or 0.2 may have been
      // compacted into a snapshot.
      return absl::FailedPreconditionError(
          absl::StrCat("ReadAll(after=", after, "): records ", after + 1, "..", oldest - 1,
                       " were compacted into the snapshot covering ", snapshot_covers_.value_or(0),
                       "; read LatestSnapshot() and then from its position"));
    }
    for (size_t i = 0; i < segments_.size(); ++i) {
      if (i + 1 < segments_.size() && segments_[i + 1].first_position <= after + 1) continue;
      CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<ReadableFile> file,
                             fs_->NewReadableFile(segments_[i].path));
      sources.push_back(
          Source{std::move(file), segments_[i].first_position, segments_[i].committed_size});
    }
  }
  uint64_t expected = after + 1;
  for (const Source& source : sources) {
    CFLOW_ASSIGN_OR_RETURN(
        std::unique_ptr<JournalSegmentReader> reader,
        JournalSegmentReader::Open(source.file, source.first_position, source.committed_size));
    while (expected <= last) {
      CFLOW_ASSIGN_OR_RETURN(const JournalSegmentReader::Result r, reader->Next());
      if (r == JournalSegmentReader::Result::kEnd) break;
      if (r == JournalSegmentReader::Result::kTornTail) {
        return absl::DataLossError(absl::StrCat(reader->path(), " at offset ",
                                                reader->end_of_records(),
                                                ": acknowledged record is incomplete"));
      }
      if (reader->position() < expected) continue;
      CFLOW_RETURN_IF_ERROR(fn(StoredRecord{reader->position(), reader->stream(),
                                            reader->frame().version, reader->payload()}));
      ++expected;
    }
  }
  if (expected <= last) {
    return absl::DataLossError(absl::StrCat("journal in ", dir_, " ends at position ", expected - 1,
                                            ", expected records through ", last));
  }
  return absl::OkStatus();
}

absl::StatusOr<const Segment*> DirectoryStore::SegmentFor(const std::vector<Segment>& segments,
                                                          uint64_t position) const {
  auto it = std::upper_bound(
      segments.begin(), segments.end(), position,
      [](uint64_t p, const Segment& segment) { return p < segment.first_position; });
  if (position == 0 || it == segments.begin()) {
    return absl::DataLossError(absl::StrCat("journal in ", dir_, ": a stream links to record ",
                                            position, ", which no segment holds"));
  }
  return &*std::prev(it);
}

absl::Status DirectoryStore::ReadStream(
    absl::string_view stream, uint64_t after,
    absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const {
  std::vector<Segment> segments;
  StreamState head;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    if (std::optional<StreamState> found = streams_.Find(stream)) head = *found;
    if (after > head.version) {
      return absl::OutOfRangeError(absl::StrCat("ReadStream(\"", stream, "\", after=", after,
                                                "): the stream is at version ", head.version));
    }
    if (after == head.version) return absl::OkStatus();
    segments = segments_;  // a copy: the list grows while we read
  }
  // Files are opened once each; segments are never removed while the store
  // is open.
  std::vector<std::shared_ptr<const ReadableFile>> files(segments.size());
  auto file_of =
      [&](const Segment* segment) -> absl::StatusOr<std::shared_ptr<const ReadableFile>> {
    std::shared_ptr<const ReadableFile>& file = files[segment - segments.data()];
    if (file == nullptr) {
      CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<ReadableFile> opened,
                             fs_->NewReadableFile(segment->path));
      file = std::move(opened);
    }
    return file;
  };

  // Walk back from the newest record to the first one after `after`, reading
  // headers only. A format 1 segment holds only kEngineStream, whose version
  // there is the position: from there on back, the records are read in order.
  struct Found {
    const Segment* segment;
    RecordLink at;
  };
  std::vector<Found> found;
  RecordLink link = head.newest;
  uint64_t version = head.version;
  uint64_t legacy_through = 0;  // read records after..legacy_through from format 1 segments
  while (version > after) {
    CFLOW_ASSIGN_OR_RETURN(const Segment* segment, SegmentFor(segments, link.position));
    if (segment->format == internal::kJournalFormatVersion1) {
      legacy_through = version;
      break;
    }
    CFLOW_ASSIGN_OR_RETURN(const std::shared_ptr<const ReadableFile> file, file_of(segment));
    CFLOW_ASSIGN_OR_RETURN(const internal::JournalRecord record,
                           internal::ReadJournalRecordAt(*file, segment->salt, link.offset,
                                                         link.position, /*header_only=*/true));
    if (record.frame.version != version) {
      return absl::DataLossError(absl::StrCat(file->path(), " at offset ", link.offset, ": record ",
                                              link.position, " has version ", record.frame.version,
                                              " of stream \"", stream, "\", expected ", version));
    }
    found.push_back(Found{segment, link});
    link = record.frame.previous;
    --version;
  }
  if (legacy_through > 0) {
    uint64_t expected = after + 1;
    for (const Segment& segment : segments) {
      if (segment.format != internal::kJournalFormatVersion1 || expected > legacy_through) break;
      if (&segment != &segments.back() && (&segment + 1)->first_position <= expected) continue;
      CFLOW_ASSIGN_OR_RETURN(std::shared_ptr<const ReadableFile> file, file_of(&segment));
      CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<JournalSegmentReader> reader,
                             JournalSegmentReader::Open(std::move(file), segment.first_position,
                                                        segment.committed_size));
      while (expected <= legacy_through) {
        CFLOW_ASSIGN_OR_RETURN(const JournalSegmentReader::Result r, reader->Next());
        if (r != JournalSegmentReader::Result::kRecord) break;
        if (reader->position() < expected) continue;
        CFLOW_RETURN_IF_ERROR(fn(StoredRecord{reader->position(), kEngineStream, reader->position(),
                                              reader->payload()}));
        ++expected;
      }
    }
    if (expected <= legacy_through) {
      return absl::DataLossError(absl::StrCat("journal in ", dir_, ": records ", expected, "..",
                                              legacy_through, " of stream \"", stream,
                                              "\" are missing"));
    }
  }
  for (auto it = found.rbegin(); it != found.rend(); ++it) {
    CFLOW_ASSIGN_OR_RETURN(const std::shared_ptr<const ReadableFile> file, file_of(it->segment));
    CFLOW_ASSIGN_OR_RETURN(const internal::JournalRecord record,
                           internal::ReadJournalRecordAt(*file, it->segment->salt, it->at.offset,
                                                         it->at.position, /*header_only=*/false));
    if (record.stream != stream) {
      return absl::DataLossError(absl::StrCat(
          file->path(), " at offset ", it->at.offset, ": record ", it->at.position,
          " is in stream \"", record.stream, "\", linked from stream \"", stream, "\""));
    }
    CFLOW_RETURN_IF_ERROR(
        fn(StoredRecord{it->at.position, stream, record.frame.version, record.payload}));
  }
  return absl::OkStatus();
}

absl::Status DirectoryStore::WriteSnapshot(uint64_t covers, absl::string_view state) {
  std::lock_guard<std::mutex> sl(snapshot_mu_);
  // The stream index goes with the snapshot, covering the records
  // acknowledged now (durable by the time it is written: under kNoSync the
  // sync below makes them so). Under the lock only the streams changed
  // since the last index are copied out (appends wait for no more); the
  // index is built over the last one after.
  std::optional<IndexCapture> capture;
  std::string active_segment;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    if (!poison_.ok()) return poison_;
    if (covers > last_position_) {
      return absl::OutOfRangeError(absl::StrCat("WriteSnapshot: covers=", covers,
                                                " is past the last position ", last_position_));
    }
    if (snapshot_covers_.has_value() && covers < *snapshot_covers_) {
      return absl::FailedPreconditionError(absl::StrCat("WriteSnapshot: covers=", covers,
                                                        " is older than the current snapshot's ",
                                                        *snapshot_covers_));
    }
    if (index_covers_ != last_position_) capture = CaptureIndexLocked();
    if (!segments_.empty()) active_segment = segments_.back().path;
  }
  if (options_.durability == Durability::kNoSync && !active_segment.empty()) {
    // The snapshot must never cover records the disk might not have. Older
    // segments were synced when the next one began; the active one is
    // synced through a handle of its own, so appends go on meanwhile.
    if (absl::Status s = fs_->SyncFile(active_segment); !s.ok()) {
      std::lock_guard<std::mutex> l(mu_);
      PoisonLocked(s);  // what the journal's sync failed on is unknown
      if (capture.has_value()) unindexed_follow_index_ = false;
      return s;
    }
  }
  bool disk_state_unknown = false;
  if (absl::Status s = internal::WriteSnapshotFile(fs_, dir_, covers, state, &disk_state_unknown);
      !s.ok()) {
    std::lock_guard<std::mutex> l(mu_);
    if (disk_state_unknown) PoisonLocked(s);
    // The changes captured reach no index: the next one is whole.
    if (capture.has_value()) unindexed_follow_index_ = false;
    return s;
  }
  // The journal is kept whole (it is the history); only the previous
  // snapshot goes.
  std::optional<std::string> doomed;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (snapshot_covers_.has_value() && *snapshot_covers_ != covers) {
      doomed = JoinPath(dir_, internal::SnapshotFileName(*snapshot_covers_));
    }
    snapshot_covers_ = covers;
  }
  if (doomed.has_value()) {
    absl::Status s = fs_->RemoveFile(*doomed);
    if (absl::Status sync = fs_->SyncDir(dir_); !sync.ok()) {
      std::lock_guard<std::mutex> l(mu_);
      PoisonLocked(sync);
      s.Update(sync);
    }
    if (!s.ok()) {
      std::lock_guard<std::mutex> l(mu_);
      if (capture.has_value()) unindexed_follow_index_ = false;
      return absl::Status(s.code(), absl::StrCat("snapshot covering ", covers,
                                                 " is written, but removing the previous one "
                                                 "failed: ",
                                                 s.message()));
    }
  }
  std::optional<IndexBytes> index;
  std::vector<std::string> settle;
  if (capture.has_value()) {
    index = BuildIndex(*capture);
    settle = std::move(capture->names);
  }
  // The streams changed since the last index are packed again once idle
  // (stream_table.h), whether or not this index is written: one that is
  // not makes the next whole.
  SettleStreams(settle);
  if (index.has_value()) {
    absl::Status s = PublishIndex(*index);
    if (!s.ok()) {
      std::lock_guard<std::mutex> l(mu_);
      unindexed_follow_index_ = false;  // the changes captured are in no index
    }
    if (!s.ok()) {
      return absl::Status(s.code(), absl::StrCat("snapshot covering ", covers,
                                                 " is written, but the stream index was not "
                                                 "(the next open scans more of the journal): ",
                                                 s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status DirectoryStore::WriteStreamSnapshot(absl::string_view stream, uint64_t version,
                                                 absl::string_view state) {
  CFLOW_RETURN_IF_ERROR(internal::CheckStreamName(stream));
  CFLOW_RETURN_IF_ERROR(internal::CheckRecordSize(state.size()));
  std::lock_guard<std::mutex> one_at_a_time(stream_snapshot_mu_);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    if (!poison_.ok()) return poison_;
    const std::optional<StreamState> found = streams_.Find(stream);
    CFLOW_RETURN_IF_ERROR(internal::CheckStreamSnapshotVersion(
        stream, version, found.has_value() ? found->version : 0));
  }
  if (!stream_snapshot_dir_) {
    const std::string sub = JoinPath(dir_, internal::kStreamSnapshotDir);
    if (!fs_->DirExists(sub).ok()) CFLOW_RETURN_IF_ERROR(fs_->CreateDir(sub));
    stream_snapshot_dir_ = true;
  }
  return internal::WriteStreamSnapshotFile(fs_, dir_, stream, version, state);
}

absl::StatusOr<std::optional<EventStore::StreamSnapshot>> DirectoryStore::ReadStreamSnapshot(
    absl::string_view stream) const {
  CFLOW_RETURN_IF_ERROR(internal::CheckStreamName(stream));
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
  }
  CFLOW_ASSIGN_OR_RETURN(std::optional<StreamSnapshot> snapshot,
                         internal::ReadStreamSnapshotFile(fs_, dir_, stream));
  if (!snapshot.has_value()) return snapshot;
  std::lock_guard<std::mutex> l(mu_);
  const std::optional<StreamState> found = streams_.Find(stream);
  // Past the stream: a crash lost records it covered (kNoSync).
  if (snapshot->version == 0 || !found.has_value() || snapshot->version > found->version) {
    return std::nullopt;
  }
  return snapshot;
}

void DirectoryStore::SettleStreams(const std::vector<std::string>& names) {
  constexpr size_t kPerHold = 32;
  for (size_t i = 0; i < names.size();) {
    if (i > 0) internal::PauseForWaiters();
    std::lock_guard<std::mutex> l(mu_);
    for (const size_t end = std::min(names.size(), i + kPerHold); i < end; ++i) {
      streams_.Settle(names[i]);
    }
  }
}

std::vector<internal::IndexedSegment> DirectoryStore::IndexedSegmentsLocked() const {
  std::vector<internal::IndexedSegment> out;
  for (const Segment& segment : segments_) {
    // A segment just started for records not yet acknowledged holds none of
    // those acknowledged.
    if (segment.first_position > last_position_) break;
    out.push_back(internal::IndexedSegment{segment.first_position, segment.format, segment.salt,
                                           segment.committed_size});
  }
  return out;
}

std::optional<DirectoryStore::IndexBytes> DirectoryStore::EncodeIndexLocked() const {
  if (last_position_ == 0) return std::nullopt;
  internal::StreamIndexBuilder builder(last_position_);
  for (const internal::IndexedSegment& segment : IndexedSegmentsLocked()) {
    builder.AddSegment(segment);
  }
  streams_.ForEach([&](absl::string_view name, uint64_t version, const RecordLink& newest) {
    builder.AddStream(name, version, newest);
  });
  return IndexBytes{last_position_, builder.Finish()};
}

DirectoryStore::IndexCapture DirectoryStore::CaptureIndexLocked() {
  IndexCapture capture;
  capture.covers = last_position_;
  const bool follows = unindexed_follow_index_ && index_covers_.has_value();
  if (follows) {
    capture.over = index_covers_;
    capture.segments = IndexedSegmentsLocked();
    capture.changed.reserve(unindexed_.size());
  }
  capture.names = std::move(unindexed_);
  unindexed_.clear();
  for (const std::string& name : capture.names) {
    StreamState& state = streams_[name];
    state.unindexed = false;
    if (follows && state.version > 0) {
      capture.changed.push_back(internal::IndexedStream{name, state.version, state.newest});
    }
  }
  if (!follows) capture.whole = EncodeIndexLocked();
  // The next capture goes over this one, once it is on disk.
  unindexed_follow_index_ = true;
  return capture;
}

std::optional<DirectoryStore::IndexBytes> DirectoryStore::BuildIndex(IndexCapture& capture) {
  if (!capture.over.has_value()) return std::move(capture.whole);
  absl::StatusOr<internal::StreamIndex> over = internal::ReadStreamIndexFile(
      fs_, JoinPath(dir_, internal::StreamIndexFileName(*capture.over)), *capture.over);
  if (!over.ok()) {
    // No index this time (it would have to cover records that may not be
    // durable yet); the next one is whole.
    std::lock_guard<std::mutex> l(mu_);
    unindexed_follow_index_ = false;
    return std::nullopt;
  }
  absl::flat_hash_map<absl::string_view, size_t> at;
  at.reserve(over->streams.size() + capture.changed.size());
  for (size_t i = 0; i < over->streams.size(); ++i) at.emplace(over->streams[i].name, i);
  std::vector<internal::IndexedStream> added;
  for (const internal::IndexedStream& stream : capture.changed) {
    if (auto it = at.find(stream.name); it != at.end()) {
      over->streams[it->second].version = stream.version;
      over->streams[it->second].newest = stream.newest;
    } else {
      added.push_back(stream);
    }
  }
  internal::StreamIndexBuilder builder(capture.covers);
  for (const internal::IndexedSegment& segment : capture.segments) builder.AddSegment(segment);
  for (const internal::IndexedStream& stream : over->streams) {
    builder.AddStream(stream.name, stream.version, stream.newest);
  }
  for (const internal::IndexedStream& stream : added) {
    builder.AddStream(stream.name, stream.version, stream.newest);
  }
  return IndexBytes{capture.covers, builder.Finish()};
}

absl::Status DirectoryStore::PublishIndex(const IndexBytes& index) {
  CFLOW_RETURN_IF_ERROR(internal::WriteStreamIndexFile(fs_, dir_, index.covers, index.bytes));
  const std::optional<uint64_t> previous = index_file_;
  index_file_ = index.covers;
  index_covers_ = index.covers;
  if (previous.has_value() && *previous != index.covers) {
    CFLOW_RETURN_IF_ERROR(
        fs_->RemoveFile(JoinPath(dir_, internal::StreamIndexFileName(*previous))));
    CFLOW_RETURN_IF_ERROR(fs_->SyncDir(dir_));
  }
  return absl::OkStatus();
}

absl::Status DirectoryStore::LoadIndex(uint64_t covers, const std::vector<uint64_t>& segment_starts,
                                       size_t* resume, uint64_t* resume_offset) {
  const std::string path = JoinPath(dir_, internal::StreamIndexFileName(covers));
  CFLOW_ASSIGN_OR_RETURN(internal::StreamIndex index,
                         internal::ReadStreamIndexFile(fs_, path, covers));
  const auto disagree = [&](absl::string_view what) {
    return absl::FailedPreconditionError(absl::StrCat(path, " disagrees with the journal: ", what));
  };
  const size_t n = index.segments.size();
  if (n == 0) return disagree("it names no segment");
  if (n > segment_starts.size()) {
    return disagree(
        absl::StrCat("it names ", n, " segments, the directory holds ", segment_starts.size()));
  }
  // Each segment it names is there, with the same header, and as long as it
  // says (an older one exactly: only the newest one it names may have grown).
  std::vector<Segment> segments;
  segments.reserve(n);
  std::shared_ptr<ReadableFile> last_file;
  for (size_t k = 0; k < n; ++k) {
    const internal::IndexedSegment& named = index.segments[k];
    if (segment_starts[k] != named.first_position) {
      return disagree(absl::StrCat("its segment ", k + 1, " starts at position ",
                                   named.first_position, ", the directory's at ",
                                   segment_starts[k]));
    }
    const std::string segment_path =
        JoinPath(dir_, internal::SegmentFileName(named.first_position));
    CFLOW_ASSIGN_OR_RETURN(std::shared_ptr<ReadableFile> file, fs_->NewReadableFile(segment_path));
    CFLOW_ASSIGN_OR_RETURN(const uint64_t size, file->Size());
    const bool last = k + 1 == n;
    if (last ? size < named.committed_size : size != named.committed_size) {
      return disagree(absl::StrCat(segment_path, " holds ", size, " bytes, the index says ",
                                   last ? "at least " : "", named.committed_size));
    }
    char header_bytes[internal::kSegmentHeaderBytes];
    CFLOW_ASSIGN_OR_RETURN(const size_t got,
                           file->Read(0, internal::kSegmentHeaderBytes, header_bytes));
    std::string why;
    const std::optional<internal::SegmentHeader> header = internal::ParseSegmentHeader(
        absl::string_view(header_bytes, got == internal::kSegmentHeaderBytes ? got : 0), &why);
    if (!header.has_value() || header->format != named.format || header->salt != named.salt ||
        header->first_position != named.first_position) {
      return disagree(absl::StrCat(segment_path, " has another header than the index says",
                                   why.empty() ? "" : absl::StrCat(" (", why, ")")));
    }
    segments.push_back(Segment{named.first_position, segment_path, named.committed_size,
                               named.format, named.salt});
    if (last) last_file = std::move(file);
  }

  // The heads: each in a segment, inside what the index covers; one of them
  // is the record at `covers`, and every record is counted once.
  internal::StreamTable streams;
  streams.ReserveSettled(index.streams.size(), index.name_bytes);
  uint64_t versions = 0;
  std::optional<internal::IndexedStream> at_covers;
  for (const internal::IndexedStream& head : index.streams) {
    if (head.newest.position < segments.front().first_position) {
      return disagree(absl::StrCat("a stream's newest record is ", head.newest.position,
                                   ", before the journal's first"));
    }
    CFLOW_ASSIGN_OR_RETURN(const Segment* segment, SegmentFor(segments, head.newest.position));
    if (head.newest.offset >= segment->committed_size) {
      return disagree(absl::StrCat("record ", head.newest.position, " at offset ",
                                   head.newest.offset, " is past the end of ", segment->path));
    }
    if (head.version > covers - versions) {
      return disagree(absl::StrCat("its streams hold more than ", covers, " records"));
    }
    versions += head.version;
    if (head.newest.position == covers) {
      if (at_covers.has_value()) return disagree(absl::StrCat("two streams end at ", covers));
      at_covers = head;
    }
    if (!streams.AddSettled(head.name, head.version, head.newest)) {
      return disagree("it names a stream twice");
    }
  }
  if (versions != covers) {
    return disagree(absl::StrCat("its streams hold ", versions, " records, not ", covers));
  }
  if (!at_covers.has_value()) return disagree(absl::StrCat("no stream ends at ", covers));
  // The record at `covers` is where the index says, whole, and ends the
  // bytes it covers: the scan resumes right after it.
  const Segment& tail = segments.back();
  if (tail.format == internal::kJournalFormatVersion) {
    CFLOW_ASSIGN_OR_RETURN(
        const internal::JournalRecord record,
        internal::ReadJournalRecordAt(*last_file, tail.salt, at_covers->newest.offset, covers,
                                      /*header_only=*/false));
    if (record.stream != at_covers->name || record.frame.version != at_covers->version ||
        at_covers->newest.offset +
                internal::RecordBytes(record.stream.size(), record.payload.size()) !=
            tail.committed_size) {
      return disagree(absl::StrCat("record ", covers, " in ", tail.path,
                                   " is not the stream's newest the index names"));
    }
  }
  streams_ = std::move(streams);
  *resume = n - 1;
  *resume_offset = tail.committed_size;
  segments.pop_back();  // the scan reads on from there
  segments_ = std::move(segments);
  return absl::OkStatus();
}

absl::Status DirectoryStore::Recover() {
  const bool read_only = options_.read_only;
  if (absl::Status exists = fs_->DirExists(dir_); !exists.ok()) {
    if (!absl::IsNotFound(exists)) return exists;
    if (read_only) {
      return absl::NotFoundError(
          absl::StrCat("store directory ", dir_, " does not exist (opened read-only)"));
    }
    if (!options_.create_if_missing) {
      return absl::NotFoundError(
          absl::StrCat("store directory ", dir_, " does not exist (create_if_missing is off)"));
    }
    CFLOW_RETURN_IF_ERROR(fs_->CreateDir(dir_));
    CFLOW_RETURN_IF_ERROR(fs_->SyncDir(ParentDir(dir_)));
  }
  // A read-only open takes no lock: a host may be writing the store.
  if (!read_only) {
    CFLOW_ASSIGN_OR_RETURN(lock_, internal::AcquireStoreLock(fs_, dir_));
  }

  // The manifest, read before the directory is listed: a host writing the
  // store (a read-only open takes no lock) names a segment only once it
  // exists, so every segment it names is in the listing.
  CFLOW_ASSIGN_OR_RETURN(const std::optional<internal::Manifest> manifest,
                         internal::ReadManifestFile(fs_, dir_));
  CFLOW_ASSIGN_OR_RETURN(const std::vector<std::string> names, fs_->ListDir(dir_));
  std::vector<uint64_t> segment_starts;
  std::vector<uint64_t> snapshots;
  std::vector<uint64_t> indexes;
  // Superseded files are removed only once everything else verified, so a
  // failed open leaves the directory exactly as it found it.
  std::vector<std::string> superseded;
  for (const std::string& name : names) {
    if (absl::EndsWith(name, internal::kTempSuffix) &&
        (absl::StartsWith(name, "journal-") || absl::StartsWith(name, "snapshot-") ||
         absl::StartsWith(name, "index-") || absl::StartsWith(name, "manifest"))) {
      // An interrupted segment creation, snapshot, index or manifest: never
      // renamed, never used.
      superseded.push_back(JoinPath(dir_, name));
      if (!read_only) ++report_.temp_files_removed;
    } else if (auto first = internal::ParseSegmentFileName(name)) {
      segment_starts.push_back(*first);
    } else if (auto covers = internal::ParseSnapshotFileName(name)) {
      snapshots.push_back(*covers);
    } else if (auto indexed = internal::ParseStreamIndexFileName(name)) {
      indexes.push_back(*indexed);
    }
  }
  std::sort(indexes.begin(), indexes.end());
  std::sort(segment_starts.begin(), segment_starts.end());
  std::sort(snapshots.begin(), snapshots.end());

  // The newest snapshot must verify; a damaged one fails the open rather than
  // silently falling back (older ones are superseded and removed).
  uint64_t covers = 0;
  if (!snapshots.empty()) {
    covers = snapshots.back();
    CFLOW_RETURN_IF_ERROR(internal::VerifySnapshotFile(
        fs_, JoinPath(dir_, internal::SnapshotFileName(covers)), covers));
    snapshot_covers_ = covers;
    report_.snapshot_position = covers;
    for (size_t i = 0; i + 1 < snapshots.size(); ++i) {
      superseded.push_back(JoinPath(dir_, internal::SnapshotFileName(snapshots[i])));
    }
  }

  // A journal starts at position 1, or (written by 0.1 or 0.2, which
  // compacted it) no later than just after the snapshot.
  if (!segment_starts.empty() && segment_starts.front() > covers + 1) {
    return absl::DataLossError(absl::StrCat(
        JoinPath(dir_, internal::SegmentFileName(segment_starts.front())),
        " at offset 0: ", "the journal starts at position ", segment_starts.front(), " but ",
        covers == 0 ? std::string("there is no snapshot")
                    : absl::StrCat("the snapshot covers only ", covers),
        "; records ", covers + 1, "..", segment_starts.front() - 1, " are missing"));
  }

  // The journal reaches the newest segment the manifest names (a segment
  // after it: one started when a crash kept the manifest from following).
  if (manifest.has_value()) {
    manifest_segment_ = manifest->newest_segment;
    if (!std::binary_search(segment_starts.begin(), segment_starts.end(),
                            manifest->newest_segment)) {
      return absl::DataLossError(absl::StrCat(
          JoinPath(dir_, internal::SegmentFileName(manifest->newest_segment)),
          " at offset 0: ", "the journal segment is missing (the store's manifest, ",
          internal::kManifestFileName, ", names it as its newest; the directory holds ",
          segment_starts.size(), segment_starts.size() == 1 ? " segment" : " segments",
          segment_starts.empty()
              ? ""
              : absl::StrCat(", the newest starting at position ", segment_starts.back()),
          ")"));
    }
  }

  // The stream index, when one agrees with the segments, gives each stream's
  // version and newest link through its position; otherwise (or when told
  // to) every record is read. Only the newest index is tried; older ones and
  // a rejected one are superseded.
  size_t first_scanned = 0;
  std::optional<JournalSegmentReader::ResumeAt> resume;
  if (!indexes.empty()) {
    for (size_t i = 0; i + 1 < indexes.size(); ++i) {
      superseded.push_back(JoinPath(dir_, internal::StreamIndexFileName(indexes[i])));
    }
    const uint64_t indexed = indexes.back();
    index_file_ = indexed;
    if (!options_.verify_whole_journal_on_open) {
      size_t segment = 0;
      uint64_t offset = 0;
      if (absl::Status s = LoadIndex(indexed, segment_starts, &segment, &offset); s.ok()) {
        first_scanned = segment;
        resume = JournalSegmentReader::ResumeAt{offset, indexed + 1};
        index_covers_ = indexed;
        report_.index_used = true;
        report_.index_position = indexed;
      } else {
        report_.index_rejected = s.ToString();
        superseded.push_back(JoinPath(dir_, internal::StreamIndexFileName(indexed)));
        index_file_.reset();
      }
    }
  }

  // Verify every record after the index (all of them without one) and
  // rebuild each stream's version and newest link.
  uint64_t next = segment_starts.empty() ? covers + 1
                  : resume.has_value()   ? segment_starts[first_scanned]
                                         : segment_starts.front();
  uint64_t active_end = 0;
  for (size_t i = first_scanned; i < segment_starts.size(); ++i) {
    const std::string path = JoinPath(dir_, internal::SegmentFileName(segment_starts[i]));
    if (i > 0 && segment_starts[i] != next) {
      return absl::DataLossError(absl::StrCat(path, " at offset 0: segment starts at position ",
                                              segment_starts[i], " but the previous one ends at ",
                                              next - 1));
    }
    CFLOW_ASSIGN_OR_RETURN(std::shared_ptr<ReadableFile> file, fs_->NewReadableFile(path));
    CFLOW_ASSIGN_OR_RETURN(
        std::unique_ptr<JournalSegmentReader> reader,
        JournalSegmentReader::Open(std::move(file), segment_starts[i], std::nullopt,
                                   i == first_scanned ? resume : std::nullopt));
    if (i > 0 && !segments_.empty() && reader->format() == internal::kJournalFormatVersion1 &&
        segments_.back().format != internal::kJournalFormatVersion1) {
      return absl::DataLossError(absl::StrCat(path,
                                              " at offset 8: a format 1 segment after a format ",
                                              segments_.back().format, " one"));
    }
    const bool newest = i + 1 == segment_starts.size();
    for (;;) {
      CFLOW_ASSIGN_OR_RETURN(const JournalSegmentReader::Result r, reader->Next());
      if (r == JournalSegmentReader::Result::kRecord) {
        ++report_.records_scanned;
        if (reader->position() > covers) ++report_.records_replayed;
        StreamState& state = streams_[reader->stream()];
        if (resume.has_value()) NoteUnindexedLocked(std::string(reader->stream()), state);
        const internal::RecordFrame& frame = reader->frame();
        if (reader->format() == internal::kJournalFormatVersion1) {
          state.version = frame.position;  // one stream: version is position
        } else if (frame.version != state.version + 1 || !(frame.previous == state.newest)) {
          return absl::DataLossError(absl::StrCat(
              path, " at offset ", reader->record_offset(), ": record ", frame.position,
              " of stream \"", reader->stream(), "\" has version ", frame.version,
              " linked to record ", frame.previous.position, " at offset ", frame.previous.offset,
              "; expected version ", state.version + 1, " linked to record ", state.newest.position,
              " at offset ", state.newest.offset));
        } else {
          state.version = frame.version;
        }
        state.newest = RecordLink{frame.position, reader->record_offset()};
        state.queued = state.version;
        state.written = state.newest;
        continue;
      }
      if (r == JournalSegmentReader::Result::kTornTail) {
        if (!newest) {
          return absl::DataLossError(
              absl::StrCat(path, " at offset ", reader->end_of_records(),
                           ": partial record in a segment that is not the newest one"));
        }
        // Read-only, the end of what was complete when it was read (a host
        // may be writing the next record): nothing is cut.
        if (read_only) break;
        report_.torn_tail_truncated = true;
        report_.file = path;
        report_.offset = reader->end_of_records();
        report_.truncated_bytes = reader->end() - reader->end_of_records();
      }
      break;
    }
    next = reader->next_position();
    segments_.push_back(Segment{segment_starts[i], path, reader->end_of_records(), reader->format(),
                                reader->salt()});
    if (newest) {
      active_salt_ = reader->salt();
      active_first_position_ = segment_starts[i];
      active_end = reader->end_of_records();
    }
  }
  if (next - 1 < covers) {
    return absl::DataLossError(absl::StrCat("journal in ", dir_, " ends at position ", next - 1,
                                            ", before the snapshot's ", covers));
  }
  last_position_ = next - 1;
  last_queued_position_ = last_position_;
  streams_.SettleAll();
  report_.last_position = last_position_;
  report_.streams = streams_.size();
  opened_at_ = last_position_;
  unindexed_follow_index_ = resume.has_value();

  if (read_only) {
    // Nothing on disk changes; every write is refused.
    poison_ = absl::FailedPreconditionError(absl::StrCat("store ", dir_, " is opened read-only"));
    report_.segments = segments_.size();
    return absl::OkStatus();
  }
  // A directory where the store keeps a file (an index or snapshot it would
  // remove) is damage, found before anything is removed.
  for (const std::string& path : superseded) {
    if (fs_->DirExists(path).ok()) {
      return absl::DataLossError(
          absl::StrCat(path, " at offset 0: a directory where the store keeps a file"));
    }
  }
  for (const std::string& path : superseded) CFLOW_RETURN_IF_ERROR(fs_->RemoveFile(path));

  if (segments_.empty()) {
    CFLOW_RETURN_IF_ERROR(StartSegment(covers + 1));
  } else {
    CFLOW_ASSIGN_OR_RETURN(active_, fs_->OpenAppendableFile(segments_.back().path));
    if (report_.torn_tail_truncated) {
      CFLOW_RETURN_IF_ERROR(active_->Truncate(active_end));
      CFLOW_RETURN_IF_ERROR(active_->Sync());
    }
    if (segments_.back().format != internal::kJournalFormatVersion) {
      // A journal written by 0.1 or 0.2: new records go to a segment of
      // today's format. An old segment without records is replaced (same
      // name: the new one starts at the same position).
      if (segments_.back().committed_size == internal::kSegmentHeaderBytes) {
        CFLOW_RETURN_IF_ERROR(active_->Close());
        active_.reset();
        segments_.pop_back();
      }
      CFLOW_RETURN_IF_ERROR(StartSegment(last_position_ + 1));
    }
  }
  if (!superseded.empty()) CFLOW_RETURN_IF_ERROR(fs_->SyncDir(dir_));
  // A store written before the manifest, or a crash between a segment and
  // the manifest naming it.
  if (manifest_segment_ != segments_.back().first_position) {
    CFLOW_RETURN_IF_ERROR(internal::WriteManifestFile(
        fs_, dir_, internal::Manifest{segments_.back().first_position}));
    manifest_segment_ = segments_.back().first_position;
  }
  report_.segments = segments_.size();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore>> OpenDirectoryStore(const std::string& dir,
                                                               const StoreOptions& options) {
  if (dir.empty()) return absl::InvalidArgumentError("OpenDirectoryStore: dir is empty");
  if (options.segment_bytes == 0) {
    return absl::InvalidArgumentError("StoreOptions.segment_bytes must be > 0");
  }
  if (options.max_group_bytes == 0) {
    return absl::InvalidArgumentError("StoreOptions.max_group_bytes must be > 0");
  }
  for (int attempt = 1;; ++attempt) {
    auto store = std::make_unique<DirectoryStore>(dir, options);
    absl::Status recovered = store->Recover();
    // Read-only, a file listed may be gone by the time it is read (the host
    // writing the store replaced its snapshot): read the directory again.
    if (options.read_only && absl::IsNotFound(recovered) && attempt < 5 &&
        store->DirectoryStillThere()) {
      continue;
    }
    CFLOW_RETURN_IF_ERROR(recovered);
    return std::unique_ptr<EventStore>(std::move(store));
  }
}

}  // namespace collabflow
