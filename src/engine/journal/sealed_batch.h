// Seals a command's events into the hash chain (hash_chain.h) and writes
// them as one journal record (a v1::EventBatch) in a single pass: each event
// is serialized once, straight into the record (event_wire.h: protobuf's
// bytes without protobuf's UTF-8 pass), and hashed from there.
//
// The record's entries are the event's fields in field-number order without
// `hash`, followed by the `hash` field. Protobuf parsers accept fields in any
// order, so it parses as the same EventBatch; ChainHash reproduces the
// hashed bytes from a parsed event because events hold no map fields (their
// serialization is deterministic; a test guards that).
//
// Thread safety: not thread-safe; one writer per commit.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_SEALED_BATCH_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_SEALED_BATCH_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/event.pb.h"

namespace collabflow::internal {

class SealedBatchWriter {
 public:
  // `head`: the hash of the event before the first one sealed here.
  // `buffer`: where to write the record (its contents are dropped, its
  // capacity kept), e.g. the previous record's, taken back with TakeWire.
  explicit SealedBatchWriter(std::string head, std::string buffer = {})
      : head_(std::move(head)), wire_(std::move(buffer)) {
    wire_.clear();
  }

  // REQUIRES: event->hash() is empty. Sets event->hash() and appends the
  // event to the record.
  void Seal(v1::Event* event);

  // The hash of the last event sealed (the `head` given if none).
  const std::string& head() const { return head_; }
  // The record's bytes: a serialized v1::EventBatch.
  const std::string& wire() const { return wire_; }
  // Moves the record's bytes out (the writer is done).
  std::string TakeWire() { return std::move(wire_); }
  // Moves head() out, e.g. to be given back as the next writer's `head`
  // buffer (the writer is done).
  std::string TakeHead() { return std::move(head_); }

 private:
  std::string head_;
  std::string wire_;
};

// An event as SealedBatchWriter wrote it, read from its bytes without
// parsing it (for the chain check over a whole journal): what places it in
// its chain and its stream, the bytes its hash covers and the hash.
struct SealedEvent {
  uint64_t version = 0;
  absl::string_view request_id;
  uint32_t payload = 0;      // the payload's field number (v1::Event::PayloadCase); 0: none
  absl::string_view hashed;  // the entry's bytes before its hash field
  absl::string_view hash;
};

// Reads one entry of a record (an EventBatch.events element's bytes). False
// if it is not laid out as Seal writes it (well-formed fields in ascending
// field-number order, a format 2 event, the 32-byte hash field last and
// only there): then parse it as a v1::Event instead.
bool ReadSealedEvent(absl::string_view entry, SealedEvent* out);

// The entries of a record's EventBatch (views into `record`), written over
// `*entries`. False if the record holds anything else or is malformed.
bool SplitBatch(absl::string_view record, std::vector<absl::string_view>* entries);

// The journal record at `position`, parsed as the EventBatch it holds;
// DATA_LOSS naming the record if it is not one.
absl::StatusOr<v1::EventBatch> ParseEventBatch(uint64_t position, absl::string_view record);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_SEALED_BATCH_H_
