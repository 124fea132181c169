#include "wire/time_proto.h"

#include "absl/strings/str_cat.h"
#include "collabflow/limits.h"

namespace collabflow::internal {

void ToProto(absl::Time time, google::protobuf::Timestamp* out) {
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t rem = micros % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --seconds;
  }
  out->set_seconds(seconds);
  out->set_nanos(static_cast<int32_t>(rem * 1000));
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixMicros(ts.seconds() * 1000000 + ts.nanos() / 1000);
}

absl::StatusOr<absl::Time> CheckedFromProto(const google::protobuf::Timestamp& ts, bool has_value,
                                            absl::string_view field) {
  if (!has_value)
    return absl::InvalidArgumentError(absl::StrCat(field, ": required time is missing"));
  if (ts.nanos() < 0 || ts.nanos() >= 1000000000) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": nanos ", ts.nanos(), " outside 0..999999999"));
  }
  // The supported range in Unix seconds, converted once (a civil-time
  // conversion per command showed in profiles).
  static const int64_t min =
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(kMinYear, 1, 1), absl::UTCTimeZone()));
  static const int64_t max = absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(kMaxYear, 12, 31, 23, 59, 59), absl::UTCTimeZone()));
  if (ts.seconds() < min || ts.seconds() > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", absl::FormatTime(absl::FromUnixSeconds(ts.seconds())),
                     " outside the supported years ", kMinYear, "..", kMaxYear));
  }
  return FromProto(ts);
}

}  // namespace collabflow::internal
