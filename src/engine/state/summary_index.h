// Every request's summary (request_summary.h), its stream's head included,
// by request id: the part of the engine's index that grows with the
// history.
//
// Most requests of a store kept for years have ended (archived or
// cancelled), and an ended request's summary is its state and its head
// alone. Those are kept packed — the head's numbers and hash in a fixed
// struct beside the id in a PackedStringMap, about 80 bytes and the id's —
// where
// a summary as a message, with its head and hash on the heap, takes about
// 300. The others (open requests, and any summary that would not come back
// byte for byte from the packed form) stay messages. Nothing outside sees
// the difference: a packed summary is unpacked when read (Find) or changed
// (Mutable), and serialized as the message it stands for.
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_SUMMARY_INDEX_H_
#define COLLABFLOW_SRC_ENGINE_STATE_SUMMARY_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/container/node_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/packed_string_map.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

class SummaryIndex {
 public:
  SummaryIndex() = default;
  SummaryIndex(SummaryIndex&&) = default;
  SummaryIndex& operator=(SummaryIndex&&) = default;

  bool Contains(const std::string& request_id) const {
    return open_.contains(request_id) || packed_.Contains(request_id);
  }
  size_t size() const { return open_.size() + packed_.size(); }
  size_t packed() const { return packed_.size(); }

  // The request's summary, to change; an empty one if the request is new,
  // and a packed one unpacked. The pointer stays valid until Pack(request_id).
  v1::RequestSummary* Mutable(const std::string& request_id);
  // Packs the request's summary if it has ended and comes back byte for
  // byte from the packed form; returns whether it did (pointers from
  // Mutable for it are then invalid).
  bool Pack(const std::string& request_id);
  // Puts `*summary` (moved out) as the request's summary, packed if it can
  // be.
  void Put(const std::string& request_id, v1::RequestSummary* summary);

  // Puts the summary serialized in `bytes` (a RequestSummary) as the
  // request's. One that packs is read straight into its packed form (an
  // open reads a million of them), any other parsed. INVALID_ARGUMENT,
  // changing nothing, if the bytes do not parse.
  absl::Status PutSerialized(const std::string& request_id, absl::string_view bytes);

  // The request's summary; nullptr if unknown. A packed one is unpacked into
  // a buffer valid until the next Find.
  const v1::RequestSummary* Find(const std::string& request_id) const;
  // The request's summary if kept as a message (stable until it is packed);
  // nullptr if unknown or packed.
  const v1::RequestSummary* FindMessage(const std::string& request_id) const {
    auto it = open_.find(request_id);
    return it == open_.end() ? nullptr : &it->second;
  }
  // Calls fn(request id) for every request, in no particular order.
  void ForEachId(absl::FunctionRef<void(const std::string&)> fn) const;
  // Calls fn(request id, summary) for every request whose summary is kept
  // as a message: every request that has not ended (a packed one has).
  void ForEachUnpacked(
      absl::FunctionRef<void(const std::string&, const v1::RequestSummary&)> fn) const {
    for (const auto& [id, summary] : open_) fn(id, summary);
  }
  // Calls fn(request id, summary) for every request, in no particular order
  // (a packed summary unpacked into a buffer for the call).
  void ForEach(absl::FunctionRef<void(const std::string&, const v1::RequestSummary&)> fn) const;

  // Appends the `summaries` field of collabflow.v1.EngineState holding every
  // request's summary: one map entry per request, in id order, the bytes
  // deterministic serialization gives.
  void AppendSerialized(std::string* out) const;
  // Appends `summary`'s entry of that field (the same bytes as a map of one
  // entry serialized).
  static void AppendEntry(const std::string& request_id, const v1::RequestSummary& summary,
                          std::string* out);

  void Clear();

 private:
  // An ended request's summary: its state and head.
  struct Packed {
    uint64_t position = 0;
    uint32_t records = 0;
    uint32_t events = 0;
    uint32_t notifications = 0;
    uint8_t state = 0;
    uint8_t hash_size = 0;
    char hash[32] = {};
  };
  static void Unpack(const Packed& packed, v1::RequestSummary* summary);
  // Whether `summary` packs (see Pack), and if so into *packed.
  static bool TryPack(const v1::RequestSummary& summary, Packed* packed);
  // Whether `bytes` are exactly what a packed summary serializes to (as
  // TryPack would accept), and if so the packed form, into *packed.
  static bool TryPackBytes(absl::string_view bytes, Packed* packed);
  static size_t PackedByteSize(const Packed& packed);

  // Node-based: a summary stays where it is while others come and go (the
  // folded state keeps a pointer to the head it folds into).
  absl::node_hash_map<std::string, v1::RequestSummary> open_;
  PackedStringMap<Packed> packed_;
  mutable v1::RequestSummary unpacked_;  // Find's buffer
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_SUMMARY_INDEX_H_
