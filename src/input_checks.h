// The checks every input goes through before it can change anything: ids,
// text, counts. Each error names the field and the limit it broke.
#ifndef COLLABFLOW_SRC_INPUT_CHECKS_H_
#define COLLABFLOW_SRC_INPUT_CHECKS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace collabflow::internal {

// Non-empty, at most kMaxIdBytes, printable ASCII or UTF-8 without spaces or
// control characters.
absl::Status CheckId(absl::string_view field, absl::string_view id);
// Valid UTF-8 of at most `max_bytes` bytes (ResourceExhausted beyond).
// `required` refuses an empty string.
absl::Status CheckText(absl::string_view field, absl::string_view text, size_t max_bytes,
                       bool required = false);
// ResourceExhausted if `count` > `max`.
absl::Status CheckCount(absl::string_view field, size_t count, size_t max);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_INPUT_CHECKS_H_
