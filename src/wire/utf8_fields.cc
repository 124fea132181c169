#include "wire/utf8_fields.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/utf8.h"

namespace collabflow::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// libprotobuf's own limit: deeper bytes are refused by its parser anyway.
constexpr int kMaxDepth = 100;

bool ReadVarint(const char** p, const char* end, uint64_t* value) {
  *value = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(*(*p)++);
    *value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) return true;
  }
  return false;
}

// Skips the fields of a group up to its END_GROUP; false if malformed.
bool SkipGroup(const char** p, const char* end, uint64_t number, int depth) {
  while (*p < end) {
    uint64_t tag = 0;
    if (!ReadVarint(p, end, &tag)) return false;
    uint64_t scratch = 0;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(p, end, &scratch)) return false;
        break;
      case 1:
        if (end - *p < 8) return false;
        *p += 8;
        break;
      case 2:
        if (!ReadVarint(p, end, &scratch) || scratch > static_cast<uint64_t>(end - *p)) {
          return false;
        }
        *p += scratch;
        break;
      case 3:
        if (depth >= kMaxDepth || !SkipGroup(p, end, tag >> 3, depth + 1)) return false;
        break;
      case 4:
        return (tag >> 3) == number;
      case 5:
        if (end - *p < 4) return false;
        *p += 4;
        break;
      default:
        return false;
    }
  }
  return false;
}

// The fields of a `type` in [p, end) (which may reach past its parent's
// end: libprotobuf reads a field as far as its own length says, within the
// whole input `buffer_end`, before it notices), the first invalid string
// field's path in *path; false if there is none or the bytes turn out
// malformed first (the parser then refuses them without a log).
bool FindInvalid(const Descriptor* type, const char* p, const char* end, const char* buffer_end,
                 int depth, std::string* path) {
  while (p < end) {
    uint64_t tag = 0;
    if (!ReadVarint(&p, buffer_end, &tag) || tag > std::numeric_limits<uint32_t>::max() ||
        (tag >> 3) == 0) {
      return false;
    }
    uint64_t value = 0;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(&p, buffer_end, &value)) return false;
        break;
      case 1:
        if (buffer_end - p < 8) return false;
        p += 8;
        break;
      case 5:
        if (buffer_end - p < 4) return false;
        p += 4;
        break;
      case 3:
        if (!SkipGroup(&p, buffer_end, tag >> 3, depth)) return false;
        break;
      case 2: {
        if (!ReadVarint(&p, buffer_end, &value) ||
            value > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
          return false;
        }
        const FieldDescriptor* field = type->FindFieldByNumber(static_cast<int>(tag >> 3));
        const bool fits = value <= static_cast<uint64_t>(buffer_end - p);
        if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING) {
          if (!fits) return false;  // a string is read whole or not at all
          if (!IsValidUtf8(absl::string_view(p, value))) {
            *path = std::string(field->name());
            return true;
          }
        } else if (field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE &&
                   depth < kMaxDepth) {
          const char* field_end = fits ? p + value : buffer_end;
          if (FindInvalid(field->message_type(), p, field_end, buffer_end, depth + 1, path)) {
            *path = absl::StrCat(field->name(), ".", *path);
            return true;
          }
        }
        if (!fits) return false;
        p += value;
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

}  // namespace

absl::Status CheckUtf8Fields(const Descriptor* type, absl::string_view bytes) {
  // Beyond protobuf's 2 GiB the parsers refuse the bytes before reading.
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::OkStatus();
  }
  std::string path;
  const char* end = bytes.data() + bytes.size();
  if (FindInvalid(type, bytes.data(), end, end, 0, &path)) {
    return absl::InvalidArgumentError(
        absl::StrCat(type->full_name(), ": field ", path, " is not valid UTF-8"));
  }
  return absl::OkStatus();
}

}  // namespace collabflow::internal
