// Conversion between TaskGraph and collabflow.v1.TaskGraph (the columnar,
// topologically ordered layout described in task_graph.proto).
#ifndef COLLABFLOW_SRC_GRAPH_TASK_GRAPH_PROTO_H_
#define COLLABFLOW_SRC_GRAPH_TASK_GRAPH_PROTO_H_

#include "absl/status/statusor.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/task_graph.pb.h"

namespace collabflow::internal {

// O(V + E); handles, ids, adjacency order and the topological order survive.
void ToProto(const TaskGraph& graph, v1::TaskGraph* out);
// Validates everything (InvalidArgument naming the field and index: dangling
// task references, repeated tasks, values out of range, duplicate ids or
// edges, inconsistent column lengths); the stored order is used as is, and
// since every edge points forward in it, no cycle check is needed. O(V + E).
absl::StatusOr<TaskGraph> FromProto(const v1::TaskGraph& message);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_GRAPH_TASK_GRAPH_PROTO_H_
