#include "engine/state/folded_state.h"

#include <string>
#include <utility>

#include "base/status_macros.h"
#include "engine/state/state_fold.h"
#include "engine/state/streams.h"
#include "wire/proto_io.h"

namespace collabflow::internal {

absl::Status FoldedState::Restore(absl::string_view bytes) {
  v1::EngineState state;
  CFLOW_RETURN_IF_ERROR(ParseBinary(bytes, &state));
  OutboxLog outbox;
  CFLOW_RETURN_IF_ERROR(outbox.TakeFrom(state.mutable_undelivered()));
  state_ = std::move(state);
  outbox_ = std::move(outbox);
  cached_head_ = nullptr;
  return absl::OkStatus();
}

void FoldedState::Apply(v1::Event* event, uint64_t position) {
  v1::Event& e = *event;
  // A record's events are one stream's: looked up once per record. (Map
  // values stay where they are as the map grows.)
  if (position != cached_position_ || cached_head_ == nullptr) {
    StreamNameOf(e, &stream_name_);
    cached_head_ = &(*state_.mutable_streams())[stream_name_];
    cached_position_ = position;
  }
  v1::StreamHead& head = *cached_head_;
  if (head.position() != position) {  // the first event of its record
    head.set_records(head.records() + 1);
    head.set_position(position);
  }
  head.set_events(e.version());
  head.set_hash(e.hash());
  if (e.notifications_size() > 0) {
    head.set_notifications(e.notifications(e.notifications_size() - 1).id());
    for (const v1::Notification& n : e.notifications()) outbox_.Append(n, position);
  }
  state_.set_last_position(position);
  if (e.has_outbox_acknowledged()) {
    outbox_.AcknowledgeUpTo(e.outbox_acknowledged().up_to_position());
  }
  ApplyEvent(event, &state_);
}

const v1::StreamHead* FoldedState::FindStream(const std::string& stream) const {
  auto it = state_.streams().find(stream);
  return it == state_.streams().end() ? nullptr : &it->second;
}

const v1::RequestRecord* FoldedState::FindRequest(const std::string& request_id) const {
  auto it = state_.requests().find(request_id);
  return it == state_.requests().end() ? nullptr : &it->second;
}

}  // namespace collabflow::internal
