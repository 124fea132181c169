#include "engine/commands/command_time.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

std::string Format(absl::Time t, const absl::TimeZone& zone) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E*S %Ez", t, zone);
}

}  // namespace

absl::Status CheckCommandTime(absl::Time now, const v1::RequestRecord* record,
                              absl::Duration tolerance, const absl::TimeZone& zone) {
  // Nothing is accepted on a request that has ended, whenever it is dated:
  // its state says why (FAILED_PRECONDITION, from the command's handler).
  if (record == nullptr || record->state() == v1::REQUEST_STATE_ARCHIVED ||
      record->state() == v1::REQUEST_STATE_CANCELLED) {
    return absl::OkStatus();
  }
  if (record->has_created_at()) {
    const absl::Time created = FromProto(record->created_at());
    if (now < created) {
      return absl::InvalidArgumentError(absl::StrCat("command.time: ", Format(now, zone),
                                                     " is before the request was created (",
                                                     Format(created, zone), ")"));
    }
  }
  if (record->has_last_event_at()) {
    const absl::Time last = FromProto(record->last_event_at());
    if (now < last - tolerance) {
      return absl::InvalidArgumentError(
          absl::StrCat("command.time: ", Format(now, zone),
                       " is earlier than the request's last event (", Format(last, zone),
                       ") by more than the clock tolerance of ", absl::FormatDuration(tolerance)));
    }
  }
  return absl::OkStatus();
}

}  // namespace collabflow::internal
