// The C ABI's handle table (capi/handle_table.h): live handles are found,
// freed, foreign, mistyped and stale ones refused (even after their slot is
// reused), a free waits for the calls in flight, and many threads may use
// and free handles at once (this suite runs under ThreadSanitizer too:
// `cmake --preset tsan`).
#include "handle_table.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace collabflow::capi {
namespace {

// An object that knows which handle it was published under and says when
// it is deleted.
struct Probe {
  explicit Probe(int id, std::atomic<int>* deleted = nullptr) : id(id), deleted(deleted) {}
  ~Probe() {
    if (deleted != nullptr) deleted->fetch_add(1);
  }
  int id;
  std::atomic<int>* deleted;
};

using Table = HandleTable<Probe>;

void* AddProbe(Table& table, int id, std::atomic<int>* deleted = nullptr) {
  auto handle = table.Add(std::make_unique<Probe>(id, deleted));
  EXPECT_TRUE(handle.ok()) << handle.status();
  return handle.ok() ? *handle : nullptr;
}

TEST(HandleTable, FindsLiveHandlesAndRefusesThemOnceFreed) {
  Table table("probe", 0x21);
  std::atomic<int> deleted{0};
  void* a = AddProbe(table, 1, &deleted);
  void* b = AddProbe(table, 2, &deleted);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(a, b);
  EXPECT_EQ((*table.Find(a))->id, 1);
  EXPECT_EQ((*table.Find(b))->id, 2);
  table.Free(a);
  EXPECT_EQ(deleted.load(), 1);
  const absl::Status s = table.Find(a).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_EQ(s.message(), "probe: closed or invalid handle");
  EXPECT_EQ((*table.Find(b))->id, 2);  // the other object is untouched
  table.Free(a);                       // a second free is ignored
  table.Free(nullptr);
  EXPECT_EQ(deleted.load(), 1);
  table.Free(b);
  EXPECT_EQ(deleted.load(), 2);
}

TEST(HandleTable, RefusesNull) {
  Table table("probe", 0x21);
  const absl::Status s = table.Find(nullptr).status();
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_EQ(s.message(), "probe: NULL handle");
}

// The slot of a freed object is reused by the next Add, under a new
// generation: the old handle does not reach the new object.
TEST(HandleTable, StaleHandleIsRefusedAfterItsSlotIsReused) {
  Table table("probe", 0x21);
  void* old_handle = AddProbe(table, 1);
  table.Free(old_handle);
  void* new_handle = AddProbe(table, 2);
  const auto same_slot = [](void* x, void* y) {
    return (reinterpret_cast<uintptr_t>(x) & 0xFFFFFFFF) ==
           (reinterpret_cast<uintptr_t>(y) & 0xFFFFFFFF);
  };
  ASSERT_TRUE(same_slot(old_handle, new_handle));
  EXPECT_NE(old_handle, new_handle);
  EXPECT_TRUE(absl::IsInvalidArgument(table.Find(old_handle).status()));
  table.Free(old_handle);  // ignored: it must not free the new object
  EXPECT_EQ((*table.Find(new_handle))->id, 2);
  table.Free(new_handle);
}

TEST(HandleTable, RefusesAddressesAndHandlesOfAnotherKind) {
  Table probes("probe", 0x21);
  Table others("other", 0x23);
  void* mine = AddProbe(probes, 1);
  void* theirs = AddProbe(others, 1);
  // The same slot and generation in another table: refused by the tag.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(mine) >> 8, reinterpret_cast<uintptr_t>(theirs) >> 8);
  EXPECT_TRUE(absl::IsInvalidArgument(probes.Find(theirs).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(others.Find(mine).status()));
  // An address (here of a live object) is never a handle.
  int local = 0;
  auto heap = std::make_unique<Probe>(1);
  EXPECT_TRUE(absl::IsInvalidArgument(probes.Find(&local).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(probes.Find(heap.get()).status()));
  // A well-formed handle of a slot never handed out, or beyond the table.
  const uintptr_t unused = (uintptr_t{1} << 32) | (uintptr_t{40} << 8) | 0x21;
  const uintptr_t beyond = (uintptr_t{1} << 32) | (uintptr_t{0xFFFFFF} << 8) | 0x21;
  EXPECT_TRUE(absl::IsInvalidArgument(probes.Find(reinterpret_cast<void*>(unused)).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(probes.Find(reinterpret_cast<void*>(beyond)).status()));
  probes.Free(theirs);  // ignored
  probes.Free(&local);  // ignored, never dereferenced
  EXPECT_EQ((*others.Find(theirs))->id, 1);
  probes.Free(mine);
  others.Free(theirs);
}

TEST(HandleTable, RefusesAddBeyondItsCapacityAndRecoversAfterAFree) {
  HandleTable<Probe, 1> table("probe", 0x21);  // one chunk: 64 slots
  std::vector<void*> handles;
  for (uint32_t i = 0; i < decltype(table)::kMaxSlots; ++i) {
    auto h = table.Add(std::make_unique<Probe>(static_cast<int>(i)));
    ASSERT_TRUE(h.ok()) << i << ": " << h.status();
    handles.push_back(*h);
  }
  auto full = table.Add(std::make_unique<Probe>(-1));
  EXPECT_TRUE(absl::IsResourceExhausted(full.status()));
  EXPECT_EQ(full.status().message(), "probe: more than 64 handles alive");
  table.Free(handles[7]);
  auto again = table.Add(std::make_unique<Probe>(7));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*table.Find(*again))->id, 7);
  for (void* h : handles) table.Free(h);
  table.Free(*again);
}

// Free refuses new calls at once, waits for the one in flight, and only
// then deletes the object.
TEST(HandleTable, FreeWaitsForTheCallsInFlight) {
  Table table("probe", 0x21);
  std::atomic<int> deleted{0};
  void* handle = AddProbe(table, 1, &deleted);
  auto ref = table.Find(handle);
  ASSERT_TRUE(ref.ok());
  std::atomic<bool> freed{false};
  std::thread freer([&] {
    table.Free(handle);
    freed = true;
  });
  // New calls are refused as soon as the free has begun...
  while (table.Find(handle).ok()) std::this_thread::yield();
  // ...while the call in flight still has its object.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(freed.load());
  EXPECT_EQ(deleted.load(), 0);
  EXPECT_EQ((*ref)->id, 1);
  { auto done = std::move(*ref); }  // the call leaves
  freer.join();
  EXPECT_TRUE(freed.load());
  EXPECT_EQ(deleted.load(), 1);
}

// Readers on live handles, and a thread that keeps freeing and adding
// handles in the same table: every Find reaches the object its handle was
// published with, or is refused; nothing is deleted under a reader (the
// sanitizers watch).
TEST(HandleTable, ManyThreadsFindWhileOthersAddAndFree) {
  Table table("probe", 0x21);
  constexpr int kStable = 8;
  std::vector<void*> stable;
  for (int i = 0; i < kStable; ++i) stable.push_back(AddProbe(table, i));
  std::atomic<bool> stop{false};
  std::atomic<void*> churned{AddProbe(table, 1000)};
  std::atomic<int> churns{0};
  std::thread churner([&] {
    for (int i = 1001; !stop.load(); ++i) {
      void* next = AddProbe(table, i);
      table.Free(churned.exchange(next));
      churns.fetch_add(1);
    }
  });
  std::vector<std::thread> readers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937 rng(t);
      for (int n = 0; n < 20000; ++n) {
        const int i = static_cast<int>(rng() % kStable);
        auto ref = table.Find(stable[i]);
        if (!ref.ok() || (*ref)->id != i) wrong.fetch_add(1);
        void* h = churned.load();
        if (auto c = table.Find(h); c.ok() && (*c)->id < 1000) wrong.fetch_add(1);
      }
    });
  }
  for (auto& r : readers) r.join();
  stop = true;
  churner.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(churns.load(), 0);
  for (void* h : stable) table.Free(h);
  table.Free(churned.load());
}

}  // namespace
}  // namespace collabflow::capi
