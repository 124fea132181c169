#include "engine/sealed_batch.h"

#include <algorithm>
#include <cstdint>

#include "engine/event_wire.h"
#include "sha256.h"

namespace collabflow::internal {
namespace {

// Wire keys: EventBatch.events = 1 and Event.hash = 6, both length-delimited.
constexpr char kEventsKey = (1 << 3) | 2;
constexpr char kHashKey = (6 << 3) | 2;

void AppendVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

}  // namespace

void SealedBatchWriter::Seal(v1::Event* event) {
  const size_t bare_size = event->ByteSizeLong();
  const size_t hashed_size = bare_size + 2 + kSha256Bytes;  // + key, length, digest
  // Room for the key, the length varint (at most 10 bytes) and the entry
  // before writing any of it (growing geometrically across events), so that
  // the record's buffer is not reallocated piece by piece.
  const size_t need = wire_.size() + 1 + 10 + hashed_size;
  if (wire_.capacity() < need) wire_.reserve(std::max(need, 2 * wire_.capacity()));
  wire_.push_back(kEventsKey);
  AppendVarint(hashed_size, &wire_);
  const size_t start = wire_.size();
  wire_.resize(start + bare_size);
  auto* bare = reinterpret_cast<uint8_t*>(&wire_[start]);
  // The same bytes as protobuf's serializer, without its second UTF-8 pass
  // over every text (event_wire.h); protobuf's own where it must be.
  if (WriteEventWire(*event, bare) != bare + bare_size) {
    event->SerializeWithCachedSizesToArray(bare);
  }

  Sha256 h;
  h.Update(head_);
  h.Update(absl::string_view(wire_.data() + start, bare_size));
  const Sha256Digest d = h.Finish();
  head_.assign(reinterpret_cast<const char*>(d.data()), d.size());
  event->set_hash(head_);

  wire_.push_back(kHashKey);
  wire_.push_back(static_cast<char>(kSha256Bytes));
  wire_.append(head_);
}

}  // namespace collabflow::internal
