// The name of an input field as error messages give it ("receivers[3].id"),
// put together only when an error is reported: checks that pass, which is
// nearly all of them, format nothing and allocate nothing.
//
// A FieldName views the strings it is made from, so it is a parameter type:
// build it in the call (`CheckId(FieldName("receivers", i, ".id"), id)`),
// never keep one beyond the full expression that made it.
//
// Thread safety: a value type; const methods may be called concurrently.
#ifndef COLLABFLOW_SRC_BASE_FIELD_NAME_H_
#define COLLABFLOW_SRC_BASE_FIELD_NAME_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace collabflow::internal {

class FieldName {
 public:
  // A plain name ("topic"). Implicit, so that a check still takes a string.
  FieldName(absl::string_view name) : head_(name) {}   // NOLINT(runtime/explicit)
  FieldName(const char* name) : head_(name) {}         // NOLINT(runtime/explicit)
  FieldName(const std::string& name) : head_(name) {}  // NOLINT(runtime/explicit)
  // `list`[`index`]`member`: ("resources", 2, ".id") -> "resources[2].id".
  FieldName(absl::string_view list, size_t index, absl::string_view member)
      : head_(list), index_(index), middle_(member), indices_(1) {}
  // `list`[`index`]`member`[`inner`]`tail`:
  // ("receivers", 1, ".sign_group.person_ids", 0, "") ->
  // "receivers[1].sign_group.person_ids[0]".
  FieldName(absl::string_view list, size_t index, absl::string_view member, size_t inner,
            absl::string_view tail)
      : head_(list), index_(index), middle_(member), inner_(inner), tail_(tail), indices_(2) {}

  std::string ToString() const;

 private:
  absl::string_view head_;
  size_t index_ = 0;
  absl::string_view middle_;
  size_t inner_ = 0;
  absl::string_view tail_;
  int indices_ = 0;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_FIELD_NAME_H_
