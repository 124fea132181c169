// The task graph and its scheduler through the C ABI, without an engine:
// build (from columns, an edge list or JSON), edits with the cycle check,
// the critical path computed in full or brought up to date after edits, and
// save/load as collabflow.v1.TaskGraph bytes.
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/utf8.h"
#include "boundary.h"
#include "collabflow.h"
#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"
#include "collabflow/task_graph_codec.h"
#include "collabflow/task_graph_text.h"
#include "handle_table.h"

namespace {

using collabflow::Dependency;
using collabflow::DependencyType;
using collabflow::Schedule;
using collabflow::TaskGraph;
using collabflow::TaskHandle;
using collabflow::capi::CopyOut;
using collabflow::capi::Guard;
using collabflow::capi::HandleTable;
using collabflow::capi::InputBytes;
using collabflow::capi::RequireNonNull;
using collabflow::capi::TextArg;

static_assert(CFLOW_LINK_FINISH_TO_START == static_cast<int>(DependencyType::kFinishToStart) &&
                  CFLOW_LINK_START_TO_START == static_cast<int>(DependencyType::kStartToStart) &&
                  CFLOW_LINK_FINISH_TO_FINISH ==
                      static_cast<int>(DependencyType::kFinishToFinish) &&
                  CFLOW_LINK_START_TO_FINISH == static_cast<int>(DependencyType::kStartToFinish),
              "cflow_link_type mirrors collabflow::DependencyType");
static_assert(sizeof(cflow_task) == sizeof(TaskHandle), "cflow_task is a TaskHandle");

// A graph and the schedule last computed for it. The graph's change log
// holds the edits since that schedule: empty means the dates are current.
// The C++ objects are not thread-safe, so every call locks `mu`.
struct GraphObject {
  std::mutex mu;
  TaskGraph graph;
  Schedule schedule;
  bool scheduled = false;
};

HandleTable<GraphObject>& Graphs() {
  static auto* handles =
      new HandleTable<GraphObject>("task graph", collabflow::capi::kTaskGraphTag);
  return *handles;  // never destroyed: safe at exit
}

absl::Status Publish(TaskGraph graph, cflow_task_graph** out) {
  auto object = std::make_unique<GraphObject>();
  graph.ClearChangeLog();
  object->graph = std::move(graph);
  return Graphs().Publish(std::move(object), out);
}

// One call's hold on a live graph, locked for the call.
struct Locked {
  HandleTable<GraphObject>::Ref ref;
  std::unique_lock<std::mutex> lock;
  GraphObject* operator->() const { return &*ref; }
  GraphObject& operator*() const { return *ref; }
};

absl::StatusOr<Locked> Lock(const cflow_task_graph* handle) {
  CFLOW_ASSIGN_OR_RETURN(auto ref, Graphs().Find(handle));
  std::unique_lock<std::mutex> lock(ref->mu);
  return Locked{std::move(ref), std::move(lock)};
}

absl::Status CheckType(cflow_link_type type, const std::string& name) {
  if (type < CFLOW_LINK_FINISH_TO_START || type > CFLOW_LINK_START_TO_FINISH) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": unknown value ", type));
  }
  return absl::OkStatus();
}

// A column of `count` elements: NULL only when count is 0.
absl::Status Column(const void* data, size_t count, const char* name) {
  if (data == nullptr && count != 0) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": NULL pointer with count ", count));
  }
  return absl::OkStatus();
}

absl::Status Capacity(size_t capacity, size_t needed, const char* what) {
  if (capacity < needed) {
    return absl::OutOfRangeError(
        absl::StrCat("capacity: ", capacity, " is less than the ", needed, " ", what));
  }
  return absl::OkStatus();
}

// The dates are those of the graph as it stands.
absl::Status CheckCurrent(const GraphObject& g) {
  if (!g.scheduled) {
    return absl::FailedPreconditionError(
        "the graph has no schedule: call cflow_task_graph_schedule first");
  }
  if (!g.graph.change_log().empty() || g.graph.change_log_overflowed()) {
    return absl::FailedPreconditionError(
        "the graph was edited since its schedule: call cflow_task_graph_reschedule first");
  }
  return absl::OkStatus();
}

}  // namespace

extern "C" {

CFLOW_EXPORT cflow_status cflow_task_graph_new(cflow_task_graph** out) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    return Publish(TaskGraph(), out);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_build(cflow_task_graph** out, const char* const* ids,
                                                 const int32_t* durations, size_t task_count,
                                                 const cflow_task* predecessors,
                                                 const cflow_task* successors,
                                                 const cflow_link_type* types, const int32_t* lags,
                                                 size_t dependency_count) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(Column(durations, task_count, "durations"));
    CFLOW_RETURN_IF_ERROR(Column(predecessors, dependency_count, "predecessors"));
    CFLOW_RETURN_IF_ERROR(Column(successors, dependency_count, "successors"));
    if (task_count > collabflow::kMaxGraphTasks) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "task_count: ", task_count, " exceeds the limit of ", collabflow::kMaxGraphTasks));
    }
    std::vector<collabflow::TaskSpec> tasks(task_count);
    for (size_t i = 0; i < task_count; ++i) {
      tasks[i].duration = durations[i];
      if (ids != nullptr && ids[i] != nullptr) {
        tasks[i].id = ids[i];
        if (!collabflow::internal::IsValidUtf8(tasks[i].id)) {
          return absl::InvalidArgumentError(absl::StrCat("ids[", i, "]: not valid UTF-8"));
        }
      }
    }
    std::vector<Dependency> deps(dependency_count);
    for (size_t k = 0; k < dependency_count; ++k) {
      Dependency& d = deps[k];
      d.predecessor = predecessors[k];
      d.successor = successors[k];
      if (types != nullptr) {
        CFLOW_RETURN_IF_ERROR(CheckType(types[k], absl::StrCat("types[", k, "]")));
        d.type = static_cast<DependencyType>(types[k]);
      }
      if (lags != nullptr) d.lag = lags[k];
    }
    CFLOW_ASSIGN_OR_RETURN(TaskGraph graph, TaskGraph::Build(tasks, deps));
    return Publish(std::move(graph), out);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_from_edge_list(cflow_task_graph** out, const char* tasks,
                                                          size_t tasks_len, const char* edges,
                                                          size_t edges_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    absl::string_view task_text, edge_text;
    CFLOW_RETURN_IF_ERROR(InputBytes(tasks, tasks_len, "tasks", &task_text));
    CFLOW_RETURN_IF_ERROR(InputBytes(edges, edges_len, "edges", &edge_text));
    CFLOW_ASSIGN_OR_RETURN(TaskGraph graph,
                           collabflow::TaskGraphFromEdgeList(task_text, edge_text));
    return Publish(std::move(graph), out);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_from_json(cflow_task_graph** out, const char* json,
                                                     size_t json_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    absl::string_view text;
    CFLOW_RETURN_IF_ERROR(InputBytes(json, json_len, "json", &text));
    CFLOW_ASSIGN_OR_RETURN(TaskGraph graph, collabflow::TaskGraphFromJson(text));
    return Publish(std::move(graph), out);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_save(uint8_t** out, size_t* out_len,
                                                cflow_task_graph* graph) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    return CopyOut(collabflow::EncodeTaskGraph(g->graph), out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_load(cflow_task_graph** out, const uint8_t* bytes,
                                                size_t bytes_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    absl::string_view input;
    CFLOW_RETURN_IF_ERROR(InputBytes(bytes, bytes_len, "bytes", &input));
    CFLOW_ASSIGN_OR_RETURN(TaskGraph graph, collabflow::DecodeTaskGraph(input));
    return Publish(std::move(graph), out);
  });
}

CFLOW_EXPORT void cflow_task_graph_free(cflow_task_graph* graph) { Graphs().FreeFromC(graph); }

CFLOW_EXPORT cflow_status cflow_task_graph_size(size_t* out_handles, size_t* out_tasks,
                                                size_t* out_dependencies, cflow_task_graph* graph) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    if (out_handles != nullptr) *out_handles = g->graph.handle_count();
    if (out_tasks != nullptr) *out_tasks = g->graph.task_count();
    if (out_dependencies != nullptr) *out_dependencies = g->graph.dependency_count();
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_find(cflow_task* out, cflow_task_graph* graph,
                                                const char* id) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    std::string text;
    CFLOW_RETURN_IF_ERROR(TextArg(id, "id", /*optional=*/false, /*required=*/true, &text));
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    CFLOW_ASSIGN_OR_RETURN(*out, g->graph.Find(text));
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_ids(char** out, size_t* out_len,
                                               cflow_task_graph* graph) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    std::string ids;
    const TaskGraph& tg = g->graph;
    for (TaskHandle t = 0; t < tg.handle_count(); ++t) {
      if (tg.IsLive(t)) ids.append(tg.id(t).data(), tg.id(t).size());
      ids.push_back('\0');
    }
    return CopyOut(ids, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_add_task(cflow_task* out, cflow_task_graph* graph,
                                                    const char* id, int32_t duration) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    collabflow::TaskSpec spec;
    CFLOW_RETURN_IF_ERROR(TextArg(id, "id", /*optional=*/true, /*required=*/false, &spec.id));
    spec.duration = duration;
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    CFLOW_ASSIGN_OR_RETURN(*out, g->graph.AddTask(spec));
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_add_dependency(cflow_task_graph* graph,
                                                          cflow_task predecessor,
                                                          cflow_task successor,
                                                          cflow_link_type type, int32_t lag) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckType(type, "type"));
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    return g->graph.AddDependency(
        Dependency{predecessor, successor, static_cast<DependencyType>(type), lag});
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_remove_dependency(cflow_task_graph* graph,
                                                             cflow_task predecessor,
                                                             cflow_task successor) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    return g->graph.RemoveDependency(predecessor, successor);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_set_duration(cflow_task_graph* graph, cflow_task task,
                                                        int32_t duration) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    return g->graph.SetDuration(task, duration);
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_order(cflow_task* out, size_t capacity,
                                                 size_t* out_count, cflow_task_graph* graph) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_count, "out_count"));
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    CFLOW_RETURN_IF_ERROR(Capacity(capacity, g->graph.task_count(), "live tasks"));
    size_t n = 0;
    for (TaskHandle t : g->graph.order_slots()) {
      if (t != collabflow::kNoTask) out[n++] = t;
    }
    *out_count = n;
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_schedule(int32_t* out_project_finish,
                                                    cflow_task_graph* graph,
                                                    int32_t project_start) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    collabflow::ScheduleOptions options;
    options.project_start = project_start;
    CFLOW_ASSIGN_OR_RETURN(Schedule schedule, Schedule::Compute(g->graph, options));
    g->schedule = std::move(schedule);
    g->scheduled = true;
    g->graph.ClearChangeLog();
    if (out_project_finish != nullptr) *out_project_finish = g->schedule.project_finish();
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_reschedule(int32_t* out_project_finish,
                                                      size_t* out_tasks_visited,
                                                      cflow_task_graph* graph) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    if (!g->scheduled) {
      return absl::FailedPreconditionError(
          "the graph has no schedule: call cflow_task_graph_schedule first");
    }
    // Update is all or nothing: on an error the schedule is as it was, and
    // the change log still holds the edits.
    CFLOW_RETURN_IF_ERROR(g->schedule.Update(g->graph));
    g->graph.ClearChangeLog();
    if (out_project_finish != nullptr) *out_project_finish = g->schedule.project_finish();
    if (out_tasks_visited != nullptr) *out_tasks_visited = g->schedule.last_update_visits();
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_times(int32_t* early_start, int32_t* early_finish,
                                                 int32_t* late_start, int32_t* late_finish,
                                                 int32_t* total_float, int32_t* free_float,
                                                 size_t capacity, cflow_task_graph* graph) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    CFLOW_RETURN_IF_ERROR(CheckCurrent(*g));
    const size_t n = g->graph.handle_count();
    CFLOW_RETURN_IF_ERROR(Capacity(capacity, n, "task handles"));
    for (TaskHandle t = 0; t < n; ++t) {
      if (!g->graph.IsLive(t)) continue;
      const collabflow::ScheduledTask& s = g->schedule[t];
      if (early_start != nullptr) early_start[t] = s.early_start;
      if (early_finish != nullptr) early_finish[t] = s.early_finish;
      if (late_start != nullptr) late_start[t] = s.late_start;
      if (late_finish != nullptr) late_finish[t] = s.late_finish;
      if (total_float != nullptr) total_float[t] = s.total_float;
      if (free_float != nullptr) free_float[t] = s.free_float;
    }
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_task_graph_critical_path(cflow_task* out, size_t capacity,
                                                         size_t* out_count,
                                                         cflow_task_graph* graph) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out_count, "out_count"));
    CFLOW_ASSIGN_OR_RETURN(Locked g, Lock(graph));
    CFLOW_RETURN_IF_ERROR(CheckCurrent(*g));
    CFLOW_RETURN_IF_ERROR(Capacity(capacity, g->graph.task_count(), "live tasks"));
    const std::vector<TaskHandle> path = g->schedule.CriticalPath(g->graph);
    if (!path.empty()) std::memcpy(out, path.data(), path.size() * sizeof(TaskHandle));
    *out_count = path.size();
    return absl::OkStatus();
  });
}

}  // extern "C"
