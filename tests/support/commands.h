// The commands of steps 1 and 2 as the tests write them: each builds the
// collabflow.v1.Command that Engine::Execute takes; ExecuteAll runs several.
#ifndef COLLABFLOW_TESTS_SUPPORT_COMMANDS_H_
#define COLLABFLOW_TESTS_SUPPORT_COMMANDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collabflow/engine.h"

namespace collabflow::testing {

// The command `actor` sends at `time` about `request_id`, with the payload
// `set_payload(command)` gives it.
template <typename SetPayload>
v1::Command CommandWith(absl::string_view actor, absl::Time time, absl::string_view request_id,
                        SetPayload set_payload) {
  v1::Command c = NewCommand(actor, time, request_id);
  set_payload(c);
  return c;
}

// Dates `command` at `t` (as NewCommand does).
inline void SetTime(absl::Time t, v1::Command* command) {
  *command->mutable_time() = NewCommand("", t).time();
}

inline v1::Command UpdateDirectoryCommand(const v1::Directory& directory, absl::Time time,
                                          absl::string_view host = "host") {
  return CommandWith(host, time, "", [&](v1::Command& c) {
    *c.mutable_update_directory()->mutable_directory() = directory;
  });
}

inline v1::Command CreateRequestCommand(absl::string_view actor, absl::Time time,
                                        const v1::CollaborationRequest& request) {
  return CommandWith(actor, time, request.id(), [&](v1::Command& c) {
    *c.mutable_create_request()->mutable_request() = request;
  });
}

inline v1::Command SubmitRequestCommand(absl::string_view actor, absl::Time time,
                                        absl::string_view request_id) {
  return CommandWith(actor, time, request_id, [](v1::Command& c) { c.mutable_submit_request(); });
}

inline v1::Command ReviseRequestCommand(absl::string_view actor, absl::Time time,
                                        const v1::CollaborationRequest& request,
                                        absl::string_view change_note) {
  return CommandWith(actor, time, request.id(), [&](v1::Command& c) {
    *c.mutable_revise_request()->mutable_request() = request;
    c.mutable_revise_request()->set_change_note(std::string(change_note));
  });
}

inline v1::Command RespondCommand(absl::string_view actor, absl::Time time,
                                  absl::string_view request_id,
                                  const v1::ReceiverResponse& response) {
  return CommandWith(actor, time, request_id,
                     [&](v1::Command& c) { *c.mutable_respond()->mutable_response() = response; });
}

inline v1::Command CancelRequestCommand(absl::string_view actor, absl::Time time,
                                        absl::string_view request_id, absl::string_view reason) {
  return CommandWith(actor, time, request_id,
                     [&](v1::Command& c) { c.mutable_cancel()->set_reason(std::string(reason)); });
}

inline v1::Command RecordKickoffCommand(absl::string_view actor, absl::Time time,
                                        absl::string_view request_id,
                                        const v1::KickoffMeeting& meeting) {
  return CommandWith(actor, time, request_id, [&](v1::Command& c) {
    *c.mutable_record_kickoff()->mutable_meeting() = meeting;
  });
}

inline v1::Command PublishPlanCommand(absl::string_view actor, absl::Time time,
                                      absl::string_view request_id, const v1::Plan& plan,
                                      bool acknowledge_omissions = false) {
  return CommandWith(actor, time, request_id, [&](v1::Command& c) {
    *c.mutable_publish_plan()->mutable_plan() = plan;
    c.mutable_publish_plan()->set_acknowledge_omissions(acknowledge_omissions);
  });
}

inline v1::Command RevisePlanCommand(absl::string_view actor, absl::Time time,
                                     absl::string_view request_id, const v1::RevisePlan& revision) {
  return CommandWith(actor, time, request_id,
                     [&](v1::Command& c) { *c.mutable_revise_plan() = revision; });
}

// Executes `commands` in order; stops at the first refusal and returns it.
inline absl::Status ExecuteAll(Engine& e, absl::Span<const v1::Command> commands) {
  for (const v1::Command& c : commands) {
    if (absl::Status s = e.Execute(c).status(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_SUPPORT_COMMANDS_H_
