#include "engine/state/outbox_log.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <functional>
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

// EngineState.undelivered, and Notification.position.
constexpr uint32_t kUndeliveredField = 11;
constexpr uint32_t kPositionField = 9;

// Whether a message's highest-numbered field is `field`, named `name`: then
// its deterministic bytes end with that field's, and it can be written last.
bool IsTheLastField(const google::protobuf::Descriptor* d, uint32_t field, absl::string_view name) {
  const google::protobuf::FieldDescriptor* f = d->FindFieldByNumber(static_cast<int>(field));
  if (f == nullptr || f->name() != name) return false;
  for (int i = 0; i < d->field_count(); ++i) {
    if (d->field(i)->number() > static_cast<int>(field)) return false;
  }
  return true;
}

// Whether `state`'s deterministic bytes end with its `undelivered` field's:
// no field numbered after it is set (EngineState.summaries, which the
// engine's state writes apart: folded_state.h), and none is unknown.
bool UndeliveredIsTheLastFieldSet(const v1::EngineState& state) {
  const google::protobuf::Descriptor* d = v1::EngineState::descriptor();
  const google::protobuf::FieldDescriptor* f =
      d->FindFieldByNumber(static_cast<int>(kUndeliveredField));
  if (f == nullptr || f->name() != "undelivered") return false;
  const google::protobuf::Reflection* r = state.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* later = d->field(i);
    if (later->number() <= static_cast<int>(kUndeliveredField)) continue;
    if (later->is_repeated() ? r->FieldSize(state, later) > 0 : r->HasField(state, later)) {
      return false;
    }
  }
  return r->GetUnknownFields(state).empty();
}
bool PositionIsTheLastField() {
  static const bool last =
      IsTheLastField(v1::Notification::descriptor(), kPositionField, "position");
  return last;
}

}  // namespace

char* OutboxLog::Reserve(size_t size) {
  if (size > block_room_ || blocks_.empty()) {
    const size_t bytes = std::max(kBlockBytes, size);
    blocks_.push_back(Block{std::shared_ptr<char[]>(new char[bytes]), nullptr, 0});
    blocks_.back().end = blocks_.back().data.get();
    block_room_ = bytes;
  }
  char* at = blocks_.back().end;
  blocks_.back().end += size;
  block_room_ -= size;
  return at;
}

void OutboxLog::Append(const v1::Notification& n, uint64_t position) {
  assert(entries_.empty() || position >= entries_.back().position);
  assert(n.position() == 0 || n.position() == position);
  const size_t bare = n.ByteSizeLong();
  // The position is the notification's last field: written after the rest.
  const bool add_position = n.position() == 0 && position != 0 && PositionIsTheLastField();
  const size_t size = bare + (add_position ? 1 + VarintSize64(position) : 0);
  // Framed as the state's field: its key (one byte) and length first.
  const size_t frame = 1 + VarintSize64(size);
  char* framed = Reserve(frame + size);
  auto* out = WriteVarint(
      size, WriteKey(kUndeliveredField, kWireLength, reinterpret_cast<uint8_t*>(framed)));
  // Protobuf's bytes without its UTF-8 pass (event_wire.h); protobuf's own
  // for a notification with unknown fields.
  if (WriteNotificationWire(n, out) != out + bare) n.SerializeWithCachedSizesToArray(out);
  if (add_position) WriteVarintField(kPositionField, position, out + bare);
  blocks_.back().last_position = position;
  entries_.push_back(
      Entry{position, framed, static_cast<uint32_t>(size), static_cast<uint8_t>(frame)});
}

void OutboxLog::AcknowledgeUpTo(uint64_t up_to) {
  while (!entries_.empty() && entries_.front().position <= up_to) entries_.pop_front();
  // Every block but the one being written into goes once its last
  // notification is acknowledged.
  while (blocks_.size() > 1 && blocks_.front().last_position <= up_to) blocks_.pop_front();
}

std::vector<v1::Notification> OutboxLog::Read(uint64_t after, size_t max) const {
  std::vector<v1::Notification> out;
  auto it = std::upper_bound(entries_.begin(), entries_.end(), after,
                             [](uint64_t a, const Entry& e) { return a < e.position; });
  for (; it != entries_.end(); ++it) {
    // Whole records only: the cursor is a record's position.
    if (!out.empty() && out.size() >= max && it->position != out.back().position()) break;
    out.emplace_back();
    // Bytes this log wrote from a valid message: they parse.
    const bool parsed = out.back().ParseFromArray(it->data(), static_cast<int>(it->size));
    assert(parsed);
    (void)parsed;
    if (out.back().position() == 0) out.back().set_position(it->position);
  }
  return out;
}

absl::Status OutboxLog::TakeFrom(
    google::protobuf::RepeatedPtrField<v1::Notification>* undelivered) {
  uint64_t last = entries_.empty() ? 0 : entries_.back().position;
  for (const v1::Notification& n : *undelivered) {
    if (n.position() == 0 || n.position() < last) {
      return absl::InvalidArgumentError(
          absl::StrCat("outbox: notification ", n.request_id(), "#", n.id(), " at position ",
                       n.position(), " is not after ", last, " (positions must ascend)"));
    }
    last = n.position();
  }
  for (const v1::Notification& n : *undelivered) Append(n, n.position());
  undelivered->Clear();
  return absl::OkStatus();
}

std::string OutboxLog::SerializeWithOutbox(const v1::EngineState& state) const {
  return Freeze(state).Join();
}

OutboxLog::Frozen OutboxLog::Freeze(const v1::EngineState& state) const {
  assert(state.undelivered().empty());
  Frozen frozen;
  if (entries_.empty()) {
    frozen.head_ = SerializeBinary(state);
    return frozen;
  }
  // Unknown fields (a newer writer's snapshot) are written after every
  // known one, and later fields after it: the outbox would not be last.
  if (!UndeliveredIsTheLastFieldSet(state)) {
    frozen.head_ = SerializeByCopy(state);
    return frozen;
  }
  frozen.head_ = SerializeBinary(state);
  // Every byte from the first notification to its block's end, and in
  // each later block, is a framed notification. The first is in the front
  // block (AcknowledgeUpTo drops a block once all it holds is).
  const char* from = entries_.front().framed;
  assert(std::less_equal<const char*>()(blocks_.front().data.get(), from) &&
         std::less<const char*>()(from, blocks_.front().end));
  frozen.parts_.reserve(blocks_.size());
  for (auto block = blocks_.begin(); block != blocks_.end(); ++block, from = nullptr) {
    const char* begin = from != nullptr ? from : block->data.get();
    frozen.parts_.emplace_back(block->data,
                               absl::string_view(begin, static_cast<size_t>(block->end - begin)));
  }
  return frozen;
}

std::string OutboxLog::Frozen::Join() && {
  size_t bytes = head_.size();
  for (const auto& part : parts_) bytes += part.second.size();
  std::string out = std::move(head_);
  out.reserve(bytes);
  for (const auto& part : parts_) out.append(part.second.data(), part.second.size());
  parts_.clear();
  return out;
}

std::string OutboxLog::SerializeByCopy(const v1::EngineState& state) const {
  v1::EngineState full = state;
  for (v1::Notification& n : Read(0, entries_.size())) *full.add_undelivered() = std::move(n);
  return SerializeBinary(full);
}

}  // namespace collabflow::internal
