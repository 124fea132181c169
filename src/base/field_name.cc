#include "base/field_name.h"

#include "absl/strings/str_cat.h"

namespace collabflow::internal {

std::string FieldName::ToString() const {
  switch (indices_) {
    case 0:
      return std::string(head_);
    case 1:
      return absl::StrCat(head_, "[", index_, "]", middle_);
    default:
      return absl::StrCat(head_, "[", index_, "]", middle_, "[", inner_, "]", tail_);
  }
}

}  // namespace collabflow::internal
