// CRC32C (Castagnoli), the checksum of journal records and snapshots. Pure
// functions; thread-safe. Uses the SSE4.2 crc32 instruction when the CPU has
// it, else a slicing-by-8 table; both give identical results.
#ifndef COLLABFLOW_SRC_STORE_CRC32C_H_
#define COLLABFLOW_SRC_STORE_CRC32C_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace collabflow::internal::crc32c {

// The CRC32C of concat(A, data) where init_crc is the CRC32C of A.
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }
inline uint32_t Value(absl::string_view data) { return Extend(0, data.data(), data.size()); }

// The portable path, exposed so tests can compare it with the hardware one.
uint32_t ExtendPortable(uint32_t init_crc, const char* data, size_t n);
bool HardwareAccelerated();

// A CRC stored next to the data it covers is masked (as LevelDB does): the CRC
// of a string that embeds CRCs is otherwise prone to degenerate values.
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace collabflow::internal::crc32c

#endif  // COLLABFLOW_SRC_STORE_CRC32C_H_
