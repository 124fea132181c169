// The live engine behind a C handle, for entry points outside
// cflow_engine.cc: a closed or foreign handle is refused (never
// dereferenced), and the reference holds the engine for the duration of the
// call (a close waits for it).
#ifndef COLLABFLOW_CAPI_ENGINE_HANDLE_H_
#define COLLABFLOW_CAPI_ENGINE_HANDLE_H_

#include <string>

#include "absl/status/statusor.h"
#include "collabflow.h"
#include "collabflow/engine.h"
#include "handle_table.h"

namespace collabflow::capi {

using EngineRef = HandleTable<Engine>::Ref;

// INVALID_ARGUMENT for NULL, closed or unknown handles.
absl::StatusOr<EngineRef> FindEngine(const cflow_engine* handle);

// The arguments of an entry point about one request, checked in this order:
// the live engine (held for the call) and the request id (required
// NUL-terminated UTF-8). INVALID_ARGUMENT naming the one at fault.
struct RequestArgs {
  EngineRef engine;
  std::string request_id;
};
absl::StatusOr<RequestArgs> FindRequestArgs(const cflow_engine* handle, const char* request_id);

}  // namespace collabflow::capi

#endif  // COLLABFLOW_CAPI_ENGINE_HANDLE_H_
