// The engine's outbox: the notifications not yet acknowledged, in id order,
// each kept as its protobuf bytes, packed end to end into large blocks.
//
// The state's `outbox` field (v1::EngineState) holds the same notifications
// as messages. The engine keeps them here instead, and puts them back into
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
#include <vector>

#include "absl/status/status.h"
#include "collabflow/v1/notification.pb.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

class OutboxLog {
 public:
  // Appends `n`, which is copied. REQUIRES: n.id() is above every id
  // appended before.
  void Append(const v1::Notification& n);

  // Drops every notification with id <= up_to.
  void AcknowledgeUpTo(uint64_t up_to);

  // Up to `max` notifications with id > after, in id order.
  std::vector<v1::Notification> Read(uint64_t after, size_t max) const;

  size_t size() const { return entries_.size(); }

  // Moves a state's outbox (from a snapshot) in, leaving it empty.
  // INVALID_ARGUMENT (nothing moved) if its ids are not ascending or not
  // above those appended before.
  absl::Status TakeFrom(google::protobuf::RepeatedPtrField<v1::Notification>* outbox);

  // `state`'s deterministic protobuf bytes as if its outbox held these
  // notifications: the same bytes as SerializeBinary of that state.
  // REQUIRES: state.outbox() is empty.
  std::string SerializeWithOutbox(const v1::EngineState& state) const;

 private:
  struct Entry {
    uint64_t id;
    const char* data;  // into blocks_
    uint32_t size;
  };
  struct Block {
    std::unique_ptr<char[]> data;
    uint64_t last_id = 0;  // of the last notification written into it
  };

  // Room for `size` bytes at block_end_ (a new block if needed).
  char* Reserve(size_t size);
  // The slow, obviously right SerializeWithOutbox: a copy of the state with
  // the notifications parsed back into it.
  std::string SerializeByCopy(const v1::EngineState& state) const;

  std::deque<Entry> entries_;  // in id order
  std::deque<Block> blocks_;   // a front block goes once all it holds is acknowledged
  char* block_end_ = nullptr;  // where the next notification goes in the last block
  size_t block_room_ = 0;      // bytes left after block_end_
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_OUTBOX_LOG_H_
