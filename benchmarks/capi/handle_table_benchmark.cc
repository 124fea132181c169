// What checking a C handle costs per call, from 1, 2 and 4 threads: the
// handle table (capi/handle_table.h) against the two designs it replaced,
// kept here as the peers.
//
// - OneMutexHeld: one process-wide mutex around a hash set of live
//   pointers, held for the whole call (the options, calendar and command
//   handles of ABI 0).
// - OneMutexSharedPtr: the same mutex held for the lookup, which copies a
//   shared_ptr out of a hash map; the call then runs on the copy (the engine
//   handles of ABI 0).
// - HandleTable: a lock-free lookup by slot index and one compare-and-swap on
//   the object's own cache line.
//
// Each runs with every thread on its own object (shared:0, the case that must
// not contend) and with all threads on one object (shared:1). The call itself
// is a few nanoseconds of work on the object, so the handle check is most of
// what is measured.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "benchmark/benchmark.h"
#include "handle_table.h"

namespace {

constexpr int kMaxThreads = 4;

struct Object {
  uint64_t value = 0x9E3779B97F4A7C15ull;
};

// The call: a little arithmetic on the object, as a calendar query does.
inline uint64_t Work(const Object& o, uint64_t x) { return (o.value ^ x) * 0xBF58476D1CE4E5B9ull; }

class OneMutexHeld {
 public:
  void* Add(Object* o) {
    std::lock_guard<std::mutex> lock(mu_);
    live_.insert(o);
    return o;
  }
  template <typename Fn>
  absl::Status With(const void* handle, Fn&& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!live_.contains(handle)) return absl::InvalidArgumentError("freed or invalid handle");
    fn(*static_cast<const Object*>(handle));
    return absl::OkStatus();
  }

 private:
  std::mutex mu_;
  absl::flat_hash_set<const void*> live_;
};

class OneMutexSharedPtr {
 public:
  void* Add(std::shared_ptr<Object> o) {
    void* handle = o.get();
    std::lock_guard<std::mutex> lock(mu_);
    live_[handle] = std::move(o);
    return handle;
  }
  std::shared_ptr<Object> Find(const void* handle) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = live_.find(handle);
    return it == live_.end() ? nullptr : it->second;
  }

 private:
  std::mutex mu_;
  absl::flat_hash_map<const void*, std::shared_ptr<Object>> live_;
};

// Each benchmark iteration: `threads` threads (the first argument) each make
// kCalls calls, on their own object or all on one (`shared`, the second);
// the wall time of the whole is the iteration's time, so items_per_second is
// the total throughput of all threads together.
constexpr int kCalls = 2000000;

template <typename Call>
void RunThreads(benchmark::State& state, const std::vector<void*>& handles, Call&& call) {
  const int threads = static_cast<int>(state.range(0));
  const bool shared = state.range(1) != 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        void* handle = handles[shared ? 0 : t];
        uint64_t x = static_cast<uint64_t>(t);
        for (int i = 0; i < kCalls; ++i) x = call(handle, x);
        benchmark::DoNotOptimize(x);
      });
    }
    for (auto& w : workers) w.join();
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  state.SetItemsProcessed(state.iterations() * threads * kCalls);
}

template <typename Make>
std::vector<void*> Handles(Make&& make) {
  std::vector<void*> handles;
  for (int i = 0; i < kMaxThreads; ++i) handles.push_back(make());
  return handles;
}

void BM_OneMutexHeld(benchmark::State& state) {
  static auto* table = new OneMutexHeld;
  static const std::vector<void*> handles = Handles([] { return table->Add(new Object); });
  RunThreads(state, handles, [](void* handle, uint64_t x) {
    (void)table->With(handle, [&](const Object& o) { x = Work(o, x); });
    return x;
  });
}

void BM_OneMutexSharedPtr(benchmark::State& state) {
  static auto* table = new OneMutexSharedPtr;
  static const std::vector<void*> handles =
      Handles([] { return table->Add(std::make_shared<Object>()); });
  RunThreads(state, handles, [](void* handle, uint64_t x) {
    std::shared_ptr<Object> o = table->Find(handle);
    return Work(*o, x);
  });
}

void BM_HandleTable(benchmark::State& state) {
  using Table = collabflow::capi::HandleTable<Object>;
  static auto* table = new Table("object", 0x31);
  static const std::vector<void*> handles =
      Handles([] { return *table->Add(std::make_unique<Object>()); });
  RunThreads(state, handles, [](void* handle, uint64_t x) {
    auto o = table->Find(handle);
    return Work(**o, x);
  });
}

void Cases(benchmark::internal::Benchmark* b) {
  b->ArgNames({"threads", "shared"})->ArgsProduct({{1, 2, 4}, {0, 1}})->UseManualTime();
}

BENCHMARK(BM_OneMutexHeld)->Apply(Cases);
BENCHMARK(BM_OneMutexSharedPtr)->Apply(Cases);
BENCHMARK(BM_HandleTable)->Apply(Cases);

}  // namespace
