#include "engine/journal/request_history.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "engine/journal/hash_chain.h"
#include "engine/journal/parallel_chain_check.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/streams.h"

namespace collabflow::internal {

absl::Status VerifyStoredHistory(const EventStore& store, const FoldedState& state) {
  ParallelChainCheck check(ParallelChainCheck::DefaultWorkers());
  const absl::Status read =
      store.ReadAll(0, [&](const StoredRecord& record) { return check.Add(record); });
  // On one thread a chain's failure stops the read: the check's error is
  // the one to tell.
  CFLOW_RETURN_IF_ERROR(check.Finish());
  CFLOW_RETURN_IF_ERROR(read);
  absl::Status ends;
  state.ForEachStream([&](const std::string& stream, const v1::StreamHead& head) {
    if (!ends.ok()) return;
    const ChainVerifier* chain = check.FindChain(stream);
    if (chain == nullptr) {
      ends = absl::DataLossError(absl::StrCat("stream ", stream, ": its ", head.events(),
                                              " events are missing from the journal"));
      return;
    }
    ends = chain->Finish(head.hash(), head.events());
  });
  CFLOW_RETURN_IF_ERROR(ends);
  check.ForEachChain([&](const std::string& stream, const ChainVerifier& chain) {
    if (!ends.ok() || state.FindStream(stream) != nullptr) return;
    ends = absl::DataLossError(absl::StrCat("stream ", stream, ": ", chain.last(),
                                            " events in the journal that the state never saw"));
  });
  return ends;
}

absl::StatusOr<RequestHistory> ReadRequestHistory(const EventStore& store, const FoldedState& state,
                                                  absl::string_view request_id,
                                                  const v1::RequestRecord& record) {
  RequestHistory history;
  history.record = record;
  history.directory = state.state().directory();
  const std::string stream = RequestStream(request_id);
  std::string prev_hash = GenesisHash();
  CFLOW_RETURN_IF_ERROR(store.ReadStream(stream, 0, [&](const StoredRecord& stored) {
    CFLOW_ASSIGN_OR_RETURN(v1::EventBatch batch, ParseEventBatch(stored.position, stored.payload));
    for (v1::Event& e : *batch.mutable_events()) {
      history.prev_hashes.push_back(prev_hash);
      prev_hash = e.hash();
      e.set_position(stored.position);
      history.events.push_back(std::move(e));
    }
    return absl::OkStatus();
  }));
  if (const v1::StreamHead* head = state.FindStream(stream)) {
    history.head_hash = head->hash();
    history.last_version = head->events();
  }
  return history;
}

}  // namespace collabflow::internal
