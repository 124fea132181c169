#include "wire/packed_varint.h"

#include "absl/strings/str_cat.h"

namespace collabflow::internal {
namespace {

// A varint of up to 10 bytes (tags, lengths and scalars at message level).
bool ReadVarint64(absl::string_view* in, uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (in->empty()) return false;
    const uint8_t b = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    if (shift == 63 && b > 1) return false;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) {
      *value = v;
      return true;
    }
  }
  return false;
}

}  // namespace

bool NextWireField(absl::string_view* in, WireField* field) {
  uint64_t tag = 0;
  if (!ReadVarint64(in, &tag) || tag > UINT32_MAX || (tag >> 3) == 0) return false;
  field->number = static_cast<uint32_t>(tag >> 3);
  field->wire_type = static_cast<uint32_t>(tag & 7);
  field->varint = 0;
  field->bytes = absl::string_view();
  switch (field->wire_type) {
    case kWireVarint:
      return ReadVarint64(in, &field->varint);
    case kWireFixed64:
    case kWireFixed32: {
      const size_t width = field->wire_type == kWireFixed64 ? 8 : 4;
      if (in->size() < width) return false;
      in->remove_prefix(width);
      return true;
    }
    case kWireLength: {
      uint64_t length = 0;
      if (!ReadVarint64(in, &length) || length > in->size()) return false;
      field->bytes = in->substr(0, static_cast<size_t>(length));
      in->remove_prefix(static_cast<size_t>(length));
      return true;
    }
    default:  // groups (3, 4) and invalid types
      return false;
  }
}

absl::Status CountPackedVarints(absl::string_view field, absl::string_view payload, size_t* count) {
  if (!payload.empty() && static_cast<uint8_t>(payload.back()) >= 0x80) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the packed column ends inside a varint"));
  }
  size_t n = 0;
  for (char c : payload) n += static_cast<uint8_t>(c) < 0x80 ? 1 : 0;
  *count = n;
  return absl::OkStatus();
}

absl::Status DecodePackedUint32(absl::string_view field, absl::string_view payload,
                                LargeArray<uint32_t>* out) {
  size_t n = 0;
  if (absl::Status s = CountPackedVarints(field, payload, &n); !s.ok()) return s;
  out->resize(n);
  const uint8_t* p = reinterpret_cast<const uint8_t*>(payload.data());
  uint32_t* o = out->data();
  for (size_t i = 0; i < n; ++i) {
    if (!ReadVarint32(&p, &o[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", i, "]: varint longer than 5 bytes or above 2^32 - 1"));
    }
  }
  return absl::OkStatus();
}

}  // namespace collabflow::internal
