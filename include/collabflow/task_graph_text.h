// Reading a TaskGraph from text that people bring: an edge list (CSV or TSV)
// with a task list, or JSON. This is the way in for benchmarking the
// scheduler on one's own graph (benchmarks/README.md, "Your own graph").
//
// Thread safety: free functions without shared state.
//
// Edge list. Two texts, one record a line; fields are separated by a comma
// or, if the first record line holds a tab, by tabs. Fields are trimmed of
// spaces; there is no quoting (an id may not hold the separator). Blank
// lines and lines starting with '#' are skipped. The first record line is a
// header, and skipped, when its first field is "id" or "task" (tasks) or
// "from" or "predecessor" (edges), in any case.
//   tasks:  id, duration         (working days, 0..kMaxTaskDuration)
//   edges:  from, to[, type[, lag]]
//           type FS, SS, FF or SF in any case, FS when absent or empty;
//           lag in working days (negative: a lead), 0 when absent or empty.
// Task i of the task list gets handle i and its id; edges name tasks by id.
//
// JSON. One object:
//   {"tasks": [{"id": "A", "duration": 3}, ...],
//    "dependencies": [{"from": "A", "to": "B", "type": "FS", "lag": 0}, ...]}
// with "type" and "lag" optional as above; other keys are refused.
//
// Errors. Every refusal is InvalidArgument (NotFound for an unknown task id,
// AlreadyExists for a repeated id or dependency) naming where: "edges line
// 7: unknown task id \"Q\"", "tasks line 3: duration \"x\" is not an
// integer", "dependencies[4].type: unknown type \"XY\" (FS, SS, FF or SF)",
// and a cycle with its tasks and the lines of its edges. Nothing is built
// unless everything is valid.
#ifndef COLLABFLOW_TASK_GRAPH_TEXT_H_
#define COLLABFLOW_TASK_GRAPH_TEXT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/task_graph.h"

namespace collabflow {

// A plan as lists, ready for TaskGraph::Build: tasks by handle, dependencies
// naming handles, and the line (edge list) or index (JSON) each dependency
// came from, for messages.
struct TaskGraphLists {
  std::vector<TaskSpec> tasks;
  std::vector<Dependency> dependencies;
  std::vector<uint32_t> dependency_lines;
  bool from_json = false;  // messages say "dependencies[i]", not "edges line i"
};

// Parses the two texts of an edge list (the format above) into lists,
// checking each line; duplicates and cycles are found by BuildFromLists.
absl::StatusOr<TaskGraphLists> ParseEdgeList(absl::string_view tasks, absl::string_view edges);
// Parses the JSON form; dependency_lines holds each dependency's index.
absl::StatusOr<TaskGraphLists> ParseTaskGraphJson(absl::string_view json);

// TaskGraph::Build on the lists, with a refused duplicate or cycle named by
// its lines ("edges line 9 repeats line 4: A -> B"; "edges: the plan has a
// cycle A -> B -> A (lines 3, 8)"), or by their indexes for JSON.
absl::StatusOr<TaskGraph> BuildFromLists(const TaskGraphLists& lists);

// ParseEdgeList or ParseTaskGraphJson, then BuildFromLists.
absl::StatusOr<TaskGraph> TaskGraphFromEdgeList(absl::string_view tasks, absl::string_view edges);
absl::StatusOr<TaskGraph> TaskGraphFromJson(absl::string_view json);

}  // namespace collabflow

#endif  // COLLABFLOW_TASK_GRAPH_TEXT_H_
