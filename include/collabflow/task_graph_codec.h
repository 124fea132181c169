// Saving and loading a whole TaskGraph as collabflow.v1.TaskGraph protobuf
// bytes (proto/collabflow/v1/task_graph.proto). Built for million-task plans:
// columns of packed arrays, the topological order stored so that loading
// needs no sort.
//
// Thread safety: free functions without shared state.
#ifndef COLLABFLOW_TASK_GRAPH_CODEC_H_
#define COLLABFLOW_TASK_GRAPH_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/task_graph.h"

namespace collabflow {

// Handles, ids, assignees, progress, dependencies and the order survive a
// round trip; the change log does not (a loaded graph starts with none).
std::string EncodeTaskGraph(const TaskGraph& graph);
// InvalidArgument if the bytes do not parse or describe an invalid graph
// (the message names the field and index); ResourceExhausted beyond limits.
absl::StatusOr<TaskGraph> DecodeTaskGraph(absl::string_view bytes);

}  // namespace collabflow

#endif  // COLLABFLOW_TASK_GRAPH_CODEC_H_
