#include "engine/journal/request_history.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "engine/journal/hash_chain.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/streams.h"

namespace collabflow::internal {
namespace {

absl::StatusOr<v1::EventBatch> ParseRecord(const StoredRecord& record) {
  v1::EventBatch batch;
  if (!batch.ParseFromArray(record.payload.data(), static_cast<int>(record.payload.size()))) {
    return absl::DataLossError(
        absl::StrCat("journal record ", record.position, " is not an event batch"));
  }
  return batch;
}

// Whether an event with `payload` (a field number) and `request_id` belongs
// to `stream` (StreamNameOf, streams.h).
bool OfStream(absl::string_view stream, uint32_t payload, absl::string_view request_id) {
  if (payload == v1::Event::kDirectoryUpdated) return stream == kDirectoryStream;
  if (payload == v1::Event::kOutboxAcknowledged) return stream == kOutboxStream;
  return absl::ConsumePrefix(&stream, kRequestStreamPrefix) && stream == request_id;
}

}  // namespace

absl::Status VerifyStoredHistory(const EventStore& store, const FoldedState& state) {
  absl::flat_hash_map<std::string, ChainVerifier> chains;
  std::vector<absl::string_view> entries;
  std::vector<SealedEvent> sealed;
  CFLOW_RETURN_IF_ERROR(store.ReadAll(0, [&](const StoredRecord& record) {
    auto it = chains.find(record.stream);
    if (it == chains.end()) {
      it = chains
               .try_emplace(std::string(record.stream), GenesisHash(), 1, ChainNumbering::kVersion,
                            absl::StrCat("stream ", record.stream))
               .first;
    }
    // Read as the commit pipeline wrote it: each event's hash checked over
    // its bytes as they lie in the record, nothing parsed.
    bool as_written = SplitBatch(record.payload, &entries);
    sealed.resize(entries.size());
    for (size_t i = 0; as_written && i < entries.size(); ++i) {
      as_written = ReadSealedEvent(entries[i], &sealed[i]);
    }
    if (as_written) {
      for (const SealedEvent& e : sealed) {
        if (!OfStream(record.stream, e.payload, e.request_id)) {
          return absl::DataLossError(absl::StrCat("journal record ", record.position, " of stream ",
                                                  record.stream,
                                                  " holds an event of another stream"));
        }
        CFLOW_RETURN_IF_ERROR(it->second.AddHashed(e.version, e.hashed, e.hash));
      }
      return absl::OkStatus();
    }
    // Anything else is parsed and its hash computed from the parsed event.
    CFLOW_ASSIGN_OR_RETURN(const v1::EventBatch batch, ParseRecord(record));
    for (const v1::Event& e : batch.events()) {
      if (StreamOf(e) != record.stream) {
        return absl::DataLossError(absl::StrCat("journal record ", record.position, " of stream ",
                                                record.stream, " holds an event of stream ",
                                                StreamOf(e)));
      }
      CFLOW_RETURN_IF_ERROR(it->second.Add(e));
    }
    return absl::OkStatus();
  }));
  absl::Status ends;
  state.ForEachStream([&](const std::string& stream, const v1::StreamHead& head) {
    if (!ends.ok()) return;
    auto it = chains.find(stream);
    if (it == chains.end()) {
      ends = absl::DataLossError(absl::StrCat("stream ", stream, ": its ", head.events(),
                                              " events are missing from the journal"));
      return;
    }
    ends = it->second.Finish(head.hash(), head.events());
  });
  CFLOW_RETURN_IF_ERROR(ends);
  for (const auto& [stream, chain] : chains) {
    if (state.FindStream(stream) == nullptr) {
      return absl::DataLossError(absl::StrCat("stream ", stream, ": ", chain.last(),
                                              " events in the journal that the state never saw"));
    }
  }
  return absl::OkStatus();
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
    CFLOW_ASSIGN_OR_RETURN(v1::EventBatch batch, ParseRecord(stored));
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
