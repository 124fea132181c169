#include "graph/task_graph_proto.h"

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "collabflow/task_graph_codec.h"
#include "graph/task_graph_impl.h"
#include "wire/packed_varint.h"
#include "wire/proto_io.h"

namespace collabflow {
namespace {

using internal::LargeArray;

constexpr uint32_t kFormatVersion = 1;

// Field numbers of collabflow.v1.TaskGraph (proto/collabflow/v1/task_graph.proto).
enum Field : uint32_t {
  kFieldFormatVersion = 1,
  kFieldHandleCount = 2,
  kFieldOrder = 3,
  kFieldDuration = 4,
  kFieldStartNoEarlierThan = 5,
  kFieldFinishNoLaterThan = 6,
  kFieldActualStart = 7,
  kFieldActualFinish = 8,
  kFieldPercentComplete = 9,
  kFieldId = 10,
  kFieldAssigneeNames = 11,
  kFieldAssignee = 12,
  kFieldOutDegree = 13,
  kFieldEdgeForward = 14,
  kFieldEdgeLagType = 15,
  kFieldCount = 16,
};

absl::Status Bad(absl::string_view field, size_t index, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("task graph ", field, "[", index, "]: ", what));
}

// The message's fields as found in its bytes: scalars, packed columns (still
// encoded) and strings (viewing the bytes).
struct WireColumns {
  uint32_t format_version = 0;
  uint32_t handle_count = 0;
  absl::string_view packed[kFieldCount];
  std::vector<absl::string_view> ids;
  std::vector<absl::string_view> assignee_names;
};

// Splits `bytes` into fields. False if the bytes are not in the layout a
// protobuf writer of this message produces (every repeated number packed and
// written once, known fields with their wire types) or not well formed: the
// caller then lets protobuf parse them, which accepts every valid encoding
// and names a malformed one. Unknown fields are skipped, as protobuf would.
bool ScanColumns(absl::string_view bytes, WireColumns* c) {
  bool seen[kFieldCount] = {};
  internal::WireField f;
  while (!bytes.empty()) {
    if (!internal::NextWireField(&bytes, &f)) return false;
    if (f.number >= kFieldCount) continue;  // unknown
    switch (f.number) {
      case kFieldFormatVersion:
      case kFieldHandleCount:
        if (f.wire_type != internal::kWireVarint || f.varint > UINT32_MAX) return false;
        (f.number == kFieldFormatVersion ? c->format_version : c->handle_count) =
            static_cast<uint32_t>(f.varint);
        break;
      case kFieldId:
      case kFieldAssigneeNames:
        if (f.wire_type != internal::kWireLength) return false;
        (f.number == kFieldId ? c->ids : c->assignee_names).push_back(f.bytes);
        break;
      default:  // a packed uint32/sint32 column
        if (f.wire_type != internal::kWireLength || seen[f.number]) return false;
        seen[f.number] = true;
        c->packed[f.number] = f.bytes;
    }
  }
  return true;
}

// --- writing -----------------------------------------------------------------

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

// A growing byte buffer without zero-fill (LargeArray leaves new bytes as
// they are), in which each packed column's length is fixed up once known.
class ByteWriter {
 public:
  explicit ByteWriter(size_t capacity) : buf_(capacity) {}
  char* cursor() { return buf_.data() + size_; }
  void Advance(char* end) { size_ = static_cast<size_t>(end - buf_.data()); }
  // Starts a packed (length-delimited) field: 5 bytes are kept for the length.
  char* BeginPacked(uint32_t number) {
    char* p = internal::WriteTag(cursor(), number, internal::kWireLength);
    begin_ = static_cast<size_t>(p - buf_.data()) + 5;
    return buf_.data() + begin_;
  }
  // Ends the field begun last, whose payload ends at `end`: writes the length
  // in as few bytes as it needs and moves the payload up against it.
  void EndPacked(char* end) {
    const size_t length = static_cast<size_t>(end - buf_.data()) - begin_;
    char* header = buf_.data() + begin_ - 5;
    char* after = internal::WriteVarint32(header, static_cast<uint32_t>(length));
    std::memmove(after, buf_.data() + begin_, length);
    size_ = static_cast<size_t>(after - buf_.data()) + length;
  }
  absl::string_view view() const { return absl::string_view(buf_.data(), size_); }

 private:
  LargeArray<char> buf_;
  size_t size_ = 0;
  size_t begin_ = 0;
};

}  // namespace

// Reads and writes the graph's private columns directly (a friend of
// TaskGraph::Impl).
class TaskGraphLoader {
 public:
  // Through protobuf's message (internal::ToProto; tests compare the
  // message's bytes with Encode's, so this is the reference layout).
  static void Save(const TaskGraph::Impl& g, v1::TaskGraph* m) {
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

  // Writes the bytes protobuf would write for the message (same fields, same
  // order, packed), straight from the graph's arrays: the edge columns go to
  // their own buffers in one walk of the successor lists in topological
  // order, then everything is copied once into the result.
  static std::string Encode(const TaskGraph::Impl& g) {
    const std::vector<TaskHandle> order = g.TopologicalOrder();
    const size_t n = order.size();
    const size_t edges = g.edge_count_;
    // Dense index of each live task in `order`: its position, unless removed
    // tasks left holes in the positions.
    LargeArray<uint32_t> dense;
    const bool holes = g.slots_.size() != n;
    if (holes) {
      dense.assign(g.handle_count(), 0);
      for (size_t i = 0; i < n; ++i) {
        if (i + 16 < n) __builtin_prefetch(&dense[order[i + 16]], 1);
        dense[order[i]] = static_cast<uint32_t>(i);
      }
    }
    const uint32_t* index = holes ? dense.data() : g.position_.data();

    size_t strings = 0;
    for (const std::string& id : g.ids_) strings += id.size() + 10;
    for (const std::string& name : g.assignee_names_) strings += name.size() + 10;
    ByteWriter head(64 + 10 * 16 + 5 * n * 9 + strings);
    char* p = head.cursor();
    p = internal::WriteTag(p, kFieldFormatVersion, internal::kWireVarint);
    p = internal::WriteVarint32(p, kFormatVersion);
    if (g.handle_count() != 0) {
      p = internal::WriteTag(p, kFieldHandleCount, internal::kWireVarint);
      p = internal::WriteVarint32(p, static_cast<uint32_t>(g.handle_count()));
    }
    head.Advance(p);
    if (n != 0) {
      p = head.BeginPacked(kFieldOrder);
      for (TaskHandle t : order) p = internal::WriteVarint32(p, t);
      head.EndPacked(p);
      p = head.BeginPacked(kFieldDuration);
      for (size_t i = 0; i < n; ++i) {
        if (i + 16 < n) __builtin_prefetch(&g.duration_[order[i + 16]]);
        p = internal::WriteVarint32(p, static_cast<uint32_t>(g.duration_[order[i]]));
      }
      head.EndPacked(p);
    }
    WriteDates(order, g.snet_, kFieldStartNoEarlierThan, &head);
    WriteDates(order, g.fnlt_, kFieldFinishNoLaterThan, &head);
    WriteDates(order, g.actual_start_, kFieldActualStart, &head);
    WriteDates(order, g.actual_finish_, kFieldActualFinish, &head);
    bool any_percent = false;
    for (uint8_t x : g.percent_) any_percent |= x != 0;
    if (any_percent && n != 0) {
      p = head.BeginPacked(kFieldPercentComplete);
      for (TaskHandle t : order) p = internal::WriteVarint32(p, g.percent_[t]);
      head.EndPacked(p);
    }
    if (!g.ids_.empty()) {
      for (TaskHandle t : order) WriteString(kFieldId, g.ids_[t], &head);
    }
    if (!g.assignee_.empty()) {
      for (const std::string& name : g.assignee_names_) {
        WriteString(kFieldAssigneeNames, name, &head);
      }
      if (n != 0) {
        p = head.BeginPacked(kFieldAssignee);
        for (TaskHandle t : order) p = internal::WriteVarint32(p, g.assignee_[t]);
        head.EndPacked(p);
      }
    }

    // Dependencies: out_degree into `head`, the two edge columns into their
    // own buffers (their lengths are known only at the end).
    LargeArray<char> forward_bytes(5 * edges), lag_bytes(5 * edges);
    char* fw = forward_bytes.data();
    char* lt = lag_bytes.data();
    if (n != 0) p = head.BeginPacked(kFieldOutDegree);
    for (size_t i = 0; i < n; ++i) {
      // Pipelined prefetch: slot 16 ahead, links 8 ahead, indexes 4 ahead.
      if (i + 16 < n) g.out_.PrefetchSlot(order[i + 16]);
      if (i + 8 < n) g.out_.PrefetchLinks(order[i + 8]);
      if (i + 4 < n) {
        for (const DependencyLink& l : g.out_.Get(order[i + 4])) __builtin_prefetch(&index[l.task]);
      }
      const auto links = g.out_.Get(order[i]);
      p = internal::WriteVarint32(p, static_cast<uint32_t>(links.size()));
      for (const DependencyLink& l : links) {
        fw = internal::WriteVarint32(fw, index[l.task] - static_cast<uint32_t>(i));
        lt = internal::WriteVarint32(lt, internal::ZigZagEncode32(l.packed));
      }
    }
    if (n != 0) head.EndPacked(p);

    const size_t fw_size = static_cast<size_t>(fw - forward_bytes.data());
    const size_t lt_size = static_cast<size_t>(lt - lag_bytes.data());
    std::string out;
    out.reserve(head.view().size() + fw_size + lt_size + 2 * 8);
    out.append(head.view().data(), head.view().size());
    AppendColumn(kFieldEdgeForward, absl::string_view(forward_bytes.data(), fw_size), &out);
    AppendColumn(kFieldEdgeLagType, absl::string_view(lag_bytes.data(), lt_size), &out);
    return out;
  }

  // Parses `bytes` and loads the graph. The usual layout is read straight
  // into the graph's arrays; any other valid encoding goes through protobuf's
  // parser first (when `allow_reencode`), then the same way.
  static absl::StatusOr<TaskGraph> Decode(absl::string_view bytes, bool allow_reencode) {
    WireColumns c;
    // Beyond 2 GiB only protobuf's parser speaks (and refuses).
    if (bytes.size() <= static_cast<size_t>(INT32_MAX) && ScanColumns(bytes, &c)) return Load(c);
    if (!allow_reencode) {
      return absl::InternalError("task graph: protobuf's own bytes are not in the packed layout");
    }
    v1::TaskGraph m;
    CFLOW_RETURN_IF_ERROR(internal::ParseBinary(bytes, &m));
    return Reencode(&m);
  }

  // Protobuf keeps unknown fields (even a known number with another wire
  // type) and writes them back; the graph ignores them, so they go first.
  static absl::StatusOr<TaskGraph> Reencode(v1::TaskGraph* m) {
    m->DiscardUnknownFields();
    return Decode(m->SerializeAsString(), false);
  }

 private:
  // A date column (ordinal + 1, 0 = none), or nothing if all are none.
  static void WriteDates(absl::Span<const TaskHandle> order, const LargeArray<int32_t>& dates,
                         Field number, ByteWriter* out) {
    // Sequential scan by handle (a dead task's date only costs a column).
    bool any = false;
    for (int32_t d : dates) any |= d != kNoDate;
    if (!any || order.empty()) return;
    char* p = out->BeginPacked(number);
    for (TaskHandle t : order) {
      p = internal::WriteVarint32(p, dates[t] == kNoDate ? 0 : static_cast<uint32_t>(dates[t]) + 1);
    }
    out->EndPacked(p);
  }

  static void WriteString(Field number, absl::string_view s, ByteWriter* out) {
    char* p = internal::WriteTag(out->cursor(), number, internal::kWireLength);
    p = internal::WriteVarint32(p, static_cast<uint32_t>(s.size()));
    std::memcpy(p, s.data(), s.size());
    out->Advance(p + s.size());
  }

  static void AppendColumn(Field number, absl::string_view payload, std::string* out) {
    if (payload.empty()) return;
    char header[10];
    char* p = internal::WriteTag(header, number, internal::kWireLength);
    p = internal::WriteVarint32(p, static_cast<uint32_t>(payload.size()));
    out->append(header, static_cast<size_t>(p - header));
    out->append(payload.data(), payload.size());
  }

  // Decodes an optional per-task column: empty, or exactly n entries.
  static absl::Status Column(const WireColumns& c, Field number, absl::string_view name, size_t n,
                             bool optional, LargeArray<uint32_t>* out) {
    CFLOW_RETURN_IF_ERROR(
        internal::DecodePackedUint32(absl::StrCat("task graph ", name), c.packed[number], out));
    if ((optional && out->empty()) || out->size() == n) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat("task graph ", name, ": ", out->size(), " entries for ", n, " tasks"));
  }

  static absl::Status ReadDates(const WireColumns& c, Field number, absl::string_view name,
                                absl::Span<const TaskHandle> order, LargeArray<int32_t>* dates) {
    LargeArray<uint32_t> in;
    CFLOW_RETURN_IF_ERROR(Column(c, number, name, order.size(), true, &in));
    for (size_t i = 0; i < in.size(); ++i) {
      const uint32_t v = in[i];
      if (v > static_cast<uint32_t>(kMaxOrdinal) + 1) {
        return Bad(name, i, absl::StrCat("ordinal ", v - 1, " is outside [0, ", kMaxOrdinal, "]"));
      }
      (*dates)[order[i]] = v == 0 ? kNoDate : static_cast<int32_t>(v - 1);
    }
    return absl::OkStatus();
  }

  static absl::StatusOr<TaskGraph> Load(const WireColumns& c) {
    if (c.format_version != kFormatVersion) {
      return absl::InvalidArgumentError(absl::StrCat(
          "task graph format_version: ", c.format_version, " is not ", kFormatVersion));
    }
    const size_t hc = c.handle_count;
    CFLOW_RETURN_IF_ERROR(internal::CheckCount("task graph handle_count", hc, kMaxGraphTasks));
    TaskGraph graph;
    TaskGraph::Impl& g = graph.impl();
    CFLOW_RETURN_IF_ERROR(
        internal::DecodePackedUint32("task graph order", c.packed[kFieldOrder], &g.slots_));
    const size_t n = g.slots_.size();
    if (n > hc) {
      return absl::InvalidArgumentError(
          absl::StrCat("task graph order: ", n, " tasks exceed handle_count ", hc));
    }
    LargeArray<uint32_t> duration, percent, assignee, degree;
    CFLOW_RETURN_IF_ERROR(Column(c, kFieldDuration, "duration", n, false, &duration));
    CFLOW_RETURN_IF_ERROR(Column(c, kFieldPercentComplete, "percent_complete", n, true, &percent));
    if (!c.ids.empty() && c.ids.size() != n) {
      return absl::InvalidArgumentError(
          absl::StrCat("task graph id: ", c.ids.size(), " entries for ", n, " tasks"));
    }
    CFLOW_RETURN_IF_ERROR(Column(c, kFieldAssignee, "assignee", n, true, &assignee));
    CFLOW_RETURN_IF_ERROR(Column(c, kFieldOutDegree, "out_degree", n, false, &degree));

    g.duration_.assign(hc, 0);
    g.snet_.assign(hc, kNoDate);
    g.fnlt_.assign(hc, kNoDate);
    g.actual_start_.assign(hc, kNoDate);
    g.actual_finish_.assign(hc, kNoDate);
    g.percent_.assign(hc, 0);
    g.position_.assign(hc, kNoTask);
    for (size_t i = 0; i < n; ++i) {
      // Handles are unrelated to positions: fetch the by-handle entries ahead.
      if (i + 16 < n && g.slots_[i + 16] < hc) {
        __builtin_prefetch(&g.position_[g.slots_[i + 16]], 1);
        __builtin_prefetch(&g.duration_[g.slots_[i + 16]], 1);
      }
      const TaskHandle t = g.slots_[i];
      if (t >= hc) return Bad("order", i, absl::StrCat("handle ", t, " >= handle_count ", hc));
      if (g.position_[t] != kNoTask) {
        return Bad("order", i, absl::StrCat("task ", t, " is listed twice"));
      }
      g.position_[t] = static_cast<uint32_t>(i);
      if (duration[i] > static_cast<uint32_t>(kMaxTaskDuration)) {
        return Bad("duration", i,
                   absl::StrCat(duration[i], " is outside [0, ", kMaxTaskDuration, "]"));
      }
      g.duration_[t] = static_cast<int32_t>(duration[i]);
    }
    const LargeArray<TaskHandle>& order = g.slots_;
    CFLOW_RETURN_IF_ERROR(
        ReadDates(c, kFieldStartNoEarlierThan, "start_no_earlier_than", order, &g.snet_));
    CFLOW_RETURN_IF_ERROR(
        ReadDates(c, kFieldFinishNoLaterThan, "finish_no_later_than", order, &g.fnlt_));
    CFLOW_RETURN_IF_ERROR(ReadDates(c, kFieldActualStart, "actual_start", order, &g.actual_start_));
    CFLOW_RETURN_IF_ERROR(
        ReadDates(c, kFieldActualFinish, "actual_finish", order, &g.actual_finish_));
    for (size_t i = 0; i < percent.size(); ++i) {
      if (percent[i] > 100) {
        return Bad("percent_complete", i, absl::StrCat(percent[i], " exceeds 100"));
      }
      g.percent_[order[i]] = static_cast<uint8_t>(percent[i]);
    }
    for (size_t i = 0; i < n; ++i) {
      const TaskHandle t = order[i];
      const int32_t as = g.actual_start_[t], af = g.actual_finish_[t];
      if (af != kNoDate && (as == kNoDate || af < as)) {
        return Bad("actual_finish", i, "set without actual_start or before it");
      }
    }
    if (!c.ids.empty()) {
      g.ids_.resize(hc);
      for (size_t i = 0; i < n; ++i) {
        const absl::string_view id = c.ids[i];
        if (id.empty()) continue;
        CFLOW_RETURN_IF_ERROR(internal::CheckId(absl::StrCat("task graph id[", i, "]"), id));
        if (!g.id_index_.emplace(std::string(id), order[i]).second) {
          return Bad("id", i, absl::StrCat("\"", id, "\" is used twice"));
        }
        g.ids_[order[i]] = std::string(id);
      }
    }
    if (!assignee.empty()) {
      if (c.assignee_names.empty() || !c.assignee_names[0].empty()) {
        return absl::InvalidArgumentError("task graph assignee_names[0]: must be \"\"");
      }
      for (size_t k = 1; k < c.assignee_names.size(); ++k) {
        const absl::string_view name = c.assignee_names[k];
        CFLOW_RETURN_IF_ERROR(internal::CheckText(
            absl::StrCat("task graph assignee_names[", k, "]"), name, kMaxShortTextBytes, true));
        if (!g.assignee_index_.emplace(std::string(name), static_cast<uint32_t>(k)).second) {
          return Bad("assignee_names", k, absl::StrCat("\"", name, "\" is listed twice"));
        }
        g.assignee_names_.emplace_back(name);
      }
      g.assignee_.assign(hc, 0);
      for (size_t i = 0; i < n; ++i) {
        if (assignee[i] >= c.assignee_names.size()) {
          return Bad("assignee", i,
                     absl::StrCat("index ", assignee[i], " has no assignee_names entry"));
        }
        g.assignee_[order[i]] = assignee[i];
      }
    }
    CFLOW_RETURN_IF_ERROR(LoadEdges(c, degree, &g));
    g.live_count_ = n;
    return graph;
  }

  // Dependencies. Edges are stored by position (predecessor's position,
  // forward distance to the successor's), so both pools are laid out in
  // topological order and filled by position: sequential for successor
  // lists, near the current position for predecessor lists (when
  // dependencies are local), with no per-edge lookup by handle. The two edge
  // columns are decoded straight into the successor pool (positions first,
  // handles in the second pass), with no intermediate arrays.
  static absl::Status LoadEdges(const WireColumns& c, const LargeArray<uint32_t>& degree,
                                TaskGraph::Impl* g) {
    const size_t n = degree.size();
    const LargeArray<TaskHandle>& order = g->slots_;
    const size_t hc = g->position_.size();
    uint64_t edges = 0;
    for (size_t i = 0; i < n; ++i) edges += degree[i];
    size_t forward_count = 0, lag_count = 0;
    CFLOW_RETURN_IF_ERROR(internal::CountPackedVarints(
        "task graph edge_forward", c.packed[kFieldEdgeForward], &forward_count));
    CFLOW_RETURN_IF_ERROR(internal::CountPackedVarints("task graph edge_lag_type",
                                                       c.packed[kFieldEdgeLagType], &lag_count));
    if (edges != forward_count || edges != lag_count) {
      return absl::InvalidArgumentError(absl::StrCat("task graph edges: out_degree sums to ", edges,
                                                     " but edge_forward has ", forward_count,
                                                     " and edge_lag_type ", lag_count, " entries"));
    }
    // Per position, side by side so that one cache line serves each edge's
    // random access: its handle, the next free predecessor slot (first the
    // in-degree) and the last predecessor seen (to find duplicate pairs).
    struct At {
      TaskHandle task;
      uint32_t cursor;
      uint32_t stamp;
    };
    LargeArray<At> at(n);
    for (size_t i = 0; i < n; ++i) at[i] = At{order[i], 0, kNoTask};
    DependencyLink* out_pool = g->out_.Reset(hc, edges);
    const uint8_t* fp = reinterpret_cast<const uint8_t*>(c.packed[kFieldEdgeForward].data());
    const uint8_t* lp = reinterpret_cast<const uint8_t*>(c.packed[kFieldEdgeLagType].data());
    // Pass 1: decode and check every edge, with successors by position.
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
      for (uint32_t e = 0; e < degree[i]; ++e, ++k) {
        uint32_t forward = 0, lag_type = 0;
        if (!internal::ReadVarint32(&fp, &forward)) {
          return Bad("edge_forward", k, "varint longer than 5 bytes or above 2^32 - 1");
        }
        if (!internal::ReadVarint32(&lp, &lag_type)) {
          return Bad("edge_lag_type", k, "varint longer than 5 bytes or above 2^32 - 1");
        }
        if (forward == 0 || forward >= n - i) {
          return Bad(
              "edge_forward", k,
              absl::StrCat(forward, " from position ", i, " points outside (", i, ", ", n, ")"));
        }
        const int32_t packed = internal::ZigZagDecode32(lag_type);
        const int32_t lag = packed >> 2;
        if (lag < -kMaxLag || lag > kMaxLag) {
          return Bad("edge_lag_type", k,
                     absl::StrCat("lag ", lag, " is outside [-", kMaxLag, ", ", kMaxLag, "]"));
        }
        out_pool[k] = DependencyLink{static_cast<uint32_t>(i) + forward, packed};
      }
    }
    // In-degrees, in a loop of its own so that the counters (at random
    // positions in random plans) can be fetched ahead.
    for (size_t e = 0; e < edges; ++e) {
      if (e + 16 < edges) __builtin_prefetch(&at[out_pool[e + 16].task], 1);
      ++at[out_pool[e].task].cursor;
    }
    DependencyLink* in_pool = g->in_.Reset(hc, edges);
    uint32_t sum = 0;
    for (size_t p = 0; p < n; ++p) {
      if (p + 16 < n) g->in_.PrefetchSlot(order[p + 16]);
      const uint32_t d = at[p].cursor;
      at[p].cursor = sum;
      g->in_.SetList(order[p], sum, d);
      sum += d;
    }
    // Pass 2: positions to handles, predecessor lists filled by position.
    k = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i + 16 < n) g->out_.PrefetchSlot(order[i + 16]);
      const TaskHandle t = order[i];
      g->out_.SetList(t, static_cast<uint32_t>(k), degree[i]);
      for (uint32_t e = 0; e < degree[i]; ++e, ++k) {
        // Two stages ahead: the position's entry, then its list's next slot.
        if (k + 16 < edges) __builtin_prefetch(&at[out_pool[k + 16].task], 1);
        if (k + 8 < edges) __builtin_prefetch(&in_pool[at[out_pool[k + 8].task].cursor], 1);
        At& s = at[out_pool[k].task];
        if (s.stamp == i) {
          return Bad(
              "edge_forward", k,
              absl::StrCat("dependency ", g->Name(t), " -> ", g->Name(s.task), " is listed twice"));
        }
        s.stamp = static_cast<uint32_t>(i);
        in_pool[s.cursor++] = DependencyLink{t, out_pool[k].packed};
        out_pool[k].task = s.task;
      }
    }
    g->edge_count_ = edges;
    return absl::OkStatus();
  }
};

namespace internal {

void ToProto(const TaskGraph& graph, v1::TaskGraph* out) {
  TaskGraphLoader::Save(graph.impl(), out);
}

absl::StatusOr<TaskGraph> FromProto(const v1::TaskGraph& message) {
  v1::TaskGraph copy = message;
  return TaskGraphLoader::Reencode(&copy);
}

}  // namespace internal

std::string EncodeTaskGraph(const TaskGraph& graph) {
  return TaskGraphLoader::Encode(graph.impl());
}

absl::StatusOr<TaskGraph> DecodeTaskGraph(absl::string_view bytes) {
  return TaskGraphLoader::Decode(bytes, true);
}

}  // namespace collabflow
