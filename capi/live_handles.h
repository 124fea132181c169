// A table of the live handles of one kind, so that a freed, foreign or
// mistyped pointer is refused (never dereferenced) and freeing twice is
// harmless (collabflow.h, convention 6).
#ifndef COLLABFLOW_CAPI_LIVE_HANDLES_H_
#define COLLABFLOW_CAPI_LIVE_HANDLES_H_

#include <mutex>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace collabflow::capi {

// Thread-safe. `Handle` is the C struct; the table owns nothing: New() and
// Free() pair a `new` with its `delete`.
template <typename Handle>
class LiveHandles {
 public:
  explicit LiveHandles(const char* kind) : kind_(kind) {}

  Handle* Add(Handle* handle) {
    std::lock_guard<std::mutex> lock(mu_);
    live_.insert(handle);
    return handle;
  }
  // Deletes a live handle; ignores NULL and unknown ones.
  void Free(Handle* handle) {
    if (handle == nullptr) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (live_.erase(handle) == 0) return;
    }
    delete handle;
  }
  // Runs fn(Handle&) (returning absl::Status) with the table locked, so a
  // concurrent Free waits; InvalidArgument naming the kind for a NULL or
  // unknown handle. fn must be short and must not reach this table again.
  template <typename Fn>
  absl::Status With(const Handle* handle, Fn&& fn) const {
    if (handle == nullptr) return absl::InvalidArgumentError(absl::StrCat(kind_, ": NULL handle"));
    std::lock_guard<std::mutex> lock(mu_);
    if (!live_.contains(handle)) {
      return absl::InvalidArgumentError(absl::StrCat(kind_, ": freed or invalid handle"));
    }
    return fn(*const_cast<Handle*>(handle));
  }

 private:
  const char* kind_;
  mutable std::mutex mu_;  // guards live_
  absl::flat_hash_set<const Handle*> live_;
};

}  // namespace collabflow::capi

#endif  // COLLABFLOW_CAPI_LIVE_HANDLES_H_
