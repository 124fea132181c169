#include "engine/state/folded_state.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/library_log.h"
#include "base/status_macros.h"
#include "engine/state/index_snapshot.h"
#include "engine/state/request_summary.h"
#include "engine/state/state_fold.h"
#include "engine/state/streams.h"
#include "wire/proto_io.h"
#include "wire/wire_writing.h"

namespace collabflow::internal {

absl::Status FoldedState::Restore(absl::string_view bytes) {
  // The summaries one at a time, each packed if it can be as it comes: a
  // whole map of them as messages first would leave the memory they took
  // to the allocator, not to the system.
  std::string rest;
  SummaryIndex summaries;
  std::string id;
  CFLOW_RETURN_IF_ERROR(
      SplitIndexBytes(bytes, &rest, [&](absl::string_view key, absl::string_view value) {
        id.assign(key.data(), key.size());
        absl::Status put = summaries.PutSerialized(id, value);
        if (!put.ok()) return absl::Status(put.code(), absl::StrCat("the index: ", put.message()));
        return put;
      }));
  v1::EngineState state;
  CFLOW_RETURN_IF_ERROR(ParseBinary(rest, &state));
  OutboxLog outbox;
  CFLOW_RETURN_IF_ERROR(outbox.TakeFrom(state.mutable_undelivered()));
  bool converted = !state.requests().empty();
  // A state that holds records (written before requests had summaries)
  // gives their summaries.
  for (const auto& [id, record] : state.requests()) {
    if (!summaries.Contains(id)) Summarize(record, summaries.Mutable(id));
  }
  state.clear_requests();
  // Requests' heads among the streams' (written before summaries held
  // them) go to their summaries.
  for (auto it = state.mutable_streams()->begin(); it != state.mutable_streams()->end();) {
    absl::string_view id = it->first;
    if (!absl::ConsumePrefix(&id, kRequestStreamPrefix)) {
      ++it;
      continue;
    }
    *summaries.Mutable(std::string(id))->mutable_head() = std::move(it->second);
    it = state.mutable_streams()->erase(it);
    converted = true;
  }
  if (converted) {
    std::vector<std::string> ids;
    summaries.ForEachId([&](const std::string& id) { ids.push_back(id); });
    for (const std::string& id : ids) summaries.Pack(id);
  }
  state_ = std::move(state);
  directory_bytes_.reset();
  summaries_ = std::move(summaries);
  outbox_ = std::move(outbox);
  restore_converted_ = converted;
  cached_head_ = nullptr;
  cached_entry_ = nullptr;
  return absl::OkStatus();
}

absl::StatusOr<RequestCache::Entry*> FoldedState::Load(const std::string& request_id) {
  if (RequestCache::Entry* held = cache_.Find(request_id)) return held;
  if (!summaries_.Contains(request_id)) return nullptr;
  if (store_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("request \"", request_id, "\": its record is not held and there is no store"));
  }
  // Its snapshot (if the store keeps one that links to its stream), then
  // its events after it, folded as they were when committed.
  const std::string stream = RequestStream(request_id);
  size_t snapshot_bytes = 0;
  std::optional<v1::RequestSnapshot> snapshot = ReadRequestSnapshot(stream, &snapshot_bytes);
  v1::RequestRecord record;
  size_t wire_bytes = 0;
  uint64_t through = 0;
  uint64_t records = 0;
  uint64_t last_event = 0;  // the version and hash of the last event read
  std::string last_hash;
  bool unlinked = false;
  auto fold = [&](const StoredRecord& stored) -> absl::Status {
    v1::EventBatch batch;
    if (!batch.ParseFromArray(stored.payload.data(), static_cast<int>(stored.payload.size()))) {
      return absl::DataLossError(
          absl::StrCat("journal record ", stored.position, " is not an event batch"));
    }
    wire_bytes += stored.payload.size();
    through = stored.position;
    ++records;
    if (snapshot.has_value() && stored.version == snapshot->records()) {
      // The snapshot's last record, read to check that the snapshot is of
      // this history (a crash under kNoSync may have lost the records it
      // folded, and others taken their versions): its last event must be
      // the one the snapshot ends with. The chain's hash covers every event
      // before it.
      const v1::Event* last =
          batch.events().empty() ? nullptr : &batch.events().Get(batch.events_size() - 1);
      if (last == nullptr || last->version() != snapshot->events() ||
          last->hash() != snapshot->hash()) {
        unlinked = true;
        return absl::CancelledError("unlinked");
      }
      return absl::OkStatus();
    }
    if (!batch.events().empty()) {
      last_event = batch.events(batch.events_size() - 1).version();
      last_hash = batch.events(batch.events_size() - 1).hash();
    }
    for (v1::Event& e : *batch.mutable_events()) {
      if (IsRequestEvent(e)) ApplyRequestEvent(&e, &record);
    }
    return absl::OkStatus();
  };
  if (snapshot.has_value()) {
    record.Swap(snapshot->mutable_record());
    absl::Status read = store_->ReadStream(stream, snapshot->records() - 1, fold);
    if (unlinked) {
      Log(LogLevel::kWarning,
          absl::StrCat("request \"", request_id, "\": its snapshot through record ",
                       snapshot->records(), " is not of its stream's history (kept from ",
                       "records a crash lost?); its record is read from its first event"));
      snapshot.reset();
      record.Clear();
      wire_bytes = 0;
      through = 0;
      records = 0;
    } else {
      CFLOW_RETURN_IF_ERROR(read);
      records += snapshot->records() - 1;
      wire_bytes += snapshot_bytes;
      if (last_event == 0) {  // nothing after the snapshot
        last_event = snapshot->events();
        last_hash = snapshot->hash();
      }
    }
  }
  if (!snapshot.has_value()) CFLOW_RETURN_IF_ERROR(store_->ReadStream(stream, 0, fold));
  // The state never runs ahead of the store for a record it does not hold
  // (a command keeps its records until they are durable): if it did, the
  // record read would miss events.
  if (const v1::StreamHead* head = FindStream(stream);
      head != nullptr && head->records() > records) {
    return absl::InternalError(absl::StrCat("request \"", request_id, "\": its stream has ",
                                            records, " records in the store but ", head->records(),
                                            " were folded"));
  }
  RequestCache::Entry* entry = cache_.Add(request_id);
  entry->record = std::move(record);
  entry->loaded_through = through;
  entry->snapshot_records = snapshot.has_value() ? snapshot->records() : 0;
  // A load that folded many records queues a snapshot, so that the next
  // load of the request folds fewer.
  if (request_snapshot_every_ > 0 && records >= entry->snapshot_records + request_snapshot_every_) {
    QueueRequestSnapshot(request_id, records, last_event, last_hash, entry->record);
  }
  cache_.Charge(entry, wire_bytes);
  return entry;
}

std::optional<v1::RequestSnapshot> FoldedState::ReadRequestSnapshot(const std::string& stream,
                                                                    size_t* bytes) {
  // A snapshot that cannot be read or used is only a slower load: the
  // stream is read from its first record instead.
  absl::StatusOr<std::optional<EventStore::StreamSnapshot>> kept =
      store_->ReadStreamSnapshot(stream);
  if (!kept.ok()) {
    Log(LogLevel::kWarning,
        absl::StrCat("\"", stream, "\": its snapshot is not used: ", kept.status().ToString()));
    return std::nullopt;
  }
  if (!kept->has_value()) return std::nullopt;
  v1::RequestSnapshot snapshot;
  if (!snapshot.ParseFromString((*kept)->state) || snapshot.records() != (*kept)->version ||
      snapshot.records() == 0) {
    Log(LogLevel::kWarning,
        absl::StrCat("\"", stream, "\": its snapshot is not used: not a request snapshot"));
    return std::nullopt;
  }
  *bytes = (*kept)->state.size();
  return snapshot;
}

absl::Status FoldedState::Apply(v1::Event* event, uint64_t position) {
  v1::Event& e = *event;
  const bool request_event = IsRequestEvent(e);
  // A record's events are one stream's: looked up once per record (and again
  // for a request's event after one without a payload). Map values stay
  // where they are as the map grows.
  if (position != cached_position_ || cached_head_ == nullptr ||
      (request_event && cached_entry_ == nullptr)) {
    RequestCache::Entry* entry = nullptr;
    if (request_event) {
      CFLOW_ASSIGN_OR_RETURN(entry, Load(e.request_id()));
      if (entry == nullptr) entry = cache_.Add(e.request_id());  // a new request
    }
    if (IsRequestStream(e)) {
      cached_head_ = summaries_.Mutable(e.request_id())->mutable_head();
      if (tracking_) uncaptured_.insert(e.request_id());
    } else {
      StreamNameOf(e, &stream_name_);
      cached_head_ = &(*state_.mutable_streams())[stream_name_];
    }
    cached_entry_ = entry;
    cached_position_ = position;
  }
  v1::StreamHead& head = *cached_head_;
  // A head already past this record (a request's summary captured for a
  // snapshot after its position: index_snapshot.h) has it.
  if (position >= head.position()) {
    if (head.position() != position) {  // the first event of its record
      head.set_records(head.records() + 1);
      head.set_position(position);
    }
    head.set_events(e.version());
    head.set_hash(e.hash());
    if (e.notifications_size() > 0) {
      head.set_notifications(e.notifications(e.notifications_size() - 1).id());
    }
  }
  for (const v1::Notification& n : e.notifications()) outbox_.Append(n, position);
  state_.set_last_position(position);
  if (e.has_outbox_acknowledged()) {
    outbox_.AcknowledgeUpTo(e.outbox_acknowledged().up_to_position());
  }
  if (!request_event) {
    if (e.has_directory_updated()) directory_bytes_.reset();
    ApplyEvent(event, &state_);
    return absl::OkStatus();
  }
  RequestCache::Entry& entry = *cached_entry_;
  if (position <= entry.loaded_through) {
    // Read when the record was loaded; the summary may not have it yet.
    entry.changed = true;
    return absl::OkStatus();
  }
  // Serializing the event to seal it left its size (a parsed one has none).
  const int cached_size = e.GetCachedSize();
  cache_.Charge(&entry, cached_size > 0 ? static_cast<size_t>(cached_size) : e.ByteSizeLong());
  ApplyRequestEvent(event, &entry.record);
  entry.changed = true;
  return absl::OkStatus();
}

const v1::StreamHead* FoldedState::FindStream(const std::string& stream) const {
  absl::string_view request_id = stream;
  if (absl::ConsumePrefix(&request_id, kRequestStreamPrefix)) {
    const v1::RequestSummary* summary = summaries_.Find(std::string(request_id));
    return summary == nullptr || !summary->has_head() ? nullptr : &summary->head();
  }
  auto it = state_.streams().find(stream);
  return it == state_.streams().end() ? nullptr : &it->second;
}

void FoldedState::ForEachStream(
    absl::FunctionRef<void(const std::string& stream, const v1::StreamHead& head)> fn) const {
  for (const auto& [stream, head] : state_.streams()) fn(stream, head);
  std::string stream;
  summaries_.ForEach([&](const std::string& id, const v1::RequestSummary& summary) {
    if (!summary.has_head()) return;
    stream.assign(kRequestStreamPrefix.data(), kRequestStreamPrefix.size());
    stream.append(id);
    fn(stream, summary.head());
  });
}

absl::StatusOr<const v1::RequestRecord*> FoldedState::LoadRequest(absl::string_view request_id) {
  CFLOW_ASSIGN_OR_RETURN(RequestCache::Entry * entry, Load(std::string(request_id)));
  return entry == nullptr ? nullptr : &entry->record;
}

const v1::RequestRecord* FoldedState::HeldRequest(absl::string_view request_id) const {
  const RequestCache::Entry* entry = cache_.Peek(request_id);
  return entry == nullptr ? nullptr : &entry->record;
}

RequestCache::Pin FoldedState::Pin(absl::string_view request_id) {
  return RequestCache::Pin(cache_.Find(request_id));
}

void FoldedState::WriteSummary(const std::string& request_id, RequestCache::Entry& entry) {
  Summarize(entry.record, summaries_.Mutable(request_id));
  // Packed, the summary is no longer where the head last folded into was.
  if (summaries_.Pack(request_id)) cached_head_ = nullptr;
  entry.changed = false;
}

void FoldedState::Trim(absl::FunctionRef<void(const std::string& request_id)> dropped) {
  if (cache_.bytes() <= cache_.budget()) return;
  cache_.Trim([&](const std::string& id, RequestCache::Entry& entry) {
    if (entry.changed) WriteSummary(id, entry);
    if (&entry == cached_entry_) {
      cached_entry_ = nullptr;
      cached_head_ = nullptr;
    }
    dropped(id);
  });
}

FoldedState::Dues FoldedState::DuesOf(const std::string& request_id) const {
  if (const RequestCache::Entry* held = cache_.Peek(request_id)) {
    return Dues{&held->record.request().topic(), &held->record.open_dues()};
  }
  // A packed summary's: those of an ended request, none.
  static const v1::RequestSummary* const kEnded = new v1::RequestSummary();
  const v1::RequestSummary* summary = summaries_.FindMessage(request_id);
  if (summary == nullptr) summary = kEnded;
  return Dues{&summary->topic(), &summary->open_dues()};
}

void FoldedState::ForEachRequestThatMayOwe(
    absl::FunctionRef<void(const std::string&, Dues)> fn) const {
  summaries_.ForEachUnpacked([&](const std::string& id, const v1::RequestSummary& summary) {
    if (const RequestCache::Entry* held = cache_.Peek(id)) {
      fn(id, Dues{&held->record.request().topic(), &held->record.open_dues()});
    } else {
      fn(id, Dues{&summary.topic(), &summary.open_dues()});
    }
  });
}

void FoldedState::ForEachRequest(absl::FunctionRef<void(const std::string&)> fn) const {
  summaries_.ForEachId(fn);
}

absl::Status FoldedState::ForEachRecord(
    absl::FunctionRef<absl::Status(const std::string&, const v1::RequestRecord&)> fn,
    absl::FunctionRef<void(const std::string& request_id)> dropped) {
  std::vector<std::string> ids;
  ids.reserve(summaries_.size());
  summaries_.ForEachId([&](const std::string& id) { ids.push_back(id); });
  std::sort(ids.begin(), ids.end());
  for (const std::string& id : ids) {
    CFLOW_ASSIGN_OR_RETURN(const v1::RequestRecord* record, LoadRequest(id));
    CFLOW_RETURN_IF_ERROR(fn(id, *record));
    Trim(dropped);
  }
  return absl::OkStatus();
}

std::shared_ptr<const std::string> FoldedState::DirectoryBytes() {
  // The directory is field 1, written first; it changes rarely and costs
  // most of the rest to serialize (a thousand people: about 0.3 ms), so its
  // bytes are kept until it changes.
  if (directory_bytes_ == nullptr) {
    v1::EngineState directory_only;
    if (state_.has_directory()) *directory_only.mutable_directory() = state_.directory();
    directory_bytes_ = std::make_shared<const std::string>(SerializeBinary(directory_only));
  }
  return directory_bytes_;
}

OutboxLog::Frozen FoldedState::FreezeRest() {
  v1::Directory* directory = state_.release_directory();
  OutboxLog::Frozen rest = outbox_.Freeze(state_);
  state_.set_allocated_directory(directory);
  return rest;
}

std::string FoldedState::Serialize() {
  cache_.ForEach([&](const std::string& id, RequestCache::Entry& entry) {
    if (entry.changed) WriteSummary(id, entry);
  });
  // The summaries are the field after the outbox: written after it.
  std::string bytes = *DirectoryBytes();
  bytes += FreezeRest().Join();
  summaries_.AppendSerialized(&bytes);
  return bytes;
}

void FoldedState::StartTracking() {
  uncaptured_.clear();
  tracking_ = true;
}

void FoldedState::StopTracking() {
  tracking_ = false;
  uncaptured_.clear();
}

FoldedState::Capture FoldedState::BeginCapture() {
  Capture capture;
  capture.directory = DirectoryBytes();
  capture.rest = FreezeRest();
  capture.unsorted.swap(uncaptured_);
  return capture;
}

void FoldedState::SettleCapture(Capture* capture) {
  capture->changes.rest = *capture->directory;
  capture->changes.rest += std::move(*capture->rest).Join();
  capture->directory.reset();
  capture->rest.reset();
  capture->pending.reserve(capture->unsorted.size());
  for (auto it = capture->unsorted.begin(); it != capture->unsorted.end();) {
    capture->pending.push_back(std::move(capture->unsorted.extract(it++).value()));
  }
  std::sort(capture->pending.begin(), capture->pending.end());
  capture->changes.summaries.reserve(capture->pending.size());
}

bool FoldedState::CaptureSummaries(Capture* capture, size_t max) {
  for (; capture->next < capture->pending.size() && max > 0; ++capture->next, --max) {
    std::string& id = capture->pending[capture->next];
    RequestCache::Entry* held = cache_.Peek(id);
    if (held != nullptr && held->changed) WriteSummary(id, *held);
    v1::RequestSummary copy = *summaries_.Find(id);
    capture->changes.summaries.emplace_back(std::move(id), std::move(copy));
  }
  return capture->next < capture->pending.size();
}

void FoldedState::EnableRequestSnapshots(uint64_t every_records, size_t max_bytes) {
  request_snapshot_every_ = every_records;
  request_snapshot_max_bytes_ = max_bytes;
}

void FoldedState::QueueRequestSnapshot(const std::string& request_id, uint64_t records,
                                       uint64_t events, const std::string& hash,
                                       const v1::RequestRecord& record) {
  const size_t size = record.ByteSizeLong();
  if (size > request_snapshot_max_bytes_ || due_request_snapshot_bytes_ > kMaxDueSnapshotBytes) {
    return;
  }
  // The snapshot message written by hand around the record's bytes, which
  // are not copied twice.
  v1::RequestSnapshot head;
  head.set_records(records);
  head.set_events(events);
  head.set_hash(hash);
  RequestSnapshotBytes out{request_id, records, SerializeBinary(head)};
  uint8_t key[16];
  const uint8_t* key_end =
      WriteVarint(size, WriteKey(v1::RequestSnapshot::kRecordFieldNumber, kWireLength, key));
  out.bytes.append(reinterpret_cast<const char*>(key), static_cast<size_t>(key_end - key));
  const size_t at = out.bytes.size();
  out.bytes.resize(at + size);
  record.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(&out.bytes[at]));
  due_request_snapshot_bytes_ += out.bytes.size();
  due_request_snapshots_.push_back(std::move(out));
}

std::vector<FoldedState::RequestSnapshotBytes> FoldedState::TakeDueRequestSnapshots() {
  due_request_snapshot_bytes_ = 0;
  return std::exchange(due_request_snapshots_, {});
}

void FoldedState::RequestSnapshotKept(const std::string& request_id, uint64_t records) {
  if (RequestCache::Entry* held = cache_.Peek(request_id)) {
    held->snapshot_records = std::max(held->snapshot_records, records);
  }
}

IndexChanges FoldedState::CaptureChanges() {
  Capture capture = BeginCapture();
  SettleCapture(&capture);
  CaptureSummaries(&capture, capture.pending.size());
  return std::move(capture.changes);
}

}  // namespace collabflow::internal
