#include "engine/journal/event_arena.h"

#include <utility>

namespace collabflow::internal {
namespace {

// A few events cover a command (most decide one or two).
constexpr size_t kMaxKept = 8;
// A large event (a big plan's notices) is not kept: its cleared strings
// would hold their memory for commands that need little.
constexpr int kMaxKeptEventBytes = 64 << 10;

}  // namespace

v1::Event& EventArena::New(DecidedEvents* out) {
  if (kept_.empty()) return out->emplace_back();
  out->push_back(std::move(kept_.back()));  // a move swaps the innards
  kept_.pop_back();
  return out->back();
}

void EventArena::Recycle(DecidedEvents& events) {
  for (v1::Event& e : events) {
    if (kept_.size() >= kMaxKept) break;
    if (e.GetCachedSize() > kMaxKeptEventBytes) continue;  // the size sealing computed
    // Clear() would delete the time message; Emit sets it again anyway.
    google::protobuf::Timestamp* time = e.release_time();
    e.Clear();
    if (time != nullptr) e.set_allocated_time(time);
    kept_.push_back(std::move(e));
  }
}

}  // namespace collabflow::internal
