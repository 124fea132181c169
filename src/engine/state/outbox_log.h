// The engine's outbox: the notifications not yet acknowledged, in the order
// of their records' positions, each kept as its protobuf bytes (its position
// set), packed end to end into large blocks. Each is framed as the state's
// `undelivered` field (key, length, bytes), so the outbox's part of the
// state's bytes is the blocks' bytes from the first notification on: a
// snapshot takes it without copying under the engine's lock (Freeze).
//
// The state's `undelivered` field (v1::EngineState) holds the same
// notifications as messages. The engine keeps them here instead, and puts them back into
// the state's bytes only where the state leaves the engine (StateBytes,
// snapshots: SerializeWithOutbox). As messages, a notification is about ten
// heap objects that live until the host acknowledges it; the mix of simple
// commands spent a fifth of its allocations and a third of the memory it
// leaves behind on them. As bytes it is one copy into a block, and the
// message objects the commands built stay with the kept events for the next
// commands to fill (engine.cc, KeepSpareEventsLocked).
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_OUTBOX_LOG_H_
#define COLLABFLOW_SRC_ENGINE_STATE_OUTBOX_LOG_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/notification.pb.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

class OutboxLog {
 public:
  // Appends `n` (copied) as a notification of the record at `position`.
  // REQUIRES: position is at least every position appended before;
  // n.position() is 0 or `position`.
  void Append(const v1::Notification& n, uint64_t position);

  // Drops every notification whose position is <= up_to.
  void AcknowledgeUpTo(uint64_t up_to);

  // The notifications of the records after position `after`, in order, each
  // record's whole: as many records as it takes to reach `max`
  // notifications (at least one record, whatever its count).
  std::vector<v1::Notification> Read(uint64_t after, size_t max) const;

  size_t size() const { return entries_.size(); }

  // Moves a state's outbox (from a snapshot) in, leaving it empty.
  // INVALID_ARGUMENT (nothing moved) if its positions are missing, do not
  // ascend, or are not above those appended before.
  absl::Status TakeFrom(google::protobuf::RepeatedPtrField<v1::Notification>* undelivered);

  // `state`'s deterministic protobuf bytes as if its `undelivered` held
  // these notifications: the same bytes as SerializeBinary of that state.
  // REQUIRES: state.undelivered() is empty.
  std::string SerializeWithOutbox(const v1::EngineState& state) const;

  // The same bytes, taken in two steps: Freeze serializes `state` and keeps
  // a share of the blocks holding the notifications (costing the blocks'
  // count, not the notifications'); Join, which needs no lock, copies them
  // out. What is appended or acknowledged after Freeze is not in them, and
  // the blocks they share stay until they are joined or dropped.
  class Frozen {
   public:
    std::string Join() &&;

   private:
    friend class OutboxLog;
    std::string head_;  // the state's bytes (all of them, when !parts_)
    std::vector<std::pair<std::shared_ptr<const char[]>, absl::string_view>> parts_;
  };
  Frozen Freeze(const v1::EngineState& state) const;

 private:
  struct Entry {
    uint64_t position;
    const char* framed;  // into blocks_: the field's key and length, then the notification
    uint32_t size;       // the notification's
    uint8_t frame;       // bytes before it
    const char* data() const { return framed + frame; }
  };
  struct Block {
    std::shared_ptr<char[]> data;  // shared with Frozen
    char* end = nullptr;           // past the last notification written into it
    uint64_t last_position = 0;    // of the last notification written into it
  };

  // Room for `size` bytes at the last block's end (a new block if needed).
  char* Reserve(size_t size);
  // The slow, obviously right SerializeWithOutbox: a copy of the state with
  // the notifications parsed back into it.
  std::string SerializeByCopy(const v1::EngineState& state) const;

  std::deque<Entry> entries_;  // in position order
  std::deque<Block> blocks_;   // a front block goes once all it holds is acknowledged
  size_t block_room_ = 0;      // bytes left after the last block's end
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_OUTBOX_LOG_H_
