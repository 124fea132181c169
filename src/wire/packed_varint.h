// Protobuf wire-format pieces for codecs that read and write million-entry
// packed columns themselves instead of through a generated message (which
// parses into growing RepeatedFields and serializes in two passes): reading
// the fields of one message level, counting and decoding packed varints
// straight into pre-sized arrays, and writing varints and field headers.
// Values are 32-bit: a varint longer than 5 bytes or above 2^32 - 1 is
// refused (protobuf would truncate it; no protobuf writer produces one for a
// 32-bit field).
//
// Thread safety: stateless functions.
#ifndef COLLABFLOW_SRC_WIRE_PACKED_VARINT_H_
#define COLLABFLOW_SRC_WIRE_PACKED_VARINT_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/large_array.h"

namespace collabflow::internal {

enum WireType : uint32_t { kWireVarint = 0, kWireFixed64 = 1, kWireLength = 2, kWireFixed32 = 5 };

// One field of a message level: its number and wire type, and either its
// varint value or its length-delimited bytes (fixed-width fields: skipped).
struct WireField {
  uint32_t number = 0;
  uint32_t wire_type = 0;
  uint64_t varint = 0;
  absl::string_view bytes;
};

// Reads the next field from `*in` and advances it. False if the bytes are not
// a well-formed field (truncated, a zero field number, a group, a length
// beyond the input); `*in` is then unspecified.
bool NextWireField(absl::string_view* in, WireField* field);

// Reads one varint of at most 32 bits at `*p` and advances `*p`. REQUIRES: a
// byte below 0x80 (a last varint byte) at or after `*p` within the buffer, so
// the read cannot run past it. False if the varint is longer than 5 bytes or
// exceeds 32 bits (`*p` then points after the 5th byte).
inline bool ReadVarint32(const uint8_t** p, uint32_t* value) {
  const uint8_t* q = *p;
  uint32_t b = *q++;
  uint32_t v = b;
  if (b >= 0x80) {
    b = *q++;
    v = (v & 0x7f) | (b << 7);
    if (b >= 0x80) {
      b = *q++;
      v = (v & 0x3fff) | (b << 14);
      if (b >= 0x80) {
        b = *q++;
        v = (v & 0x1fffff) | (b << 21);
        if (b >= 0x80) {
          b = *q++;
          v = (v & 0xfffffff) | (b << 28);
          if (b > 0x0f) {
            *p = q;
            return false;
          }
        }
      }
    }
  }
  *p = q;
  *value = v;
  return true;
}

inline int32_t ZigZagDecode32(uint32_t v) {
  return static_cast<int32_t>((v >> 1) ^ (~(v & 1) + 1));
}
inline uint32_t ZigZagEncode32(int32_t v) {
  return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31);
}

// The number of varints in a packed payload (its bytes below 0x80).
// InvalidArgument naming `field` (e.g. "task graph duration") if the payload ends inside a varint.
absl::Status CountPackedVarints(absl::string_view field, absl::string_view payload, size_t* count);

// Decodes a packed uint32 payload into `*out` (resized to the exact count).
// InvalidArgument naming `field` and the index for a truncated or overlong
// varint.
absl::Status DecodePackedUint32(absl::string_view field, absl::string_view payload,
                                LargeArray<uint32_t>* out);

// Writes `v` as a varint at `p` (at most 5 bytes) and returns the end.
inline char* WriteVarint32(char* p, uint32_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}
inline size_t VarintSize32(uint32_t v) {
  // 1 + floor(log2(v) / 7), with v | 1 so that 0 takes one byte.
  return static_cast<size_t>((31 - __builtin_clz(v | 1)) * 9 + 73) / 64;
}
inline size_t VarintSize64(uint64_t v) {
  return static_cast<size_t>((63 - __builtin_clzll(v | 1)) * 9 + 73) / 64;
}
// A field's tag: number * 8 + wire type, as a varint.
inline char* WriteTag(char* p, uint32_t number, WireType type) {
  return WriteVarint32(p, (number << 3) | type);
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_PACKED_VARINT_H_
