#include "task_graph_proto.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/limits.h"
#include "collabflow/task_graph_codec.h"
#include "input_checks.h"
#include "proto_io.h"
#include "status_macros.h"

namespace collabflow {
namespace {

constexpr uint32_t kFormatVersion = 1;

absl::Status Bad(absl::string_view field, size_t index, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("task graph ", field, "[", index, "]: ", what));
}

// Writes a date column (ordinal + 1, 0 = none), or nothing if all are none.
void DateColumn(absl::Span<const TaskHandle> order, const LargeArray<int32_t>& dates,
                google::protobuf::RepeatedField<uint32_t>* out) {
  // Sequential scan by handle (a dead task's date only costs a column).
  bool any = false;
  for (int32_t d : dates) any |= d != kNoDate;
  if (!any) return;
  out->Resize(static_cast<int>(order.size()), 0);
  uint32_t* p = out->mutable_data();
  for (TaskHandle t : order) *p++ = dates[t] == kNoDate ? 0 : static_cast<uint32_t>(dates[t]) + 1;
}

absl::Status ReadDateColumn(absl::string_view field,
                            const google::protobuf::RepeatedField<uint32_t>& in,
                            absl::Span<const TaskHandle> order, LargeArray<int32_t>* dates) {
  if (in.empty()) return absl::OkStatus();
  if (static_cast<size_t>(in.size()) != order.size()) {
    return absl::InvalidArgumentError(absl::StrCat("task graph ", field, ": ", in.size(),
                                                   " entries for ", order.size(), " tasks"));
  }
  for (size_t i = 0; i < order.size(); ++i) {
    const uint32_t v = in[static_cast<int>(i)];
    if (v > static_cast<uint32_t>(kMaxOrdinal) + 1) {
      return Bad(field, i, absl::StrCat("ordinal ", v - 1, " is outside [0, ", kMaxOrdinal, "]"));
    }
    (*dates)[order[i]] = v == 0 ? kNoDate : static_cast<int32_t>(v - 1);
  }
  return absl::OkStatus();
}

}  // namespace

// Reads and writes TaskGraph's private columns directly (declared a friend).
class TaskGraphLoader {
 public:
  static void Save(const TaskGraph& g, v1::TaskGraph* m) {
    m->Clear();
    m->set_format_version(kFormatVersion);
    m->set_handle_count(static_cast<uint32_t>(g.handle_count()));
    const std::vector<TaskHandle> order = g.TopologicalOrder();
    const int n = static_cast<int>(order.size());
    // Dense index of each live task in `order`: its position, unless removed
    // tasks left holes in the positions.
    LargeArray<uint32_t> dense;
    const bool holes = g.slots_.size() != order.size();
    if (holes) {
      dense.assign(g.handle_count(), 0);
      for (int i = 0; i < n; ++i) {
        if (i + 16 < n) __builtin_prefetch(&dense[order[i + 16]], 1);
        dense[order[i]] = static_cast<uint32_t>(i);
      }
    }
    const uint32_t* index = holes ? dense.data() : g.position_.data();
    m->mutable_order()->Add(order.begin(), order.end());
    m->mutable_duration()->Resize(n, 0);
    uint32_t* d = m->mutable_duration()->mutable_data();
    for (int i = 0; i < n; ++i) {
      if (i + 16 < n) __builtin_prefetch(&g.duration_[order[i + 16]]);
      *d++ = static_cast<uint32_t>(g.duration_[order[i]]);
    }
    DateColumn(order, g.snet_, m->mutable_start_no_earlier_than());
    DateColumn(order, g.fnlt_, m->mutable_finish_no_later_than());
    DateColumn(order, g.actual_start_, m->mutable_actual_start());
    DateColumn(order, g.actual_finish_, m->mutable_actual_finish());
    bool any_percent = false;
    for (uint8_t x : g.percent_) any_percent |= x != 0;
    if (any_percent) {
      for (TaskHandle t : order) m->add_percent_complete(g.percent_[t]);
    }
    if (!g.ids_.empty()) {
      for (TaskHandle t : order) m->add_id(g.ids_[t]);
    }
    if (!g.assignee_.empty()) {
      for (const std::string& name : g.assignee_names_) m->add_assignee_names(name);
      for (TaskHandle t : order) m->add_assignee(g.assignee_[t]);
    }
    m->mutable_out_degree()->Resize(n, 0);
    m->mutable_edge_forward()->Resize(static_cast<int>(g.edge_count_), 0);
    m->mutable_edge_lag_type()->Resize(static_cast<int>(g.edge_count_), 0);
    uint32_t* degree = m->mutable_out_degree()->mutable_data();
    uint32_t* forward = m->mutable_edge_forward()->mutable_data();
    int32_t* lag_type = m->mutable_edge_lag_type()->mutable_data();
    for (int i = 0; i < n; ++i) {
      // Pipelined prefetch: slot 16 ahead, links 8 ahead, indexes 4 ahead.
      if (i + 16 < n) g.out_.PrefetchSlot(order[i + 16]);
      if (i + 8 < n) g.out_.PrefetchLinks(order[i + 8]);
      if (i + 4 < n) {
        for (const DependencyLink& l : g.out_.Get(order[i + 4])) __builtin_prefetch(&index[l.task]);
      }
      const auto links = g.out_.Get(order[i]);
      degree[i] = static_cast<uint32_t>(links.size());
      for (const DependencyLink& l : links) {
        *forward++ = index[l.task] - static_cast<uint32_t>(i);
        *lag_type++ = l.packed;
      }
    }
  }

  static absl::StatusOr<TaskGraph> Load(const v1::TaskGraph& m) {
    if (m.format_version() != kFormatVersion) {
      return absl::InvalidArgumentError(absl::StrCat(
          "task graph format_version: ", m.format_version(), " is not ", kFormatVersion));
    }
    const size_t hc = m.handle_count();
    CFLOW_RETURN_IF_ERROR(internal::CheckCount("task graph handle_count", hc, kMaxGraphTasks));
    const size_t n = static_cast<size_t>(m.order_size());
    if (n > hc) {
      return absl::InvalidArgumentError(
          absl::StrCat("task graph order: ", n, " tasks exceed handle_count ", hc));
    }
    auto check_size = [n](absl::string_view field, int size, bool optional) -> absl::Status {
      if ((optional && size == 0) || static_cast<size_t>(size) == n) return absl::OkStatus();
      return absl::InvalidArgumentError(
          absl::StrCat("task graph ", field, ": ", size, " entries for ", n, " tasks"));
    };
    CFLOW_RETURN_IF_ERROR(check_size("duration", m.duration_size(), false));
    CFLOW_RETURN_IF_ERROR(check_size("percent_complete", m.percent_complete_size(), true));
    CFLOW_RETURN_IF_ERROR(check_size("id", m.id_size(), true));
    CFLOW_RETURN_IF_ERROR(check_size("assignee", m.assignee_size(), true));
    CFLOW_RETURN_IF_ERROR(check_size("out_degree", m.out_degree_size(), false));

    TaskGraph g;
    g.duration_.assign(hc, 0);
    g.snet_.assign(hc, kNoDate);
    g.fnlt_.assign(hc, kNoDate);
    g.actual_start_.assign(hc, kNoDate);
    g.actual_finish_.assign(hc, kNoDate);
    g.percent_.assign(hc, 0);
    g.position_.assign(hc, kNoTask);
    g.slots_.assign(m.order().begin(), m.order().end());
    for (size_t i = 0; i < n; ++i) {
      const TaskHandle t = g.slots_[i];
      if (t >= hc) return Bad("order", i, absl::StrCat("handle ", t, " >= handle_count ", hc));
      if (g.position_[t] != kNoTask) {
        return Bad("order", i, absl::StrCat("task ", t, " is listed twice"));
      }
      g.position_[t] = static_cast<uint32_t>(i);
      const uint32_t duration = m.duration(static_cast<int>(i));
      if (duration > static_cast<uint32_t>(kMaxTaskDuration)) {
        return Bad("duration", i,
                   absl::StrCat(duration, " is outside [0, ", kMaxTaskDuration, "]"));
      }
      g.duration_[t] = static_cast<int32_t>(duration);
    }
    const LargeArray<TaskHandle>& order = g.slots_;
    CFLOW_RETURN_IF_ERROR(
        ReadDateColumn("start_no_earlier_than", m.start_no_earlier_than(), order, &g.snet_));
    CFLOW_RETURN_IF_ERROR(
        ReadDateColumn("finish_no_later_than", m.finish_no_later_than(), order, &g.fnlt_));
    CFLOW_RETURN_IF_ERROR(
        ReadDateColumn("actual_start", m.actual_start(), order, &g.actual_start_));
    CFLOW_RETURN_IF_ERROR(
        ReadDateColumn("actual_finish", m.actual_finish(), order, &g.actual_finish_));
    for (int i = 0; i < m.percent_complete_size(); ++i) {
      if (m.percent_complete(i) > 100) {
        return Bad("percent_complete", i, absl::StrCat(m.percent_complete(i), " exceeds 100"));
      }
      g.percent_[order[i]] = static_cast<uint8_t>(m.percent_complete(i));
    }
    for (size_t i = 0; i < n; ++i) {
      const TaskHandle t = order[i];
      const int32_t as = g.actual_start_[t], af = g.actual_finish_[t];
      if (af != kNoDate && (as == kNoDate || af < as)) {
        return Bad("actual_finish", i, "set without actual_start or before it");
      }
    }
    if (m.id_size() > 0) {
      g.ids_.resize(hc);
      for (size_t i = 0; i < n; ++i) {
        const std::string& id = m.id(static_cast<int>(i));
        if (id.empty()) continue;
        CFLOW_RETURN_IF_ERROR(internal::CheckId(absl::StrCat("task graph id[", i, "]"), id));
        if (!g.id_index_.emplace(id, order[i]).second) {
          return Bad("id", i, absl::StrCat("\"", id, "\" is used twice"));
        }
        g.ids_[order[i]] = id;
      }
    }
    if (m.assignee_size() > 0) {
      if (m.assignee_names_size() == 0 || !m.assignee_names(0).empty()) {
        return absl::InvalidArgumentError("task graph assignee_names[0]: must be \"\"");
      }
      for (int k = 1; k < m.assignee_names_size(); ++k) {
        const std::string& name = m.assignee_names(k);
        CFLOW_RETURN_IF_ERROR(internal::CheckText(
            absl::StrCat("task graph assignee_names[", k, "]"), name, kMaxShortTextBytes, true));
        if (!g.assignee_index_.emplace(name, static_cast<uint32_t>(k)).second) {
          return Bad("assignee_names", k, absl::StrCat("\"", name, "\" is listed twice"));
        }
        g.assignee_names_.push_back(name);
      }
      g.assignee_.assign(hc, 0);
      for (size_t i = 0; i < n; ++i) {
        const uint32_t a = m.assignee(static_cast<int>(i));
        if (a >= static_cast<uint32_t>(m.assignee_names_size())) {
          return Bad("assignee", i, absl::StrCat("index ", a, " has no assignee_names entry"));
        }
        g.assignee_[order[i]] = a;
      }
    }
    // Dependencies. Edges are stored by position (predecessor's position,
    // forward distance to the successor's), so both pools are laid out in
    // topological order and filled by position: sequential for successor
    // lists, near the current position for predecessor lists (when
    // dependencies are local), with no per-edge lookup by handle.
    uint64_t edges = 0;
    const uint32_t* degree_at = m.out_degree().data();  // by position
    for (size_t i = 0; i < n; ++i) edges += degree_at[i];
    if (edges != static_cast<uint64_t>(m.edge_forward_size()) ||
        edges != static_cast<uint64_t>(m.edge_lag_type_size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "task graph edges: out_degree sums to ", edges, " but edge_forward has ",
          m.edge_forward_size(), " and edge_lag_type ", m.edge_lag_type_size(), " entries"));
    }
    const uint32_t* forward = m.edge_forward().data();
    const int32_t* lag_type = m.edge_lag_type().data();
    // Validate every edge and count in-degrees by position (into in_begin,
    // shifted by one for the prefix sum).
    LargeArray<uint32_t> in_begin(n + 1, 0);
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
      for (uint32_t e = 0; e < degree_at[i]; ++e, ++k) {
        if (forward[k] == 0 || forward[k] >= n - i) {
          return Bad(
              "edge_forward", k,
              absl::StrCat(forward[k], " from position ", i, " points outside (", i, ", ", n, ")"));
        }
        const int32_t lag = lag_type[k] >> 2;
        if (lag < -kMaxLag || lag > kMaxLag) {
          return Bad("edge_lag_type", k,
                     absl::StrCat("lag ", lag, " is outside [-", kMaxLag, ", ", kMaxLag, "]"));
        }
        ++in_begin[i + forward[k] + 1];
      }
    }
    for (size_t i = 0; i < n; ++i) in_begin[i + 1] += in_begin[i];
    DependencyLink* out_pool = g.out_.Reset(hc, edges);
    DependencyLink* in_pool = g.in_.Reset(hc, edges);
    // Fill both lists; a per-position stamp of the last predecessor seen
    // finds duplicate pairs in the same pass.
    LargeArray<uint32_t> cursor(in_begin.begin(), in_begin.end() - 1);
    LargeArray<uint32_t> stamp(n, kNoTask);  // by position
    k = 0;
    for (size_t i = 0; i < n; ++i) {
      const TaskHandle t = order[i];
      g.out_.SetList(t, static_cast<uint32_t>(k), degree_at[i]);
      for (uint32_t e = 0; e < degree_at[i]; ++e, ++k) {
        const size_t p = i + forward[k];
        const TaskHandle s = order[p];
        if (stamp[p] == i) {
          return Bad("edge_forward", k,
                     absl::StrCat("dependency ", g.Name(t), " -> ", g.Name(s), " is listed twice"));
        }
        stamp[p] = static_cast<uint32_t>(i);
        out_pool[k] = DependencyLink{s, lag_type[k]};
        in_pool[cursor[p]++] = DependencyLink{t, lag_type[k]};
      }
    }
    for (size_t p = 0; p < n; ++p) {
      g.in_.SetList(order[p], in_begin[p], in_begin[p + 1] - in_begin[p]);
    }
    g.live_count_ = n;
    g.edge_count_ = edges;
    return g;
  }
};

namespace internal {

void ToProto(const TaskGraph& graph, v1::TaskGraph* out) { TaskGraphLoader::Save(graph, out); }

absl::StatusOr<TaskGraph> FromProto(const v1::TaskGraph& message) {
  return TaskGraphLoader::Load(message);
}

}  // namespace internal

std::string EncodeTaskGraph(const TaskGraph& graph) {
  v1::TaskGraph m;
  TaskGraphLoader::Save(graph, &m);
  return m.SerializeAsString();
}

absl::StatusOr<TaskGraph> DecodeTaskGraph(absl::string_view bytes) {
  v1::TaskGraph m;
  CFLOW_RETURN_IF_ERROR(internal::ParseBinary(bytes, &m));
  return TaskGraphLoader::Load(m);
}

}  // namespace collabflow
