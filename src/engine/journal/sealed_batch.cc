#include "engine/journal/sealed_batch.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "wire/event_wire.h"
#include "wire/packed_varint.h"
#include "wire/wire_writing.h"

namespace collabflow::internal {
namespace {

// EventBatch.events and Event.hash.
constexpr uint32_t kEventsField = 1;
constexpr uint32_t kHashField = 6;

}  // namespace

void SealedBatchWriter::Seal(v1::Event* event) {
  const size_t bare_size = event->ByteSizeLong();
  const size_t hashed_size = bare_size + 2 + kSha256Bytes;  // + key, length, digest
  // Room for the entry's key and length (at most 11 bytes) and the entry
  // before writing any of it (growing geometrically across events), so that
  // the record's buffer is not reallocated piece by piece; trimmed below.
  const size_t at = wire_.size();
  const size_t need = at + 11 + hashed_size;
  if (wire_.capacity() < need) wire_.reserve(std::max(need, 2 * wire_.capacity()));
  wire_.resize(need);
  auto* const base = reinterpret_cast<uint8_t*>(&wire_[0]);
  uint8_t* const bare = WriteVarint(hashed_size, WriteKey(kEventsField, kWireLength, base + at));
  // The same bytes as protobuf's serializer, without its second UTF-8 pass
  // over every text (event_wire.h); protobuf's own where it must be.
  if (WriteEventWire(*event, bare) != bare + bare_size) {
    event->SerializeWithCachedSizesToArray(bare);
  }

  Sha256 h;
  h.Update(head_);
  h.Update(absl::string_view(reinterpret_cast<const char*>(bare), bare_size));
  const Sha256Digest d = h.Finish();
  head_.assign(reinterpret_cast<const char*>(d.data()), d.size());
  event->set_hash(head_);

  const uint8_t* end = WriteBytes(kHashField, head_, bare + bare_size);
  wire_.resize(static_cast<size_t>(end - base));
}

bool ReadSealedEvent(absl::string_view entry, SealedEvent* out) {
  // The hash field last: its key, its length (32), the digest.
  constexpr size_t kHashEntry = 2 + kSha256Bytes;
  if (entry.size() < kHashEntry) return false;
  const size_t hashed_size = entry.size() - kHashEntry;
  if (static_cast<uint8_t>(entry[hashed_size]) != ((kHashField << 3) | kWireLength) ||
      static_cast<uint8_t>(entry[hashed_size + 1]) != kSha256Bytes) {
    return false;
  }
  *out = SealedEvent();
  out->hashed = entry.substr(0, hashed_size);
  out->hash = entry.substr(hashed_size + 2);
  absl::string_view in = out->hashed;
  WireField f;
  uint32_t last = 0;
  while (!in.empty()) {
    if (!NextWireField(&in, &f) || f.number < last) return false;
    last = f.number;
    switch (f.number) {
      case v1::Event::kSequenceFieldNumber:
        return false;  // format 1: numbered across the engine
      case v1::Event::kRequestIdFieldNumber:
        if (f.wire_type != kWireLength) return false;
        out->request_id = f.bytes;
        break;
      case v1::Event::kHashFieldNumber:
      case v1::Event::kPositionFieldNumber:
        return false;  // only at the end, or never stored
      case v1::Event::kVersionFieldNumber:
        if (f.wire_type != kWireVarint) return false;
        out->version = f.varint;
        break;
      default:
        if (f.number >= v1::Event::kRequestCreatedFieldNumber) {
          if (f.wire_type != kWireLength || out->payload != 0) return false;
          out->payload = f.number;
        }
        break;
    }
  }
  return true;
}

bool SplitBatch(absl::string_view record, std::vector<absl::string_view>* entries) {
  entries->clear();
  WireField f;
  while (!record.empty()) {
    if (!NextWireField(&record, &f) || f.number != kEventsField || f.wire_type != kWireLength) {
      return false;
    }
    entries->push_back(f.bytes);
  }
  return true;
}

absl::StatusOr<v1::EventBatch> ParseEventBatch(uint64_t position, absl::string_view record) {
  v1::EventBatch batch;
  if (!batch.ParseFromArray(record.data(), static_cast<int>(record.size()))) {
    return absl::DataLossError(absl::StrCat("journal record ", position, " is not an event batch"));
  }
  return batch;
}

}  // namespace collabflow::internal
