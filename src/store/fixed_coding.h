// Little-endian fixed-width integers in byte buffers: the on-disk layout of
// journal segments and snapshot files.
#ifndef COLLABFLOW_SRC_STORE_FIXED_CODING_H_
#define COLLABFLOW_SRC_STORE_FIXED_CODING_H_

#include <cstdint>
#include <cstring>
#include <string>

namespace collabflow::internal {

// The formats are little-endian; memcpy is the encoding on such hosts.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "store formats assume a little-endian host");

inline void PutFixed32(std::string* out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out->append(b, 4);
}
inline void PutFixed64(std::string* out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out->append(b, 8);
}
inline void EncodeFixed32(char* dst, uint32_t v) { std::memcpy(dst, &v, 4); }
inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_FIXED_CODING_H_
