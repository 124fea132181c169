// The live engine behind a C handle, for entry points outside
// cflow_engine.cc: a closed or foreign handle is refused (never
// dereferenced), and the reference holds the engine for the duration of the
// call (a close waits for it).
#ifndef COLLABFLOW_CAPI_ENGINE_HANDLE_H_
#define COLLABFLOW_CAPI_ENGINE_HANDLE_H_

#include "absl/status/statusor.h"
#include "collabflow.h"
#include "collabflow/engine.h"
#include "handle_table.h"

namespace collabflow::capi {

using EngineRef = HandleTable<Engine>::Ref;

// INVALID_ARGUMENT for NULL, closed or unknown handles.
absl::StatusOr<EngineRef> FindEngine(const cflow_engine* handle);

}  // namespace collabflow::capi

#endif  // COLLABFLOW_CAPI_ENGINE_HANDLE_H_
