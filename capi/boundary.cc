#include "boundary.h"

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/utf8.h"
#include "collabflow/v1/common.pb.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

namespace collabflow::capi {
struct LastError {
  cflow_status code = CFLOW_OK;
  std::string message;
};

LastError& ThreadLastError() {
  thread_local LastError error;
  return error;
}

namespace {

// Copies `data` into a malloc'ed buffer with one spare byte, so text
// results are NUL-terminated; `Byte` is the caller's buffer type.
template <typename Byte>
absl::Status CopyOutAs(absl::string_view data, Byte** out, size_t* out_len) {
  if (out == nullptr) return absl::InvalidArgumentError("out: NULL pointer");
  if (out_len == nullptr) return absl::InvalidArgumentError("out_len: NULL pointer");
  auto* buffer = static_cast<Byte*>(std::malloc(data.size() + 1));
  if (buffer == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat("out of memory allocating ", data.size() + 1, " bytes"));
  }
  if (!data.empty()) std::memcpy(buffer, data.data(), data.size());
  buffer[data.size()] = 0;
  *out = buffer;
  *out_len = data.size();
  return absl::OkStatus();
}

}  // namespace

cflow_status Fail(cflow_status code, absl::string_view message) {
  LastError& e = ThreadLastError();
  e.code = code;
  e.message.assign(message.data(), message.size());
  return code;
}

cflow_status FromStatus(const absl::Status& status) {
  if (status.ok()) return CFLOW_OK;
  // The C codes are the canonical codes negated (see collabflow.h).
  const int canonical = static_cast<int>(status.code());
  const cflow_status code = (canonical >= 1 && canonical <= 15) ? -canonical : CFLOW_UNKNOWN;
  return Fail(code, status.message());
}

absl::Status RequireNonNull(const void* p, const char* name) {
  if (p == nullptr) return absl::InvalidArgumentError(absl::StrCat(name, ": NULL pointer"));
  return absl::OkStatus();
}

absl::Status InputBytes(const void* data, size_t len, const char* name, absl::string_view* out) {
  if (data == nullptr && len != 0) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": NULL pointer with length ", len));
  }
  // Checked before a single byte is read: a length like SIZE_MAX (a negative
  // value cast by the caller) must not send a scan off the end of the buffer.
  if (len > CFLOW_MAX_INPUT_BYTES) {
    return absl::ResourceExhaustedError(absl::StrCat(
        name, ": length ", len, " exceeds the limit of ", CFLOW_MAX_INPUT_BYTES, " bytes"));
  }
  *out = len == 0 ? absl::string_view() : absl::string_view(static_cast<const char*>(data), len);
  return absl::OkStatus();
}

absl::Status TextArg(const char* text, const char* name, bool optional, bool required,
                     std::string* out) {
  if (text == nullptr) {
    if (!optional) return absl::InvalidArgumentError(absl::StrCat(name, ": NULL pointer"));
    out->clear();
    return absl::OkStatus();
  }
  std::string value(text);
  if (!internal::IsValidUtf8(value)) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": not valid UTF-8"));
  }
  if (required && value.empty()) return absl::InvalidArgumentError(absl::StrCat(name, ": empty"));
  *out = std::move(value);
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> InstantArg(int64_t unix_micros, const char* name) {
  const absl::Time t = absl::FromUnixMicros(unix_micros);
  google::protobuf::Timestamp ts;
  internal::ToProto(t, &ts);
  return internal::CheckedFromProto(ts, true, name);
}

absl::StatusOr<absl::CivilDay> DateArg(const cflow_date& date, const char* name) {
  v1::Date d;
  d.set_year(date.year);
  d.set_month(date.month);
  d.set_day(date.day);
  return internal::FromProto(d, name);
}

absl::Status CopyOut(absl::string_view data, char** out, size_t* out_len) {
  return CopyOutAs(data, out, out_len);
}

absl::Status CopyOut(absl::string_view data, uint8_t** out, size_t* out_len) {
  return CopyOutAs(data, out, out_len);
}

}  // namespace collabflow::capi

extern "C" {

CFLOW_EXPORT const char* cflow_last_error(void) {
  return collabflow::capi::ThreadLastError().message.c_str();
}

CFLOW_EXPORT cflow_status cflow_last_error_code(void) {
  return collabflow::capi::ThreadLastError().code;
}

CFLOW_EXPORT const char* cflow_status_name(cflow_status status) {
  switch (status) {
    case CFLOW_OK:
      return "OK";
    case CFLOW_CANCELLED:
      return "CANCELLED";
    case CFLOW_UNKNOWN:
      return "UNKNOWN";
    case CFLOW_INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case CFLOW_DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case CFLOW_NOT_FOUND:
      return "NOT_FOUND";
    case CFLOW_ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case CFLOW_PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case CFLOW_RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case CFLOW_FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case CFLOW_ABORTED:
      return "ABORTED";
    case CFLOW_OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case CFLOW_UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case CFLOW_INTERNAL:
      return "INTERNAL";
    case CFLOW_UNAVAILABLE:
      return "UNAVAILABLE";
    case CFLOW_DATA_LOSS:
      return "DATA_LOSS";
  }
  return "UNRECOGNIZED";
}

CFLOW_EXPORT void cflow_free(void* buffer) { std::free(buffer); }

}  // extern "C"
