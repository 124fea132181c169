// UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
#ifndef COLLABFLOW_SRC_BASE_UTF8_H_
#define COLLABFLOW_SRC_BASE_UTF8_H_

#include "absl/strings/string_view.h"

namespace collabflow::internal {

bool IsValidUtf8(absl::string_view text);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_UTF8_H_
