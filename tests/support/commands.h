// The commands of steps 1 and 2 as the tests write them: each builds the
// collabflow.v1.Command that Engine::Execute takes.
#ifndef COLLABFLOW_TESTS_SUPPORT_COMMANDS_H_
#define COLLABFLOW_TESTS_SUPPORT_COMMANDS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collabflow/engine.h"

namespace collabflow::testing {

inline v1::Command UpdateDirectoryCommand(const v1::Directory& directory, absl::Time time,
                                          absl::string_view host = "host") {
  v1::Command c = NewCommand(host, time);
  *c.mutable_update_directory()->mutable_directory() = directory;
  return c;
}

inline v1::Command CreateRequestCommand(absl::string_view actor, absl::Time time,
                                        const v1::CollaborationRequest& request) {
  v1::Command c = NewCommand(actor, time, request.id());
  *c.mutable_create_request()->mutable_request() = request;
  return c;
}

inline v1::Command SubmitRequestCommand(absl::string_view actor, absl::Time time,
                                        absl::string_view request_id) {
  v1::Command c = NewCommand(actor, time, request_id);
  c.mutable_submit_request();
  return c;
}

inline v1::Command ReviseRequestCommand(absl::string_view actor, absl::Time time,
                                        const v1::CollaborationRequest& request,
                                        absl::string_view change_note) {
  v1::Command c = NewCommand(actor, time, request.id());
  *c.mutable_revise_request()->mutable_request() = request;
  c.mutable_revise_request()->set_change_note(std::string(change_note));
  return c;
}

inline v1::Command RespondCommand(absl::string_view actor, absl::Time time,
                                  absl::string_view request_id,
                                  const v1::ReceiverResponse& response) {
  v1::Command c = NewCommand(actor, time, request_id);
  *c.mutable_respond()->mutable_response() = response;
  return c;
}

inline v1::Command CancelRequestCommand(absl::string_view actor, absl::Time time,
                                        absl::string_view request_id, absl::string_view reason) {
  v1::Command c = NewCommand(actor, time, request_id);
  c.mutable_cancel()->set_reason(std::string(reason));
  return c;
}

inline v1::Command RecordKickoffCommand(absl::string_view actor, absl::Time time,
                                        absl::string_view request_id,
                                        const v1::KickoffMeeting& meeting) {
  v1::Command c = NewCommand(actor, time, request_id);
  *c.mutable_record_kickoff()->mutable_meeting() = meeting;
  return c;
}

inline v1::Command PublishPlanCommand(absl::string_view actor, absl::Time time,
                                      absl::string_view request_id, const v1::Plan& plan,
                                      bool acknowledge_omissions = false) {
  v1::Command c = NewCommand(actor, time, request_id);
  *c.mutable_publish_plan()->mutable_plan() = plan;
  c.mutable_publish_plan()->set_acknowledge_omissions(acknowledge_omissions);
  return c;
}

inline v1::Command RevisePlanCommand(absl::string_view actor, absl::Time time,
                                     absl::string_view request_id, const v1::RevisePlan& revision) {
  v1::Command c = NewCommand(actor, time, request_id);
  *c.mutable_revise_plan() = revision;
  return c;
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_SUPPORT_COMMANDS_H_
