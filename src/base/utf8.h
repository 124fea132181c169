// UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, <= U+10FFFF),
// and blank text.
#ifndef COLLABFLOW_SRC_BASE_UTF8_H_
#define COLLABFLOW_SRC_BASE_UTF8_H_

#include "absl/strings/string_view.h"

namespace collabflow::internal {

bool IsValidUtf8(absl::string_view text);

// Whether valid UTF-8 `text` holds nothing but white space: ASCII space and
// controls \t \n \v \f \r, and the Unicode spaces (U+0085, U+00A0, U+1680,
// U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 the ideographic
// space a Chinese keyboard types, U+FEFF). True for "".
bool IsBlank(absl::string_view text);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_UTF8_H_
