#include "message_io.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boundary.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "wire/proto_io.h"

namespace collabflow::capi {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status CheckFormat(cflow_format format) {
  if (format != CFLOW_FORMAT_PROTOBUF && format != CFLOW_FORMAT_JSON) {
    return absl::InvalidArgumentError(absl::StrCat("format: unknown value ", format));
  }
  return absl::OkStatus();
}

// proto3 enums are open and unknown fields survive parsing, so a message can
// carry values this library does not know (a typo, or a newer client). The
// domain would have to guess what they mean; the boundary refuses them
// instead, naming the field path. The parsers' nesting limit (100) bounds
// the recursion here too.
absl::Status CheckKnownValues(const Message& message, const std::string& path) {
  const Reflection* reflection = message.GetReflection();
  const auto& unknown = reflection->GetUnknownFields(message);
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": unknown field number ",
                                                   unknown.field(0).number(),
                                                   " (not in this library's schema)"));
  }
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string field_path = absl::StrCat(path, ".", field->name());
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      const int n = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
      for (int i = 0; i < n; ++i) {
        const int value = field->is_repeated() ? reflection->GetRepeatedEnumValue(message, field, i)
                                               : reflection->GetEnumValue(message, field);
        if (field->enum_type()->FindValueByNumber(value) == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(field_path, ": unknown ", field->enum_type()->name(), " value ", value));
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        const int n = reflection->FieldSize(message, field);
        for (int i = 0; i < n; ++i) {
          if (auto s = CheckKnownValues(reflection->GetRepeatedMessage(message, field, i),
                                        absl::StrCat(field_path, "[", i, "]"));
              !s.ok()) {
            return s;
          }
        }
      } else if (auto s = CheckKnownValues(reflection->GetMessage(message, field), field_path);
                 !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckOutputArgs(uint8_t** out, size_t* out_len, cflow_format format) {
  if (out == nullptr) return absl::InvalidArgumentError("out: NULL pointer");
  if (out_len == nullptr) return absl::InvalidArgumentError("out_len: NULL pointer");
  return CheckFormat(format);
}

absl::Status DecodeMessage(cflow_format format, const void* data, size_t len, const char* name,
                           Message* out) {
  if (auto s = CheckFormat(format); !s.ok()) return s;
  absl::string_view input;
  if (auto s = InputBytes(data, len, name, &input); !s.ok()) return s;
  if (auto s = format == CFLOW_FORMAT_JSON ? internal::ParseJson(input, out)
                                           : internal::ParseBinary(input, out);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckKnownValues(*out, out->GetDescriptor()->name()); !s.ok()) {
    out->Clear();
    return s;
  }
  return absl::OkStatus();
}

absl::Status EncodeMessage(const Message& message, cflow_format format, uint8_t** out,
                           size_t* out_len) {
  if (auto s = CheckFormat(format); !s.ok()) return s;
  if (out == nullptr || out_len == nullptr) {
    return absl::InvalidArgumentError("out/out_len: NULL pointer");
  }
  std::string bytes;
  if (format == CFLOW_FORMAT_JSON) {
    auto json = internal::PrintJson(message);
    if (!json.ok()) return json.status();
    bytes = std::move(*json);
  } else {
    bytes = internal::SerializeBinary(message);
  }
  return CopyOut(bytes, out, out_len);
}

}  // namespace collabflow::capi
