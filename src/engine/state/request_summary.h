// A request's summary (v1::RequestSummary): what the engine keeps of every
// request whether or not its record is loaded (request_cache.h), for the
// request list, the must-do and overdue lists and the timers. A request that
// has ended (archived or cancelled) keeps its state alone: it owes nothing
// and is listed by id only.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_REQUEST_SUMMARY_H_
#define COLLABFLOW_SRC_ENGINE_STATE_REQUEST_SUMMARY_H_

#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

// Whether a request in `state` has ended: archived or cancelled.
inline bool HasEnded(v1::RequestState state) {
  return state == v1::REQUEST_STATE_ARCHIVED || state == v1::REQUEST_STATE_CANCELLED;
}

// Writes `record`'s summary over `*summary`.
void Summarize(const v1::RequestRecord& record, v1::RequestSummary* summary);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_REQUEST_SUMMARY_H_
