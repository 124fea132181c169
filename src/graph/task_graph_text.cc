#include "collabflow/task_graph_text.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/utf8.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace collabflow {
namespace {

// One record line of an edge list: its number (from 1) and its fields.
class LineReader {
 public:
  LineReader(absl::string_view text, const char* name) : text_(text), name_(name) {}

  // The next record line, skipping blank and '#' lines; false at the end.
  bool Next() {
    while (pos_ < text_.size()) {
      const size_t end = std::min(text_.find('\n', pos_), text_.size());
      absl::string_view line = text_.substr(pos_, end - pos_);
      pos_ = end + 1;
      ++number_;
      line = absl::StripAsciiWhitespace(line);
      if (line.empty() || line[0] == '#') continue;
      if (separator_ == 0) separator_ = line.find('\t') != absl::string_view::npos ? '\t' : ',';
      fields_.clear();
      size_t start = 0;
      while (true) {
        const size_t cut = line.find(separator_, start);
        fields_.push_back(absl::StripAsciiWhitespace(
            line.substr(start, cut == absl::string_view::npos ? cut : cut - start)));
        if (cut == absl::string_view::npos) break;
        start = cut + 1;
      }
      return true;
    }
    return false;
  }

  const std::vector<absl::string_view>& fields() const { return fields_; }
  uint32_t number() const { return number_; }
  // "edges line 7: " for messages.
  std::string Where() const { return absl::StrCat(name_, " line ", number_, ": "); }

 private:
  absl::string_view text_;
  const char* name_;
  size_t pos_ = 0;
  uint32_t number_ = 0;
  char separator_ = 0;
  std::vector<absl::string_view> fields_;
};

bool IsHeader(absl::string_view first_field, absl::string_view a, absl::string_view b) {
  return absl::EqualsIgnoreCase(first_field, a) || absl::EqualsIgnoreCase(first_field, b);
}

absl::StatusOr<int32_t> Integer(absl::string_view text, const std::string& where,
                                absl::string_view what, int32_t lo, int32_t hi) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, what, " \"", text, "\" is not an integer"));
  }
  if (value < lo || value > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, what, " ", value, " is outside [", lo, ", ", hi, "]"));
  }
  return static_cast<int32_t>(value);
}

absl::StatusOr<DependencyType> Type(absl::string_view text, const std::string& where) {
  if (text.empty() || absl::EqualsIgnoreCase(text, "FS")) return DependencyType::kFinishToStart;
  if (absl::EqualsIgnoreCase(text, "SS")) return DependencyType::kStartToStart;
  if (absl::EqualsIgnoreCase(text, "FF")) return DependencyType::kFinishToFinish;
  if (absl::EqualsIgnoreCase(text, "SF")) return DependencyType::kStartToFinish;
  return absl::InvalidArgumentError(
      absl::StrCat(where, "unknown type \"", text, "\" (FS, SS, FF or SF)"));
}

// Ids to handles, over views of the ids in `tasks`.
using IdIndex = absl::flat_hash_map<absl::string_view, TaskHandle>;

absl::StatusOr<TaskHandle> Lookup(const IdIndex& index, absl::string_view id,
                                  const std::string& where, absl::string_view field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(where, field, ": empty task id"));
  auto it = index.find(id);
  if (it == index.end()) {
    return absl::NotFoundError(absl::StrCat(where, field, ": unknown task id \"", id, "\""));
  }
  return it->second;
}

// Adds a task, refusing an empty or repeated id; `where` names its line.
absl::Status AddTask(absl::string_view id, int32_t duration, const std::string& where,
                     TaskGraphLists& lists, IdIndex& index, std::vector<uint32_t>& lines,
                     uint32_t line) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(where, "empty task id"));
  if (!internal::IsValidUtf8(id)) {
    return absl::InvalidArgumentError(absl::StrCat(where, "task id is not valid UTF-8"));
  }
  const TaskHandle handle = static_cast<TaskHandle>(lists.tasks.size());
  auto [it, inserted] = index.emplace(id, handle);
  if (!inserted) {
    return absl::AlreadyExistsError(absl::StrCat(where, "task id \"", id, "\" repeats ",
                                                 lists.from_json ? "tasks[" : "line ",
                                                 lines[it->second], lists.from_json ? "]" : ""));
  }
  TaskSpec spec;
  spec.id = std::string(id);
  spec.duration = duration;
  lists.tasks.push_back(std::move(spec));
  lines.push_back(line);
  return absl::OkStatus();
}

absl::Status AddDependency(TaskHandle from, TaskHandle to, DependencyType type, int32_t lag,
                           const std::string& where, uint32_t line, TaskGraphLists& lists) {
  if (from == to) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "task \"", lists.tasks[from].id, "\" cannot depend on itself"));
  }
  lists.dependencies.push_back(Dependency{from, to, type, lag});
  lists.dependency_lines.push_back(line);
  return absl::OkStatus();
}

std::string DependencyWhere(const TaskGraphLists& lists, size_t i) {
  const uint32_t line = lists.dependency_lines[i];
  return lists.from_json ? absl::StrCat("dependencies[", line, "]")
                         : absl::StrCat("edges line ", line);
}

// The two lines that list one pair twice, named; or "" if none does.
std::string FindDuplicate(const TaskGraphLists& lists) {
  absl::flat_hash_map<std::pair<TaskHandle, TaskHandle>, size_t> seen;
  seen.reserve(lists.dependencies.size());
  for (size_t i = 0; i < lists.dependencies.size(); ++i) {
    const Dependency& d = lists.dependencies[i];
    auto [it, inserted] = seen.emplace(std::make_pair(d.predecessor, d.successor), i);
    if (!inserted) {
      return absl::StrCat(DependencyWhere(lists, i), " repeats ",
                          DependencyWhere(lists, it->second), ": \"", lists.tasks[d.predecessor].id,
                          "\" -> \"", lists.tasks[d.successor].id, "\"");
    }
  }
  return "";
}

// A cycle of the dependencies, named by its tasks and lines; or "" if none.
std::string FindCycle(const TaskGraphLists& lists) {
  const size_t n = lists.tasks.size();
  std::vector<std::vector<size_t>> in(n);  // dependency indexes by successor
  std::vector<uint32_t> out_degree(n, 0);
  std::vector<std::vector<TaskHandle>> out(n);
  for (size_t i = 0; i < lists.dependencies.size(); ++i) {
    const Dependency& d = lists.dependencies[i];
    in[d.successor].push_back(i);
    out[d.predecessor].push_back(d.successor);
  }
  // Peel off tasks without predecessors left (Kahn); what stays is on or
  // after a cycle, and every such task has a predecessor that stays.
  std::vector<uint32_t> in_degree(n);
  std::vector<TaskHandle> queue;
  for (TaskHandle t = 0; t < n; ++t) {
    in_degree[t] = static_cast<uint32_t>(in[t].size());
    if (in_degree[t] == 0) queue.push_back(t);
  }
  for (size_t head = 0; head < queue.size(); ++head) {
    for (TaskHandle s : out[queue[head]]) {
      if (--in_degree[s] == 0) queue.push_back(s);
    }
  }
  if (queue.size() == n) return "";
  TaskHandle t = 0;
  while (in_degree[t] == 0) ++t;
  // Walk back along predecessors that stay until a task repeats.
  std::vector<uint32_t> seen_at(n, 0);
  std::vector<size_t> walk;  // dependency indexes, walked backwards
  std::vector<TaskHandle> tasks;
  while (seen_at[t] == 0) {
    tasks.push_back(t);
    seen_at[t] = static_cast<uint32_t>(tasks.size());
    for (size_t i : in[t]) {
      if (in_degree[lists.dependencies[i].predecessor] > 0) {
        walk.push_back(i);
        t = lists.dependencies[i].predecessor;
        break;
      }
    }
  }
  // The loop is the walk from t's first visit on, reversed into edge order.
  std::vector<size_t> cycle(walk.begin() + (seen_at[t] - 1), walk.end());
  std::reverse(cycle.begin(), cycle.end());
  std::vector<std::string> names;
  std::vector<std::string> lines;
  for (size_t i : cycle) {
    names.push_back(absl::StrCat("\"", lists.tasks[lists.dependencies[i].predecessor].id, "\""));
    lines.push_back(absl::StrCat(lists.dependency_lines[i]));
  }
  names.push_back(names.front());
  return absl::StrCat(lists.from_json ? "dependencies" : "edges",
                      ": the plan has a cycle: ", absl::StrJoin(names, " -> "),
                      lists.from_json ? " (dependencies " : " (lines ", absl::StrJoin(lines, ", "),
                      ")");
}

// An object's keys and values, read through reflection, never through
// Struct's inline map accessors: under ThreadSanitizer protobuf's map field
// gains two counters (map_field.h), so code built with -fsanitize=thread
// disagrees with the uninstrumented libprotobuf, which defines Struct and
// fills it, about where the map lives. Reflection runs inside libprotobuf.
std::vector<std::pair<std::string, const google::protobuf::Value*>> Entries(
    const google::protobuf::Struct& object) {
  std::vector<std::pair<std::string, const google::protobuf::Value*>> entries;
  const google::protobuf::Reflection* r = object.GetReflection();
  const google::protobuf::FieldDescriptor* map = object.GetDescriptor()->FindFieldByNumber(1);
  for (int i = 0, n = r->FieldSize(object, map); i < n; ++i) {
    const google::protobuf::Message& entry = r->GetRepeatedMessage(object, map, i);
    const google::protobuf::Reflection* er = entry.GetReflection();
    const google::protobuf::Descriptor* ed = entry.GetDescriptor();
    const auto* value = dynamic_cast<const google::protobuf::Value*>(
        &er->GetMessage(entry, ed->FindFieldByNumber(2)));
    if (value != nullptr)
      entries.emplace_back(er->GetString(entry, ed->FindFieldByNumber(1)), value);
  }
  return entries;
}

// JSON values, checked.
const google::protobuf::Value* Field(const google::protobuf::Struct& object, const char* key) {
  for (const auto& [k, value] : Entries(object)) {
    if (k == key) return value;
  }
  return nullptr;
}

absl::Status OnlyKeys(const google::protobuf::Struct& object, const std::string& where,
                      std::initializer_list<absl::string_view> keys) {
  // Sorted, so that the message names the same key every time.
  std::vector<std::string> unknown;
  for (const auto& [key, value] : Entries(object)) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) unknown.push_back(key);
  }
  if (unknown.empty()) return absl::OkStatus();
  std::sort(unknown.begin(), unknown.end());
  return absl::InvalidArgumentError(absl::StrCat(where, ": unknown key \"", unknown[0], "\""));
}

absl::StatusOr<absl::string_view> JsonString(const google::protobuf::Value* v,
                                             const std::string& where, bool required) {
  if (v == nullptr) {
    if (required) return absl::InvalidArgumentError(absl::StrCat(where, ": missing"));
    return absl::string_view();
  }
  if (v->kind_case() != google::protobuf::Value::kStringValue) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": not a string"));
  }
  return absl::string_view(v->string_value());
}

absl::StatusOr<int32_t> JsonInteger(const google::protobuf::Value* v, const std::string& where,
                                    bool required, int32_t lo, int32_t hi) {
  if (v == nullptr) {
    if (required) return absl::InvalidArgumentError(absl::StrCat(where, ": missing"));
    return 0;
  }
  if (v->kind_case() != google::protobuf::Value::kNumberValue) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": not a number"));
  }
  // No conversion to an integer before the range check: converting a double
  // beyond int64 (1e300 is valid JSON) is undefined behaviour.
  const double x = v->number_value();
  if (std::isfinite(x) && x != std::trunc(x)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", x, " is not an integer"));
  }
  if (!(x >= lo && x <= hi)) {
    // Exact digits where an int64 holds the value, else the double's form.
    const bool exact = std::fabs(x) < 0x1p63;
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": ", exact ? absl::StrCat(static_cast<int64_t>(x)) : absl::StrCat(x),
                     " is outside [", lo, ", ", hi, "]"));
  }
  return static_cast<int32_t>(x);
}

absl::StatusOr<const google::protobuf::ListValue*> JsonList(const google::protobuf::Struct& root,
                                                            const char* key) {
  const google::protobuf::Value* v = Field(root, key);
  if (v == nullptr) return absl::InvalidArgumentError(absl::StrCat(key, ": missing"));
  if (v->kind_case() != google::protobuf::Value::kListValue) {
    return absl::InvalidArgumentError(absl::StrCat(key, ": not a list"));
  }
  return &v->list_value();
}

}  // namespace

absl::StatusOr<TaskGraphLists> ParseEdgeList(absl::string_view tasks, absl::string_view edges) {
  TaskGraphLists lists;
  IdIndex index;
  std::vector<uint32_t> task_lines;
  LineReader t(tasks, "tasks");
  for (bool first = true; t.Next(); first = false) {
    const auto& f = t.fields();
    if (first && IsHeader(f[0], "id", "task")) continue;
    if (f.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat(t.Where(), "expected 2 fields (id, duration), found ", f.size()));
    }
    CFLOW_ASSIGN_OR_RETURN(int32_t duration,
                           Integer(f[1], t.Where(), "duration", 0, kMaxTaskDuration));
    CFLOW_RETURN_IF_ERROR(AddTask(f[0], duration, t.Where(), lists, index, task_lines, t.number()));
  }
  LineReader e(edges, "edges");
  for (bool first = true; e.Next(); first = false) {
    const auto& f = e.fields();
    if (first && IsHeader(f[0], "from", "predecessor")) continue;
    if (f.size() < 2 || f.size() > 4) {
      return absl::InvalidArgumentError(absl::StrCat(
          e.Where(), "expected 2 to 4 fields (from, to, type, lag), found ", f.size()));
    }
    const std::string where = e.Where();
    CFLOW_ASSIGN_OR_RETURN(TaskHandle from, Lookup(index, f[0], where, "from"));
    CFLOW_ASSIGN_OR_RETURN(TaskHandle to, Lookup(index, f[1], where, "to"));
    CFLOW_ASSIGN_OR_RETURN(DependencyType type, Type(f.size() > 2 ? f[2] : "", where));
    int32_t lag = 0;
    if (f.size() > 3 && !f[3].empty()) {
      CFLOW_ASSIGN_OR_RETURN(lag, Integer(f[3], where, "lag", -kMaxLag, kMaxLag));
    }
    CFLOW_RETURN_IF_ERROR(AddDependency(from, to, type, lag, where, e.number(), lists));
  }
  return lists;
}

absl::StatusOr<TaskGraphLists> ParseTaskGraphJson(absl::string_view json) {
  google::protobuf::Struct root;
  google::protobuf::util::JsonParseOptions options;
  if (auto s = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(json.data(), json.size()), &root, options);
      !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("json: not a JSON object: ", std::string(s.message())));
  }
  CFLOW_RETURN_IF_ERROR(OnlyKeys(root, "json", {"tasks", "dependencies"}));
  TaskGraphLists lists;
  lists.from_json = true;
  IdIndex index;
  std::vector<uint32_t> task_lines;
  CFLOW_ASSIGN_OR_RETURN(const google::protobuf::ListValue* tasks, JsonList(root, "tasks"));
  lists.tasks.reserve(tasks->values_size());
  for (int i = 0; i < tasks->values_size(); ++i) {
    const std::string where = absl::StrCat("tasks[", i, "]");
    const google::protobuf::Value& v = tasks->values(i);
    if (v.kind_case() != google::protobuf::Value::kStructValue) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": not an object"));
    }
    const google::protobuf::Struct& task = v.struct_value();
    CFLOW_RETURN_IF_ERROR(OnlyKeys(task, where, {"id", "duration"}));
    CFLOW_ASSIGN_OR_RETURN(absl::string_view id,
                           JsonString(Field(task, "id"), where + ".id", true));
    CFLOW_ASSIGN_OR_RETURN(
        int32_t duration,
        JsonInteger(Field(task, "duration"), where + ".duration", true, 0, kMaxTaskDuration));
    CFLOW_RETURN_IF_ERROR(
        AddTask(id, duration, where + ": ", lists, index, task_lines, static_cast<uint32_t>(i)));
  }
  const google::protobuf::ListValue empty;
  const google::protobuf::ListValue* deps = &empty;
  if (Field(root, "dependencies") != nullptr) {
    CFLOW_ASSIGN_OR_RETURN(deps, JsonList(root, "dependencies"));
  }
  for (int i = 0; i < deps->values_size(); ++i) {
    const std::string where = absl::StrCat("dependencies[", i, "]");
    const google::protobuf::Value& v = deps->values(i);
    if (v.kind_case() != google::protobuf::Value::kStructValue) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": not an object"));
    }
    const google::protobuf::Struct& dep = v.struct_value();
    CFLOW_RETURN_IF_ERROR(OnlyKeys(dep, where, {"from", "to", "type", "lag"}));
    CFLOW_ASSIGN_OR_RETURN(absl::string_view from_id,
                           JsonString(Field(dep, "from"), where + ".from", true));
    CFLOW_ASSIGN_OR_RETURN(absl::string_view to_id,
                           JsonString(Field(dep, "to"), where + ".to", true));
    CFLOW_ASSIGN_OR_RETURN(absl::string_view type_name,
                           JsonString(Field(dep, "type"), where + ".type", false));
    CFLOW_ASSIGN_OR_RETURN(
        int32_t lag, JsonInteger(Field(dep, "lag"), where + ".lag", false, -kMaxLag, kMaxLag));
    CFLOW_ASSIGN_OR_RETURN(TaskHandle from, Lookup(index, from_id, where, ".from"));
    CFLOW_ASSIGN_OR_RETURN(TaskHandle to, Lookup(index, to_id, where, ".to"));
    CFLOW_ASSIGN_OR_RETURN(DependencyType type, Type(type_name, where + ".type: "));
    CFLOW_RETURN_IF_ERROR(
        AddDependency(from, to, type, lag, where + ": ", static_cast<uint32_t>(i), lists));
  }
  return lists;
}

absl::StatusOr<TaskGraph> BuildFromLists(const TaskGraphLists& lists) {
  absl::StatusOr<TaskGraph> graph = TaskGraph::Build(lists.tasks, lists.dependencies);
  if (graph.ok() || lists.dependency_lines.size() != lists.dependencies.size()) return graph;
  // Build names a duplicate or a cycle by its tasks; say where they are.
  if (absl::IsAlreadyExists(graph.status())) {
    if (std::string found = FindDuplicate(lists); !found.empty()) {
      return absl::AlreadyExistsError(found);
    }
  } else if (absl::IsInvalidArgument(graph.status())) {
    if (std::string found = FindCycle(lists); !found.empty()) {
      return absl::InvalidArgumentError(found);
    }
  }
  return graph;
}

absl::StatusOr<TaskGraph> TaskGraphFromEdgeList(absl::string_view tasks, absl::string_view edges) {
  CFLOW_ASSIGN_OR_RETURN(TaskGraphLists lists, ParseEdgeList(tasks, edges));
  return BuildFromLists(lists);
}

absl::StatusOr<TaskGraph> TaskGraphFromJson(absl::string_view json) {
  CFLOW_ASSIGN_OR_RETURN(TaskGraphLists lists, ParseTaskGraphJson(json));
  return BuildFromLists(lists);
}

}  // namespace collabflow
