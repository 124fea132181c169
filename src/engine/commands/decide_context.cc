#include "engine/commands/decide_context.h"

namespace collabflow::internal {

v1::Event& DecideContext::Emit() const {
  v1::Event& e = arena_ != nullptr ? arena_->New(out_) : out_->emplace_back();
  *e.mutable_time() = command.time();
  e.set_actor_id(command.actor_id());
  e.set_request_id(command.request_id());
  return e;
}

}  // namespace collabflow::internal
