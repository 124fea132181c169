// Folding a name for comparison, as people read two names as "the same":
// white space trimmed at both ends, full-width forms folded to their ASCII
// counterparts (Ａ -> A, ０ -> 0, the ideographic space -> space), and ASCII
// letters lower-cased. Everything else (Chinese text included) is kept.
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_BASE_NAME_FOLD_H_
#define COLLABFLOW_SRC_BASE_NAME_FOLD_H_

#include <string>

#include "absl/strings/string_view.h"

namespace collabflow::internal {

// The folded form of valid UTF-8 `name`.
std::string FoldName(absl::string_view name);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_NAME_FOLD_H_
