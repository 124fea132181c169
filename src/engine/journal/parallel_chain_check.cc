#include "engine/journal/parallel_chain_check.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "collabflow/v1/event.pb.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/streams.h"

namespace collabflow::internal {
namespace {

// Whether an event with `payload` (a field number) and `request_id` belongs
// to `stream` (StreamNameOf, streams.h).
bool OfStream(absl::string_view stream, uint32_t payload, absl::string_view request_id) {
  if (payload == v1::Event::kDirectoryUpdated) return stream == kDirectoryStream;
  if (payload == v1::Event::kOutboxAcknowledged) return stream == kOutboxStream;
  return absl::ConsumePrefix(&stream, kRequestStreamPrefix) && stream == request_id;
}

absl::Status CheckInto(ChainVerifier& chain, absl::string_view stream, uint64_t position,
                       absl::string_view payload) {
  // Read as the commit pipeline wrote it: each event's hash checked over
  // its bytes as they lie in the record, nothing parsed.
  std::vector<absl::string_view> entries;
  bool as_written = SplitBatch(payload, &entries);
  std::vector<SealedEvent> sealed(entries.size());
  for (size_t i = 0; as_written && i < entries.size(); ++i) {
    as_written = ReadSealedEvent(entries[i], &sealed[i]);
  }
  if (as_written) {
    for (const SealedEvent& e : sealed) {
      if (!OfStream(stream, e.payload, e.request_id)) {
        return absl::DataLossError(absl::StrCat("journal record ", position, " of stream ", stream,
                                                " holds an event of another stream"));
      }
      if (absl::Status s = chain.AddHashed(e.version, e.hashed, e.hash); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  // Anything else is parsed and its hash computed from the parsed event.
  absl::StatusOr<v1::EventBatch> batch = ParseEventBatch(position, payload);
  if (!batch.ok()) return batch.status();
  for (const v1::Event& e : batch->events()) {
    if (StreamOf(e) != stream) {
      return absl::DataLossError(absl::StrCat("journal record ", position, " of stream ", stream,
                                              " holds an event of stream ", StreamOf(e)));
    }
    if (absl::Status s = chain.Add(e); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

void ParallelChainCheck::Checker::Check(absl::string_view stream, uint64_t position,
                                        absl::string_view payload) {
  if (!error.ok()) return;
  auto it = chains.find(stream);
  if (it == chains.end()) {
    it = chains
             .try_emplace(std::string(stream), GenesisHash(), 1, ChainNumbering::kVersion,
                          absl::StrCat("stream ", stream))
             .first;
  }
  error = CheckInto(it->second, stream, position, payload);
  if (!error.ok()) error_position = position;
}

size_t ParallelChainCheck::DefaultWorkers() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores <= 1 ? 0 : std::min<size_t>(cores, 8);
}

ParallelChainCheck::ParallelChainCheck(size_t workers) {
  for (size_t i = 0; i < workers; ++i) {
    workers_.push_back(std::make_unique<Worker>());
    Worker* w = workers_.back().get();
    w->thread = std::thread([this, w] { Run(w); });
  }
}

ParallelChainCheck::~ParallelChainCheck() {
  for (auto& w : workers_) {
    {
      std::lock_guard<std::mutex> lock(w->mu);
      w->closed = true;
    }
    w->cv.notify_all();
    if (w->thread.joinable()) w->thread.join();
  }
}

void ParallelChainCheck::Run(Worker* w) {
  while (true) {
    Batch batch;
    {
      std::unique_lock<std::mutex> lock(w->mu);
      w->cv.wait(lock, [w] { return !w->batches.empty() || w->closed; });
      if (w->batches.empty()) return;  // closed, and nothing left
      batch = std::move(w->batches.front());
      w->batches.pop_front();
    }
    w->cv.notify_all();  // room for the reader
    for (const Batch::Item& item : batch.items) {
      w->checker.Check(absl::string_view(batch.bytes).substr(item.stream_at, item.stream_size),
                       item.position,
                       absl::string_view(batch.bytes).substr(item.payload_at, item.payload_size));
    }
  }
}

void ParallelChainCheck::Hand(Worker* w) {
  if (w->filling.items.empty()) return;
  {
    std::unique_lock<std::mutex> lock(w->mu);
    w->cv.wait(lock, [w] { return w->batches.size() < kBatchesHeld; });
    w->batches.push_back(std::move(w->filling));
  }
  w->cv.notify_all();
  w->filling = Batch();
}

absl::Status ParallelChainCheck::Add(const StoredRecord& record) {
  if (workers_.empty()) {
    inline_.Check(record.stream, record.position, record.payload);
    return inline_.error;
  }
  Worker* w = workers_[absl::Hash<absl::string_view>()(record.stream) % workers_.size()].get();
  Batch& b = w->filling;
  b.items.push_back(Batch::Item{record.position, b.bytes.size(), record.stream.size(),
                                b.bytes.size() + record.stream.size(), record.payload.size()});
  b.bytes.append(record.stream.data(), record.stream.size());
  b.bytes.append(record.payload.data(), record.payload.size());
  if (b.bytes.size() >= kBatchBytes) Hand(w);
  return absl::OkStatus();
}

absl::Status ParallelChainCheck::Finish() {
  if (workers_.empty()) return inline_.error;
  for (auto& w : workers_) Hand(w.get());
  for (auto& w : workers_) {
    {
      std::lock_guard<std::mutex> lock(w->mu);
      w->closed = true;
    }
    w->cv.notify_all();
    w->thread.join();
  }
  const Checker* first = nullptr;
  for (const auto& w : workers_) {
    if (w->checker.error.ok()) continue;
    if (first == nullptr || w->checker.error_position < first->error_position) {
      first = &w->checker;
    }
  }
  return first == nullptr ? absl::OkStatus() : first->error;
}

void ParallelChainCheck::ForEachChain(
    absl::FunctionRef<void(const std::string& stream, const ChainVerifier& chain)> fn) const {
  for (const auto& [stream, chain] : inline_.chains) fn(stream, chain);
  for (const auto& w : workers_) {
    for (const auto& [stream, chain] : w->checker.chains) fn(stream, chain);
  }
}

const ChainVerifier* ParallelChainCheck::FindChain(const std::string& stream) const {
  if (workers_.empty()) {
    auto it = inline_.chains.find(stream);
    return it == inline_.chains.end() ? nullptr : &it->second;
  }
  const Worker& w = *workers_[absl::Hash<absl::string_view>()(stream) % workers_.size()];
  auto it = w.checker.chains.find(stream);
  return it == w.checker.chains.end() ? nullptr : &it->second;
}

}  // namespace collabflow::internal
