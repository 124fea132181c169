// The commit pipeline: how a command's decided events become history. Per
// stream the events belong to (streams.h; a command concerns one request,
// or the directory, and a tick any number of requests), it numbers the
// events and the request's notifications after the stream's head, seals
// them into the stream's hash chain (sealed_batch.h) as one record, appends
// the record with the stream version the command was decided against, and
// hands the events to be folded with their records' positions; it returns
// once every record is durable. A command's record is durable whole or not
// at all; a tick's records, one per request, each whole.
//
// Under kSyncEveryCommand and kNoSync the engine's lock is held across the
// append and nothing is folded unless the record was written. Under
// kGroupCommit the record is queued and folded under the lock, and the lock
// is released while the store syncs, so that concurrent commands share one
// sync; the next command may be decided on a state that is not yet durable,
// but its record follows this one in the store, so it is never durable
// without it. A failed append fails this command and, the store being
// poisoned, every later one until the engine is reopened (which recovers
// what reached the disk).
//
// The pipeline owns the store and the event arena (event_arena.h) the
// commands' events come from, and reuses the last record's buffers.
//
// Thread safety: the engine's lock (the mutex passed in) guards it.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_COMMIT_PIPELINE_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_COMMIT_PIPELINE_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collabflow/event_store.h"
#include "collabflow/v1/command.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/journal/event_arena.h"

namespace collabflow::internal {

class CommitPipeline {
 public:
  CommitPipeline(std::unique_ptr<EventStore> store, Durability durability);

  // Commits `events`, each stream's after its head (`head_of(stream)`: the
  // state's, nullptr for a new stream), and calls `fold(events, positions)`
  // to fold them into the state, positions[i] being event i's record's (the
  // events are used up: their contents move into the state, and the
  // pipeline keeps a few, cleared, for reuse). Returns once every record is
  // durable. REQUIRES: `lock` holds the engine's mutex; it holds it again on
  // return, and `head_of` and `fold` run under it. No events: nothing
  // happens.
  absl::StatusOr<v1::CommandResult> Commit(
      DecidedEvents& events, std::unique_lock<std::mutex>& lock,
      absl::FunctionRef<const v1::StreamHead*(const std::string& stream)> head_of,
      absl::FunctionRef<void(DecidedEvents&, absl::Span<const uint64_t>)> fold);

  // Locks `mu` (the engine's mutex) once no commit waits for its sync, so
  // that the state and the store's history agree: for reads that use both.
  std::unique_lock<std::mutex> Settled(std::mutex& mu) const;

  // The first failed append of a group commit (every later command gets
  // it); OK otherwise. REQUIRES: the engine's lock.
  const absl::Status& failed() const { return failed_; }

  // Where handlers' events come from (DecideContext::Emit).
  EventArena& arena() { return arena_; }
  EventStore& store() { return *store_; }
  const EventStore& store() const { return *store_; }

 private:
  const std::unique_ptr<EventStore> store_;
  const Durability durability_;
  EventArena arena_;
  // The last record's buffer (up to 1 MiB) and head, which the next
  // record's are written over.
  std::string record_buffer_;
  std::string head_buffer_;
  // The last command's streams' names, written over by the next command's.
  std::vector<std::string> stream_names_;
  int in_flight_ = 0;                        // folded but not yet durable (kGroupCommit)
  mutable std::condition_variable settled_;  // in_flight_ dropped to 0
  absl::Status failed_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_COMMIT_PIPELINE_H_
