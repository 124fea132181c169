// The process record table (协作流程记录表) of a request: for each of the
// five steps of the process the responsible role, the time rule, the actual
// start and end, whether the rule was met, the outputs, the members, and
// notes on risks and adjustments, built from the request's history.
//
// Thread safety: may be called from any thread.
#ifndef COLLABFLOW_PROCESS_RECORD_H_
#define COLLABFLOW_PROCESS_RECORD_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/acceptance.pb.h"

namespace collabflow {

class Engine;  // engine.h

// The table as the request's history stands (Engine::ReadRequestHistory).
// NOT_FOUND if the request is unknown.
absl::StatusOr<v1::ProcessRecordTable> GetProcessRecord(const Engine& engine,
                                                        absl::string_view request_id);

}  // namespace collabflow

#endif  // COLLABFLOW_PROCESS_RECORD_H_
