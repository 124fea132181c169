// The one funnel every C entry point goes through: catches every exception,
// maps absl::Status to cflow_status, records the thread-local last error, and
// copies results into library-allocated buffers.
#ifndef COLLABFLOW_CAPI_BOUNDARY_H_
#define COLLABFLOW_CAPI_BOUNDARY_H_

#include <cstddef>
#include <exception>
#include <new>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/library_log.h"
#include "collabflow.h"

namespace collabflow::capi {

// Records `message` as the calling thread's last error and returns `code`.
cflow_status Fail(cflow_status code, absl::string_view message);
// CFLOW_OK for an ok status; otherwise records the message and returns the code.
cflow_status FromStatus(const absl::Status& status);

// InvalidArgument naming `name` if `p` is NULL.
absl::Status RequireNonNull(const void* p, const char* name);
// An input byte range: NULL is allowed only with length 0.
absl::Status InputBytes(const void* data, size_t len, const char* name, absl::string_view* out);
// Copies `data` into a malloc'ed, NUL-terminated buffer owned by the caller.
absl::Status CopyOut(absl::string_view data, char** out, size_t* out_len);
absl::Status CopyOut(absl::string_view data, uint8_t** out, size_t* out_len);

// A NUL-terminated UTF-8 text argument: InvalidArgument naming `name` for
// NULL (unless `optional`: NULL gives ""), invalid UTF-8 or, if `required`,
// an empty text.
absl::Status TextArg(const char* text, const char* name, bool optional, bool required,
                     std::string* out);
// An instant in microseconds since the epoch, refused outside the supported
// years (the ones the journal and every reader accept).
absl::StatusOr<absl::Time> InstantArg(int64_t unix_micros, const char* name);
// A civil date, refused unless it exists and lies in the supported years.
absl::StatusOr<absl::CivilDay> DateArg(const cflow_date& date, const char* name);

// The C++ value of a C enum argument whose constants are 0, 1, ... in the
// order of `values` (the C side pins each constant with a static_assert);
// InvalidArgument "<name>: unknown value <value>" for any other.
template <typename Enum, size_t N>
absl::StatusOr<Enum> EnumArg(int value, const Enum (&values)[N], const char* name) {
  if (value < 0 || static_cast<size_t>(value) >= N) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": unknown value ", value));
  }
  return values[value];
}

// Runs `body` (returning absl::Status) so that nothing escapes.
template <typename Body>
cflow_status Guard(Body&& body) noexcept {
  // libprotobuf's messages on this thread meanwhile are the library's.
  const collabflow::internal::LibraryCallScope scope;
  try {
    return FromStatus(body());
  } catch (const std::bad_alloc&) {
    return Fail(CFLOW_RESOURCE_EXHAUSTED, "out of memory");
  } catch (const std::exception& e) {
    return Fail(CFLOW_INTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(CFLOW_INTERNAL, "internal error: unknown exception");
  }
}

}  // namespace collabflow::capi

#endif  // COLLABFLOW_CAPI_BOUNDARY_H_
