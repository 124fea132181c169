// An EventStore that reports the progress of every pass over the journal
// (ReadAll) to a ReadProgress and otherwise forwards to the store it wraps.
//
// Thread safety: as the wrapped store; the callback runs on the reading thread.
#ifndef COLLABFLOW_SRC_STORE_PROGRESS_STORE_H_
#define COLLABFLOW_SRC_STORE_PROGRESS_STORE_H_

#include <memory>

#include "collabflow/event_store.h"

namespace collabflow {

// REQUIRES: store != nullptr. An empty `progress` returns `store` unchanged.
std::unique_ptr<EventStore> WithReadProgress(std::unique_ptr<EventStore> store,
                                             ReadProgress progress);

}  // namespace collabflow

#endif  // COLLABFLOW_SRC_STORE_PROGRESS_STORE_H_
