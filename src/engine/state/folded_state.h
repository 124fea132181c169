// The engine's state: the fold of every committed event (state_fold.h),
// kept as two parts.
//
// The index, in memory whatever the history's length: the
// collabflow.v1.EngineState message without its `requests` — the directory,
// each stream's head (its records, its last event's version and hash, its
// last notification's id; a request's in its summary), each request's
// summary (request_summary.h), the last position folded, the outbox. Two
// parts are kept apart from the message: the summaries, an ended request's
// packed (summary_index.h), and the outbox, as packed bytes (outbox_log.h):
// as messages, each waiting notification was about ten heap objects. Both
// are put back where the index's bytes are written (Serialize).
//
// The records of the requests in use, in a cache bounded in bytes
// (request_cache.h). A request's record is loaded when needed from its
// stream in the store: its events folded from the first. A record that is
// held is the truth and its summary may lag; a summary is written from the
// record when the record leaves the cache and whenever the index leaves the
// engine (Serialize). Readers of open dues get them from wherever they are
// current (DuesOf).
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_FOLDED_STATE_H_
#define COLLABFLOW_SRC_ENGINE_STATE_FOLDED_STATE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/notification.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/index_snapshot.h"
#include "engine/state/outbox_log.h"
#include "engine/state/request_cache.h"
#include "engine/state/summary_index.h"

namespace collabflow::internal {

class FoldedState {
 public:
  static constexpr size_t kUnbounded = std::numeric_limits<size_t>::max();

  // Records are loaded from `store` (not owned; it must outlive the state),
  // and held up to `cache_bytes`.
  explicit FoldedState(const EventStore* store, size_t cache_bytes = kUnbounded)
      : store_(store), cache_(cache_bytes) {}
  FoldedState(const FoldedState&) = delete;
  FoldedState& operator=(const FoldedState&) = delete;

  // Starts from a snapshot: the bytes Serialize() gave. An error (nothing
  // changed) if they do not parse as a state, or its outbox's ids do not
  // ascend. Bytes of the layout before summaries (records in the state,
  // requests' heads among the streams') are converted.
  absl::Status Restore(absl::string_view bytes);
  // Whether the last Restore converted its bytes (then a snapshot cannot
  // follow them by changes alone: index_snapshot.h).
  bool restore_converted() const { return restore_converted_; }

  // Folds one committed event, of the record at `position`, into the state
  // (a stream's head already past `position` is left: see Capture);
  // what the state keeps moves out of the event (which keeps its
  // notifications). A record's events are applied one after the other. A
  // request's event goes into its record, loaded first if the request is
  // known and its record not held (the store's errors if that fails; nothing
  // is changed then); an event already in the record as loaded (its stream
  // read to the end) is skipped.
  absl::Status Apply(v1::Event* event, uint64_t position);

  // The index but the summaries (directory, streams, positions); its
  // `requests`, `summaries` and `undelivered` are empty.
  const v1::EngineState& state() const { return state_; }
  // The stream's head; nullptr for a stream without records. Valid until the
  // next call into the state (a request's may be unpacked into a buffer).
  const v1::StreamHead* FindStream(const std::string& stream) const;
  // Calls fn(stream, head) for every stream with records.
  void ForEachStream(
      absl::FunctionRef<void(const std::string& stream, const v1::StreamHead& head)> fn) const;

  // Whether the request exists.
  bool HasRequest(absl::string_view request_id) const {
    return summaries_.Contains(std::string(request_id));
  }
  // How many requests there are.
  size_t request_count() const { return summaries_.size(); }
  // How many of them are kept packed (summary_index.h).
  size_t packed_requests() const { return summaries_.packed(); }
  // The head of the request's stream; nullptr if none. Valid until the next
  // call into the state.
  const v1::StreamHead* RequestHead(const std::string& request_id) const {
    const v1::RequestSummary* summary = summaries_.Find(request_id);
    return summary == nullptr || !summary->has_head() ? nullptr : &summary->head();
  }
  // The request's summary (its head included); nullptr if unknown. Valid
  // until the next call into the state.
  const v1::RequestSummary* FindSummary(const std::string& request_id) const {
    return summaries_.Find(request_id);
  }
  // The request's record, loaded if not held (and then the most recently
  // used); nullptr for an unknown request. Valid until the next Trim or
  // load, unless pinned (Pin).
  absl::StatusOr<const v1::RequestRecord*> LoadRequest(absl::string_view request_id);
  // The held record; nullptr if not held.
  const v1::RequestRecord* HeldRequest(absl::string_view request_id) const;
  // Keeps the request's record (held: REQUIRES LoadRequest first) whatever
  // the budget while the pin lives.
  RequestCache::Pin Pin(absl::string_view request_id);
  // Drops records beyond the cache's budget, the least recently used first.
  // Returns the ids dropped through `dropped` (for what the engine derives
  // from records).
  void Trim(absl::FunctionRef<void(const std::string& request_id)> dropped);

  // What lists read of a request: its topic and open due items, from its
  // record if held, else its summary. REQUIRES: HasRequest.
  struct Dues {
    const std::string* topic;
    const google::protobuf::RepeatedPtrField<v1::DueItem>* open;
  };
  Dues DuesOf(const std::string& request_id) const;

  // Calls fn(request id) for every request, in no particular order.
  void ForEachRequest(absl::FunctionRef<void(const std::string&)> fn) const;
  // Calls fn(request id, DuesOf(request id)) for every request that may owe
  // something (those that have not ended: an ended request has no open
  // dues), in no particular order.
  void ForEachRequestThatMayOwe(absl::FunctionRef<void(const std::string&, Dues)> fn) const;
  // Loads every request's record in turn, in id order, and calls fn(id,
  // record); trims the cache after each (Trim).
  absl::Status ForEachRecord(
      absl::FunctionRef<absl::Status(const std::string&, const v1::RequestRecord&)> fn,
      absl::FunctionRef<void(const std::string& request_id)> dropped);

  // The waiting notifications of the records after position `after`, each
  // record's whole, up to about `max` (outbox_log.h).
  std::vector<v1::Notification> ReadOutbox(uint64_t after, size_t max) const {
    return outbox_.Read(after, max);
  }

  // The index as deterministic protobuf bytes (outbox included, summaries
  // written from held records first): equal histories give equal bytes.
  std::string Serialize();

  // ---- snapshots that follow the changes (index_snapshot.h) ----
  // Tracks from now on which requests' summaries change: the next
  // CaptureChanges gives those changed after this call.
  void StartTracking();
  // Stops tracking (and forgets what was tracked).
  void StopTracking();
  // What changed since StartTracking or the last capture, captured in
  // steps so that the engine can let go of its lock between them:
  // BeginCapture (locked) takes the index's fields but the summaries, and
  // the requests whose summaries changed, at the cost of the outbox's
  // blocks and a swap; SettleCapture (no lock needed) turns them into
  // bytes and sorts the ids; each CaptureSummaries (locked) copies up to
  // `max` more of those summaries as they are then (written from held
  // records first) and says whether any remain. Records folded between the
  // steps may be in the summaries captured after them: a snapshot from the
  // capture still covers the position of BeginCapture (the records after
  // it are folded again at open, and a head already past a record keeps
  // it: Apply). Costs what changed, not what the index holds.
  // REQUIRES: tracking.
  struct Capture {
    IndexChanges changes;
    std::vector<std::string> pending;  // ids, ascending
    size_t next = 0;                   // the first not captured yet
    // Until settled:
    std::shared_ptr<const std::string> directory;
    std::optional<OutboxLog::Frozen> rest;
    absl::flat_hash_set<std::string> unsorted;
  };
  Capture BeginCapture();
  static void SettleCapture(Capture* capture);
  bool CaptureSummaries(Capture* capture, size_t max);

  // Request snapshots (EngineOptions::request_snapshot_every_records): a
  // load that folds at least `every_records` of the request's records (after
  // its snapshot, if it had one) queues its record, at most `max_bytes`
  // serialized, as the request's next snapshot; the engine takes them
  // (TakeDueRequestSnapshots) and has the store keep them. 0: none.
  void EnableRequestSnapshots(uint64_t every_records, size_t max_bytes);
  struct RequestSnapshotBytes {
    std::string request_id;
    uint64_t records = 0;  // of its stream, folded
    std::string bytes;     // a v1::RequestSnapshot
  };
  bool has_due_request_snapshots() const { return !due_request_snapshots_.empty(); }
  std::vector<RequestSnapshotBytes> TakeDueRequestSnapshots();
  // Notes that the request's snapshot through `records` is kept (if the
  // request is still held).
  void RequestSnapshotKept(const std::string& request_id, uint64_t records);
  // The whole capture at once.
  IndexChanges CaptureChanges();

  // The records held and what they are charged.
  size_t held_requests() const { return cache_.size(); }
  size_t held_bytes() const { return cache_.bytes(); }

 private:
  // The request's entry, loaded from its stream if not held; nullptr for an
  // unknown request.
  absl::StatusOr<RequestCache::Entry*> Load(const std::string& request_id);
  // The request snapshot the store keeps for `stream`, if it is one.
  // (*bytes: its size).
  std::optional<v1::RequestSnapshot> ReadRequestSnapshot(const std::string& stream, size_t* bytes);
  void QueueRequestSnapshot(const std::string& request_id, uint64_t records, uint64_t events,
                            const std::string& hash, const v1::RequestRecord& record);
  void WriteSummary(const std::string& request_id, RequestCache::Entry& entry);
  // The index's bytes but its summaries (Serialize's first part), in two
  // steps (see OutboxLog::Frozen): the directory's, then the rest.
  std::shared_ptr<const std::string> DirectoryBytes();
  OutboxLog::Frozen FreezeRest();

  const EventStore* const store_;
  v1::EngineState state_;  // the index: without requests, summaries and outbox
  SummaryIndex summaries_;
  OutboxLog outbox_;
  RequestCache cache_;
  // The head of the stream of the record last applied (at cached_position_),
  // its request's entry (if a request's), and a buffer for stream names.
  v1::StreamHead* cached_head_ = nullptr;
  RequestCache::Entry* cached_entry_ = nullptr;
  uint64_t cached_position_ = 0;
  std::string stream_name_;
  bool restore_converted_ = false;
  // The directory's field as DirectoryBytes writes it; null after it
  // changed.
  std::shared_ptr<const std::string> directory_bytes_;
  // The requests whose streams had records folded since the last capture
  // (while tracking).
  bool tracking_ = false;
  absl::flat_hash_set<std::string> uncaptured_;
  // Request snapshots queued by loads, not yet taken (at most about
  // kMaxDueSnapshotBytes: more are dropped, and queued again by a later load).
  static constexpr size_t kMaxDueSnapshotBytes = size_t{64} << 20;
  uint64_t request_snapshot_every_ = 0;
  size_t request_snapshot_max_bytes_ = 0;
  std::vector<RequestSnapshotBytes> due_request_snapshots_;
  size_t due_request_snapshot_bytes_ = 0;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_FOLDED_STATE_H_
