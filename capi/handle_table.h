// The live objects of one kind behind the C ABI's opaque handles
// (cflow_engine, cflow_options, cflow_calendar, cflow_task_graph), so that a
// freed, foreign or mistyped handle is refused and never dereferenced, a
// free waits for the calls in flight on the object, and calls on live
// handles from many threads do not contend (collabflow.h, convention 7).
//
// A handle is not the object's address: it is a number that names a slot of
// the table and the slot's generation, plus a tag for the kind:
//
//   bits 63..32 generation | 31..8 slot index | 7..0 kind tag (odd)
//
// The library never dereferences it. A call finds its slot by index (no
// lock, no hash: the slots live in chunks that are never freed), checks the
// generation and the tag, and counts itself in with one compare-and-swap on
// the slot's own cache line. So calls on different objects touch nothing in
// common, and calls on one object share only that line. A free marks the
// slot closing (new calls are refused at once), waits until the calls in
// flight have left, deletes the object and bumps the generation, so an old
// copy of the handle stays refused even after the slot is reused (for 2^32
// reuses of one slot). The address of an aligned object never has an odd
// low byte, so such a pointer is refused by its tag alone; any other value
// would also have to name a live slot and its current generation.
//
// Thread safety: every member is thread-safe. REQUIRES: 64-bit pointers.
#ifndef COLLABFLOW_CAPI_HANDLE_TABLE_H_
#define COLLABFLOW_CAPI_HANDLE_TABLE_H_

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace collabflow::capi {

static_assert(sizeof(uintptr_t) == 8, "handles pack a 32-bit generation into a pointer");

// The kind tags of the tables: odd (no address has an odd low byte) and
// distinct (a handle of one kind is refused by the others).
inline constexpr uint8_t kOptionsTag = 0x11;
inline constexpr uint8_t kEngineTag = 0x13;
inline constexpr uint8_t kCalendarTag = 0x15;
inline constexpr uint8_t kTaskGraphTag = 0x17;

// `kChunks` sets the capacity (tests make it small).
template <typename Object, int kChunks = 18>
class HandleTable {
  struct Slot;
  static constexpr int kFirstChunkBits = 6;
  static_assert(kChunks >= 1 && kFirstChunkBits + kChunks <= 24, "a handle names 2^24 slots");

 public:
  // The most objects of one kind alive at once: the slots of all chunks
  // (chunk k holds 64 << k slots); with 18 chunks just under the 2^24 a
  // handle can name.
  static constexpr uint32_t kMaxSlots =
      (uint32_t{1} << (kFirstChunkBits + kChunks)) - (uint32_t{1} << kFirstChunkBits);

  // `kind` names the handle in messages ("engine"); `tag` must be odd and
  // differ between the tables, so a handle of one kind is refused by another.
  HandleTable(const char* kind, uint8_t tag) : kind_(kind), tag_(tag) {}
  HandleTable(const HandleTable&) = delete;
  HandleTable& operator=(const HandleTable&) = delete;
  // Deletes the objects still alive and the slots. The library's own tables
  // are never destroyed (handles stay checkable until the process ends);
  // a table that is must have no call in flight.
  ~HandleTable() {
    for (int chunk = 0; chunk < kChunks; ++chunk) {
      Slot* slots = chunks_[chunk].load(std::memory_order_acquire);
      if (slots == nullptr) continue;
      for (size_t i = 0; i < ChunkSize(chunk); ++i) delete slots[i].object;
      delete[] slots;
    }
  }

  // One call's hold on a live object: the object cannot be freed while a Ref
  // to it exists. Move-only.
  class Ref {
   public:
    Ref(Ref&& other) noexcept : slot_(std::exchange(other.slot_, nullptr)), table_(other.table_) {}
    Ref& operator=(Ref&&) = delete;
    ~Ref() {
      if (slot_ != nullptr) table_->Leave(*slot_);
    }
    Object& operator*() const { return *slot_->object; }
    Object* operator->() const { return slot_->object; }

   private:
    friend class HandleTable;
    Ref(Slot* slot, const HandleTable* table) : slot_(slot), table_(table) {}
    Slot* slot_;
    const HandleTable* table_;
  };

  // Takes ownership of `object` and returns its new handle (never NULL).
  // ResourceExhausted when kMaxSlots objects of this kind are alive.
  absl::StatusOr<void*> Add(std::unique_ptr<Object> object) {
    uint32_t index;
    {
      std::lock_guard<std::mutex> lock(free_mu_);
      if (!free_.empty()) {
        index = free_.back();
        free_.pop_back();
      } else {
        if (next_ == kMaxSlots) {
          return absl::ResourceExhaustedError(
              absl::StrCat(kind_, ": more than ", kMaxSlots, " handles alive"));
        }
        index = next_++;
        auto [chunk, offset] = Locate(index);
        if (offset == 0)
          chunks_[chunk].store(new Slot[ChunkSize(chunk)], std::memory_order_release);
      }
    }
    Slot& slot = *SlotAt(index);
    slot.object = object.release();
    const uint64_t generation = Generation(slot.state.load(std::memory_order_relaxed));
    // Publishes the object: a call that sees the slot live sees the object.
    slot.state.store((generation << 32) | kLive, std::memory_order_release);
    return reinterpret_cast<void*>((generation << 32) | (uint64_t{index} << 8) | tag_);
  }

  // The live object behind `handle`, held until the Ref is gone.
  // InvalidArgument naming the kind for NULL, and for a handle that is
  // freed, being freed, of another kind or never handed out.
  absl::StatusOr<Ref> Find(const void* handle) const {
    if (handle == nullptr) return absl::InvalidArgumentError(absl::StrCat(kind_, ": NULL handle"));
    Slot* slot = Decode(handle);
    if (slot != nullptr) {
      const uint64_t generation = reinterpret_cast<uintptr_t>(handle) >> 32;
      uint64_t state = slot->state.load(std::memory_order_acquire);
      while (Generation(state) == generation && (state & (kLive | kClosing)) == kLive &&
             (state & kCountMask) != kCountMask) {
        if (slot->state.compare_exchange_weak(state, state + 1, std::memory_order_acquire,
                                              std::memory_order_acquire)) {
          return Ref(slot, this);
        }
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(kind_, ": closed or invalid handle"));
  }

  // A constructor's last step: adds `object` and writes its handle, as the
  // C type, to *out.
  template <typename Handle>
  absl::Status Publish(std::unique_ptr<Object> object, Handle** out) {
    absl::StatusOr<void*> handle = Add(std::move(object));
    if (!handle.ok()) return handle.status();
    *out = static_cast<Handle*>(*handle);
    return absl::OkStatus();
  }

  // A _free/_close entry point's body: Free, letting nothing escape (the C
  // function returns void and cannot report).
  void FreeFromC(const void* handle) noexcept {
    try {
      Free(handle);
    } catch (...) {
    }
  }

  // Refuses new calls on `handle` at once, waits for the calls in flight,
  // then deletes the object. Ignores NULL and handles that are not live
  // (already freed, being freed by another thread, or never handed out).
  // REQUIRES: the calling thread holds no Ref to this object.
  void Free(const void* handle) {
    Slot* slot = handle == nullptr ? nullptr : Decode(handle);
    if (slot == nullptr) return;
    const uint64_t generation = reinterpret_cast<uintptr_t>(handle) >> 32;
    uint64_t state = slot->state.load(std::memory_order_acquire);
    do {
      if (Generation(state) != generation || (state & (kLive | kClosing)) != kLive) return;
    } while (!slot->state.compare_exchange_weak(state, state | kClosing, std::memory_order_acq_rel,
                                                std::memory_order_acquire));
    {
      std::unique_lock<std::mutex> lock(wait_mu_);
      left_.wait(lock,
                 [&] { return (slot->state.load(std::memory_order_acquire) & kCountMask) == 0; });
    }
    std::unique_ptr<Object> object(std::exchange(slot->object, nullptr));
    // The next generation, not live: every copy of the old handle is refused.
    slot->state.store(((generation + 1) & 0xFFFFFFFFu) << 32, std::memory_order_release);
    const uint32_t index =
        static_cast<uint32_t>((reinterpret_cast<uintptr_t>(handle) >> 8) & 0xFFFFFF);
    object.reset();  // outside every lock: an engine's destructor may take a while
    std::lock_guard<std::mutex> lock(free_mu_);
    free_.push_back(index);
  }

 private:
  // state: generation (32 bits) | kLive | kClosing | calls in flight (30 bits).
  static constexpr uint64_t kLive = uint64_t{1} << 31;
  static constexpr uint64_t kClosing = uint64_t{1} << 30;
  static constexpr uint64_t kCountMask = kClosing - 1;
  // One cache line each, so calls on different objects never share one.
  struct alignas(64) Slot {
    std::atomic<uint64_t> state{uint64_t{1} << 32};  // generation 1, not live
    Object* object = nullptr;
  };

  static uint64_t Generation(uint64_t state) { return state >> 32; }
  static size_t ChunkSize(int chunk) { return size_t{1} << (kFirstChunkBits + chunk); }
  // (chunk, offset in the chunk) of slot `index`.
  static std::pair<int, uint32_t> Locate(uint32_t index) {
    const uint64_t t = uint64_t{index} + (uint64_t{1} << kFirstChunkBits);
    const int chunk = 63 - __builtin_clzll(t) - kFirstChunkBits;
    return {chunk, static_cast<uint32_t>(t - ChunkSize(chunk))};
  }

  Slot* SlotAt(uint32_t index) const {
    auto [chunk, offset] = Locate(index);
    Slot* slots = chunks_[chunk].load(std::memory_order_acquire);
    return slots == nullptr ? nullptr : slots + offset;
  }

  // The slot a handle of this table names, or nullptr (another kind, or an
  // index never handed out). Reads only the table, never the handle's target.
  Slot* Decode(const void* handle) const {
    const uintptr_t value = reinterpret_cast<uintptr_t>(handle);
    const uint32_t index = static_cast<uint32_t>((value >> 8) & 0xFFFFFF);
    if ((value & 0xFF) != tag_ || index >= kMaxSlots) return nullptr;
    return SlotAt(index);
  }

  void Leave(Slot& slot) const {
    const uint64_t before = slot.state.fetch_sub(1, std::memory_order_acq_rel);
    // The last call out of a closing slot wakes the Free waiting for it.
    if ((before & kClosing) != 0 && (before & kCountMask) == 1) {
      std::lock_guard<std::mutex> lock(wait_mu_);
      left_.notify_all();
    }
  }

  const char* const kind_;
  const uint8_t tag_;
  std::array<std::atomic<Slot*>, kChunks> chunks_{};
  std::mutex free_mu_;          // guards free_ and next_; never held during a call
  std::vector<uint32_t> free_;  // slots to reuse
  uint32_t next_ = 0;           // slots ever used
  mutable std::mutex wait_mu_;  // only a Free waits, and the last call out wakes it
  mutable std::condition_variable left_;
};

}  // namespace collabflow::capi

#endif  // COLLABFLOW_CAPI_HANDLE_TABLE_H_
