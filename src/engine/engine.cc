// The engine: the units below composed under one lock. A command's envelope
// is checked here, the command is decided (commands/dispatch.h) against the
// folded state (state/folded_state.h: the index, and the record of the
// request concerned, loaded if not held and pinned until its record is
// durable), and its events are committed (journal/commit_pipeline.h) and
// folded into the state and its derived indexes: the directory's lookups,
// the timers (state/timer_index.h) and the kept plan schedules
// (state/plan_schedule_cache.h). Then the records beyond the cache's budget
// are dropped (with their kept schedules).
#include "collabflow/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "base/input_checks.h"
#include "base/library_log.h"
#include "base/pause_for_waiters.h"
#include "base/status_macros.h"
#include "engine/commands/command_time.h"
#include "engine/commands/decide_context.h"
#include "engine/commands/dispatch.h"
#include "engine/commands/escalations.h"
#include "engine/commands/revision_commands.h"
#include "engine/journal/commit_pipeline.h"
#include "engine/journal/format1_conversion.h"
#include "engine/journal/replay.h"
#include "engine/journal/request_history.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/directory_index.h"
#include "engine/state/due_lists.h"
#include "engine/state/folded_state.h"
#include "engine/state/plan_schedule.h"
#include "engine/state/plan_schedule_cache.h"
#include "engine/state/request_view.h"
#include "engine/state/schedule_view.h"
#include "engine/state/streams.h"
#include "engine/state/timer_index.h"
#include "store/progress_store.h"
#include "wire/time_proto.h"

namespace collabflow {

using internal::DecideContext;
using internal::DecidedEvents;

namespace {

// What the store holds passed its checksums, so stored bytes that do not
// parse or fold (a snapshot's state, a record's events: InvalidArgument from
// the parsers) are damage, DATA_LOSS like every other damage the store
// finds. Other codes (a store of an older format to convert first, I/O)
// stay as they are.
template <typename T>
absl::StatusOr<T> AsDamage(absl::StatusOr<T> replayed) {
  if (replayed.ok() || !absl::IsInvalidArgument(replayed.status())) return replayed;
  return absl::DataLossError(
      absl::StrCat("the stored history does not fold: ", replayed.status().message()));
}

}  // namespace

v1::Command NewCommand(absl::string_view actor_id, absl::Time time, absl::string_view request_id) {
  v1::Command c;
  c.set_actor_id(std::string(actor_id));
  internal::ToProto(time, c.mutable_time());
  c.set_request_id(std::string(request_id));
  return c;
}

class Engine::Impl {
 public:
  explicit Impl(EngineOptions options)
      : options_(std::move(options)),
        timers_(options_.calendar, internal::EscalationLadder{options_.escalate_every_working_days,
                                                              options_.max_escalation_levels}),
        schedules_(options_.calendar) {}
  ~Impl() {
    StopFollowing();
    StopSnapshotWriter();
  }

  // Opens the store and rebuilds the state and its indexes.
  absl::Status Open() {
    std::unique_ptr<EventStore> store;
    if (options_.store_dir.empty()) {
      if (read_only()) {
        return absl::InvalidArgumentError(
            "EngineOptions.store.read_only needs a store directory (an engine in memory has "
            "nothing to read)");
      }
      CFLOW_ASSIGN_OR_RETURN(store, OpenMemoryStore());
    } else if (IsPostgresUri(options_.store_dir) || read_only()) {
      // Read-only, a store written by 0.1 or 0.2 is not converted: its
      // replay says so.
      CFLOW_ASSIGN_OR_RETURN(store, OpenStore(options_.store_dir, options_.store));
    } else {
      // A store written by 0.1 or 0.2 is converted once, first.
      internal::Format1Conversion conversion;
      CFLOW_RETURN_IF_ERROR(
          internal::ConvertFormat1StoreIfNeeded(options_.store_dir, options_.store, &conversion));
      CFLOW_ASSIGN_OR_RETURN(store, OpenStore(options_.store_dir, options_.store));
    }
    shared_ = store->shared();
    follow_store_ = store.get();  // catch-ups are not passes to report
    store = WithReadProgress(std::move(store), options_.progress);
    std::lock_guard<std::mutex> lock(mu_);
    // On a shared store the lock is held across every append (group commit
    // brings nothing there: each append is its own transaction), so that
    // records are folded in position order (FoldInOrderLocked).
    pipeline_.emplace(std::move(store),
                      shared_ ? Durability::kSyncEveryCommand : options_.store.durability);
    state_.emplace(&pipeline_->store(), options_.request_cache_bytes);
    if (!options_.store_dir.empty() && !read_only()) {
      state_->EnableRequestSnapshots(options_.request_snapshot_every_records,
                                     kMaxRequestSnapshotBytes);
    }
    CFLOW_ASSIGN_OR_RETURN(snapshot_followed_,
                           AsDamage(internal::Replay(pipeline_->store(), &*state_)));
    next_snapshot_at_ = NextSnapshotAt(snapshot_followed_);
    CFLOW_ASSIGN_OR_RETURN(directory_,
                           internal::DirectoryIndex::Build(state_->state().directory()));
    timers_.Rebuild([&](const internal::TimerIndex::Visit& visit) {
      state_->ForEachRequestThatMayOwe(
          [&](const std::string& id, internal::FoldedState::Dues dues) { visit(id, dues.open); });
    });
    TrimLocked();
    folded_through_.store(state_->state().last_position());
    if (shared_ && options_.follow_others) StartFollowing();
    return absl::OkStatus();
  }

  bool read_only() const { return options_.store.read_only; }
  // What a read-only engine answers a call that would write.
  absl::Status RefuseIfReadOnly(absl::string_view call) const {
    if (!read_only()) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat(call, ": the engine's store ", options_.store_dir, " is opened read-only"));
  }

  // Time moves forward on a request (commands/command_time.h).
  absl::Status CheckTime(absl::Time now, const v1::RequestRecord* record) const {
    return internal::CheckCommandTime(now, record, options_.clock_tolerance,
                                      options_.calendar.time_zone());
  }

  absl::Time Now() const {
    return options_.clock != nullptr ? options_.clock->Now() : SystemClock::Get().Now();
  }

  absl::StatusOr<v1::CommandResult> Execute(v1::Command command) {
    CFLOW_RETURN_IF_ERROR(RefuseIfReadOnly("Execute"));
    // The envelope.
    if (!command.has_time()) internal::ToProto(Now(), command.mutable_time());
    CFLOW_ASSIGN_OR_RETURN(absl::Time now,
                           internal::CheckedFromProto(command.time(), true, "command.time"));
    CFLOW_RETURN_IF_ERROR(internal::CheckId("command.actor_id", command.actor_id()));
    if (command.payload_case() == v1::Command::PAYLOAD_NOT_SET) {
      return absl::InvalidArgumentError("command: no payload (which command is it?)");
    }
    const bool host_command = internal::IsHostCommand(command);
    if (!host_command) {
      CFLOW_RETURN_IF_ERROR(internal::CheckId("command.request_id", command.request_id()));
    }

    std::unique_lock<std::mutex> lock(mu_);
    CFLOW_RETURN_IF_ERROR(pipeline_->failed());  // a failed append: nothing more until reopened
    CFLOW_RETURN_IF_ERROR(broken_);
    absl::StatusOr<v1::CommandResult> result = DecideOnLatestLocked<v1::CommandResult>(lock, [&] {
      if (!shared_) return DecideAndCommitLocked(command, now, host_command, lock);
      // A decision moves the payload into its events: one that may be
      // decided again decides on a copy.
      v1::Command copy = command;
      return DecideAndCommitLocked(copy, now, host_command, lock);
    });
    TrimLocked();
    return result;
  }

  // What one decision and its commit came to: `refused` when the decision
  // refused the command (against the state as this engine knows it), else
  // the commit's outcome (ABORTED: the stream had moved on).
  template <typename T>
  struct Attempt {
    absl::StatusOr<T> result;
    bool refused = false;
    // On a shared store, the stream committed to and its records when
    // decided (NoteStream): after a conflict, the engine reads until it has
    // the record that took the version.
    std::string stream;
    uint64_t records = 0;

    Attempt() = default;
    Attempt(absl::StatusOr<T> result, bool refused) : result(std::move(result)), refused(refused) {}
  };
  static constexpr int kMaxConflicts = 20;

  // Runs `attempt` (a decision and its commit) against the latest committed
  // state. On a store only this engine writes, once. On a shared store,
  // where other engines commit too: a commit refused because its stream
  // moved on (ABORTED) is decided again after catching up, up to
  // kMaxConflicts times, then ABORTED; a refusal is confirmed against the
  // latest state (one catch-up, and decided again if it brought anything),
  // so that nothing is refused for a record this engine had not read yet.
  // REQUIRES: `lock` holds mu_ (released only to back off).
  template <typename T, typename Fn>
  absl::StatusOr<T> DecideOnLatestLocked(std::unique_lock<std::mutex>& lock, Fn attempt) {
    if (catch_up_owed_) CFLOW_RETURN_IF_ERROR(CatchUpLocked().status());
    bool caught_up = false;
    for (int conflicts = 0;;) {
      Attempt<T> tried = attempt();
      if (!shared_ || tried.result.ok()) return std::move(tried.result);
      const bool conflict = !tried.refused && absl::IsAborted(tried.result.status());
      if (!tried.refused && !conflict) return std::move(tried.result);  // the store's error
      if (tried.refused && caught_up) return std::move(tried.result);
      if (conflict && ++conflicts == kMaxConflicts) {
        return absl::AbortedError(
            absl::StrCat("gave up after ", conflicts,
                         " attempts: other engines kept changing what this concerns first (last: ",
                         tried.result.status().message(), ")"));
      }
      CFLOW_ASSIGN_OR_RETURN(const uint64_t folded,
                             conflict && !tried.stream.empty()
                                 ? CatchUpPastLocked(lock, tried.stream, tried.records)
                                 : CatchUpLocked());
      caught_up = true;
      if (tried.refused) {
        if (folded > 0) continue;
        return std::move(tried.result);  // refused against the latest state
      }
      // Engines that keep colliding on one stream take turns: each waits a
      // random while, longer after each conflict, before deciding again.
      lock.unlock();
      std::this_thread::sleep_for(ConflictBackoff(conflicts));
      lock.lock();
    }
  }

  // A random pause before deciding again after the `conflicts`-th conflict:
  // up to 0.25 ms, doubling, at most 16 ms.
  static std::chrono::microseconds ConflictBackoff(int conflicts) {
    thread_local std::minstd_rand random(std::random_device{}());
    const int64_t cap = int64_t{250} << std::min(conflicts - 1, 6);
    return std::chrono::microseconds(std::uniform_int_distribution<int64_t>(0, cap)(random));
  }

  // Notes in `tried` the stream `events` go to and its records now (a
  // shared store's conflict is read past: CatchUpPastLocked).
  template <typename T>
  void NoteStream(const DecidedEvents& events, Attempt<T>* tried) {
    if (!shared_ || events.empty()) return;
    tried->stream = internal::StreamOf(events[0]);
    const v1::StreamHead* head = state_->FindStream(tried->stream);
    tried->records = head == nullptr ? 0 : head->records();
  }

  // After a conflict on `stream` (decided at `records`): the record that
  // took the version has committed (the database checked), but may not be
  // final yet, as a transaction before it may still be open. Catches up
  // until the state has it, backing off between reads (up to the statement
  // timeout), so that the next decision is not bound to conflict again.
  // Returns how many records were folded.
  absl::StatusOr<uint64_t> CatchUpPastLocked(std::unique_lock<std::mutex>& lock,
                                             const std::string& stream, uint64_t records) {
    uint64_t folded = 0;
    CFLOW_RETURN_IF_ERROR(CatchUpUntilLocked(
                              lock,
                              [&] {
                                const v1::StreamHead* head = state_->FindStream(stream);
                                return head != nullptr && head->records() > records;
                              },
                              std::chrono::milliseconds(5), &folded)
                              .status());
    return folded;
  }

  // Catches up until `reached()` holds or the store's statement timeout
  // has passed, reading again after pauses (0.2 ms, doubling up to
  // `max_pause`) with the lock released. Returns whether it was reached;
  // adds the records folded to *folded. REQUIRES: `lock` holds mu_.
  absl::StatusOr<bool> CatchUpUntilLocked(std::unique_lock<std::mutex>& lock,
                                          absl::FunctionRef<bool()> reached,
                                          std::chrono::microseconds max_pause,
                                          uint64_t* folded = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(options_.store.statement_timeout_ms);
    auto pause = std::chrono::microseconds(200);
    while (true) {
      CFLOW_ASSIGN_OR_RETURN(const uint64_t more, CatchUpLocked());
      if (folded != nullptr) *folded += more;
      if (reached()) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      lock.unlock();
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, max_pause);
      lock.lock();
    }
  }

  // Decides `command` against the state and commits its events.
  // REQUIRES: `lock` holds mu_.
  Attempt<v1::CommandResult> DecideAndCommitLocked(v1::Command& command, absl::Time now,
                                                   bool host_command,
                                                   std::unique_lock<std::mutex>& lock) {
    Attempt<v1::CommandResult> tried;
    tried.refused = true;
    if (host_command) {
      if (command.actor_id() != options_.host_actor_id) {
        tried.result = absl::PermissionDeniedError(
            absl::StrCat("only the host (", options_.host_actor_id, ") may update the directory"));
        return tried;
      }
    } else if (!directory_.HasPerson(command.actor_id())) {
      tried.result = absl::PermissionDeniedError(
          absl::StrCat("actor \"", command.actor_id(), "\" is not in the directory"));
      return tried;
    }
    // The request's record (nothing is dropped before its events are folded,
    // and CommitLocked keeps it until they are durable).
    absl::StatusOr<const v1::RequestRecord*> record = state_->LoadRequest(command.request_id());
    if (!record.ok()) {
      tried.refused = false;  // the store's error
      tried.result = record.status();
      return tried;
    }
    if (absl::Status in_time = CheckTime(now, *record); !in_time.ok()) {
      tried.result = in_time;
      return tried;
    }
    DecidedEvents events;
    DecideContext ctx(directory_, options_.calendar, command, now, *record,
                      state_->RequestHead(command.request_id()), &events, &pipeline_->arena());
    std::optional<TaskGraph> published_graph;
    ctx.published_graph = &published_graph;
    if (*record != nullptr) {
      absl::StatusOr<internal::PlanSchedule*> schedule = schedules_.For(**record);
      if (!schedule.ok()) {
        tried.result = schedule.status();
        return tried;
      }
      ctx.plan_schedule = *schedule;
      if (ctx.plan_schedule != nullptr) ctx.plan_graph = &ctx.plan_schedule->graph();
    }
    if (absl::Status decided = internal::Decide(ctx); !decided.ok()) {
      tried.result = decided;
      return tried;
    }
    tried.refused = false;
    NoteStream(events, &tried);
    tried.result = CommitLocked(events, lock, &published_graph);
    return tried;
  }

  absl::StatusOr<v1::RevisionPreview> PreviewRevision(v1::Command command) {
    if (!command.has_revise_plan()) {
      return absl::InvalidArgumentError("command: a preview needs a revise_plan command");
    }
    CFLOW_ASSIGN_OR_RETURN(
        absl::Time time,
        internal::CheckedFromProto(command.time(), command.has_time(), "command.time"));
    std::unique_lock<std::mutex> lock = LockForReading();
    CFLOW_ASSIGN_OR_RETURN(const v1::RequestRecord* record,
                           state_->LoadRequest(command.request_id()));
    if (record == nullptr) {
      return absl::NotFoundError(absl::StrCat("request \"", command.request_id(), "\" not found"));
    }
    CFLOW_RETURN_IF_ERROR(CheckTime(time, record));
    DecidedEvents scratch;
    const DecideContext ctx(directory_, options_.calendar, command, time, record,
                            state_->RequestHead(command.request_id()), &scratch);
    absl::StatusOr<v1::RevisionPreview> preview = internal::PreviewRevision(ctx);
    TrimLocked();
    return preview;
  }

  // Fires every rung due at `now`, each exactly once (escalations.h); only
  // due timers are visited.
  absl::StatusOr<int> Tick(absl::Time now) {
    CFLOW_RETURN_IF_ERROR(RefuseIfReadOnly("Tick"));
    std::unique_lock<std::mutex> lock(mu_);
    CFLOW_RETURN_IF_ERROR(broken_);
    if (!shared_) {
      DecidedEvents events;
      CFLOW_RETURN_IF_ERROR(DecideTickLocked(now, &events));
      const int count = static_cast<int>(events.size());
      absl::Status committed = CommitLocked(events, lock).status();
      TrimLocked();
      CFLOW_RETURN_IF_ERROR(committed);
      return count;
    }
    // On a shared store other engines tick too: each request's rungs are
    // committed on their own, against its stream's version, so a rung
    // another engine fired first is refused (ABORTED) and, once caught up
    // on, is no longer due. Until nothing due is left.
    int count = 0;
    const auto attempt = [&]() -> Attempt<bool> {
      DecidedEvents events;
      if (absl::Status decided = DecideTickLocked(now, &events); !decided.ok()) {
        return {decided, false};
      }
      // Each request's events on their own, in their order.
      std::vector<std::string> order;
      absl::flat_hash_map<std::string, DecidedEvents> by_request;
      for (v1::Event& e : events) {
        auto [it, added] = by_request.try_emplace(e.request_id());
        if (added) order.push_back(e.request_id());
        it->second.emplace_back().Swap(&e);
      }
      // Each request's records when decided: committing one request reads
      // the others' records before it (FoldInOrderLocked), which may move a
      // later request on; the store's version check would then pass
      // against the new head, so such a request is decided again instead.
      std::vector<uint64_t> decided_at;
      for (const std::string& id : order) {
        const v1::StreamHead* head = state_->RequestHead(id);
        decided_at.push_back(head == nullptr ? 0 : head->records());
      }
      bool progressed = false;
      for (size_t k = 0; k < order.size(); ++k) {
        const std::string& id = order[k];
        const v1::StreamHead* head = state_->RequestHead(id);
        if ((head == nullptr ? 0 : head->records()) != decided_at[k]) return {true, false};
        DecidedEvents& own = by_request[id];
        const int n = static_cast<int>(own.size());
        Attempt<bool> tried;
        NoteStream(own, &tried);
        absl::Status committed = CommitLocked(own, lock).status();
        if (!committed.ok()) {
          // After some were committed, a conflict is decided again afresh.
          if (progressed && absl::IsAborted(committed)) return {true, false};
          tried.result = committed;
          return tried;
        }
        count += n;
        progressed = true;
      }
      return {false, false};
    };
    absl::StatusOr<bool> more = true;
    while (more.ok() && *more) more = DecideOnLatestLocked<bool>(lock, attempt);
    TrimLocked();
    CFLOW_RETURN_IF_ERROR(more.status());
    return count;
  }

  // The events of the rungs due at `now`. REQUIRES: mu_.
  absl::Status DecideTickLocked(absl::Time now, DecidedEvents* events) {
    const std::vector<internal::TimerIndex::DueTimer> due = timers_.DueAt(now);
    // The records of the requests with a due timer (nothing is dropped
    // before the events are folded).
    for (const internal::TimerIndex::DueTimer& timer : due) {
      CFLOW_RETURN_IF_ERROR(state_->LoadRequest(*timer.request_id).status());
    }
    auto record_of = [this](const std::string& id) -> const v1::RequestRecord& {
      return *state_->HeldRequest(id);
    };
    auto plan_graph = [this](const v1::RequestRecord& record) -> const TaskGraph* {
      const absl::StatusOr<internal::PlanSchedule*> kept = schedules_.For(record);
      return kept.ok() && *kept != nullptr ? &(*kept)->graph() : nullptr;
    };
    const internal::EscalationContext ctx{
        record_of, directory_, options_.calendar, timers_.ladder(), options_.host_actor_id,
        now,       plan_graph};
    internal::DecideEscalations(ctx, due, events);
    return absl::OkStatus();
  }

  absl::Status AcknowledgeOutbox(uint64_t up_to) {
    CFLOW_RETURN_IF_ERROR(RefuseIfReadOnly("AcknowledgeOutbox"));
    std::unique_lock<std::mutex> lock(mu_);
    CFLOW_RETURN_IF_ERROR(broken_);
    return DecideOnLatestLocked<bool>(
               lock,
               [&]() -> Attempt<bool> {
                 const v1::EngineState& state = state_->state();
                 if (up_to > state.last_position()) {
                   return {absl::OutOfRangeError(
                               absl::StrCat("cannot acknowledge the outbox up to position ", up_to,
                                            "; the last one is ", state.last_position())),
                           true};
                 }
                 if (up_to <= state.acknowledged_position()) return {true, false};
                 DecidedEvents events;
                 v1::Event& e = events.emplace_back();
                 e.set_actor_id(options_.host_actor_id);
                 internal::ToProto(Now(), e.mutable_time());
                 e.mutable_outbox_acknowledged()->set_up_to_position(up_to);
                 Attempt<bool> tried;
                 NoteStream(events, &tried);
                 absl::Status committed = CommitLocked(events, lock).status();
                 tried.result = committed.ok() ? absl::StatusOr<bool>(true) : committed;
                 return tried;
               })
        .status();
  }

  // Commits `events` and folds them into the state and its indexes
  // (commit_pipeline.h). The records folded into stay held until the
  // events are durable: under group commit the lock is released before,
  // and a record dropped then would be read back without them.
  // REQUIRES: `lock` holds mu_.
  absl::StatusOr<v1::CommandResult> CommitLocked(
      DecidedEvents& events, std::unique_lock<std::mutex>& lock,
      std::optional<TaskGraph>* published_graph = nullptr) {
    absl::InlinedVector<internal::RequestCache::Pin, 1> pins;
    return pipeline_->Commit(
        events, lock, [this](const std::string& stream) { return state_->FindStream(stream); },
        [&](DecidedEvents& committed, absl::Span<const uint64_t> positions) {
          if (shared_) {
            FoldInOrderLocked(absl::MakeSpan(committed), positions, published_graph, &pins);
          } else {
            FoldLocked(absl::MakeSpan(committed), positions, published_graph, &pins);
          }
        });
  }

  // ---- following the other engines of a shared store ----
  // Folds this engine's committed events (as FoldLocked) in position order
  // with the records other engines committed before them: when a record of
  // another engine may lie between the last position folded and this
  // engine's, the store is read up to this engine's records (waiting until
  // every record before them is final) and everything folded in order. So
  // every engine folds the same records in the same order, and their states
  // agree. If that read fails, this engine's events are left to the next
  // catch-up (the records are committed: the store gives them back), which
  // the next call runs first. REQUIRES: mu_, a shared store.
  void FoldInOrderLocked(absl::Span<v1::Event> events, absl::Span<const uint64_t> positions,
                         std::optional<TaskGraph>* published_graph,
                         absl::InlinedVector<internal::RequestCache::Pin, 1>* pins) {
    uint64_t last = state_->state().last_position();
    bool next_in_line = !catch_up_owed_;
    for (uint64_t position : positions) {
      next_in_line &= position == last || position == last + 1;
      last = position;
    }
    if (next_in_line) {
      FoldLocked(events, positions, published_graph, pins);
      return;
    }
    size_t next = 0;  // this engine's first event not folded yet
    absl::Status read = follow_store_->ReadAll(
        state_->state().last_position(), [&](const StoredRecord& record) -> absl::Status {
          if (next < events.size() && record.position == positions[next]) {
            size_t end = next;
            while (end < events.size() && positions[end] == record.position) ++end;
            FoldLocked(events.subspan(next, end - next), positions.subspan(next, end - next),
                       published_graph, pins);
            next = end;
            return absl::OkStatus();
          }
          return FoldStoredLocked(record, /*trim=*/false);  // this command's record is held
        });
    if (!read.ok() || next < events.size()) {
      catch_up_owed_ = true;
      internal::Log(LogLevel::kWarning,
                    absl::StrCat("committed at position ", positions.back(),
                                 ", but reading the records before it failed (read again by the "
                                 "next call): ",
                                 read.ok() ? "the store did not return it" : read.ToString()));
    }
  }

  // Reads the records committed since the last position folded (up to the
  // store's last final one) and folds them. Returns how many. An error
  // leaves what was folded before it, and the next call catches up first.
  // REQUIRES: mu_; on a shared store.
  absl::StatusOr<uint64_t> CatchUpLocked() {
    uint64_t folded = 0;
    absl::Status read =
        follow_store_->ReadAll(state_->state().last_position(), [&](const StoredRecord& record) {
          ++folded;
          return FoldStoredLocked(record, /*trim=*/true);
        });
    catch_up_owed_ = !read.ok();
    CFLOW_RETURN_IF_ERROR(read);
    return folded;
  }

  // Folds a record another engine committed, whole or (an error) not at all;
  // then, with `trim`, drops records beyond the cache's budget.
  absl::Status FoldStoredLocked(const StoredRecord& record, bool trim) {
    if (record.stream == kEngineStream) {
      return absl::DataLossError(absl::StrCat("the record at position ", record.position,
                                              " is of collabflow 0.1 or 0.2's one stream"));
    }
    CFLOW_ASSIGN_OR_RETURN(v1::EventBatch batch,
                           AsDamage(internal::ParseEventBatch(record.position, record.payload)));
    // The record's request is loaded first, so that a load that fails
    // folds nothing of it.
    for (const v1::Event& e : batch.events()) {
      if (!e.request_id().empty()) {
        CFLOW_RETURN_IF_ERROR(state_->LoadRequest(e.request_id()).status());
      }
    }
    DecidedEvents events;
    events.reserve(batch.events_size());
    for (v1::Event& e : *batch.mutable_events()) events.emplace_back().Swap(&e);
    const absl::InlinedVector<uint64_t, 2> positions(events.size(), record.position);
    absl::InlinedVector<internal::RequestCache::Pin, 1> pins;
    FoldLocked(absl::MakeSpan(events), positions, nullptr, &pins);
    pins.clear();
    if (trim) TrimLocked();
    return broken_;
  }

  // The lock for a query: on a shared store, first the catch-up a failed
  // read left owed (this engine's own commits among what it reads), if it
  // succeeds now.
  std::unique_lock<std::mutex> LockForReading() {
    std::unique_lock<std::mutex> lock(mu_);
    if (catch_up_owed_) CatchUpLocked().IgnoreError();
    return lock;
  }

  // Follows the other engines of a shared store on a thread of its own:
  // woken by the store when another engine appended (EventStore::
  // SetAppendListener: PostgreSQL's NOTIFY, sent after each commit), and
  // every kFollowEvery in case a wake-up was lost, it catches up. So a
  // host's queries show the others' commands within a few milliseconds,
  // without a call of its own.
  static constexpr auto kFollowEvery = std::chrono::seconds(1);
  void StartFollowing() {
    follow_store_->SetAppendListener([this](uint64_t position) {
      // This engine's own appends are folded already.
      if (position != 0 && position <= folded_through_.load()) return;
      std::lock_guard<std::mutex> lock(follow_mu_);
      follow_wanted_ = true;
      follow_cv_.notify_one();
    });
    follower_ = std::thread([this] { RunFollower(); });
  }

  void RunFollower() {
    bool failing = false;
    std::unique_lock<std::mutex> wait(follow_mu_);
    while (true) {
      follow_cv_.wait_for(wait, kFollowEvery, [this] { return follow_wanted_ || follow_stop_; });
      if (follow_stop_) return;
      follow_wanted_ = false;
      wait.unlock();
      absl::Status caught_up;
      {
        std::lock_guard<std::mutex> lock(mu_);
        caught_up = CatchUpLocked().status();
        TrimLocked();
      }
      // Told once per outage, not every second.
      if (!caught_up.ok() && !failing) {
        internal::Log(LogLevel::kWarning,
                      absl::StrCat("following the other engines: ", caught_up.ToString()));
      }
      failing = !caught_up.ok();
      wait.lock();
    }
  }

  void StopFollowing() {
    if (!follower_.joinable()) return;
    follow_store_->SetAppendListener(nullptr);
    {
      std::lock_guard<std::mutex> lock(follow_mu_);
      follow_stop_ = true;
    }
    follow_cv_.notify_one();
    follower_.join();
  }

  // Engine::CatchUp.
  absl::Status CatchUp(uint64_t position) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!shared_) {
      if (position <= state_->state().last_position()) return absl::OkStatus();
      return absl::OutOfRangeError(absl::StrCat("position ", position, " is beyond the last, ",
                                                state_->state().last_position(),
                                                " (no other engine writes this store)"));
    }
    CFLOW_ASSIGN_OR_RETURN(const bool reached,
                           CatchUpUntilLocked(
                               lock, [&] { return state_->state().last_position() >= position; },
                               std::chrono::milliseconds(50)));
    if (reached) return absl::OkStatus();
    return absl::DeadlineExceededError(
        absl::StrCat("position ", position, " is not final in the store yet (folded up to ",
                     state_->state().last_position(),
                     "): it was never committed, or a transaction before it is still open"));
  }

  // Folds committed events (positions[i]: event i's record's) into the state
  // and brings the derived indexes up to date. With `published_graph` holding
  // the graph a plan publication checked, keeps it as that plan's schedule.
  void FoldLocked(absl::Span<v1::Event> events, absl::Span<const uint64_t> positions,
                  std::optional<TaskGraph>* published_graph,
                  absl::InlinedVector<internal::RequestCache::Pin, 1>* pins) {
    absl::InlinedVector<std::string, 2> touched;  // a command concerns one request or few
    bool directory_changed = false;
    for (size_t i = 0; i < events.size(); ++i) {
      v1::Event& e = events[i];
      if (!e.request_id().empty() &&
          std::find(touched.begin(), touched.end(), e.request_id()) == touched.end()) {
        touched.push_back(e.request_id());
      }
      schedules_.Note(e);
      directory_changed |= e.has_directory_updated();
      // The records folded into are held (just loaded, or new): nothing to
      // load, nothing to fail.
      const absl::Status applied = state_->Apply(&e, positions[i]);
      if (!applied.ok() && broken_.ok()) broken_ = applied;
    }
    if (directory_changed) {
      absl::StatusOr<internal::DirectoryIndex> index =
          internal::DirectoryIndex::Build(state_->state().directory());
      if (index.ok()) directory_ = std::move(*index);  // validated when decided
    }
    const auto record_of = [this](const std::string& id) -> const v1::RequestRecord& {
      return *state_->HeldRequest(id);
    };
    for (const std::string& id : touched) {
      timers_.Refresh(id, &record_of(id).open_dues());
      pins->push_back(state_->Pin(id));
    }
    schedules_.Settle(record_of, published_graph);
    folded_through_.store(state_->state().last_position());
    MaybeSnapshotLocked();
  }

  // ---- snapshots ----
  // Engine::WriteSnapshot.
  absl::Status WriteSnapshot();
  // Has the store keep the request snapshots the loads queued.
  absl::Status WriteRequestSnapshots();

  // Asks the background writer for a snapshot once the journal has grown by
  // EngineOptions::snapshot_every_records since the last one (starting the
  // writer's thread the first time). REQUIRES: mu_.
  void MaybeSnapshotLocked() {
    if (options_.snapshot_every_records == 0 || options_.store_dir.empty() ||
        state_->state().last_position() < next_snapshot_at_) {
      return;
    }
    next_snapshot_at_ = UINT64_MAX;  // until the snapshot asked for is captured
    WakeWriter(/*snapshot=*/true);
  }

  // Asks the background writer for a snapshot (and the request snapshots
  // queued) or for the request snapshots alone, starting its thread the
  // first time.
  void WakeWriter(bool snapshot) {
    std::lock_guard<std::mutex> lock(writer_mu_);
    (snapshot ? writer_wanted_ : writer_requests_) = true;
    if (!writer_.joinable()) writer_ = std::thread([this] { RunSnapshotWriter(); });
    writer_cv_.notify_one();
  }

  void RunSnapshotWriter() {
    std::unique_lock<std::mutex> lock(writer_mu_);
    while (true) {
      writer_cv_.wait(lock, [this] { return writer_wanted_ || writer_requests_ || writer_stop_; });
      if (!writer_wanted_ && !writer_requests_) return;  // stopping, with nothing asked for
      const bool snapshot = writer_wanted_;
      writer_wanted_ = writer_requests_ = false;
      lock.unlock();
      // A failed snapshot is retried once as many records more have come;
      // the host sees it in its log callback, or by calling WriteSnapshot.
      if (absl::Status s = snapshot ? WriteSnapshot() : WriteRequestSnapshots(); !s.ok()) {
        internal::Log(LogLevel::kWarning,
                      absl::StrCat("the engine's snapshot writer: ", s.ToString()));
      }
      lock.lock();
    }
  }

  // How many changed summaries a snapshot copies per hold of the lock
  // (about 3 us each).
  static constexpr size_t kSummariesPerHold = 8;

  // Where the writer is asked for the snapshot after one covering `covers`.
  uint64_t NextSnapshotAt(uint64_t covers) const {
    const uint64_t every = options_.snapshot_every_records;
    return every == 0 || covers > UINT64_MAX - every ? UINT64_MAX : covers + every;
  }

  void StopSnapshotWriter() {
    {
      std::lock_guard<std::mutex> lock(writer_mu_);
      writer_stop_ = true;
    }
    writer_cv_.notify_one();
    if (writer_.joinable()) writer_.join();
  }

  // Drops the records beyond the cache's budget, and their kept schedules;
  // hands the request snapshots the loads queued to the writer. REQUIRES: mu_.
  void TrimLocked() {
    state_->Trim([this](const std::string& id) { schedules_.Forget(id); });
    if (state_->has_due_request_snapshots()) WakeWriter(/*snapshot=*/false);
  }

  EngineOptions options_;
  mutable std::mutex mu_;   // std::mutex: TSan sees it (Debian's Abseil is uninstrumented)
  std::mutex snapshot_mu_;  // one WriteSnapshot at a time; taken before mu_
  // The position the snapshot the state tracks changes from covers (0: it
  // tracks none; the next snapshot is written whole). Guarded by
  // snapshot_mu_ (and set by Open).
  uint64_t snapshot_followed_ = 0;
  // The last position at which the background writer is asked for the next
  // snapshot (UINT64_MAX while one is asked for). Guarded by mu_.
  uint64_t next_snapshot_at_ = UINT64_MAX;
  // The background writer (snapshot_every_records): a thread started at the
  // first snapshot it writes, stopped first when the engine closes (after
  // writing the snapshot asked for, if any).
  std::mutex writer_mu_;  // after mu_; guards the flags
  std::condition_variable writer_cv_;
  bool writer_wanted_ = false;
  bool writer_requests_ = false;  // request snapshots queued
  bool writer_stop_ = false;
  std::thread writer_;
  // Guarded by mu_ (the pipeline's store is thread-safe itself).
  std::optional<internal::CommitPipeline> pipeline_;  // set by Open
  // Set by Open. Mutable: a query loads the record it reads.
  mutable std::optional<internal::FoldedState> state_;
  // A fold that failed (a record that could not be loaded, which a command
  // pins first: never expected): every later command gets it.
  absl::Status broken_;
  // Whether other engines commit to the store too (EventStore::shared), and
  // the store they are followed in (without the progress reports). Set by
  // Open.
  bool shared_ = false;
  EventStore* follow_store_ = nullptr;
  // The state's last position, for the store's wake-ups (which come on a
  // thread of the store's, without the lock).
  std::atomic<uint64_t> folded_through_{0};
  // The follower (StartFollowing): woken by the store, or every
  // kFollowEvery. follow_mu_ is taken before mu_, never inside it.
  std::mutex follow_mu_;
  std::condition_variable follow_cv_;
  bool follow_wanted_ = false;
  bool follow_stop_ = false;
  std::thread follower_;
  // A read of others' records failed after this engine committed: the next
  // call catches up first. Guarded by mu_.
  bool catch_up_owed_ = false;
  internal::DirectoryIndex directory_;
  // Derived from the state and kept up to date as it folds. Mutable: queries
  // build a plan's schedule on first use.
  internal::TimerIndex timers_;
  mutable internal::PlanScheduleCache schedules_;
};

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  if (options.clock_tolerance < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "clock_tolerance: ", absl::FormatDuration(options.clock_tolerance), " is negative"));
  }
  auto impl = std::make_unique<Impl>(std::move(options));
  CFLOW_RETURN_IF_ERROR(impl->Open());
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

absl::StatusOr<v1::CommandResult> Engine::Execute(v1::Command command) {
  return impl_->Execute(std::move(command));
}

absl::StatusOr<v1::RevisionPreview> Engine::PreviewRevision(v1::Command command) const {
  return impl_->PreviewRevision(std::move(command));
}

absl::StatusOr<int> Engine::Tick(absl::Time now) { return impl_->Tick(now); }

absl::StatusOr<v1::RequestView> Engine::GetRequest(absl::string_view request_id) const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  CFLOW_ASSIGN_OR_RETURN(const v1::RequestRecord* record, impl_->state_->LoadRequest(request_id));
  if (record == nullptr) {
    return absl::NotFoundError(absl::StrCat("request \"", request_id, "\" not found"));
  }
  v1::RequestView view = internal::BuildRequestView(*record, impl_->directory_);
  impl_->TrimLocked();
  return view;
}

std::vector<std::string> Engine::RequestIds() const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  std::vector<std::string> ids;
  impl_->state_->ForEachRequest([&](const std::string& id) { ids.push_back(id); });
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<v1::ScheduleView> Engine::GetSchedule(absl::string_view request_id) const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  CFLOW_ASSIGN_OR_RETURN(const v1::RequestRecord* record, impl_->state_->LoadRequest(request_id));
  if (record == nullptr) {
    return absl::NotFoundError(absl::StrCat("request \"", request_id, "\" not found"));
  }
  absl::StatusOr<v1::ScheduleView> view = [&]() -> absl::StatusOr<v1::ScheduleView> {
    CFLOW_ASSIGN_OR_RETURN(internal::PlanSchedule * kept, impl_->schedules_.For(*record));
    if (kept == nullptr) return internal::BuildScheduleView(*record, impl_->options_.calendar);
    return kept->View(*record, impl_->options_.calendar);
  }();
  impl_->TrimLocked();
  return view;
}

v1::OverdueList Engine::Overdue(absl::Time at) const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  // Only what is overdue, found through the timer index; the due items from
  // the summaries or the held records, nothing loaded.
  std::vector<const v1::DueItem*> dues;
  for (const internal::TimerIndex::DueTimer& due : impl_->timers_.OverdueAt(at)) {
    dues.push_back(&impl_->state_->DuesOf(*due.request_id).open->Get(static_cast<int>(due.due)));
  }
  return internal::OverdueOf(std::move(dues));
}

absl::StatusOr<v1::MustDoList> Engine::MustDo(absl::string_view person_id, absl::Time at) const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  if (!impl_->directory_.HasPerson(person_id)) {
    return absl::NotFoundError(absl::StrCat("person \"", person_id, "\" is not in the directory"));
  }
  // Only what the person owes, in due time order (the index), not every
  // request; the due items from the summaries or the held records, nothing
  // loaded.
  const std::vector<internal::TimerIndex::DueTimer> owed = impl_->timers_.OwedBy(person_id);
  std::vector<internal::ListedDue> listed;
  listed.reserve(owed.size());
  for (const internal::TimerIndex::DueTimer& due : owed) {
    const internal::FoldedState::Dues dues = impl_->state_->DuesOf(*due.request_id);
    listed.push_back({due.request_id, dues.topic, &dues.open->Get(static_cast<int>(due.due))});
  }
  return internal::MustDoOf(person_id, std::move(listed), at);
}

std::string Engine::SuperiorOf(absl::string_view person_id) const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  return impl_->directory_.SuperiorOf(person_id);
}

std::vector<std::string> Engine::ActorsFor(absl::string_view department_id) const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  return impl_->directory_.ActorsFor(department_id);
}

std::vector<v1::Notification> Engine::ReadOutbox(uint64_t after, size_t max) const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  return impl_->state_->ReadOutbox(after, max);
}

absl::Status Engine::AcknowledgeOutbox(uint64_t up_to) { return impl_->AcknowledgeOutbox(up_to); }

absl::Status Engine::CatchUp(uint64_t position) { return impl_->CatchUp(position); }

uint64_t Engine::LastPosition() const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  return impl_->state_->state().last_position();
}

absl::Status Engine::ReadEvents(uint64_t after,
                                absl::FunctionRef<absl::Status(const v1::Event&)> fn) const {
  return impl_->pipeline_->store().ReadAll(after, [&](const StoredRecord& record) {
    CFLOW_ASSIGN_OR_RETURN(v1::EventBatch batch,
                           internal::ParseEventBatch(record.position, record.payload));
    for (v1::Event& e : *batch.mutable_events()) {
      e.set_position(record.position);
      CFLOW_RETURN_IF_ERROR(fn(e));
    }
    return absl::OkStatus();
  });
}

std::string Engine::StateBytes() const {
  std::unique_lock<std::mutex> lock = impl_->LockForReading();
  return impl_->state_->Serialize();
}

absl::Status Engine::WriteSnapshot() { return impl_->WriteSnapshot(); }

absl::Status Engine::Impl::WriteSnapshot() {
  CFLOW_RETURN_IF_ERROR(RefuseIfReadOnly("WriteSnapshot"));
  // Under the engine's lock only what changed since the last snapshot is
  // copied out (index_snapshot.h), a few summaries per hold; it is merged
  // with that snapshot's bytes, and the file written (and synced), with the
  // lock released, so commands go on meanwhile. Without a snapshot to follow
  // (none yet, or one that could not be used), the whole index is copied
  // out under the lock. One snapshot at a time, so they reach the store in
  // the order they cover.
  std::lock_guard<std::mutex> one_at_a_time(snapshot_mu_);
  EventStore& store = pipeline_->store();
  uint64_t covers = 0;
  std::string index;
  std::optional<internal::IndexChanges> changes;
  std::optional<internal::FoldedState::Capture> capture;
  bool more = false;
  {
    std::unique_lock<std::mutex> lock = pipeline_->Settled(mu_);
    covers = state_->state().last_position();  // on a shared store, others' may be beyond
    next_snapshot_at_ = NextSnapshotAt(covers);
    if (covers > 0 && covers == snapshot_followed_) return absl::OkStatus();  // nothing new
    if (snapshot_followed_ > 0) {
      capture = state_->BeginCapture();
    } else {
      index = state_->Serialize();
      state_->StartTracking();
    }
  }
  if (capture.has_value()) {
    internal::FoldedState::SettleCapture(&*capture);
    more = true;
  }
  // The changed summaries a few at a time, the lock let go between (so
  // commands wait for a few summaries' copying at most; settled each time:
  // a summary captured never counts a record that is not durable).
  while (more) {
    internal::PauseForWaiters();
    std::unique_lock<std::mutex> lock = pipeline_->Settled(mu_);
    more = state_->CaptureSummaries(&*capture, kSummariesPerHold);
  }
  if (capture.has_value()) changes = std::move(capture->changes);
  if (changes.has_value()) {
    absl::StatusOr<std::optional<EventStore::Snapshot>> previous = store.LatestSnapshot();
    absl::StatusOr<std::string> merged =
        !previous.ok() ? absl::StatusOr<std::string>(previous.status())
        : !previous->has_value() || (*previous)->covers != snapshot_followed_
            ? absl::FailedPreconditionError("the snapshot the changes follow is gone")
            : internal::MergeIndexChanges((*previous)->state, *std::move(changes));
    if (merged.ok()) {
      index = *std::move(merged);
    } else {
      // The whole index then, as of now.
      std::unique_lock<std::mutex> lock = pipeline_->Settled(mu_);
      covers = state_->state().last_position();  // on a shared store, others' may be beyond
      next_snapshot_at_ = NextSnapshotAt(covers);
      index = state_->Serialize();
      state_->StartTracking();
    }
  }
  absl::Status written = store.WriteSnapshot(covers, index);
  if (written.ok()) {
    snapshot_followed_ = covers;
  } else {
    // The changes captured are not in a snapshot: the next one is whole.
    std::lock_guard<std::mutex> lock(mu_);
    state_->StopTracking();
    snapshot_followed_ = 0;
  }
  written.Update(WriteRequestSnapshots());
  return written;
}

absl::Status Engine::Impl::WriteRequestSnapshots() {
  std::vector<internal::FoldedState::RequestSnapshotBytes> due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    due = state_->TakeDueRequestSnapshots();
  }
  // Each is only a faster load later: one that fails is reported, and the
  // request's next long load queues it again.
  absl::Status status;
  for (const internal::FoldedState::RequestSnapshotBytes& r : due) {
    absl::Status kept = pipeline_->store().WriteStreamSnapshot(
        internal::RequestStream(r.request_id), r.records, r.bytes);
    if (kept.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      state_->RequestSnapshotKept(r.request_id, r.records);
    } else if (status.ok()) {
      status = absl::Status(
          kept.code(), absl::StrCat("request \"", r.request_id, "\"'s snapshot: ", kept.message()));
    }
  }
  return status;
}

const Calendar& Engine::calendar() const { return impl_->options_.calendar; }

absl::Status Engine::VerifyHistory() const {
  std::unique_lock<std::mutex> lock = impl_->pipeline_->Settled(impl_->mu_);
  return internal::VerifyStoredHistory(impl_->pipeline_->store(), *impl_->state_);
}

absl::StatusOr<RequestHistory> Engine::ReadRequestHistory(absl::string_view request_id) const {
  std::unique_lock<std::mutex> lock = impl_->pipeline_->Settled(impl_->mu_);
  CFLOW_ASSIGN_OR_RETURN(const v1::RequestRecord* record, impl_->state_->LoadRequest(request_id));
  if (record == nullptr) {
    return absl::NotFoundError(absl::StrCat("request \"", request_id, "\" not found"));
  }
  absl::StatusOr<RequestHistory> history =
      internal::ReadRequestHistory(impl_->pipeline_->store(), *impl_->state_, request_id, *record);
  impl_->TrimLocked();
  if (history.ok()) history->read_at = impl_->Now();
  return history;
}

}  // namespace collabflow
