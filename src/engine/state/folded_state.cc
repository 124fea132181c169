#include "engine/state/folded_state.h"

#include <string>
#include <utility>

#include "base/status_macros.h"
#include "engine/state/state_fold.h"
#include "wire/proto_io.h"

namespace collabflow::internal {

absl::Status FoldedState::Restore(absl::string_view bytes) {
  v1::EngineState state;
  CFLOW_RETURN_IF_ERROR(ParseBinary(bytes, &state));
  OutboxLog outbox;
  CFLOW_RETURN_IF_ERROR(outbox.TakeFrom(state.mutable_outbox()));
  state_ = std::move(state);
  outbox_ = std::move(outbox);
  return absl::OkStatus();
}

void FoldedState::Apply(v1::Event* event) { ApplyEvent(event, &state_, &outbox_); }

const v1::RequestRecord* FoldedState::FindRequest(const std::string& request_id) const {
  auto it = state_.requests().find(request_id);
  return it == state_.requests().end() ? nullptr : &it->second;
}

}  // namespace collabflow::internal
