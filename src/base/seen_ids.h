// The ids seen so far in one list of an input, to refuse a repeated one
// without copying them: a scan of the earlier ids while they are few (as in
// nearly every request and task), a hash set of views beyond.
//
// Views the ids it is given: they must outlive it.
// Thread safety: not thread-safe; one per check.
#ifndef COLLABFLOW_SRC_BASE_SEEN_IDS_H_
#define COLLABFLOW_SRC_BASE_SEEN_IDS_H_

#include <algorithm>
#include <cstddef>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"

namespace collabflow::internal {

class SeenIds {
 public:
  // False if `id` was seen before (and then it is not added again).
  bool Insert(absl::string_view id) {
    if (many_.empty()) {
      if (std::find(few_.begin(), few_.end(), id) != few_.end()) return false;
      if (few_.size() < kFew) {
        few_.push_back(id);
        return true;
      }
      many_.insert(few_.begin(), few_.end());
    }
    return many_.insert(id).second;
  }
  bool Contains(absl::string_view id) const {
    return many_.empty() ? std::find(few_.begin(), few_.end(), id) != few_.end()
                         : many_.contains(id);
  }

 private:
  static constexpr size_t kFew = 16;
  absl::InlinedVector<absl::string_view, kFew> few_;
  absl::flat_hash_set<absl::string_view> many_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_SEEN_IDS_H_
