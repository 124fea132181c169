#include "base/input_checks.h"

#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "collabflow/limits.h"

namespace collabflow::internal {

absl::Status CheckId(const FieldName& field, absl::string_view id) {
  if (id.empty())
    return absl::InvalidArgumentError(absl::StrCat(field.ToString(), ": required id is empty"));
  if (id.size() > kMaxIdBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(field.ToString(), ": id of ", id.size(),
                                                     " bytes exceeds the limit of ", kMaxIdBytes));
  }
  if (!IsValidUtf8(id))
    return absl::InvalidArgumentError(absl::StrCat(field.ToString(), ": id is not valid UTF-8"));
  for (unsigned char c : id) {
    if (c <= 0x20 || c == 0x7F) {
      return absl::InvalidArgumentError(
          absl::StrCat(field.ToString(), ": id contains a space or control character"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckText(const FieldName& field, absl::string_view text, size_t max_bytes,
                       bool required) {
  if (required && text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field.ToString(), ": required text is empty"));
  }
  if (text.size() > max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(field.ToString(), ": text of ", text.size(),
                                                     " bytes exceeds the limit of ", max_bytes));
  }
  if (!IsValidUtf8(text)) {
    return absl::InvalidArgumentError(absl::StrCat(field.ToString(), ": text is not valid UTF-8"));
  }
  if (required && IsBlank(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field.ToString(), ": required text is only white space"));
  }
  return absl::OkStatus();
}

absl::Status CheckCount(const FieldName& field, size_t count, size_t max) {
  if (count > max) {
    return absl::ResourceExhaustedError(
        absl::StrCat(field.ToString(), ": ", count, " entries exceed the limit of ", max));
  }
  return absl::OkStatus();
}

absl::Status CheckYear(const FieldName& field, int64_t year) {
  if (year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(absl::StrCat(field.ToString(), ": year ", year,
                                                   " outside the supported range ", kMinYear, "..",
                                                   kMaxYear));
  }
  return absl::OkStatus();
}

}  // namespace collabflow::internal
