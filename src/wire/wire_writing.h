// Protobuf wire-format primitives for the generated event writer
// (event_wire.cc), the journal record around it (sealed_batch.cc) and the
// outbox spliced into the state's bytes (outbox_log.cc): 64-bit varints,
// keys, length-delimited fields (the 32-bit codec pieces and the wire types
// are packed_varint.h's). Each writes at `p` and returns the end; the caller
// has made room (sizes come from ByteSizeLong).
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_WIRE_WIRE_WRITING_H_
#define COLLABFLOW_SRC_WIRE_WIRE_WRITING_H_

#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"
#include "wire/packed_varint.h"

namespace collabflow::internal {

inline uint8_t* WriteVarint(uint64_t v, uint8_t* p) {
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

// Wire types: packed_varint.h's WireType.
inline uint8_t* WriteKey(uint32_t field, WireType wire_type, uint8_t* p) {
  return WriteVarint((uint64_t{field} << 3) | wire_type, p);
}

inline uint8_t* WriteVarintField(uint32_t field, uint64_t value, uint8_t* p) {
  return WriteVarint(value, WriteKey(field, kWireVarint, p));
}

inline uint8_t* WriteBytes(uint32_t field, absl::string_view bytes, uint8_t* p) {
  p = WriteVarint(bytes.size(), WriteKey(field, kWireLength, p));
  std::memcpy(p, bytes.data(), bytes.size());
  return p + bytes.size();
}

// A nested message: key, the length ByteSizeLong cached in it, then its
// fields through `write`.
template <typename Message>
uint8_t* WriteMessage(uint32_t field, const Message& m, uint8_t* p,
                      uint8_t* (*write)(const Message&, uint8_t*)) {
  p = WriteKey(field, kWireLength, p);
  p = WriteVarint(static_cast<uint32_t>(m.GetCachedSize()), p);
  return write(m, p);
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_WIRE_WRITING_H_
