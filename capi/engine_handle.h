// The live engine behind a C handle, for entry points outside
// cflow_engine.cc: a closed or foreign handle is refused (never
// dereferenced), and the shared reference keeps the engine alive for the
// duration of the call.
#ifndef COLLABFLOW_CAPI_ENGINE_HANDLE_H_
#define COLLABFLOW_CAPI_ENGINE_HANDLE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "collabflow.h"
#include "collabflow/engine.h"

namespace collabflow::capi {

// INVALID_ARGUMENT for NULL, closed or unknown handles.
absl::StatusOr<std::shared_ptr<Engine>> FindEngine(const cflow_engine* handle);

}  // namespace collabflow::capi

#endif  // COLLABFLOW_CAPI_ENGINE_HANDLE_H_
