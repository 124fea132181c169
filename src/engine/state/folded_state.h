// The engine's state: the fold of every committed event (state_fold.h), as
// the collabflow.v1.EngineState message, with its outbox kept apart, and
// where the history stands: each stream's head (its records, its last
// event's version and hash, its last notification's id) and the last
// position folded.
//
// The outbox (the notifications not yet acknowledged) is not held in the
// message's `undelivered` field but as each notification's bytes packed
// into blocks (outbox_log.h): as messages, each waiting notification was
// about ten heap objects. Nothing outside this class sees the difference:
// state() is the message without its outbox, ReadOutbox() reads the outbox,
// and Serialize() gives the bytes of the whole message, outbox included.
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_FOLDED_STATE_H_
#define COLLABFLOW_SRC_ENGINE_STATE_FOLDED_STATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/notification.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/outbox_log.h"

namespace collabflow::internal {

class FoldedState {
 public:
  // Starts from a snapshot: the bytes Serialize() gave. An error (nothing
  // changed) if they do not parse as a state, or its outbox's ids do not
  // ascend.
  absl::Status Restore(absl::string_view bytes);

  // Folds one committed event, of the record at `position`, into the state;
  // what the state keeps moves out of the event (which keeps its
  // notifications). A record's events are applied one after the other.
  void Apply(v1::Event* event, uint64_t position);

  // The state, except that its `outbox` field is empty (see ReadOutbox).
  const v1::EngineState& state() const { return state_; }
  // The request's record; nullptr if there is none.
  const v1::RequestRecord* FindRequest(const std::string& request_id) const;
  // The stream's head; nullptr for a stream without records.
  const v1::StreamHead* FindStream(const std::string& stream) const;

  // The waiting notifications of the records after position `after`, each
  // record's whole, up to about `max` (outbox_log.h).
  std::vector<v1::Notification> ReadOutbox(uint64_t after, size_t max) const {
    return outbox_.Read(after, max);
  }

  // The whole state as deterministic protobuf bytes (outbox included): equal
  // histories give equal bytes.
  std::string Serialize() const { return outbox_.SerializeWithOutbox(state_); }

 private:
  v1::EngineState state_;  // without its outbox, which outbox_ holds
  OutboxLog outbox_;
  // The head of the stream of the record last applied (at cached_position_),
  // and a buffer for stream names.
  v1::StreamHead* cached_head_ = nullptr;
  uint64_t cached_position_ = 0;
  std::string stream_name_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_FOLDED_STATE_H_
