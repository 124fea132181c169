#include "engine/journal/sealed_batch.h"

#include <algorithm>
#include <cstdint>

#include "base/sha256.h"
#include "wire/event_wire.h"
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

}  // namespace collabflow::internal
