// The checks every input goes through before it can change anything: ids,
// text, counts. Each error names the field and the limit it broke; the
// field's name is put together only then (field_name.h).
#ifndef COLLABFLOW_SRC_BASE_INPUT_CHECKS_H_
#define COLLABFLOW_SRC_BASE_INPUT_CHECKS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/field_name.h"

namespace collabflow::internal {

// Non-empty, at most kMaxIdBytes, printable ASCII or UTF-8 without spaces or
// control characters.
absl::Status CheckId(const FieldName& field, absl::string_view id);
// Valid UTF-8 of at most `max_bytes` bytes (ResourceExhausted beyond).
// `required` refuses an empty string, and one of white space only (utf8.h
// IsBlank: "   ", "\t", the ideographic space U+3000).
absl::Status CheckText(const FieldName& field, absl::string_view text, size_t max_bytes,
                       bool required = false);
// ResourceExhausted if `count` > `max`.
absl::Status CheckCount(const FieldName& field, size_t count, size_t max);
// InvalidArgument unless kMinYear <= `year` <= kMaxYear (collabflow/limits.h).
absl::Status CheckYear(const FieldName& field, int64_t year);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_INPUT_CHECKS_H_
