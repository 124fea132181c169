#include "engine/commands/dispatch.h"

#include "base/status_macros.h"
#include "engine/commands/acceptance_commands.h"
#include "engine/commands/plan_commands.h"
#include "engine/commands/request_commands.h"
#include "engine/commands/revision_commands.h"
#include "engine/commands/tracking_commands.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {
namespace {

// The host replaces the directory: checked here, indexed when the event is
// folded.
absl::Status DecideUpdateDirectory(const DecideContext& ctx) {
  const v1::Directory& directory = ctx.command.update_directory().directory();
  CFLOW_RETURN_IF_ERROR(DirectoryIndex::Build(directory).status());
  v1::Event& e = ctx.Emit();
  e.clear_request_id();
  *e.mutable_directory_updated()->mutable_directory() = directory;
  return absl::OkStatus();
}

}  // namespace

bool IsHostCommand(const v1::Command& command) { return command.has_update_directory(); }

absl::Status Decide(const DecideContext& ctx) {
  switch (ctx.command.payload_case()) {
    case v1::Command::kCreateRequest:
      return DecideCreateRequest(ctx);
    case v1::Command::kSubmitRequest:
      return DecideSubmitRequest(ctx);
    case v1::Command::kReviseRequest:
      return DecideReviseRequest(ctx);
    case v1::Command::kRespond:
      return DecideRespond(ctx);
    case v1::Command::kCancel:
      return DecideCancel(ctx);
    case v1::Command::kRecordKickoff:
      return DecideRecordKickoff(ctx);
    case v1::Command::kPublishPlan:
      return DecidePublishPlan(ctx);
    case v1::Command::kUpdateDirectory:
      return DecideUpdateDirectory(ctx);
    case v1::Command::kStartTask:
      return DecideStartTask(ctx);
    case v1::Command::kReportProgress:
      return DecideReportProgress(ctx);
    case v1::Command::kRaiseRisk:
      return DecideRaiseRisk(ctx);
    case v1::Command::kRespondToRisk:
      return DecideRespondToRisk(ctx);
    case v1::Command::kResolveRisk:
      return DecideResolveRisk(ctx);
    case v1::Command::kRequestResource:
      return DecideRequestResource(ctx);
    case v1::Command::kDecideResource:
      return DecideDecideResource(ctx);
    case v1::Command::kRevisePlan:
      return DecideRevisePlan(ctx);
    case v1::Command::kRecordMinutes:
      return DecideRecordMinutes(ctx);
    case v1::Command::kRecordChannel:
      return DecideRecordChannel(ctx);
    case v1::Command::kSubmitDeliverables:
      return DecideSubmitDeliverables(ctx);
    case v1::Command::kReviewSubmission:
      return DecideReviewSubmission(ctx);
    case v1::Command::kSubmitFinal:
      return DecideSubmitFinal(ctx);
    case v1::Command::kReviewFinal:
      return DecideReviewFinal(ctx);
    case v1::Command::kArchiveRequest:
      return DecideArchive(ctx);
    case v1::Command::PAYLOAD_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("command: no payload (which command is it?)");
}

}  // namespace collabflow::internal
