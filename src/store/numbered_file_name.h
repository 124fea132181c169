// The names of the store's files that carry a position: <prefix><20 digits,
// zero-padded><suffix> (journal-<first>.cfj, snapshot-<covers>.cfs,
// index-<covers>.cfi), so that names sort as their numbers do.
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_STORE_NUMBERED_FILE_NAME_H_
#define COLLABFLOW_SRC_STORE_NUMBERED_FILE_NAME_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace collabflow::internal {

inline constexpr size_t kFileNumberDigits = 20;

inline std::string NumberedFileName(absl::string_view prefix, uint64_t number,
                                    absl::string_view suffix) {
  return absl::StrFormat("%s%020u%s", prefix, number, suffix);
}

// The number in `name` if it is exactly prefix, 20 digits, suffix.
inline std::optional<uint64_t> ParseNumberedFileName(absl::string_view name,
                                                     absl::string_view prefix,
                                                     absl::string_view suffix) {
  if (name.size() != prefix.size() + kFileNumberDigits + suffix.size() ||
      !absl::StartsWith(name, prefix) || !absl::EndsWith(name, suffix)) {
    return std::nullopt;
  }
  const absl::string_view digits = name.substr(prefix.size(), kFileNumberDigits);
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  uint64_t v = 0;
  if (!absl::SimpleAtoi(digits, &v)) return std::nullopt;
  return v;
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_NUMBERED_FILE_NAME_H_
