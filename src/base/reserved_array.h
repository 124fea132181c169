// An array of trivially copyable elements that grows without copying: from
// 2 MiB on, it lives in an address range reserved up front (four times the
// size that made it switch, unbacked until touched), so growing inside it
// moves nothing and faults in only the pages it writes. The task graph's
// adjacency pools use it: a std::vector of 64 MB copied itself on the first
// list that outgrew its slot (a 120–360 ms edge insert at 1M tasks).
//
// Huge pages: the part sized when the range is reserved (filled right away
// by a builder) is advised for transparent huge pages, as LargeArray's; the
// room beyond is not: it is backed by 4 KiB pages 1 MiB ahead of use, so
// that growing never waits for the kernel to assemble a 2 MiB page
// (milliseconds when memory is fragmented). Growing past the range copies
// into a new, larger one (amortised O(1), as a vector). Elsewhere than
// Linux: plain malloc/realloc.
//
// Thread safety: as a std::vector.
#ifndef COLLABFLOW_SRC_BASE_RESERVED_ARRAY_H_
#define COLLABFLOW_SRC_BASE_RESERVED_ARRAY_H_

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace collabflow::internal {

template <typename T>
class ReservedArray {
  static_assert(std::is_trivially_copyable<T>::value, "elements are moved as bytes");

 public:
  ReservedArray() = default;
  ~ReservedArray() { Release(); }
  ReservedArray(const ReservedArray& other) { CopyFrom(other); }
  ReservedArray& operator=(const ReservedArray& other) {
    if (this != &other) {
      Release();
      CopyFrom(other);
    }
    return *this;
  }
  ReservedArray(ReservedArray&& other) noexcept { Swap(other); }
  ReservedArray& operator=(ReservedArray&& other) noexcept {
    if (this != &other) {
      Release();
      Swap(other);
    }
    return *this;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

  // New elements are left uninitialized.
  void resize(size_t n) {
    if (n > capacity_) Grow(n);
    size_ = n;
    if (n * sizeof(T) > populated_bytes_) Populate(n * sizeof(T));
  }

 private:
  static constexpr size_t kHugePage = size_t{2} << 20;
  static size_t RoundUp(size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }

  void Grow(size_t n) {
    const size_t bytes = n * sizeof(T);
#if defined(__linux__)
    if (bytes >= kHugePage) {
      // A new range: room for four times what is needed now.
      const size_t reserved = RoundUp(4 * bytes);
      void* p = mmap(nullptr, reserved, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();  // as std::allocator does
      // An empty array sized at once is a builder's, which fills it next:
      // huge pages (advice only: failure is harmless; mmap aligns to 4 KiB,
      // the kernel uses huge pages for the aligned 2 MiB blocks inside).
      // Grown from contents (an edit), it gets 4 KiB pages, populated below.
      const bool for_builder = size_ == 0;
#if defined(MADV_HUGEPAGE)
      if (for_builder) madvise(p, RoundUp(bytes), MADV_HUGEPAGE);
#endif
      const size_t old_size = size_;
      char* const old_data = reinterpret_cast<char*>(data_);
      const size_t old_mapped = mapped_bytes_;
      data_ = static_cast<T*>(p);
      capacity_ = reserved / sizeof(T);
      mapped_bytes_ = reserved;
      populated_bytes_ = for_builder ? RoundUp(bytes) : 0;
      if (!for_builder) Populate(bytes);
      if (old_size > 0) std::memcpy(p, old_data, old_size * sizeof(T));
      if (old_mapped > 0) {
        munmap(old_data, old_mapped);
      } else {
        std::free(old_data);
      }
      return;
    }
#endif
    const size_t cap = std::max(n, 2 * capacity_);
    void* p = std::realloc(data_, cap * sizeof(T));
    if (p == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    capacity_ = cap;
  }

  // Backs the room beyond the array with pages ahead of use, 1 MiB at a
  // time and in one call: one page fault per 4 KiB page appended made the
  // 99th percentile of an edge insert along the order 2.5 times slower.
  void Populate(size_t bytes) {
#if defined(__linux__)
    constexpr size_t kAhead = size_t{1} << 20;
    if (mapped_bytes_ == 0) return;
    const size_t end = std::min(mapped_bytes_, (bytes + kAhead) & ~(kAhead - 1));
    if (end <= populated_bytes_) return;
    char* from = reinterpret_cast<char*>(data_) + populated_bytes_;
#if defined(MADV_POPULATE_WRITE)
    if (madvise(from, end - populated_bytes_, MADV_POPULATE_WRITE) != 0)
#endif
    {
      // Older kernels: touch each page (the pages are fresh: zeros).
      for (char* q = from; q < reinterpret_cast<char*>(data_) + end; q += 4096) *q = 0;
    }
    populated_bytes_ = end;
#else
    (void)bytes;
#endif
  }

  void Release() {
#if defined(__linux__)
    if (mapped_bytes_ > 0) {
      munmap(data_, mapped_bytes_);
    } else {
      std::free(data_);
    }
#else
    std::free(data_);
#endif
    data_ = nullptr;
    size_ = capacity_ = mapped_bytes_ = populated_bytes_ = 0;
  }

  void CopyFrom(const ReservedArray& other) {
    resize(other.size_);
    if (other.size_ > 0) std::memcpy(data_, other.data_, other.size_ * sizeof(T));
  }

  void Swap(ReservedArray& other) {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
    std::swap(mapped_bytes_, other.mapped_bytes_);
    std::swap(populated_bytes_, other.populated_bytes_);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  size_t mapped_bytes_ = 0;     // > 0: data_ is a mapping of this size
  size_t populated_bytes_ = 0;  // of the mapping, backed by pages
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_RESERVED_ARRAY_H_
