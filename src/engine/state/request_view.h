// What a host reads of one request (Engine::GetRequest): its record with the
// receivers' standing, who may answer for each, the members and the channel
// its complexity calls for.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_REQUEST_VIEW_H_
#define COLLABFLOW_SRC_ENGINE_STATE_REQUEST_VIEW_H_

#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

v1::RequestView BuildRequestView(const v1::RequestRecord& record, const DirectoryIndex& directory);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_REQUEST_VIEW_H_
