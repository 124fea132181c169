// Where a command's events are made. A command decides a few events, which
// are sealed, written and folded into the state (their contents move there),
// then cleared and kept here for the next commands: their strings keep their
// buffers, so a command allocates and frees far less than with new events.
//
// Command handlers never see this: they call DecideContext::Emit, and the
// commit pipeline (commit_pipeline.h), which owns the arena, takes the
// events back once they are folded.
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_EVENT_ARENA_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_EVENT_ARENA_H_

#include <vector>

#include "absl/container/inlined_vector.h"
#include "collabflow/v1/event.pb.h"

namespace collabflow::internal {

// The events a command decides: most decide one or two, which stay inline
// (no allocation per command).
using DecidedEvents = absl::InlinedVector<v1::Event, 2>;

class EventArena {
 public:
  // A cleared event appended to `out`: a kept one when there is one.
  v1::Event& New(DecidedEvents* out);

  // Takes back a command's events once they are folded (and no longer
  // read), cleared, for the next commands.
  void Recycle(DecidedEvents& events);

  // The events kept for reuse (for tests).
  size_t kept() const { return kept_.size(); }

 private:
  std::vector<v1::Event> kept_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_EVENT_ARENA_H_
