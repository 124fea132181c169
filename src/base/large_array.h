// Storage for the scheduler's per-task and per-dependency arrays, which reach
// tens of megabytes at a million tasks and are read in random order: blocks
// of 2 MiB or more are aligned to 2 MiB and marked for transparent huge pages
// (madvise), so that random access misses the TLB far less and a fresh array
// faults in 512 times fewer pages. Smaller blocks come from operator new.
// Where the kernel offers no huge pages the advice is ignored. Elements
// added without a value are default-initialized (see construct below).
//
// Thread safety: the allocator is stateless; a LargeArray is as thread-safe
// as a std::vector.
#ifndef COLLABFLOW_SRC_BASE_LARGE_ARRAY_H_
#define COLLABFLOW_SRC_BASE_LARGE_ARRAY_H_

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace collabflow::internal {

template <typename T>
class LargeArrayAllocator {
 public:
  using value_type = T;
  static constexpr size_t kHugePage = size_t{2} << 20;

  LargeArrayAllocator() = default;
  template <typename U>
  LargeArrayAllocator(const LargeArrayAllocator<U>&) {}  // NOLINT: rebinding converts implicitly

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes));
    const size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();  // as std::allocator does
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure is harmless
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePage) {
      ::operator delete(p);
    } else {
      std::free(p);
    }
  }

  // Elements made without a value (resize(n), LargeArray<T>(n)) are
  // default-initialized: trivial ones are left as they are, since these
  // arrays are filled right after. Pass a value to get zeros.
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible<U>::value) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const LargeArrayAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const LargeArrayAllocator<U>&) const {
    return false;
  }
};

template <typename T>
using LargeArray = std::vector<T, LargeArrayAllocator<T>>;

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_LARGE_ARRAY_H_
