// The collaboration engine: runs the process of ../shared/DESIGN.md over an
// event-sourced state. Every change is a command (actor, time, payload)
// checked against the current state and the actor's role; an accepted
// command appends one record (the batch of its events) to the stream it
// concerns — each request is a stream of its own, numbered and hash-chained
// on its own — and the state is the fold of the events. A refused command changes nothing: no
// event, no state change, no notification.
//
// Thread safety: thread-safe. Commands are serialized by an internal lock
// (each is decided against the state left by the one before); queries may
// run from any thread. A command returns once its events are durable
// according to the store's durability mode:
//  - kSyncEveryCommand (default) and kNoSync: the lock is held across the
//    append; a command's effects are visible only once its record is written.
//  - kGroupCommit: the record is queued and applied under the lock, then the
//    lock is released while the store syncs, so commands from many threads
//    share one sync. A command still returns only once durable, but queries
//    from other threads may see its effects a sync earlier (the history
//    reads — VerifyHistory, records, reports, archive, snapshots — wait until
//    nothing is in flight). Journal order is decision order, so a command is
//    never durable without those it was decided after.
// After a failed append (a write or sync error; the store is then poisoned)
// the command fails and so does every later one, with that cause, until the
// engine is reopened, which recovers what reached the disk.
//
// Many engines, one store. On a shared store (a PostgreSQL database:
// EventStore::shared) any number of engines, in any number of processes and
// machines, run the same collaborations. Each folds every record in the
// store's position order, so all agree (equal StateBytes at equal
// LastPosition). A command is decided against the latest committed state of
// its request: its record is appended with the stream version it was decided
// on, and when another engine appended first (ABORTED from the store) the
// engine reads what it missed and decides again (up to 20 times, then
// ABORTED); a refusal is confirmed after reading what other engines
// committed. A Tick commits each request's rungs on its own the same way, so
// every rung fires once whichever engines tick. An engine reads its own
// writes, and follows the others' on a thread of its own: the store wakes it
// after another engine's commit (PostgreSQL's NOTIFY), and it reads every
// second in case a wake-up was lost. A host that must see a given command
// (read-after-write across hosts) calls CatchUp with the position that
// command returned.
//
// The C++ API speaks the collabflow.v1 protobuf messages: they are the one
// model that C, Python and C++ hosts share (proto/collabflow/v1/*.proto).
#ifndef COLLABFLOW_ENGINE_H_
#define COLLABFLOW_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/clock.h"
#include "collabflow/event_store.h"
#include "collabflow/request_history.h"
#include "collabflow/v1/command.pb.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"

namespace collabflow {

struct EngineOptions {
  // Where the journal and snapshots live: a directory, or a PostgreSQL URI
  // ("postgresql://...": OpenStore in event_store.h); empty means in memory
  // only.
  std::string store_dir;
  // How the store is opened (event_store.h). With store.read_only the
  // engine reads a store directory another process may be writing: it sees
  // the commands complete when it opened, and Execute, Tick,
  // AcknowledgeOutbox and WriteSnapshot are FAILED_PRECONDITION.
  StoreOptions store;
  // Counts every time rule. Default: the mainland-China calendar with the
  // official 2025-2026 holidays and make-up working days.
  Calendar calendar = Calendar::ChinaMainland();
  // The actor id under which the host itself acts: directory updates, ticks.
  std::string host_actor_id = "host";
  // Escalation ladders (Tick): rung 1 reminds whoever owes an item at its
  // due time; then every `escalate_every_working_days` working days the next
  // superior up the chain is told, up to `max_escalation_levels` levels.
  int escalate_every_working_days = 1;
  int max_escalation_levels = 3;
  // Stamps commands that carry no time (and Tick() without an argument).
  // Not owned; nullptr means the system clock.
  const Clock* clock = nullptr;
  // How much earlier than its request's last event a command may be dated
  // (hosts' clocks differ): within it the command is accepted and ordered
  // by its stream; beyond it, or before the request's creation, Execute
  // refuses it (INVALID_ARGUMENT naming both times). Open() refuses a
  // negative tolerance.
  absl::Duration clock_tolerance = absl::Minutes(5);
  // Reports the progress of every pass over the journal: the replay in
  // Open(), VerifyHistory() and ReadEvents() (one request's history, which
  // ReadRequestHistory() reads for the records and reports, is its stream
  // alone: short, not reported). Called on the calling thread,
  // with the engine's lock held for all but ReadEvents(): it must not call
  // back into the engine. A non-OK return fails the call with that status.
  // Empty: no reports.
  ReadProgress progress;
  // The memory the records of the requests in use may take (an estimate:
  // twice their events' bytes). The engine keeps every request's
  // summary (state, topic, open due items; for a request that has ended,
  // its state alone) and its stream's head, and holds full records only for
  // the requests recently touched, the least recently used dropped first;
  // a dropped record is read back from its stream when a command or a query
  // needs it. A request in use stays held whatever the budget.
  size_t request_cache_bytes = size_t{256} << 20;
  // A durable engine writes a snapshot (WriteSnapshot) on a thread of its
  // own each time the journal has grown by this many records since the last
  // snapshot, so that the next open reads at most about as many: commands go
  // on meanwhile. The thread starts with the first such snapshot and stops
  // when the engine closes (after writing the snapshot asked for, if any). A
  // snapshot that fails is tried again as many records later; the host sees
  // its error by calling WriteSnapshot. 0: never (the host calls
  // WriteSnapshot). Ignored in memory.
  uint64_t snapshot_every_records = 20000;
  // A load of a request's record (one not held: engine/state/folded_state.h)
  // that folds at least this many records of its stream queues the record,
  // if it takes at most kMaxRequestSnapshotBytes, as the request's snapshot
  // (kept by the store as its stream's snapshot:
  // EventStore::WriteStreamSnapshot), written by the engine's background
  // writer and by WriteSnapshot; the next load reads that snapshot and the
  // records after it. 0: never. Ignored in memory.
  uint64_t request_snapshot_every_records = 64;
  // On a shared store (EventStore::shared), follow the other engines'
  // commits on a thread of its own: woken by the store after each (and
  // every second), it reads and folds them, so queries show them within
  // milliseconds. false: the engine reads them only when a command needs
  // them or the host calls CatchUp. Ignored on the other stores.
  bool follow_others = true;
};

// The largest record a request snapshot is written for (a larger one, such
// as a plan of a hundred thousand tasks, would hold the engine's lock while
// it is serialized, and costs about as much to read back as its stream):
// such a request is loaded from its stream.
inline constexpr size_t kMaxRequestSnapshotBytes = size_t{4} << 20;

// A command's envelope: who acts, when, and on which request (empty for the
// host's directory update). Set its payload, then Execute it.
v1::Command NewCommand(absl::string_view actor_id, absl::Time time,
                       absl::string_view request_id = {});

class Engine {
 public:
  // Opens the store and rebuilds the state from its newest snapshot and the
  // journal after it. DATA_LOSS if the store is damaged (see event_store.h).
  // A store written by collabflow 0.1 or 0.2 is first converted to streams,
  // once and verified, and kept beside as <store_dir>.format1 (see
  // src/engine/journal/format1_conversion.h); FAILED_PRECONDITION for one
  // that 0.2 compacted after a snapshot, ALREADY_EXISTS while a kept
  // <store_dir>.format1 is in the way.
  static absl::StatusOr<std::unique_ptr<Engine>> Open(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Checks and applies one command. Errors: INVALID_ARGUMENT /
  // RESOURCE_EXHAUSTED (bad input, naming the field and limit), NOT_FOUND
  // (unknown request), ALREADY_EXISTS, PERMISSION_DENIED (the actor's role
  // does not allow it), FAILED_PRECONDITION (not in the current state, which
  // the message names), or the store's error. On any error nothing changed.
  absl::StatusOr<v1::CommandResult> Execute(v1::Command command);

  // What-if: the effect of a plan revision (schedule, float, milestones,
  // finish) without committing it. `command` is the revise_plan command
  // exactly as it would be executed (actor, time, request); the refusals are
  // those Execute would give, and INVALID_ARGUMENT for another payload or a
  // command without a time.
  absl::StatusOr<v1::RevisionPreview> PreviewRevision(v1::Command command) const;

  // Processes the time rules due at `now`: every rung of every escalation
  // ladder whose time has come fires exactly once (a reminder to whoever owes
  // the item, a missed-report record for progress reports, then escalations
  // up the management chain). Idempotent: ticking again at the same instant
  // adds nothing; only due timers are visited. Returns the events appended.
  absl::StatusOr<int> Tick(absl::Time now);

  // ---- queries ----
  // The request with its current version, state, receivers' standing and
  // members. NOT_FOUND if unknown.
  absl::StatusOr<v1::RequestView> GetRequest(absl::string_view request_id) const;
  std::vector<std::string> RequestIds() const;  // sorted
  // The published plan with its schedule: CPM dates, float, critical path,
  // driving chains, milestone forecasts. FAILED_PRECONDITION without a plan.
  absl::StatusOr<v1::ScheduleView> GetSchedule(absl::string_view request_id) const;
  // Every open due item whose due time is <= `at`, ordered by due time, then
  // request id, then key; read from an index of open items by due time, so
  // its cost follows the items listed (O(log n + result)), not all requests.
  v1::OverdueList Overdue(absl::Time at) const;
  // What person P owes (answers, plans, reports, rework, decisions), ordered
  // by due time, flagged overdue at `at`; read from a per-person index, so
  // its cost follows P's requests, not all requests. NOT_FOUND if the person
  // is not in the directory.
  absl::StatusOr<v1::MustDoList> MustDo(absl::string_view person_id, absl::Time at) const;
  // "" at the top of the chain or for an unknown person.
  std::string SuperiorOf(absl::string_view person_id) const;
  // The head and the delegates of a department (empty if unknown).
  std::vector<std::string> ActorsFor(absl::string_view department_id) const;

  // ---- outbox: an ordered, resumable feed of notifications ----
  // The waiting notifications of the records after position `after`, in
  // position order, each with its `position` set: as many records as it
  // takes to reach `max` notifications, each record's whole (so a page may
  // hold a few more than `max`; at least one record). A notification is
  // known by its request_id and id (1, 2, 3, ... within the request);
  // acknowledged ones are gone.
  std::vector<v1::Notification> ReadOutbox(uint64_t after, size_t max) const;
  // Marks every notification whose position is <= up_to delivered
  // (durably). OUT_OF_RANGE beyond LastPosition(); acknowledging less than
  // before is a no-op.
  absl::Status AcknowledgeOutbox(uint64_t up_to);

  // ---- history and state ----
  // The position of the last record folded into the state (every stream's).
  uint64_t LastPosition() const;
  // Folds the records other engines committed to a shared store since this
  // one last read it, up to the last position below which every record is
  // final (none is skipped, whatever order transactions commit in). With
  // `position` > 0 (a CommandResult's position, from any engine), waits
  // until the state has folded it: DEADLINE_EXCEEDED after the store's
  // statement timeout. Reads never go back: LastPosition() only grows. On a
  // store only this engine writes there is nothing to read: OK up to
  // LastPosition(), OUT_OF_RANGE beyond. The store's errors (UNAVAILABLE
  // while the server is down: nothing is half-folded, and a later call goes
  // on from where this one stopped).
  absl::Status CatchUp(uint64_t position = 0);
  // The events of the records after position `after`, in position order,
  // each with its `position` set (a record's events share it).
  absl::Status ReadEvents(uint64_t after,
                          absl::FunctionRef<absl::Status(const v1::Event&)> fn) const;
  // The engine's index as deterministic protobuf bytes
  // (collabflow.v1.EngineState): the directory, every stream's head (its
  // last event's version and hash, which chains every event before it),
  // every request's summary, the positions and the outbox; `requests` is
  // empty (records are read per request: GetRequest, ReadRequestHistory).
  // This is the engine's digest: equal histories give equal bytes, and
  // equal bytes mean equal histories of every stream (to SHA-256's
  // strength). Whether records are held or not does not change it.
  std::string StateBytes() const;
  // Writes a snapshot of the index at LastPosition(): the next open reads it
  // and the records after it, loading only the requests those touch.
  // Commands go on meanwhile: they wait only while the index's small
  // fields, then the summaries of the requests changed since the last
  // snapshot, a few at a time, are copied out (the whole index, at once,
  // for the first snapshot of an engine that opened without one); the rest,
  // merging those with the last snapshot and writing the file, runs with
  // the engine's lock released. Nothing is written when nothing happened since the last
  // snapshot. Snapshots run one at a time (with the background writer's:
  // EngineOptions::snapshot_every_records). Then the request snapshots
  // queued by loads since are written (EngineOptions::
  // request_snapshot_every_records); one that fails is in the error, after
  // the snapshot itself was written.
  absl::Status WriteSnapshot();

  const Calendar& calendar() const;

  // ---- the history the records read ----
  // Verifies every stream's hash chain in the stored history (every event's
  // hash, see Event.hash) against the stream's head in the state. DATA_LOSS
  // naming the stream, the event's version and what was expected when an
  // event was changed, removed or reordered. Reads the whole journal; the
  // streams are checked in parallel, one thread per core (at most 8), each
  // stream's events in order.
  absl::Status VerifyHistory() const;
  // One request's history: its stream, read alone. NOT_FOUND if unknown.
  absl::StatusOr<RequestHistory> ReadRequestHistory(absl::string_view request_id) const;

 private:
  class Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace collabflow

#endif  // COLLABFLOW_ENGINE_H_
