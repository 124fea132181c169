#include "engine/journal/request_history.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "engine/journal/hash_chain.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

absl::Status ForEachEventAfter(
    const EventStore& store, uint64_t after_record, std::string prev_hash,
    absl::FunctionRef<absl::Status(const std::string& prev_hash, const v1::Event&)> fn) {
  return store.ReadAll(after_record, [&](const StoredRecord& record) {
    v1::EventBatch batch;
    if (!batch.ParseFromArray(record.payload.data(), static_cast<int>(record.payload.size()))) {
      return absl::DataLossError(
          absl::StrCat("journal record ", record.position, " is not an event batch"));
    }
    for (const v1::Event& e : batch.events()) {
      CFLOW_RETURN_IF_ERROR(fn(prev_hash, e));
      prev_hash = e.hash();
    }
    return absl::OkStatus();
  });
}

// Where reading can start: the journal's beginning, or after the snapshot
// when compaction removed the records before it.
struct Start {
  uint64_t after_record = 0;
  std::string prev_hash = GenesisHash();
  uint64_t first_sequence = 1;
};

absl::StatusOr<Start> FindStart(const EventStore& store) {
  Start start;
  absl::Status probe =
      store.ReadAll(0, [](const StoredRecord&) { return absl::CancelledError("probe"); });
  if (probe.ok() || absl::IsCancelled(probe)) return start;
  if (!absl::IsFailedPrecondition(probe)) return probe;
  CFLOW_ASSIGN_OR_RETURN(std::optional<EventStore::Snapshot> snapshot, store.LatestSnapshot());
  if (!snapshot.has_value()) return probe;
  v1::EngineState state;
  CFLOW_RETURN_IF_ERROR(ParseBinary(snapshot->state, &state));
  start.after_record = snapshot->covers;
  start.prev_hash = state.head_hash().empty() ? GenesisHash() : state.head_hash();
  start.first_sequence = state.last_sequence() + 1;
  return start;
}

}  // namespace

absl::Status ForEachStoredEvent(
    const EventStore& store,
    absl::FunctionRef<absl::Status(const std::string& prev_hash, const v1::Event&)> fn) {
  CFLOW_ASSIGN_OR_RETURN(Start start, FindStart(store));
  return ForEachEventAfter(store, start.after_record, start.prev_hash, fn);
}

absl::Status VerifyStoredHistory(const EventStore& store, const v1::EngineState& state) {
  CFLOW_ASSIGN_OR_RETURN(Start start, FindStart(store));
  ChainVerifier verifier(start.prev_hash, start.first_sequence);
  CFLOW_RETURN_IF_ERROR(
      ForEachEventAfter(store, start.after_record, start.prev_hash,
                        [&](const std::string&, const v1::Event& e) { return verifier.Add(e); }));
  return verifier.Finish(state.head_hash(), state.last_sequence());
}

absl::StatusOr<RequestHistory> ReadRequestHistory(const EventStore& store,
                                                  const v1::EngineState& state,
                                                  absl::string_view request_id) {
  auto it = state.requests().find(std::string(request_id));
  if (it == state.requests().end()) {
    return absl::NotFoundError(absl::StrCat("request \"", request_id, "\" not found"));
  }
  RequestHistory history;
  history.record = it->second;
  history.head_hash = state.head_hash();
  history.last_sequence = state.last_sequence();
  history.directory = state.directory();
  CFLOW_RETURN_IF_ERROR(
      ForEachStoredEvent(store, [&](const std::string& prev_hash, const v1::Event& e) {
        if (e.request_id() == request_id) {
          history.events.push_back(e);
          history.prev_hashes.push_back(prev_hash);
        }
        return absl::OkStatus();
      }));
  return history;
}

}  // namespace collabflow::internal
