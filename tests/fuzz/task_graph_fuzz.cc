// libFuzzer harness: arbitrary bytes into the scheduler's untrusted-input
// readers through the C ABI alone (collabflow.h), as a host would call them.
//
// The first input byte picks the reader (byte % 3), the rest is its input:
//   0  cflow_task_graph_from_edge_list: the tasks text, a NUL byte, then the
//      edges text (no NUL: everything is the tasks text, the edges empty)
//   1  cflow_task_graph_from_json
//   2  cflow_task_graph_load (saved collabflow.v1.TaskGraph bytes)
// A graph that a reader accepts is then used: its size, ids and order are
// read, it is scheduled (critical path method) and its times and critical
// path read, saved and loaded back (the same bytes again), and edited a
// little with edits derived from the input (dependencies inserted through
// the cycle check, some refused, one removed, a duration set, a task added),
// after which reschedule must give what a full schedule gives.
//
// Besides the sanitizers, the harness aborts when the library breaks its own
// contract: CFLOW_INTERNAL or CFLOW_UNKNOWN (an escaped exception or a bug), a
// failure without a message, a failed call that wrote its out-parameter, an
// order that is not one of the live tasks with every inserted dependency
// forward, a saved graph that does not load back the same, or a reschedule
// that differs from a full schedule.
//
// Sizes are bounded so that one input stays fast: a saved graph may claim up
// to 2^28 handles (task_graph.h, kMaxGraphTasks) in a few bytes, removed
// tasks' handles included, and loading allocates every per-handle column (some
// 40 bytes a handle, about 10 GiB at the limit) as the saved graph held it.
// That is the loader keeping handles, not a fault, but it would exhaust the
// fuzzer's memory limit, so saved bytes whose handle_count (field 2) exceeds
// kMaxHandles are not loaded (ClaimsTooManyHandles).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "collabflow.h"
#include "fuzz_contract.h"

namespace {

using collabflow::fuzz::CheckAnswer;
using collabflow::fuzz::kUntouched;
using collabflow::fuzz::Violation;

// Handles at most in saved bytes that are loaded, and in a graph whose
// per-handle arrays are read (a saved graph may claim up to 2^28).
constexpr size_t kMaxHandles = size_t{1} << 16;
// Edits derived from the input, at most.
constexpr size_t kMaxEdits = 16;

// What a failed graph call must leave in its out-parameter.
cflow_task_graph* const kUntouchedGraph = reinterpret_cast<cflow_task_graph*>(0x1);

// CFLOW_FUZZ_VERBOSE=1 prints what each reader answered (to see what an
// input reaches when reproducing it).
const bool kVerbose = std::getenv("CFLOW_FUZZ_VERBOSE") != nullptr;

void Say(const char* call, cflow_status s) {
  if (kVerbose) {
    std::fprintf(stderr, "%s: %s %s\n", call, cflow_status_name(s),
                 s == CFLOW_OK ? "" : cflow_last_error());
  }
}

// Reads the input as a stream of small numbers for the edits.
class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint32_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t Next16() { return Next() | Next() << 8; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// True if the bytes, read as protobuf fields, hold a handle_count (field 2,
// a varint; protobuf keeps its low 32 bits) above kMaxHandles. Bytes that
// stop parsing are left to the loader, which refuses them.
bool ClaimsTooManyHandles(const std::string& bytes) {
  size_t pos = 0;
  const auto varint = [&](uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64 && pos < bytes.size(); shift += 7) {
      const uint8_t b = static_cast<uint8_t>(bytes[pos++]);
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  };
  int depth = 0;  // inside unknown groups, whose fields are not the message's
  while (pos < bytes.size()) {
    uint64_t tag = 0, v = 0;
    if (!varint(&tag)) return false;
    switch (tag & 7) {
      case 0:
        if (!varint(&v)) return false;
        if (depth == 0 && (tag >> 3) == 2 && (v & 0xffffffffu) > kMaxHandles) return true;
        break;
      case 1:
        pos += 8;
        break;
      case 2:
        if (!varint(&v) || v > bytes.size() - pos) return false;
        pos += v;
        break;
      case 3:
        ++depth;
        break;
      case 4:
        if (--depth < 0) return false;
        break;
      case 5:
        pos += 4;
        break;
      default:
        return false;
    }
  }
  return false;
}

struct Size {
  size_t handles = 0, tasks = 0, dependencies = 0;
};

Size GraphSize(cflow_task_graph* graph) {
  Size z;
  const cflow_status s = cflow_task_graph_size(&z.handles, &z.tasks, &z.dependencies, graph);
  if (s != CFLOW_OK) Violation("size of a live graph", s);
  if (z.tasks > z.handles) Violation("more live tasks than handles", s);
  return z;
}

// The topological order: every live task once; returns positions by handle
// (kNone for removed tasks).
constexpr uint32_t kNone = UINT32_MAX;

std::vector<uint32_t> CheckedOrder(cflow_task_graph* graph, const Size& z) {
  std::vector<cflow_task> order(z.tasks + 1);
  size_t count = 0;
  cflow_status s = cflow_task_graph_order(order.data(), order.size(), &count, graph);
  if (s != CFLOW_OK || count != z.tasks) Violation("order of a live graph", s);
  std::vector<uint32_t> position(z.handles, kNone);
  for (size_t i = 0; i < count; ++i) {
    if (order[i] >= z.handles || position[order[i]] != kNone) {
      Violation("order lists a handle twice or out of range", s);
    }
    position[order[i]] = static_cast<uint32_t>(i);
  }
  // Too small an array is refused.
  if (z.tasks > 0) {
    s = cflow_task_graph_order(order.data(), z.tasks - 1, &count, graph);
    if (s != CFLOW_OUT_OF_RANGE) Violation("order into too small an array", s);
  }
  return position;
}

// The schedule's six arrays by handle.
struct Times {
  std::vector<int32_t> es, ef, ls, lf, tf, ff;
  explicit Times(size_t n) : es(n), ef(n), ls(n), lf(n), tf(n), ff(n) {}
  bool operator==(const Times& o) const {
    return es == o.es && ef == o.ef && ls == o.ls && lf == o.lf && tf == o.tf && ff == o.ff;
  }
};

Times ReadTimes(cflow_task_graph* graph, const Size& z) {
  Times t(z.handles);
  const cflow_status s = cflow_task_graph_times(t.es.data(), t.ef.data(), t.ls.data(), t.lf.data(),
                                                t.tf.data(), t.ff.data(), z.handles, graph);
  if (s != CFLOW_OK) Violation("times of a scheduled graph", s);
  std::vector<cflow_task> path(z.tasks + 1);
  size_t count = 0;
  const cflow_status p = cflow_task_graph_critical_path(path.data(), path.size(), &count, graph);
  if (p != CFLOW_OK || count > z.tasks) Violation("critical path of a scheduled graph", p);
  for (size_t i = 0; i < count; ++i) {
    if (path[i] >= z.handles) Violation("critical path names an unknown handle", p);
  }
  return t;
}

// Saves the graph, loads the bytes back and saves again: the same bytes.
void CheckSaveLoad(cflow_task_graph* graph, const Size& z) {
  uint8_t* saved = kUntouched;
  size_t saved_len = 0;
  cflow_status s = cflow_task_graph_save(&saved, &saved_len, graph);
  CheckAnswer(s, saved, kUntouched);
  if (s != CFLOW_OK) return;
  cflow_task_graph* back = kUntouchedGraph;
  s = cflow_task_graph_load(&back, saved, saved_len);
  if (s != CFLOW_OK) Violation("a saved graph does not load", s);
  const Size bz = GraphSize(back);
  if (bz.handles != z.handles || bz.tasks != z.tasks || bz.dependencies != z.dependencies) {
    Violation("a loaded graph differs in size from the saved one", s);
  }
  uint8_t* again = nullptr;
  size_t again_len = 0;
  s = cflow_task_graph_save(&again, &again_len, back);
  if (s != CFLOW_OK) Violation("a loaded graph does not save", s);
  if (again_len != saved_len || std::memcmp(again, saved, saved_len) != 0) {
    Violation("save, load, save gives other bytes", s);
  }
  cflow_free(again);
  cflow_free(saved);
  cflow_task_graph_free(back);
}

// Uses a graph a reader accepted: reads, schedules, saves, edits, reschedules.
void Exercise(cflow_task_graph* graph, Bytes& in) {
  Size z = GraphSize(graph);
  char* ids = reinterpret_cast<char*>(kUntouched);
  size_t ids_len = 0;
  cflow_status s = cflow_task_graph_ids(&ids, &ids_len, graph);
  CheckAnswer(s, ids, kUntouched);
  if (s == CFLOW_OK) {
    // One NUL-terminated id a handle; each live id finds its task.
    size_t handle = 0;
    for (size_t i = 0; i < ids_len && handle < 64; ++handle) {
      const char* id = ids + i;
      i += std::strlen(id) + 1;
      if (id[0] == '\0') continue;
      cflow_task found = kNone;
      s = cflow_task_graph_find(&found, graph, id);
      if (s != CFLOW_OK || found != handle) Violation("an id does not find its task", s);
    }
    cflow_free(ids);
  }
  int32_t finish = -1;
  const int32_t start = static_cast<int32_t>(in.Next() % 8);
  s = cflow_task_graph_schedule(&finish, graph, start);
  Say("schedule", s);
  CheckAnswer(s, nullptr, nullptr);
  if (z.handles > kMaxHandles) return;
  std::vector<uint32_t> position = CheckedOrder(graph, z);
  if (s == CFLOW_OK) ReadTimes(graph, z);
  CheckSaveLoad(graph, z);
  if (z.tasks == 0) return;

  // Edits: dependencies between tasks the input names (some refused: an
  // unknown handle, a self-loop, a repeat, a cycle, a bad type or lag).
  std::vector<std::pair<cflow_task, cflow_task>> added;
  for (size_t e = 0; e < kMaxEdits && !in.empty(); ++e) {
    const uint32_t op = in.Next();
    const cflow_task a = in.Next() % (z.handles + 1);
    const cflow_task b = in.Next() % (z.handles + 1);
    switch (op % 8) {
      case 0: {
        const cflow_status d =
            cflow_task_graph_set_duration(graph, a, static_cast<int32_t>(in.Next16() * 2) - 4);
        CheckAnswer(d, nullptr, nullptr);
        break;
      }
      case 1: {
        if (added.empty()) break;
        const auto [p, q] = added.back();
        const cflow_status d = cflow_task_graph_remove_dependency(graph, p, q);
        if (d != CFLOW_OK) Violation("an inserted dependency cannot be removed", d);
        added.pop_back();
        break;
      }
      case 2: {
        cflow_task t = kNone;
        const cflow_status d = cflow_task_graph_add_task(&t, graph, nullptr, in.Next() % 4);
        if (d != CFLOW_OK || t != z.handles) Violation("a task without an id is refused", d);
        break;
      }
      default: {
        const cflow_link_type type = static_cast<cflow_link_type>(in.Next() % 5);  // 4: unknown
        const int32_t lag = static_cast<int32_t>(in.Next16()) - 32768;
        const cflow_status d = cflow_task_graph_add_dependency(graph, a, b, type, lag);
        Say("add_dependency", d);
        CheckAnswer(d, nullptr, nullptr);
        if (d == CFLOW_OK) added.emplace_back(a, b);
      }
    }
    z = GraphSize(graph);
    if (z.handles > kMaxHandles) return;
  }
  // The order after the edits keeps every inserted dependency forward.
  position = CheckedOrder(graph, z);
  for (const auto& [p, q] : added) {
    if (position[p] >= position[q]) Violation("an inserted dependency runs backwards", CFLOW_OK);
  }
  if (s != CFLOW_OK) return;  // never scheduled: nothing to bring up to date
  int32_t refinish = -1;
  size_t visited = 0;
  const cflow_status r = cflow_task_graph_reschedule(&refinish, &visited, graph);
  Say("reschedule", r);
  CheckAnswer(r, nullptr, nullptr);
  if (r != CFLOW_OK) return;
  const Times incremental = ReadTimes(graph, z);
  int32_t full_finish = -1;
  const cflow_status f = cflow_task_graph_schedule(&full_finish, graph, start);
  if (f != CFLOW_OK) Violation("a full schedule fails where reschedule did not", f);
  if (full_finish != refinish || !(ReadTimes(graph, z) == incremental)) {
    Violation("reschedule differs from a full schedule", f);
  }
  CheckSaveLoad(graph, z);
}

void Read(uint8_t mode, const uint8_t* data, size_t size) {
  // The input is copied so that an overread of the exact length is caught.
  const std::string input(reinterpret_cast<const char*>(data), size);
  cflow_task_graph* graph = kUntouchedGraph;
  cflow_status s;
  const char* call;
  if (mode == 0) {
    const size_t cut = input.find('\0');
    const std::string tasks = input.substr(0, cut);
    const std::string edges = cut == std::string::npos ? std::string() : input.substr(cut + 1);
    s = cflow_task_graph_from_edge_list(&graph, tasks.data(), tasks.size(), edges.data(),
                                        edges.size());
    call = "from_edge_list";
  } else if (mode == 1) {
    s = cflow_task_graph_from_json(&graph, input.data(), input.size());
    call = "from_json";
  } else {
    if (ClaimsTooManyHandles(input)) return;
    s = cflow_task_graph_load(&graph, reinterpret_cast<const uint8_t*>(input.data()), input.size());
    call = "load";
  }
  Say(call, s);
  CheckAnswer(s, graph, kUntouchedGraph);
  if (s != CFLOW_OK) return;
  // The edits read the input again from its end, so that they vary with it.
  std::string reversed(input.rbegin(), input.rend());
  Bytes edits(reinterpret_cast<const uint8_t*>(reversed.data()), reversed.size());
  Exercise(graph, edits);
  cflow_task_graph_free(graph);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Read(data[0] % 3, data + 1, size - 1);
  return 0;
}
