#include "collabflow/engine.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "engine/commands/acceptance_commands.h"
#include "engine/commands/authorization.h"
#include "engine/commands/notifications.h"
#include "engine/commands/plan_commands.h"
#include "engine/commands/request_commands.h"
#include "engine/commands/revision_commands.h"
#include "engine/commands/tracking_commands.h"
#include "engine/journal/hash_chain.h"
#include "engine/journal/request_history.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/directory_index.h"
#include "engine/state/outbox_log.h"
#include "engine/state/plan_check.h"
#include "engine/state/plan_schedule.h"
#include "engine/state/receivers.h"
#include "engine/state/schedule_view.h"
#include "engine/state/state_fold.h"
#include "engine/state/time_rules.h"
#include "records/archive_bundle.h"
#include "records/process_record.h"
#include "report/request_report.h"
#include "store/progress_store.h"
#include "wire/proto_io.h"
#include "wire/time_proto.h"

namespace collabflow {

using internal::DecideContext;
using internal::DirectoryIndex;

class Engine::Impl {
 public:
  explicit Impl(EngineOptions options) : options_(std::move(options)) {}

  absl::Status Recover() {
    CFLOW_ASSIGN_OR_RETURN(std::optional<EventStore::Snapshot> snapshot, store_->LatestSnapshot());
    uint64_t after = 0;
    if (snapshot.has_value()) {
      // Journal records and events are numbered separately (a record holds
      // one command's events); the store pairs the snapshot with its record.
      CFLOW_RETURN_IF_ERROR(internal::ParseBinary(snapshot->state, &state_));
      CFLOW_RETURN_IF_ERROR(outbox_.TakeFrom(state_.mutable_outbox()));
      after = snapshot->covers;
    }
    CFLOW_RETURN_IF_ERROR(store_->ReadFrom(after, [&](uint64_t seq, absl::string_view payload) {
      v1::EventBatch batch;
      if (!batch.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        return absl::DataLossError(absl::StrCat("journal record ", seq, " is not an event batch"));
      }
      for (v1::Event& e : *batch.mutable_events()) internal::ApplyEvent(&e, &state_, &outbox_);
      return absl::OkStatus();
    }));
    CFLOW_ASSIGN_OR_RETURN(directory_, DirectoryIndex::Build(state_.directory()));
    for (const auto& [id, record] : state_.requests()) RefreshTimersLocked(id);
    return absl::OkStatus();
  }

  absl::Time Now() const {
    return options_.clock != nullptr ? options_.clock->Now() : SystemClock::Get().Now();
  }

  absl::StatusOr<v1::CommandResult> Execute(v1::Command command) {
    // The envelope.
    if (!command.has_time()) internal::ToProto(Now(), command.mutable_time());
    CFLOW_ASSIGN_OR_RETURN(absl::Time now,
                           internal::CheckedFromProto(command.time(), true, "command.time"));
    CFLOW_RETURN_IF_ERROR(internal::CheckId("command.actor_id", command.actor_id()));
    if (command.payload_case() == v1::Command::PAYLOAD_NOT_SET) {
      return absl::InvalidArgumentError("command: no payload (which command is it?)");
    }
    const bool host_command = command.has_update_directory();
    if (!host_command) {
      CFLOW_RETURN_IF_ERROR(internal::CheckId("command.request_id", command.request_id()));
    }

    std::unique_lock<std::mutex> lock(mu_);
    CFLOW_RETURN_IF_ERROR(failed_);  // a failed append: nothing more until reopened
    if (host_command) {
      if (command.actor_id() != options_.host_actor_id) {
        return absl::PermissionDeniedError(
            absl::StrCat("only the host (", options_.host_actor_id, ") may update the directory"));
      }
    } else if (!directory_.HasPerson(command.actor_id())) {
      return absl::PermissionDeniedError(
          absl::StrCat("actor \"", command.actor_id(), "\" is not in the directory"));
    }
    auto it = state_.requests().find(command.request_id());
    internal::DecidedEvents events;
    const v1::RequestRecord* record = it == state_.requests().end() ? nullptr : &it->second;
    DecideContext ctx{state_, directory_, options_.calendar, command, now, record, &events};
    ctx.spare = &spare_events_;
    std::optional<TaskGraph> published_graph;
    ctx.published_graph = &published_graph;
    if (record != nullptr) {
      CFLOW_ASSIGN_OR_RETURN(ctx.plan_schedule, PlanScheduleLocked(*record));
      if (ctx.plan_schedule != nullptr) ctx.plan_graph = &ctx.plan_schedule->graph();
    }
    switch (command.payload_case()) {
      case v1::Command::kCreateRequest:
        CFLOW_RETURN_IF_ERROR(internal::DecideCreateRequest(ctx));
        break;
      case v1::Command::kSubmitRequest:
        CFLOW_RETURN_IF_ERROR(internal::DecideSubmitRequest(ctx));
        break;
      case v1::Command::kReviseRequest:
        CFLOW_RETURN_IF_ERROR(internal::DecideReviseRequest(ctx));
        break;
      case v1::Command::kRespond:
        CFLOW_RETURN_IF_ERROR(internal::DecideRespond(ctx));
        break;
      case v1::Command::kCancel:
        CFLOW_RETURN_IF_ERROR(internal::DecideCancel(ctx));
        break;
      case v1::Command::kRecordKickoff:
        CFLOW_RETURN_IF_ERROR(internal::DecideRecordKickoff(ctx));
        break;
      case v1::Command::kPublishPlan:
        CFLOW_RETURN_IF_ERROR(internal::DecidePublishPlan(ctx));
        break;
      case v1::Command::kUpdateDirectory: {
        // Validated here; the index itself is rebuilt when the event applies.
        CFLOW_RETURN_IF_ERROR(
            DirectoryIndex::Build(command.update_directory().directory()).status());
        v1::Event& e = ctx.Emit();
        e.clear_request_id();
        *e.mutable_directory_updated()->mutable_directory() =
            command.update_directory().directory();
        break;
      }
      case v1::Command::kStartTask:
        CFLOW_RETURN_IF_ERROR(internal::DecideStartTask(ctx));
        break;
      case v1::Command::kReportProgress:
        CFLOW_RETURN_IF_ERROR(internal::DecideReportProgress(ctx));
        break;
      case v1::Command::kRaiseRisk:
        CFLOW_RETURN_IF_ERROR(internal::DecideRaiseRisk(ctx));
        break;
      case v1::Command::kRespondToRisk:
        CFLOW_RETURN_IF_ERROR(internal::DecideRespondToRisk(ctx));
        break;
      case v1::Command::kResolveRisk:
        CFLOW_RETURN_IF_ERROR(internal::DecideResolveRisk(ctx));
        break;
      case v1::Command::kRequestResource:
        CFLOW_RETURN_IF_ERROR(internal::DecideRequestResource(ctx));
        break;
      case v1::Command::kDecideResource:
        CFLOW_RETURN_IF_ERROR(internal::DecideDecideResource(ctx));
        break;
      case v1::Command::kRevisePlan:
        CFLOW_RETURN_IF_ERROR(internal::DecideRevisePlan(ctx));
        break;
      case v1::Command::kRecordMinutes:
        CFLOW_RETURN_IF_ERROR(internal::DecideRecordMinutes(ctx));
        break;
      case v1::Command::kRecordChannel:
        CFLOW_RETURN_IF_ERROR(internal::DecideRecordChannel(ctx));
        break;
      case v1::Command::kSubmitDeliverables:
        CFLOW_RETURN_IF_ERROR(internal::DecideSubmitDeliverables(ctx));
        break;
      case v1::Command::kReviewSubmission:
        CFLOW_RETURN_IF_ERROR(internal::DecideReviewSubmission(ctx));
        break;
      case v1::Command::kSubmitFinal:
        CFLOW_RETURN_IF_ERROR(internal::DecideSubmitFinal(ctx));
        break;
      case v1::Command::kReviewFinal:
        CFLOW_RETURN_IF_ERROR(internal::DecideReviewFinal(ctx));
        break;
      case v1::Command::kArchiveRequest:
        CFLOW_RETURN_IF_ERROR(internal::DecideArchive(ctx));
        break;
      case v1::Command::PAYLOAD_NOT_SET:
        break;
    }
    return CommitLocked(events, lock, &published_graph);
  }

  // Numbers the events and their notifications, seals them into the hash
  // chain as one journal record, and folds them into the state; returns once
  // the record is durable. The events are used up (their contents move into
  // the state; a few are kept, cleared, for reuse). REQUIRES: `lock` holds
  // mu_; it holds it again on return.
  //
  // Under kGroupCommit the record is enqueued and applied under the lock,
  // and the lock is released while the store syncs, so that concurrent
  // commands share one sync; the next command may be decided on a state
  // that is not yet durable, but its record follows this one in the journal,
  // so it is never durable without it. Otherwise the lock is held across the
  // append and nothing is applied unless the record is durable. A failed
  // append fails this command and, the store being poisoned, every later one
  // until the engine is reopened (which recovers what reached the disk).
  absl::StatusOr<v1::CommandResult> CommitLocked(
      internal::DecidedEvents& events, std::unique_lock<std::mutex>& lock,
      std::optional<TaskGraph>* published_graph = nullptr) {
    v1::CommandResult result;
    if (events.empty()) return result;
    CFLOW_RETURN_IF_ERROR(failed_);
    uint64_t seq = state_.last_sequence();
    uint64_t notification = state_.last_notification_id();
    // The head is written over the last command's head buffer (no allocation).
    if (state_.head_hash().empty()) {
      head_buffer_ = internal::GenesisHash();
    } else {
      head_buffer_.assign(state_.head_hash());
    }
    internal::SealedBatchWriter batch(std::move(head_buffer_), std::move(record_buffer_));
    for (v1::Event& e : events) {
      e.set_sequence(++seq);
      for (v1::Notification& n : *e.mutable_notifications()) n.set_id(++notification);
      batch.Seal(&e);  // tamper evidence (hash_chain.h)
      result.add_event_kinds(EventKind(e));
    }
    result.set_first_sequence(state_.last_sequence() + 1);
    result.set_last_sequence(seq);
    if (options_.store.durability != Durability::kGroupCommit) {
      const absl::Status appended = store_->Append(batch.wire()).status();
      // The next record is written over this one's buffer, unless a large
      // record (a big plan) left it too big to keep.
      constexpr size_t kKeptRecordBufferBytes = size_t{1} << 20;
      head_buffer_ = batch.TakeHead();
      record_buffer_ = batch.TakeWire();
      if (record_buffer_.capacity() > kKeptRecordBufferBytes) record_buffer_ = std::string();
      CFLOW_RETURN_IF_ERROR(appended);
      ApplyLocked(events, published_graph);
      KeepSpareEventsLocked(events);
      return result;
    }
    head_buffer_ = batch.TakeHead();
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<EventStore::PendingRecord> pending,
                           store_->Enqueue(batch.TakeWire()));
    ApplyLocked(events, published_graph);
    KeepSpareEventsLocked(events);
    ++in_flight_;
    lock.unlock();
    const absl::Status durable = store_->Wait(std::move(pending)).status();
    lock.lock();
    if (!durable.ok() && failed_.ok()) failed_ = durable;
    if (--in_flight_ == 0) settled_.notify_all();
    CFLOW_RETURN_IF_ERROR(durable);
    return result;
  }

  // Keeps a few folded events, cleared, for the next commands to reuse
  // (DecideContext::Emit): their strings keep their buffers, so a command
  // allocates fewer and frees fewer.
  void KeepSpareEventsLocked(internal::DecidedEvents& events) {
    constexpr size_t kMaxSpare = 8;
    // A large event (a big plan's notices) is not kept: its cleared strings
    // would hold their memory for commands that need little.
    constexpr int kMaxSpareEventBytes = 64 << 10;
    for (v1::Event& e : events) {
      if (spare_events_.size() >= kMaxSpare) break;
      if (e.GetCachedSize() > kMaxSpareEventBytes) continue;  // the size sealed
      // Clear() would delete the time message; Emit sets it again anyway.
      google::protobuf::Timestamp* time = e.release_time();
      e.Clear();
      if (time != nullptr) e.set_allocated_time(time);
      spare_events_.push_back(std::move(e));
    }
  }

  // Folds committed events into the state and the derived indexes. With
  // `published_graph` holding the graph a plan publication checked, keeps it
  // as that plan's schedule.
  void ApplyLocked(internal::DecidedEvents& events,
                   std::optional<TaskGraph>* published_graph = nullptr) {
    absl::InlinedVector<std::string, 2> touched;  // a command concerns one request or few
    absl::InlinedVector<std::pair<std::string, bool>, 1> resync;  // request, plan changed
    std::string published;  // the request whose plan was published, if any
    bool directory_changed = false;
    for (v1::Event& e : events) {
      if (!e.request_id().empty()) {
        if (std::find(touched.begin(), touched.end(), e.request_id()) == touched.end()) {
          touched.push_back(e.request_id());
        }
        NoteScheduleChange(e, &resync);
        if (e.has_plan_published()) published = e.request_id();
      }
      directory_changed |= e.has_directory_updated();
      // Moves the event's contents into the state; copies its notifications
      // into the outbox (the event keeps them for reuse).
      internal::ApplyEvent(&e, &state_, &outbox_);
    }
    if (directory_changed) {
      absl::StatusOr<DirectoryIndex> index = DirectoryIndex::Build(state_.directory());
      if (index.ok()) directory_ = std::move(*index);  // validated when decided
    }
    for (const std::string& id : touched) RefreshTimersLocked(id);
    for (const auto& [id, plan_changed] : resync) SyncPlanScheduleLocked(id, plan_changed);
    if (!published.empty() && published_graph != nullptr && published_graph->has_value()) {
      absl::StatusOr<std::unique_ptr<internal::PlanSchedule>> kept =
          internal::PlanSchedule::FromCheckedGraph(
              std::move(**published_graph), state_.requests().at(published), options_.calendar);
      if (kept.ok()) plan_schedules_[published] = std::move(*kept);  // else built on first use
    }
  }

  // Which events move a kept plan schedule (plan_schedule.h): publication
  // drops it (rebuilt on next use), a revision edits it, and a start, a
  // progress report or a passed review change actual dates.
  void NoteScheduleChange(const v1::Event& e,
                          absl::InlinedVector<std::pair<std::string, bool>, 1>* resync) {
    if (e.has_plan_published()) {
      plan_schedules_.erase(e.request_id());
      return;
    }
    const bool plan_changed = e.has_plan_revised();
    if (!plan_changed && !e.has_task_started() && !e.has_progress_reported() &&
        !e.has_submission_reviewed()) {
      return;
    }
    for (auto& [id, changed] : *resync) {
      if (id == e.request_id()) {
        changed |= plan_changed;
        return;
      }
    }
    resync->emplace_back(e.request_id(), plan_changed);
  }

  void SyncPlanScheduleLocked(const std::string& request_id, bool plan_changed) {
    auto it = plan_schedules_.find(request_id);
    if (it == plan_schedules_.end()) return;  // built on first use
    if (!plan_changed) {
      it->second->MarkActualsChanged();  // read at the next view
      return;
    }
    const absl::Status synced =
        it->second->Sync(state_.requests().at(request_id), options_.calendar);
    if (!synced.ok()) plan_schedules_.erase(it);  // rebuilt from scratch on next use
  }

  // Holds mu_ once no commit is waiting for its sync (kGroupCommit), so that
  // the state and the store's history agree: for reads that use both.
  std::unique_lock<std::mutex> SettledLock() const {
    std::unique_lock<std::mutex> lock(mu_);
    settled_.wait(lock, [this] { return in_flight_ == 0; });
    return lock;
  }

  // The event's payload field name ("response_recorded"), as results report it.
  static const std::string& EventKind(const v1::Event& e) {
    // Looked up once per payload kind: a descriptor lookup per event showed
    // in profiles of simple commands.
    static const auto* const names = [] {
      auto* by_number = new absl::flat_hash_map<int, const std::string*>();
      const google::protobuf::OneofDescriptor* payload =
          v1::Event::descriptor()->FindOneofByName("payload");
      for (int i = 0; i < payload->field_count(); ++i) {
        (*by_number)[payload->field(i)->number()] = &payload->field(i)->name();
      }
      return by_number;
    }();
    static const std::string none;
    auto it = names->find(e.payload_case());
    return it == names->end() ? none : *it->second;
  }

  // The request's published plan as a task graph with its schedule, kept
  // up to date across commands (plan_schedule.h); nullptr without a plan.
  absl::StatusOr<internal::PlanSchedule*> PlanScheduleLocked(
      const v1::RequestRecord& record) const {
    if (record.plan().tasks_size() == 0) return nullptr;
    auto it = plan_schedules_.find(record.request().id());
    if (it == plan_schedules_.end()) {
      CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<internal::PlanSchedule> built,
                             internal::PlanSchedule::Build(record, options_.calendar));
      it = plan_schedules_.emplace(record.request().id(), std::move(built)).first;
    }
    return it->second.get();
  }

  // The plan's graph, for decisions (task i of the plan = handle i).
  absl::StatusOr<const TaskGraph*> PlanGraphLocked(const v1::RequestRecord& record) {
    CFLOW_ASSIGN_OR_RETURN(internal::PlanSchedule * kept, PlanScheduleLocked(record));
    return kept == nullptr ? nullptr : &kept->graph();
  }

  // ---- timers: the next rung of every open due item, in time order ----
  // A timer: when the next rung of open due item `due` (its index in the
  // record's open_dues) of request `request` (an index into request_ids_)
  // fires. A request's timers are rebuilt whenever it changes, so the
  // indices stay valid between changes.
  struct TimerKey {
    absl::Time when;
    uint32_t request;
    uint32_t due;
    bool operator<(const TimerKey& o) const {
      return std::tie(when, request, due) < std::tie(o.when, o.request, o.due);
    }
    bool operator==(const TimerKey& o) const {
      return when == o.when && request == o.request && due == o.due;
    }
  };

  int MaxRung() const { return 1 + std::max(0, options_.max_escalation_levels); }

  uint32_t RequestIndexLocked(const std::string& request_id) {
    auto [it, inserted] =
        request_index_.try_emplace(request_id, static_cast<uint32_t>(request_ids_.size()));
    if (inserted) {
      request_ids_.push_back(request_id);
      timer_keys_.emplace_back();
      owers_.emplace_back();
    }
    return it->second;
  }

  // Brings the request's timers and its entries in the per-person index of
  // open dues (what MustDo reads) up to date after the request changed.
  // Only the difference touches the shared ordered indexes (B-trees as large
  // as the engine's open dues, whose lookups miss the cache): a command
  // usually opens or closes one due and leaves the others alone.
  void RefreshTimersLocked(const std::string& request_id) {
    auto it = state_.requests().find(request_id);
    const v1::RequestRecord* record = it == state_.requests().end() ? nullptr : &it->second;
    uint32_t index = 0;
    if (record != nullptr && record->open_dues_size() > 0) {
      index = RequestIndexLocked(request_id);
    } else {
      // Nothing open: only a request that had timers or owers has anything
      // to drop (a new request has neither, nor an index yet).
      auto found = request_index_.find(request_id);
      if (found == request_index_.end()) return;
      index = found->second;
      if (timer_keys_[index].empty() && owers_[index].empty()) return;
    }
    // Views into the state and keys on the stack: a request has few open
    // dues and fewer owers, and a refresh usually changes nothing stored.
    absl::InlinedVector<absl::string_view, 4> owers;
    absl::InlinedVector<TimerKey, 4> keys;
    if (record != nullptr) {
      const auto& dues = record->open_dues();
      for (const v1::DueItem& due : dues) {
        for (const std::string& person : due.owed_by()) {
          if (std::find(owers.begin(), owers.end(), person) == owers.end()) {
            owers.push_back(person);
          }
        }
      }
      for (int i = 0; i < dues.size(); ++i) {
        const int rung = dues[i].reminders_sent() + 1;
        if (rung > MaxRung()) continue;
        keys.push_back(TimerKey{internal::RungTime(options_.calendar, dues[i], rung,
                                                   options_.escalate_every_working_days),
                                index, static_cast<uint32_t>(i)});
      }
    }
    auto contains = [](const auto& list, const auto& x) {
      return std::find(list.begin(), list.end(), x) != list.end();
    };
    for (const TimerKey& k : timer_keys_[index]) {
      if (!contains(keys, k)) timers_.erase(k);
    }
    for (const TimerKey& k : keys) {
      if (!contains(timer_keys_[index], k)) timers_.insert(k);
    }
    std::vector<std::string>& kept_owers = owers_[index];
    for (const std::string& person : kept_owers) {
      if (contains(owers, person)) continue;
      auto owing = requests_owed_by_.find(person);
      owing->second.erase(index);
      if (owing->second.empty()) requests_owed_by_.erase(owing);
    }
    for (absl::string_view person : owers) {
      if (contains(kept_owers, person)) continue;
      auto owing = requests_owed_by_.find(person);
      if (owing == requests_owed_by_.end()) {
        owing = requests_owed_by_.try_emplace(std::string(person)).first;
      }
      owing->second.insert(index);
    }
    timer_keys_[index].assign(keys.begin(), keys.end());  // reuses its capacity
    if (!std::equal(owers.begin(), owers.end(), kept_owers.begin(), kept_owers.end())) {
      kept_owers.clear();
      kept_owers.reserve(owers.size());  // one allocation, not one per doubling
      for (absl::string_view person : owers) kept_owers.emplace_back(person);
    }
  }

  // The people rung `rung` (>= 2) reaches: (rung - 1) levels up the
  // management chain from each person who owes the item.
  std::vector<std::string> EscalationTargets(const v1::DueItem& due, int rung) const {
    std::vector<std::string> out;
    for (const std::string& p : due.owed_by()) {
      std::string boss = p;
      for (int level = 1; level < rung && !boss.empty(); ++level) {
        boss = directory_.SuperiorOf(boss);
      }
      if (!boss.empty() && std::find(out.begin(), out.end(), boss) == out.end()) {
        out.push_back(boss);
      }
    }
    return out;
  }

  // Fires every rung due at `now`, each exactly once: rung 1 reminds whoever
  // owes the item (and records a missed progress report), rung k >= 2 tells
  // the (k-1)-th superior. Only due timers are visited (an ordered set).
  absl::StatusOr<int> Tick(absl::Time now) {
    std::unique_lock<std::mutex> lock(mu_);
    google::protobuf::Timestamp stamp;
    internal::ToProto(now, &stamp);
    internal::DecidedEvents events;
    std::vector<TimerKey> due_now;
    for (auto it = timers_.begin(); it != timers_.end() && it->when <= now; ++it) {
      due_now.push_back(*it);
    }
    for (const TimerKey& key : due_now) {
      const v1::RequestRecord& record = state_.requests().at(request_ids_[key.request]);
      if (key.due >= static_cast<uint32_t>(record.open_dues_size())) continue;  // never: refreshed
      const v1::DueItem* due = &record.open_dues(static_cast<int>(key.due));
      for (int rung = due->reminders_sent() + 1; rung <= MaxRung(); ++rung) {
        const absl::Time scheduled =
            internal::RungTime(options_.calendar, *due, rung, options_.escalate_every_working_days);
        if (scheduled > now) break;
        if (rung == 1 && due->kind() == v1::DUE_KIND_PROGRESS_REPORT) {
          v1::Event& missed = events.emplace_back();
          *missed.mutable_time() = stamp;
          missed.set_actor_id(options_.host_actor_id);
          missed.set_request_id(record.request().id());
          missed.mutable_report_missed()->set_task_id(due->task_id());
          missed.mutable_report_missed()->set_due_key(due->key());
          if (const absl::StatusOr<const TaskGraph*> graph = PlanGraphLocked(record);
              graph.ok() && *graph != nullptr) {
            if (const absl::StatusOr<TaskHandle> h = (*graph)->Find(due->task_id()); h.ok()) {
              missed.mutable_report_missed()->set_task_index(*h);
            }
          }
        }
        v1::Event& e = events.emplace_back();
        *e.mutable_time() = stamp;
        e.set_actor_id(options_.host_actor_id);
        e.set_request_id(record.request().id());
        v1::EscalationSent* sent = e.mutable_escalation_sent();
        sent->set_due_key(due->key());
        sent->set_rung(rung);
        internal::ToProto(scheduled, sent->mutable_scheduled_for());
        internal::NotificationSpec n;
        n.due_key = due->key();
        if (!due->task_id().empty()) n.task_ids = {due->task_id()};
        const std::string what = internal::DueDescription(*due);
        const std::string when =
            internal::FormatLocal(options_.calendar, internal::FromProto(due->due_at()));
        if (rung == 1) {
          n.kind = v1::NOTIFICATION_KIND_REMINDER;
          n.recipients.assign(due->owed_by().begin(), due->owed_by().end());
          n.subject = absl::StrCat("催办:", what, "(", record.request().topic(), ")");
          n.body = absl::StrCat("应于 ", when, " 前完成。");
        } else {
          n.kind = v1::NOTIFICATION_KIND_ESCALATION;
          n.recipients = EscalationTargets(*due, rung);
          n.subject = absl::StrCat("逾期上报(第", rung - 1, "级):", what, "(",
                                   record.request().topic(), ")");
          n.body = absl::StrCat("应于 ", when,
                                " 前完成,责任人:", absl::StrJoin(due->owed_by(), "、"), "。");
        }
        for (const std::string& p : n.recipients) sent->add_notified_ids(p);
        internal::Notify(e, std::move(n));
      }
    }
    int count = static_cast<int>(events.size());
    CFLOW_RETURN_IF_ERROR(CommitLocked(events, lock).status());
    return count;
  }

  absl::StatusOr<v1::RequestView> GetRequest(absl::string_view id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = state_.requests().find(std::string(id));
    if (it == state_.requests().end()) {
      return absl::NotFoundError(absl::StrCat("request \"", id, "\" not found"));
    }
    v1::RequestView view;
    const v1::RequestRecord& record = it->second;
    *view.mutable_record() = record;
    for (const v1::Receiver& rc : record.request().receivers()) {
      v1::ReceiverStatus* s = view.add_receivers();
      s->set_receiver_id(rc.id());
      internal::ReceiverOutcome outcome = internal::OutcomeFor(record, rc);
      s->set_decision(outcome.decision);
      for (absl::string_view p : internal::MayAnswerFor(rc, directory_)) {
        s->add_may_answer(std::string(p));
      }
      for (std::string& p : outcome.still_due) s->add_still_due(std::move(p));
      const std::string key = internal::ResponseDueKey(rc.id(), record.request().version());
      for (const v1::DueItem& d : record.open_dues()) {
        if (d.key() == key) *s->mutable_due_at() = d.due_at();
      }
    }
    for (std::string& m : internal::MembersOf(record, directory_)) view.add_members(std::move(m));
    view.set_recommended_channel(internal::RecommendedChannel(record.request().complexity()));
    return view;
  }

  std::vector<std::string> RequestIds() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> ids;
    for (const auto& [id, record] : state_.requests()) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  // The open dues of `records` that satisfy `pred`, by due time, then
  // request id, then key.
  template <typename Pred>
  std::vector<std::pair<const v1::RequestRecord*, const v1::DueItem*>> DuesLocked(
      const std::vector<const v1::RequestRecord*>& records, Pred pred) const {
    std::vector<std::pair<const v1::RequestRecord*, const v1::DueItem*>> out;
    for (const v1::RequestRecord* record : records) {
      for (const v1::DueItem& d : record->open_dues()) {
        if (pred(d)) out.emplace_back(record, &d);
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      const auto ta = internal::FromProto(a.second->due_at());
      const auto tb = internal::FromProto(b.second->due_at());
      if (ta != tb) return ta < tb;
      if (a.second->request_id() != b.second->request_id()) {
        return a.second->request_id() < b.second->request_id();
      }
      return a.second->key() < b.second->key();
    });
    return out;
  }

  v1::OverdueList Overdue(absl::Time at) const {
    std::lock_guard<std::mutex> lock(mu_);
    v1::OverdueList list;
    std::vector<const v1::RequestRecord*> all;
    all.reserve(state_.requests().size());
    for (const auto& [id, record] : state_.requests()) all.push_back(&record);
    for (const auto& [record, due] : DuesLocked(
             all, [at](const v1::DueItem& d) { return internal::FromProto(d.due_at()) <= at; })) {
      *list.add_items() = *due;
    }
    return list;
  }

  absl::StatusOr<v1::MustDoList> MustDo(absl::string_view person, absl::Time at) const {
    std::lock_guard<std::mutex> lock(mu_);
    if (!directory_.HasPerson(person)) {
      return absl::NotFoundError(absl::StrCat("person \"", person, "\" is not in the directory"));
    }
    v1::MustDoList list;
    list.set_person_id(std::string(person));
    // Only the requests in which the person owes something (the index), not
    // every request.
    std::vector<const v1::RequestRecord*> owing;
    if (auto it = requests_owed_by_.find(person); it != requests_owed_by_.end()) {
      for (const uint32_t index : it->second) {
        owing.push_back(&state_.requests().at(request_ids_[index]));
      }
    }
    for (const auto& [record, due] : DuesLocked(owing, [person](const v1::DueItem& d) {
           return std::find(d.owed_by().begin(), d.owed_by().end(), person) != d.owed_by().end();
         })) {
      v1::MustDoItem* item = list.add_items();
      item->set_request_id(record->request().id());
      item->set_topic(record->request().topic());
      *item->mutable_due() = *due;
      item->set_overdue(internal::FromProto(due->due_at()) <= at);
    }
    return list;
  }

  std::vector<v1::Notification> ReadOutbox(uint64_t after, size_t max) const {
    std::lock_guard<std::mutex> lock(mu_);
    return outbox_.Read(after, max);
  }

  absl::Status AcknowledgeOutbox(uint64_t up_to) {
    std::unique_lock<std::mutex> lock(mu_);
    if (up_to > state_.last_notification_id()) {
      return absl::OutOfRangeError(absl::StrCat("cannot acknowledge notification ", up_to,
                                                "; the last one is ",
                                                state_.last_notification_id()));
    }
    if (up_to <= state_.acknowledged_notification_id()) return absl::OkStatus();
    v1::Event e;
    e.set_actor_id(options_.host_actor_id);
    internal::ToProto(Now(), e.mutable_time());
    e.mutable_outbox_acknowledged()->set_up_to(up_to);
    internal::DecidedEvents events;
    events.push_back(std::move(e));
    return CommitLocked(events, lock).status();
  }

  EngineOptions options_;
  std::unique_ptr<EventStore> store_;
  mutable std::mutex mu_;  // std::mutex: TSan sees it (Debian's Abseil is uninstrumented)
  // Guarded by mu_: commits applied but not yet durable (kGroupCommit), and
  // the first failed append (every later command gets it).
  int in_flight_ = 0;
  mutable std::condition_variable settled_;  // in_flight_ dropped to 0
  absl::Status failed_;
  // The state without its outbox, which outbox_ holds (outbox_log.h) and
  // puts back into the state's bytes where they leave the engine.
  v1::EngineState state_;
  internal::OutboxLog outbox_;
  DirectoryIndex directory_;
  // Derived, rebuilt from the state: plan graphs, the timer index and the
  // per-person index of open dues.
  // Mutable: queries build or update it under the lock.
  mutable absl::flat_hash_map<std::string, std::unique_ptr<internal::PlanSchedule>> plan_schedules_;
  // Cleared events for DecideContext::Emit to reuse (KeepSpareEventsLocked),
  // and the last record's buffer (up to 1 MiB) and head, which the next
  // record's are written over.
  std::vector<v1::Event> spare_events_;
  std::string record_buffer_;
  std::string head_buffer_;                        // the chain's head while a batch is sealed
  absl::btree_set<TimerKey> timers_;               // every open due's next rung, in time order
  std::vector<std::vector<TimerKey>> timer_keys_;  // per request index: its timers
  // Person -> the requests (indices) with an open due the person owes; and
  // per request index, the people it is listed under.
  absl::flat_hash_map<std::string, absl::btree_set<uint32_t>> requests_owed_by_;
  std::vector<std::vector<std::string>> owers_;
  absl::flat_hash_map<std::string, uint32_t> request_index_;
  std::vector<std::string> request_ids_;
};

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(EngineOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  if (impl->options_.store_dir.empty()) {
    CFLOW_ASSIGN_OR_RETURN(impl->store_, OpenMemoryStore());
  } else {
    CFLOW_ASSIGN_OR_RETURN(impl->store_,
                           OpenDirectoryStore(impl->options_.store_dir, impl->options_.store));
  }
  impl->store_ = WithReadProgress(std::move(impl->store_), impl->options_.progress);
  {
    std::lock_guard<std::mutex> lock(impl->mu_);
    CFLOW_RETURN_IF_ERROR(impl->Recover());
  }
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

absl::StatusOr<v1::CommandResult> Engine::Execute(v1::Command command) {
  return impl_->Execute(std::move(command));
}

namespace {

v1::Command Envelope(absl::string_view actor, absl::Time time, absl::string_view request_id) {
  v1::Command c;
  c.set_actor_id(std::string(actor));
  internal::ToProto(time, c.mutable_time());
  c.set_request_id(std::string(request_id));
  return c;
}

}  // namespace

absl::StatusOr<v1::CommandResult> Engine::UpdateDirectory(const v1::Directory& directory,
                                                          absl::Time time) {
  v1::Command c = Envelope(impl_->options_.host_actor_id, time, "");
  *c.mutable_update_directory()->mutable_directory() = directory;
  return Execute(std::move(c));
}

absl::StatusOr<v1::CommandResult> Engine::CreateRequest(absl::string_view actor, absl::Time time,
                                                        const v1::CollaborationRequest& request) {
  v1::Command c = Envelope(actor, time, request.id());
  *c.mutable_create_request()->mutable_request() = request;
  return Execute(std::move(c));
}

absl::StatusOr<v1::CommandResult> Engine::SubmitRequest(absl::string_view actor, absl::Time time,
                                                        absl::string_view request_id) {
  v1::Command c = Envelope(actor, time, request_id);
  c.mutable_submit_request();
  return Execute(std::move(c));
}

absl::StatusOr<v1::CommandResult> Engine::ReviseRequest(absl::string_view actor, absl::Time time,
                                                        const v1::CollaborationRequest& request,
                                                        absl::string_view change_note) {
  v1::Command c = Envelope(actor, time, request.id());
  *c.mutable_revise_request()->mutable_request() = request;
  c.mutable_revise_request()->set_change_note(std::string(change_note));
  return Execute(std::move(c));
}

absl::StatusOr<v1::CommandResult> Engine::Respond(absl::string_view actor, absl::Time time,
                                                  absl::string_view request_id,
                                                  const v1::ReceiverResponse& response) {
  v1::Command c = Envelope(actor, time, request_id);
  *c.mutable_respond()->mutable_response() = response;
  return Execute(std::move(c));
}

absl::StatusOr<v1::CommandResult> Engine::CancelRequest(absl::string_view actor, absl::Time time,
                                                        absl::string_view request_id,
                                                        absl::string_view reason) {
  v1::Command c = Envelope(actor, time, request_id);
  c.mutable_cancel()->set_reason(std::string(reason));
  return Execute(std::move(c));
}

absl::StatusOr<v1::CommandResult> Engine::RecordKickoff(absl::string_view actor, absl::Time time,
                                                        absl::string_view request_id,
                                                        const v1::KickoffMeeting& meeting) {
  v1::Command c = Envelope(actor, time, request_id);
  *c.mutable_record_kickoff()->mutable_meeting() = meeting;
  return Execute(std::move(c));
}

absl::StatusOr<v1::CommandResult> Engine::PublishPlan(absl::string_view actor, absl::Time time,
                                                      absl::string_view request_id,
                                                      const v1::Plan& plan,
                                                      bool acknowledge_omissions) {
  v1::Command c = Envelope(actor, time, request_id);
  *c.mutable_publish_plan()->mutable_plan() = plan;
  c.mutable_publish_plan()->set_acknowledge_omissions(acknowledge_omissions);
  return Execute(std::move(c));
}

absl::StatusOr<int> Engine::Tick(absl::Time now) { return impl_->Tick(now); }

absl::StatusOr<v1::RequestView> Engine::GetRequest(absl::string_view request_id) const {
  return impl_->GetRequest(request_id);
}
std::vector<std::string> Engine::RequestIds() const { return impl_->RequestIds(); }

absl::StatusOr<v1::RevisionPreview> Engine::PreviewPlanRevision(
    absl::string_view actor, absl::Time time, absl::string_view request_id,
    const v1::RevisePlan& revision) const {
  v1::Command c;
  c.set_actor_id(std::string(actor));
  internal::ToProto(time, c.mutable_time());
  c.set_request_id(std::string(request_id));
  *c.mutable_revise_plan() = revision;
  std::lock_guard<std::mutex> lock(impl_->mu_);
  auto it = impl_->state_.requests().find(c.request_id());
  if (it == impl_->state_.requests().end()) {
    return absl::NotFoundError(absl::StrCat("request \"", request_id, "\" not found"));
  }
  internal::DecidedEvents scratch;
  internal::DecideContext ctx{impl_->state_, impl_->directory_, impl_->options_.calendar, c, time,
                              &it->second,   &scratch};
  return internal::PreviewRevision(ctx);
}

absl::StatusOr<v1::ScheduleView> Engine::GetSchedule(absl::string_view request_id) const {
  std::lock_guard<std::mutex> lock(impl_->mu_);
  auto it = impl_->state_.requests().find(std::string(request_id));
  if (it == impl_->state_.requests().end()) {
    return absl::NotFoundError(absl::StrCat("request \"", request_id, "\" not found"));
  }
  CFLOW_ASSIGN_OR_RETURN(internal::PlanSchedule * kept, impl_->PlanScheduleLocked(it->second));
  if (kept == nullptr) return internal::BuildScheduleView(it->second, impl_->options_.calendar);
  return kept->View(it->second, impl_->options_.calendar);
}
v1::OverdueList Engine::Overdue(absl::Time at) const { return impl_->Overdue(at); }
absl::StatusOr<v1::MustDoList> Engine::MustDo(absl::string_view person_id, absl::Time at) const {
  return impl_->MustDo(person_id, at);
}

std::string Engine::SuperiorOf(absl::string_view person_id) const {
  std::lock_guard<std::mutex> lock(impl_->mu_);
  return impl_->directory_.SuperiorOf(person_id);
}

std::vector<std::string> Engine::ActorsFor(absl::string_view department_id) const {
  std::lock_guard<std::mutex> lock(impl_->mu_);
  return impl_->directory_.ActorsFor(department_id);
}

std::vector<v1::Notification> Engine::ReadOutbox(uint64_t after, size_t max) const {
  return impl_->ReadOutbox(after, max);
}
absl::Status Engine::AcknowledgeOutbox(uint64_t up_to) { return impl_->AcknowledgeOutbox(up_to); }

uint64_t Engine::LastSequence() const {
  std::lock_guard<std::mutex> lock(impl_->mu_);
  return impl_->state_.last_sequence();
}

absl::Status Engine::ReadEvents(uint64_t after,
                                absl::FunctionRef<absl::Status(const v1::Event&)> fn) const {
  return impl_->store_->ReadFrom(0, [&](uint64_t seq, absl::string_view payload) {
    v1::EventBatch batch;
    if (!batch.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      return absl::DataLossError(absl::StrCat("journal record ", seq, " is not an event batch"));
    }
    for (const v1::Event& e : batch.events()) {
      if (e.sequence() > after) CFLOW_RETURN_IF_ERROR(fn(e));
    }
    return absl::OkStatus();
  });
}

std::string Engine::StateBytes() const {
  std::lock_guard<std::mutex> lock(impl_->mu_);
  return impl_->outbox_.SerializeWithOutbox(impl_->state_);
}

absl::Status Engine::WriteSnapshot() {
  std::unique_lock<std::mutex> lock = impl_->SettledLock();
  return impl_->store_->WriteSnapshot(impl_->store_->LastSequence(),
                                      impl_->outbox_.SerializeWithOutbox(impl_->state_));
}

const Calendar& Engine::calendar() const { return impl_->options_.calendar; }

// ---- records (issue 7): each reads under the lock, then works on copies ----

absl::Status Engine::VerifyHistory() const {
  std::unique_lock<std::mutex> lock = impl_->SettledLock();
  return internal::VerifyStoredHistory(*impl_->store_, impl_->state_);
}

absl::StatusOr<v1::ProcessRecordTable> Engine::GetProcessRecord(
    absl::string_view request_id) const {
  std::unique_lock<std::mutex> lock = impl_->SettledLock();
  CFLOW_ASSIGN_OR_RETURN(internal::RequestHistory history,
                         internal::ReadRequestHistory(*impl_->store_, impl_->state_, request_id));
  return internal::BuildProcessRecord(history.record, history.events, impl_->options_.calendar,
                                      impl_->directory_);
}

absl::StatusOr<std::string> Engine::ExportArchive(absl::string_view request_id) const {
  std::unique_lock<std::mutex> lock = impl_->SettledLock();
  CFLOW_ASSIGN_OR_RETURN(internal::RequestHistory history,
                         internal::ReadRequestHistory(*impl_->store_, impl_->state_, request_id));
  return internal::SerializeBinary(
      internal::BuildArchiveBundle(history, impl_->state_.directory(), impl_->directory_,
                                   impl_->options_.calendar, impl_->Now()));
}

absl::StatusOr<std::string> Engine::Report(absl::string_view request_id, ReportFormat format,
                                           ReportLanguage language, absl::Time now) const {
  std::unique_lock<std::mutex> lock = impl_->SettledLock();
  CFLOW_ASSIGN_OR_RETURN(internal::RequestHistory history,
                         internal::ReadRequestHistory(*impl_->store_, impl_->state_, request_id));
  return internal::RenderRequestReport(history, impl_->state_.directory(), impl_->directory_,
                                       impl_->options_.calendar, format, language, now);
}

}  // namespace collabflow
