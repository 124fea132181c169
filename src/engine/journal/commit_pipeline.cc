#include "engine/journal/commit_pipeline.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "base/status_macros.h"
#include "engine/journal/hash_chain.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/streams.h"

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
    : store_(std::move(store)), durability_(durability) {}

absl::StatusOr<v1::CommandResult> CommitPipeline::Commit(
    DecidedEvents& events, std::unique_lock<std::mutex>& lock,
    absl::FunctionRef<const v1::StreamHead*(const std::string& stream)> head_of,
    absl::FunctionRef<void(DecidedEvents&, absl::Span<const uint64_t>)> fold) {
  v1::CommandResult result;
  if (events.empty()) return result;
  CFLOW_RETURN_IF_ERROR(failed_);

  // The streams the events belong to, in order of first appearance (one,
  // but for a tick), each stream's events together: events [begin[s],
  // begin[s + 1]) are stream s's. Names are written over the last command's
  // (no allocation).
  absl::InlinedVector<size_t, 2> begin;
  size_t stream_count = 0;
  const auto name = [&](const v1::Event& e) {
    if (stream_names_.size() == stream_count) stream_names_.emplace_back();
    StreamNameOf(e, &stream_names_[stream_count++]);
  };
  name(events[0]);
  begin.push_back(0);
  if (std::all_of(events.begin(), events.end(),
                  [&](const v1::Event& e) { return SameStream(events[0], e); })) {
    begin.push_back(events.size());
  } else {
    // A tick over many requests: group by stream in one pass (a stable
    // counting sort), so the records' positions ascend through the events
    // as they are folded.
    absl::flat_hash_map<std::string, uint32_t> index;
    std::vector<uint32_t> stream_of(events.size());
    std::vector<size_t> count;
    for (size_t i = 0; i < events.size(); ++i) {
      std::string stream = StreamOf(events[i]);
      auto [it, added] = index.try_emplace(std::move(stream), static_cast<uint32_t>(count.size()));
      if (added) {
        count.push_back(0);
        if (it->second > 0) name(events[i]);
      }
      stream_of[i] = it->second;
      ++count[it->second];
    }
    for (size_t c : count) begin.push_back(begin.back() + c);
    std::vector<size_t> next(begin.begin(), begin.end() - 1);
    DecidedEvents grouped(events.size());
    for (size_t i = 0; i < events.size(); ++i) grouped[next[stream_of[i]]++].Swap(&events[i]);
    events.swap(grouped);
  }
  const absl::Span<const std::string> streams(stream_names_.data(), stream_count);

  // Number, seal and enqueue one record per stream.
  absl::InlinedVector<std::unique_ptr<EventStore::PendingRecord>, 1> pending;
  absl::InlinedVector<uint64_t, 2> positions(events.size());
  const bool hold_lock = durability_ != Durability::kGroupCommit;
  for (uint32_t s = 0; s < streams.size(); ++s) {
    const v1::StreamHead* head = head_of(streams[s]);
    uint64_t version = head == nullptr ? 0 : head->events();
    uint64_t notification = head == nullptr ? 0 : head->notifications();
    // The head is written over the last record's head buffer (no allocation).
    if (head == nullptr || head->hash().empty()) {
      head_buffer_ = GenesisHash();
    } else {
      head_buffer_.assign(head->hash());
    }
    SealedBatchWriter batch(std::move(head_buffer_), std::move(record_buffer_));
    for (size_t i = begin[s]; i < begin[s + 1]; ++i) {
      v1::Event& e = events[i];
      e.set_version(++version);
      for (v1::Notification& n : *e.mutable_notifications()) n.set_id(++notification);
      batch.Seal(&e);  // tamper evidence (hash_chain.h)
      if (s == 0) {
        if (result.first_version() == 0) result.set_first_version(version);
        result.set_last_version(version);
      }
      result.add_event_kinds(EventKind(e));
    }
    const uint64_t expected = head == nullptr ? 0 : head->records();
    uint64_t position = 0;
    if (hold_lock && streams.size() == 1) {
      // The common case: one record, appended from the reused buffer.
      const absl::StatusOr<uint64_t> appended = store_->Append(streams[s], expected, batch.wire());
      head_buffer_ = batch.TakeHead();
      record_buffer_ = batch.TakeWire();
      if (record_buffer_.capacity() > kKeptRecordBufferBytes) record_buffer_ = std::string();
      CFLOW_RETURN_IF_ERROR(appended.status());
      position = *appended;
    } else {
      head_buffer_ = batch.TakeHead();
      absl::StatusOr<std::unique_ptr<EventStore::PendingRecord>> queued =
          store_->Enqueue(streams[s], expected, batch.TakeWire());
      if (!queued.ok()) {
        // Nothing of this command is folded; what was queued before still
        // gets written (and waited for).
        for (auto& p : pending) store_->Wait(std::move(p)).IgnoreError();
        return queued.status();
      }
      position = (*queued)->position();
      pending.push_back(std::move(*queued));
    }
    for (size_t i = begin[s]; i < begin[s + 1]; ++i) positions[i] = position;
    result.set_position(position);
  }

  if (hold_lock) {
    // The lock is held across the write; nothing is folded unless every
    // record was written.
    absl::Status written;
    for (auto& p : pending) written.Update(store_->Wait(std::move(p)).status());
    CFLOW_RETURN_IF_ERROR(written);
    fold(events, positions);
    arena_.Recycle(events);
    return result;
  }
  fold(events, positions);
  arena_.Recycle(events);
  ++in_flight_;
  lock.unlock();
  absl::Status durable;
  for (auto& p : pending) durable.Update(store_->Wait(std::move(p)).status());
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
