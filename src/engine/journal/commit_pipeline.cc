#include "engine/journal/commit_pipeline.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "base/status_macros.h"
#include "engine/journal/hash_chain.h"
#include "engine/journal/sealed_batch.h"

namespace collabflow::internal {
namespace {

// The event's payload field name ("response_recorded"), as results report it.
const std::string& EventKind(const v1::Event& e) {
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

// The next record is written over this one's buffer, unless a large record
// (a big plan) left it too big to keep.
constexpr size_t kKeptRecordBufferBytes = size_t{1} << 20;

}  // namespace

CommitPipeline::CommitPipeline(std::unique_ptr<EventStore> store, Durability durability)
    : store_(std::move(store)), durability_(durability), version_(store_->LastPosition()) {}

absl::StatusOr<v1::CommandResult> CommitPipeline::Commit(
    DecidedEvents& events, const ChainHead& head, std::unique_lock<std::mutex>& lock,
    absl::FunctionRef<void(DecidedEvents&)> fold) {
  v1::CommandResult result;
  if (events.empty()) return result;
  CFLOW_RETURN_IF_ERROR(failed_);
  uint64_t sequence = head.last_sequence;
  uint64_t notification = head.last_notification_id;
  // The head is written over the last command's head buffer (no allocation).
  if (head.hash.empty()) {
    head_buffer_ = GenesisHash();
  } else {
    head_buffer_.assign(head.hash);
  }
  SealedBatchWriter batch(std::move(head_buffer_), std::move(record_buffer_));
  for (v1::Event& e : events) {
    e.set_sequence(++sequence);
    for (v1::Notification& n : *e.mutable_notifications()) n.set_id(++notification);
    batch.Seal(&e);  // tamper evidence (hash_chain.h)
    result.add_event_kinds(EventKind(e));
  }
  result.set_first_sequence(head.last_sequence + 1);
  result.set_last_sequence(sequence);

  if (durability_ != Durability::kGroupCommit) {
    const absl::Status appended = store_->Append(kEngineStream, version_, batch.wire()).status();
    head_buffer_ = batch.TakeHead();
    record_buffer_ = batch.TakeWire();
    if (record_buffer_.capacity() > kKeptRecordBufferBytes) record_buffer_ = std::string();
    CFLOW_RETURN_IF_ERROR(appended);
    ++version_;
    fold(events);
    arena_.Recycle(events);
    return result;
  }
  head_buffer_ = batch.TakeHead();
  CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<EventStore::PendingRecord> pending,
                         store_->Enqueue(kEngineStream, version_, batch.TakeWire()));
  ++version_;
  fold(events);
  arena_.Recycle(events);
  ++in_flight_;
  lock.unlock();
  const absl::Status durable = store_->Wait(std::move(pending)).status();
  lock.lock();
  if (!durable.ok() && failed_.ok()) failed_ = durable;
  if (--in_flight_ == 0) settled_.notify_all();
  CFLOW_RETURN_IF_ERROR(durable);
  return result;
}

std::unique_lock<std::mutex> CommitPipeline::Settled(std::mutex& mu) const {
  std::unique_lock<std::mutex> lock(mu);
  settled_.wait(lock, [this] { return in_flight_ == 0; });
  return lock;
}

}  // namespace collabflow::internal
