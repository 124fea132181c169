#include "engine/state/outbox_log.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "wire/event_wire.h"
#include "wire/packed_varint.h"
#include "wire/proto_io.h"
#include "wire/wire_writing.h"

namespace collabflow::internal {
namespace {

// Notifications go into blocks of this size (a larger one gets a block of
// its own size): a block holds a few hundred.
constexpr size_t kBlockBytes = size_t{64} << 10;

// EngineState's fields: the outbox, and the one field numbered after it.
constexpr uint32_t kOutboxField = 6;
constexpr uint32_t kHeadHashField = 7;

// Whether EngineState's only field numbered above the outbox is head_hash:
// then its deterministic bytes are fields 1..5, the outbox, head_hash, in
// that order, and the outbox can be put in before head_hash's bytes.
bool HeadHashIsTheLastField() {
  static const bool last = [] {
    const google::protobuf::Descriptor* d = v1::EngineState::descriptor();
    const google::protobuf::FieldDescriptor* outbox = d->FindFieldByNumber(kOutboxField);
    const google::protobuf::FieldDescriptor* head = d->FindFieldByNumber(kHeadHashField);
    if (outbox == nullptr || outbox->name() != "outbox" || head == nullptr ||
        head->name() != "head_hash" ||
        head->type() != google::protobuf::FieldDescriptor::TYPE_BYTES) {
      return false;
    }
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->number() > static_cast<int>(kHeadHashField)) return false;
    }
    return true;
  }();
  return last;
}

}  // namespace

char* OutboxLog::Reserve(size_t size) {
  if (size > block_room_ || blocks_.empty()) {
    const size_t bytes = std::max(kBlockBytes, size);
    blocks_.push_back(Block{std::unique_ptr<char[]>(new char[bytes]), 0});
    block_end_ = blocks_.back().data.get();
    block_room_ = bytes;
  }
  char* at = block_end_;
  block_end_ += size;
  block_room_ -= size;
  return at;
}

void OutboxLog::Append(const v1::Notification& n) {
  assert(entries_.empty() || n.id() > entries_.back().id);
  const size_t size = n.ByteSizeLong();
  char* at = Reserve(size);
  auto* out = reinterpret_cast<uint8_t*>(at);
  // Protobuf's bytes without its UTF-8 pass (event_wire.h); protobuf's own
  // for a notification with unknown fields.
  if (WriteNotificationWire(n, out) != out + size) n.SerializeWithCachedSizesToArray(out);
  blocks_.back().last_id = n.id();
  entries_.push_back(Entry{n.id(), at, static_cast<uint32_t>(size)});
}

void OutboxLog::AcknowledgeUpTo(uint64_t up_to) {
  while (!entries_.empty() && entries_.front().id <= up_to) entries_.pop_front();
  // Every block but the one being written into goes once its last
  // notification is acknowledged.
  while (blocks_.size() > 1 && blocks_.front().last_id <= up_to) blocks_.pop_front();
}

std::vector<v1::Notification> OutboxLog::Read(uint64_t after, size_t max) const {
  std::vector<v1::Notification> out;
  auto it = std::upper_bound(entries_.begin(), entries_.end(), after,
                             [](uint64_t a, const Entry& e) { return a < e.id; });
  for (; it != entries_.end() && out.size() < max; ++it) {
    out.emplace_back();
    // Bytes this log wrote from a valid message: they parse.
    const bool parsed = out.back().ParseFromArray(it->data, static_cast<int>(it->size));
    assert(parsed);
    (void)parsed;
  }
  return out;
}

absl::Status OutboxLog::TakeFrom(google::protobuf::RepeatedPtrField<v1::Notification>* outbox) {
  uint64_t last = entries_.empty() ? 0 : entries_.back().id;
  for (const v1::Notification& n : *outbox) {
    if (n.id() <= last) {
      return absl::InvalidArgumentError(absl::StrCat("outbox: notification ", n.id(),
                                                     " is not after ", last, " (ids must ascend)"));
    }
    last = n.id();
  }
  for (const v1::Notification& n : *outbox) Append(n);
  outbox->Clear();
  return absl::OkStatus();
}

std::string OutboxLog::SerializeWithOutbox(const v1::EngineState& state) const {
  assert(state.outbox().empty());
  const std::string bare = SerializeBinary(state);
  if (entries_.empty()) return bare;
  // Unknown fields (a newer writer's snapshot) are written after every
  // known one: no single place to splice into.
  if (!HeadHashIsTheLastField() || !state.GetReflection()->GetUnknownFields(state).empty()) {
    return SerializeByCopy(state);
  }
  const std::string& head = state.head_hash();
  const size_t head_bytes =
      head.empty() ? 0 : 1 + VarintSize32(static_cast<uint32_t>(head.size())) + head.size();
  const size_t split = bare.size() - head_bytes;
  size_t outbox_bytes = 0;
  for (const Entry& e : entries_) outbox_bytes += 1 + VarintSize32(e.size) + e.size;
  std::string out;
  out.resize(bare.size() + outbox_bytes);
  auto* p = reinterpret_cast<uint8_t*>(&out[0]);
  std::memcpy(p, bare.data(), split);
  p += split;
  for (const Entry& e : entries_)
    p = WriteBytes(kOutboxField, absl::string_view(e.data, e.size), p);
  std::memcpy(p, bare.data() + split, head_bytes);
  return out;
}

std::string OutboxLog::SerializeByCopy(const v1::EngineState& state) const {
  v1::EngineState full = state;
  for (v1::Notification& n : Read(0, entries_.size())) *full.add_outbox() = std::move(n);
  return SerializeBinary(full);
}

}  // namespace collabflow::internal
