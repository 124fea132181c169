// Time moves forward: a command on a request is dated no earlier than the
// request's creation, nor earlier than its stream's last event by more than
// the hosts' clocks may differ (EngineOptions::clock_tolerance). Within the
// tolerance a command is accepted and takes its place at the end of the
// stream: the stream's order is the order of record.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_COMMAND_TIME_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_COMMAND_TIME_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

// INVALID_ARGUMENT naming both times (in `zone`) when `now`, the command's
// time, is before `record`'s creation or more than `tolerance` before the
// last event of the request's stream (record.last_event_at). `record`
// nullptr (a new request), or a request that has ended (archived,
// cancelled: every command is refused for its state): nothing to check.
absl::Status CheckCommandTime(absl::Time now, const v1::RequestRecord* record,
                              absl::Duration tolerance, const absl::TimeZone& zone);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_COMMAND_TIME_H_
